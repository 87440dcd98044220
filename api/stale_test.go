package api

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/portfoliod/portfoliod"
)

// staleNode answers every read with figures marked stale since a fixed
// time: the chain package's TestStaleServeIsMarked makes a real reader do
// so with a failing node; here only the header is under test.
type staleNode struct{ since time.Time }

func (n staleNode) Portfolio(ctx context.Context, id string, _ portfoliod.ReadOptions) (portfoliod.Portfolio, error) {
	return portfoliod.Portfolio{}, errors.New("not used")
}

func (n staleNode) PortfolioOf(context.Context, portfoliod.Customer, portfoliod.ReadOptions) (portfoliod.Portfolio, error) {
	return portfoliod.Portfolio{}, errors.New("not used")
}

func (n staleNode) Wallet(_ context.Context, w common.Address, _ portfoliod.ReadOptions) (portfoliod.Snapshot, error) {
	return portfoliod.Snapshot{Block: portfoliod.Block{Number: 5, Hash: common.HexToHash("0x05")}, StaleSince: n.since,
		Balances: []portfoliod.Balance{{Wallet: w, Total: big.NewInt(1), Frozen: new(big.Int), Available: big.NewInt(1)}}}, nil
}

func (n staleNode) Tokens() []portfoliod.Token { return nil }

func TestStaleFiguresCarryAWarning(t *testing.T) {
	since := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	e := mustServe(t, staleNode{since: since})
	r := e.do(t, "GET", "/wallet/0x00000000000000000000000000000000000000c1", readKey, "")
	if want := `110 portfoliod "stale: node unreachable since 2026-12-01T10:00:00Z"`; r.Status != 200 || r.Header.Get("Warning") != want {
		t.Errorf("status %d, Warning %q; want 200 and %q", r.Status, r.Header.Get("Warning"), want)
	}
	fresh := mustServe(t, staleNode{})
	if r := fresh.do(t, "GET", "/wallet/0x00000000000000000000000000000000000000c1", readKey, ""); r.Header.Get("Warning") != "" {
		t.Errorf("a fresh read carries Warning %q", r.Header.Get("Warning"))
	}
}

package chain_test

import (
	"context"
	"encoding/json"
	"errors"
	"math/big"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/internal/anviltest"
)

// rangeEnv is a real anvil node behind a proxy (which counts the logs
// queries and can refuse them), a T-REX-style token and a USDT-style one
// (whose Issue names no wallet: the owner is read), with changes spread
// over blocks, empty ones between, from block first to block last.
type rangeEnv struct {
	r           *chain.Reader
	proxy       *anviltest.Proxy
	first, last uint64
	logsQueries atomic.Int64
}

func mustRangeEnv(t *testing.T) *rangeEnv {
	t.Helper()
	net := startAnvil(t)
	trex := net.chain.DeployToken(t, anviltest.TREX, "T", "T", 0)
	trex.Unpause(t)
	usdt := net.chain.DeployToken(t, anviltest.USDT, "U", "U", 0)
	e := &rangeEnv{proxy: anviltest.NewProxy(t, net.url)}
	e.proxy.Refuse(func(method string, _ json.RawMessage) *anviltest.RPCError {
		if method == "eth_getLogs" {
			e.logsQueries.Add(1)
		}
		return nil
	})
	cfg := dialConfig(net, chain.ModeContract,
		chain.TokenConfig{Address: trex.Address, Freeze: "erc3643"}, chain.TokenConfig{Address: usdt.Address, Freeze: "usdt"})
	// The node itself second: a failover target, so that an endpoint
	// taken for down would show (see TestRangeTouchesHalvesATooWideRange).
	cfg.RPCURLs = []string{e.proxy.URL, net.url}
	e.r = mustDial(t, cfg)
	a, b := anviltest.DevAddress(1), anviltest.DevAddress(2)
	e.first = latestNumber(t, e.r) + 1
	trex.Mint(t, a, big.NewInt(100))
	net.node.Mine(t, 3)
	trex.Transfer(t, anviltest.DevKey(1), b, big.NewInt(10))
	usdt.Issue(t, big.NewInt(7)) // names no wallet: the owner is read at the block
	net.node.Mine(t, 60)
	trex.SetFrozen(t, b, big.NewInt(4))
	trex.SetFrozenFlag(t, a, true)
	net.node.Mine(t, 70) // past one header batch
	usdt.Transfer(t, usdt.Owner, b, big.NewInt(2))
	e.last = latestNumber(t, e.r)
	return e
}

// latestNumber resolves the node's latest block number.
func latestNumber(t *testing.T, r *chain.Reader) uint64 {
	t.Helper()
	head, err := r.ResolveBlock(context.Background(), chain.LatestBlock)
	if err != nil {
		t.Fatal(err)
	}
	return head.Number
}

// checkAgainstPerBlock checks that the headers of blocks from..to are
// Header's, linked, and that byBlock holds for each exactly what Touches
// finds in it alone.
func (e *rangeEnv) checkAgainstPerBlock(t *testing.T, from, to uint64, byBlock map[common.Hash][]chain.Touch) {
	t.Helper()
	ctx := context.Background()
	hdrs, err := e.r.Headers(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if len(hdrs) != int(to-from+1) {
		t.Fatalf("Headers(%d, %d) gave %d headers", from, to, len(hdrs))
	}
	touched, found := 0, 0
	for i, h := range hdrs {
		n := from + uint64(i)
		one, parent, err := e.r.Header(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		if h.Block != one || h.Parent != parent {
			t.Fatalf("Headers()[%d] = %+v, Header(%d) = %+v parent %s", i, h, n, one, parent)
		}
		want, err := e.r.Touches(ctx, one)
		if err != nil {
			t.Fatal(err)
		}
		if got := byBlock[one.Hash]; !slices.Equal(got, want) {
			t.Errorf("block %d: ranged touches %v, per block %v", n, got, want)
		}
		if len(want) > 0 {
			touched++
		}
		found += len(byBlock[one.Hash])
	}
	total := 0
	for _, ts := range byBlock {
		total += len(ts)
	}
	if total != found {
		t.Errorf("ranged touches of %d blocks outside %d..%d", total-found, from, to)
	}
	if touched == 0 {
		t.Fatal("no block of the range touched a wallet: the test tests nothing")
	}
}

// One ranged logs query finds, block by block, what a query per block
// finds, for every model's events (the USDT owner's too), and the headers
// come in batches.
func TestRangeTouchesMatchesPerBlock(t *testing.T) {
	e := mustRangeEnv(t)
	ctx := context.Background()
	before := e.logsQueries.Load()
	rt, err := e.r.RangeTouches(ctx, e.first, e.last)
	if err != nil {
		t.Fatal(err)
	}
	if n := e.logsQueries.Load() - before; n != 1 {
		t.Errorf("RangeTouches over %d blocks sent %d eth_getLogs, want 1", e.last-e.first+1, n)
	}
	if rt.To.Number != e.last {
		t.Errorf("To = %d, want %d", rt.To.Number, e.last)
	}
	e.checkAgainstPerBlock(t, e.first, e.last, rt.ByBlock)
}

// A node that refuses a range as too wide (Infura's -32005 "query
// returned more than 10000 results", faked by the proxy: anvil has no
// such limit) is asked for the first half, then its half, until it
// answers; a single block refused is an error, and the endpoint is not
// taken for down.
func TestRangeTouchesHalvesATooWideRange(t *testing.T) {
	e := mustRangeEnv(t)
	ctx := context.Background()
	var widths []uint64
	e.proxy.Refuse(func(method string, params json.RawMessage) *anviltest.RPCError {
		if method != "eth_getLogs" {
			return nil
		}
		var q []struct {
			From hexutil.Uint64 `json:"fromBlock"`
			To   hexutil.Uint64 `json:"toBlock"`
		}
		if err := json.Unmarshal(params, &q); err != nil || len(q) != 1 {
			t.Errorf("eth_getLogs params %s: %v", params, err)
			return nil
		}
		widths = append(widths, uint64(q[0].To-q[0].From+1))
		if q[0].To-q[0].From+1 > 8 {
			return &anviltest.RPCError{Code: -32005, Message: "query returned more than 10000 results"}
		}
		return nil
	})
	rt, err := e.r.RangeTouches(ctx, e.first, e.first+39)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(widths, []uint64{40, 20, 10, 5}) {
		t.Errorf("range widths asked %v, want [40 20 10 5]", widths)
	}
	if rt.To.Number != e.first+4 {
		t.Errorf("To = %d, want %d", rt.To.Number, e.first+4)
	}
	e.checkAgainstPerBlock(t, e.first, rt.To.Number, rt.ByBlock)

	e.proxy.Refuse(func(method string, _ json.RawMessage) *anviltest.RPCError {
		if method == "eth_getLogs" {
			return &anviltest.RPCError{Code: -32602, Message: "invalid params", Data: map[string]any{"payload": "range 1 is bigger than range limit 0"}}
		}
		return nil
	})
	if _, err := e.r.RangeTouches(ctx, e.first, e.first); !errors.Is(err, chain.ErrTooManyLogs) {
		t.Errorf("a single block refused: err %v, want a too-wide error", err)
	}
	if st := e.r.Stats(); !st[0].Healthy || st[0].Failures != 0 {
		t.Errorf("the endpoint after refusing logs queries as too wide: %+v, want healthy, no failure", st[0])
	}
}

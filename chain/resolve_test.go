package chain_test

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/internal/anviltest"
)

func TestResolveBlock(t *testing.T) {
	for _, start := range testNets() {
		net := start(t)
		t.Run(net.name, func(t *testing.T) {
			plain := net.chain.DeployToken(t, anviltest.Plain, "Plain", "PLN", 18)
			r := mustDial(t, dialConfig(net, chain.ModeAuto, chain.TokenConfig{Address: plain.Address}))
			ctx := context.Background()
			latest, err := r.ResolveBlock(ctx, chain.LatestBlock)
			if err != nil {
				t.Fatal(err)
			}
			header, err := net.chain.Client.HeaderByNumber(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			want := chain.Block{Number: header.Number.Uint64(), Hash: header.Hash(), Time: time.Unix(int64(header.Time), 0).UTC()}
			if diff := cmp.Diff(want, latest); diff != "" {
				t.Errorf("ResolveBlock(latest) mismatch (-want +got):\n%s", diff)
			}
			byNumber, err := r.ResolveBlock(ctx, chain.BlockRef{Number: latest.Number - 1})
			if err != nil || byNumber.Number != latest.Number-1 || byNumber.Hash == latest.Hash {
				t.Errorf("ResolveBlock(%d) = %+v, %v", latest.Number-1, byNumber, err)
			}
			_, err = r.ResolveBlock(ctx, chain.BlockRef{Number: latest.Number + 1000})
			if !errors.Is(err, chain.ErrBlockNotFound) {
				t.Fatalf("ResolveBlock(beyond head) error = %v, want ErrBlockNotFound", err)
			}
			if wantMsg := fmt.Sprintf("block %d is beyond the chain head %d", latest.Number+1000, latest.Number); !strings.Contains(err.Error(), wantMsg) {
				t.Errorf("ResolveBlock(beyond head) error = %q, want it to contain %q", err, wantMsg)
			}
			for _, tag := range []chain.BlockTag{chain.Safe, chain.Finalized} {
				b, err := r.ResolveBlock(ctx, chain.BlockRef{Tag: tag})
				if err != nil && !errors.Is(err, chain.ErrBlockNotFound) {
					t.Errorf("ResolveBlock(%s) error = %v, want nil or ErrBlockNotFound", tag, err)
				}
				if err == nil && b.Number > latest.Number {
					t.Errorf("ResolveBlock(%s) = %d above latest %d", tag, b.Number, latest.Number)
				}
			}
			if err := r.Check(ctx); err != nil {
				t.Errorf("Check() = %v", err)
			}
		})
	}
}

// TestStaleNumberAfterRestart: a block number resolved deep enough below
// the head is cached with its hash. When the dev chain behind the endpoint
// is restarted and grows again, that number names another block: the
// first read of it must still succeed, with the new chain's values, not
// fail once with "block not found".
func TestStaleNumberAfterRestart(t *testing.T) {
	net := startAnvil(t)
	const number = 10
	setUp := func(c *anviltest.Chain, amount int64) *anviltest.Token {
		tok := c.DeployToken(t, anviltest.Plain, "P", "P", 0)
		tok.Mint(t, staleWallet, bi(amount))
		net.node.Mine(t, immutable+number)
		return tok
	}
	tok := setUp(net.chain, 5)
	readers := map[string]*chain.Reader{}
	ctx := context.Background()
	var before chain.Block
	for _, mode := range strategies {
		r := mustDial(t, dialConfig(net, mode, chain.TokenConfig{Address: tok.Address}))
		readers[mode] = r
		// latest first, so that the Reader knows the head is far enough
		// above the block to cache its number.
		if _, err := r.Balances(ctx, chain.LatestBlock, tok.Address, []common.Address{staleWallet}); err != nil {
			t.Fatal(err)
		}
		snap, err := r.Balances(ctx, chain.BlockRef{Number: number}, tok.Address, []common.Address{staleWallet})
		if err != nil {
			t.Fatal(err)
		}
		before = snap.Block
	}

	net.node.Restart(t)
	anviltest.PlaceMulticall3(t, net.url)
	c := net.node.Chain(t)
	net.node.Mine(t, 1) // so that every block from 1 on differs from before
	if again := setUp(c, 8); again.Address != tok.Address {
		t.Fatalf("redeployed at %s, want %s", again.Address.Hex(), tok.Address.Hex())
	}
	header, err := c.Client.HeaderByNumber(ctx, big.NewInt(number))
	if err != nil {
		t.Fatal(err)
	}
	if header.Hash() == before.Hash {
		t.Fatalf("block %d has the same hash after the restart", number)
	}
	for _, mode := range strategies {
		t.Run(mode, func(t *testing.T) {
			snap, err := readers[mode].Balances(ctx, chain.BlockRef{Number: number}, tok.Address, []common.Address{staleWallet})
			if err != nil {
				t.Fatalf("Balances(block %d) after the restart: %v", number, err)
			}
			if snap.Block.Hash != header.Hash() {
				t.Errorf("Balances(block %d) read block %s, want the new chain's %s", number, snap.Block.Hash, header.Hash())
			}
			if diff := cmp.Diff([]chain.Balance{balance(staleWallet, bi(8), bi(0))}, snap.Balances, bigCmp); diff != "" {
				t.Errorf("Balances(block %d) after the restart mismatch (-want +got):\n%s", number, diff)
			}
		})
	}
}

// immutable is how far below the head a block number must be for the
// Reader to cache its resolution (chain's immutableDepth).
const immutable = 64

var staleWallet = common.HexToAddress("0x0000000000000000000000000000000000088804")

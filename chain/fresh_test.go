package chain_test

import (
	"context"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/internal/anviltest"
)

// TestFreshLatest: a latest read never answers from a head older than
// MaxHeadAge (SPEC section 9, "Freshness of latest"). The tracker polls
// hourly, so only the read itself can learn of a block mined after Dial:
// it must name that block and its figures. A wallet not cached costs one
// HTTP request in the multicall modes (the header rides in the
// multicall's batch), two in batch mode (header, then the batch). Within
// MaxHeadAge a repeat costs nothing; past it, a read whose figures are all
// cached at the tracked head asks for the header (one request shared by
// concurrent readers), and reads again only if the head moved.
func TestFreshLatest(t *testing.T) {
	for _, start := range testNets() {
		net := start(t)
		tok := net.chain.DeployToken(t, anviltest.TREX, "T", "T", 0)
		tok.Unpause(t)
		tc := chain.TokenConfig{Address: tok.Address, Freeze: chain.FreezeERC3643}
		for i, mode := range []string{chain.ModeContract, chain.ModeOverride, chain.ModeBatch} {
			t.Run(net.name+"/"+mode, func(t *testing.T) {
				ctx := context.Background()
				cached := common.BigToAddress(bi(int64(0x5eed00 + 2*i)))
				w := common.BigToAddress(bi(int64(0x5eed01 + 2*i)))
				cfg := trackedConfig(net, mode, tc)
				const maxAge = 100 * time.Millisecond
				cfg.MaxHeadAge = maxAge
				r := mustDial(t, cfg)
				read := func(what string, wallet common.Address, wantRequests int) chain.Snapshot {
					t.Helper()
					var snap chain.Snapshot
					var err error
					n := counted(r, func() { snap, err = r.Balances(ctx, chain.LatestBlock, tok.Address, []common.Address{wallet}) })
					if err != nil {
						t.Fatalf("%s: %v", what, err)
					}
					if diff := cmp.Diff([]chain.Balance{balance(wallet, tok.BalanceOf(t, wallet), bi(0))}, snap.Balances, bigCmp); diff != "" {
						t.Errorf("%s: Balances at block %d mismatch (-want +got):\n%s", what, snap.Block.Number, diff)
					}
					if wantRequests >= 0 && n != uint64(wantRequests) {
						t.Errorf("%s: %d HTTP requests, want %d", what, n, wantRequests)
					}
					return snap
				}
				first := read("first read", cached, -1)

				tok.Mint(t, w, bi(1234))
				time.Sleep(maxAge + 10*time.Millisecond)
				want := 1
				if mode == chain.ModeBatch {
					want = 2
				}
				snap := read("uncached wallet past MaxHeadAge after a block", w, want)
				if snap.Block.Number != first.Block.Number+1 {
					t.Fatalf("latest read %v after a block was mined answered block %d, want %d", maxAge, snap.Block.Number, first.Block.Number+1)
				}
				if head := headNumber(r); head != snap.Block.Number {
					t.Errorf("tracked head %d after the read, want the block it learnt (%d)", head, snap.Block.Number)
				}
				read("repeat within MaxHeadAge", w, 0)
				time.Sleep(maxAge + 10*time.Millisecond)
				if again := read("cached wallet past MaxHeadAge, no block", w, 1); again.Block != snap.Block {
					t.Errorf("cached repeat answered block %v, want %v", again.Block, snap.Block)
				}

				tok.Mint(t, w, bi(99))
				time.Sleep(maxAge + 10*time.Millisecond)
				if got := read("wallet cached at the tracked head past MaxHeadAge after a block", w, 2); got.Block.Number != snap.Block.Number+1 {
					t.Errorf("answered block %d, want the block mined (%d)", got.Block.Number, snap.Block.Number+1)
				}
			})
		}
	}
}

// TestLatestHeadFresh: LatestHead (the cache-across-blocks path) learns a
// head older than MaxHeadAge, once for all concurrent callers.
func TestLatestHeadFresh(t *testing.T) {
	net := startAnvil(t)
	tok := net.chain.DeployToken(t, anviltest.Plain, "P", "P", 0)
	cfg := trackedConfig(net, chain.ModeAuto, chain.TokenConfig{Address: tok.Address})
	cfg.MaxHeadAge = 50 * time.Millisecond
	r := mustDial(t, cfg)
	ctx := context.Background()
	before, _, err := r.LatestHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mine(t, net, 1)
	time.Sleep(60 * time.Millisecond)
	const callers = 8
	heads := make(chan uint64, callers)
	errs := make(chan error, callers)
	n := counted(r, func() {
		for range callers {
			go func() {
				b, _, err := r.LatestHead(ctx)
				heads <- b.Number
				errs <- err
			}()
		}
		for range callers {
			if err := <-errs; err != nil {
				t.Error(err)
			}
			if got := <-heads; got != before.Number+1 {
				t.Errorf("LatestHead = block %d, want the block mined (%d)", got, before.Number+1)
			}
		}
	})
	if n != 1 {
		// Callers arriving after the shared refresh ended find the head
		// current.
		t.Errorf("%d concurrent LatestHead calls cost %d requests, want 1", callers, n)
	}
}

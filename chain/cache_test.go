package chain_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/internal/anviltest"
)

// TestOneRequestPerPortfolio: with a fresh head, an uncached latest read of
// 1, 100 or 1,000 erc3643 wallets (up to 3,000 calls in 4 chunks) costs one
// HTTP request in the multicall modes (one per chunk in batch mode), and a
// repeat within the block costs none and gives the same snapshot. The
// simulated chain (geth's RPC server, slow under -race) reads 100 wallets
// in 10 chunks of 30 calls instead of 1,000 wallets.
func TestOneRequestPerPortfolio(t *testing.T) {
	for _, start := range testNets() {
		net := start(t)
		t.Run(net.name, func(t *testing.T) {
			maxCalls, spans := chain.DefaultMaxCallsPerBatch, [][2]int{{0, 1}, {1, 101}, {101, 1101}}
			if net.node == nil {
				maxCalls, spans = 30, spans[:2]
			}
			tok := net.chain.DeployToken(t, anviltest.TREX, "T", "T", 0)
			wallets := fundWallets(t, tok, spans[len(spans)-1][1], 0x50000)
			tc := chain.TokenConfig{Address: tok.Address, Freeze: "erc3643"}
			ref := mustDial(t, dialConfig(net, chain.ModeContract, tc))
			ctx := context.Background()
			for _, mode := range strategies {
				t.Run(mode, func(t *testing.T) {
					cfg := trackedConfig(net, mode, tc)
					cfg.MaxCallsPerBatch = maxCalls
					r := mustDial(t, cfg)
					head, _, ok := r.Head()
					if !ok {
						t.Fatal("Head() = false after Dial")
					}
					for _, span := range spans {
						ws := wallets[span[0]:span[1]]
						t.Run(fmt.Sprint(len(ws)), func(t *testing.T) {
							var (
								snap chain.Snapshot
								err  error
							)
							n := counted(r, func() { snap, err = r.Balances(ctx, chain.LatestBlock, tok.Address, ws) })
							if err != nil {
								t.Fatal(err)
							}
							want := uint64(1)
							if perBatch := maxCalls / 3; mode == chain.ModeBatch {
								want = uint64((len(ws) + perBatch - 1) / perBatch) // one request per chunk
							}
							if n != want {
								t.Errorf("uncached read of %d wallets: %d HTTP requests, want %d", len(ws), n, want)
							}
							if diff := cmp.Diff(head, snap.Block); diff != "" {
								t.Errorf("snapshot block is not the tracked head (-want +got):\n%s", diff)
							}
							refSnap, err := ref.Balances(ctx, chain.BlockRef{Number: head.Number}, tok.Address, ws)
							if err != nil {
								t.Fatal(err)
							}
							if diff := cmp.Diff(refSnap, snap, bigCmp); diff != "" {
								t.Errorf("Balances mismatch with an untracked, uncached reader (-want +got):\n%s", diff)
							}

							var again chain.Snapshot
							if n := counted(r, func() { again, err = r.Balances(ctx, chain.LatestBlock, tok.Address, ws) }); err != nil || n != 0 {
								t.Fatalf("repeat within the block: %d requests, error %v; want 0, nil", n, err)
							}
							if diff := cmp.Diff(snap, again, bigCmp); diff != "" {
								t.Errorf("repeat within the block mismatch (-first +repeat):\n%s", diff)
							}
							// The cache hands out copies: changing them changes
							// nothing for the next caller.
							again.Balances[0].Total.SetInt64(-1)
							third, err := r.Balances(ctx, chain.LatestBlock, tok.Address, ws[:1])
							if err != nil {
								t.Fatal(err)
							}
							if third.Balances[0].Total.Cmp(snap.Balances[0].Total) != 0 {
								t.Errorf("a caller's change reached the cache: total %v, want %v", third.Balances[0].Total, snap.Balances[0].Total)
							}
						})
					}
				})
			}
		})
	}
}

// TestCacheSharedWallets: a portfolio sharing wallets with one read before
// reads only the others; wallets in another order or repeated are served
// from the cache alone.
func TestCacheSharedWallets(t *testing.T) {
	net := startAnvil(t)
	tok := net.chain.DeployToken(t, anviltest.TREX, "T", "T", 0)
	wallets := fundWallets(t, tok, 150, 0x60000)
	tc := chain.TokenConfig{Address: tok.Address, Freeze: "erc3643"}
	obs := &recorder{}
	cfg := trackedConfig(net, chain.ModeAuto, tc)
	cfg.Observer = obs
	r := mustDial(t, cfg)
	ref := mustDial(t, dialConfig(net, chain.ModeAuto, tc))
	ctx := context.Background()
	read := func(t *testing.T, ws []common.Address, wantRequests uint64, wantHits, wantMisses int) {
		t.Helper()
		h0, m0 := obs.cacheCounts()
		var (
			snap chain.Snapshot
			err  error
		)
		n := counted(r, func() { snap, err = r.Balances(ctx, chain.LatestBlock, tok.Address, ws) })
		if err != nil {
			t.Fatal(err)
		}
		h1, m1 := obs.cacheCounts()
		if n != wantRequests || h1-h0 != wantHits || m1-m0 != wantMisses {
			t.Errorf("read of %d wallets: %d requests, %d hits, %d misses; want %d, %d, %d",
				len(ws), n, h1-h0, m1-m0, wantRequests, wantHits, wantMisses)
		}
		want, err := ref.Balances(ctx, chain.BlockRef{Number: snap.Block.Number}, tok.Address, ws)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, snap, bigCmp); diff != "" {
			t.Errorf("Balances mismatch (-want +got):\n%s", diff)
		}
	}
	t.Run("first customer", func(t *testing.T) { read(t, wallets[:100], 1, 0, 100) })
	t.Run("second customer shares half", func(t *testing.T) { read(t, wallets[50:150], 1, 50, 50) })
	t.Run("all cached, reordered and repeated", func(t *testing.T) {
		ws := slices.Clone(wallets)
		slices.Reverse(ws)
		read(t, append(ws, wallets[:10]...), 0, 150, 0)
	})
}

// TestNewBlockNotServedFromCache: after a block that changes a wallet, the
// next latest read names the new block and shows the change; the older
// block still reads its own values, from the cache.
func TestNewBlockNotServedFromCache(t *testing.T) {
	for _, start := range testNets() {
		net := start(t)
		t.Run(net.name, func(t *testing.T) {
			tok := net.chain.DeployToken(t, anviltest.TREX, "T", "T", 0)
			w := common.HexToAddress("0x0000000000000000000000000000000000071111")
			tok.Mint(t, w, bi(1000))
			obs := &recorder{}
			cfg := trackedConfig(net, chain.ModeAuto, chain.TokenConfig{Address: tok.Address, Freeze: "erc3643"})
			cfg.HeadPollInterval = 20 * time.Millisecond
			cfg.Observer = obs
			r := mustDial(t, cfg)
			ctx := context.Background()
			read := func(t *testing.T, at chain.BlockRef) chain.Snapshot {
				t.Helper()
				snap, err := r.Balances(ctx, at, tok.Address, []common.Address{w})
				if err != nil {
					t.Fatal(err)
				}
				return snap
			}
			first := read(t, chain.LatestBlock)
			if diff := cmp.Diff([]chain.Balance{balance(w, bi(1000), bi(0))}, first.Balances, bigCmp); diff != "" {
				t.Fatalf("Balances mismatch (-want +got):\n%s", diff)
			}

			tok.SetFrozen(t, w, bi(300))
			waitFor(t, 10*time.Second, "tracker sees the new block", func() bool { return headNumber(r) > first.Block.Number })
			calls := obs.ethCalls()
			second := read(t, chain.LatestBlock)
			if second.Block.Number <= first.Block.Number || second.Block.Hash == first.Block.Hash {
				t.Errorf("read after the new block names block %d, want above %d", second.Block.Number, first.Block.Number)
			}
			if diff := cmp.Diff([]chain.Balance{balance(w, bi(1000), bi(300))}, second.Balances, bigCmp); diff != "" {
				t.Errorf("Balances after the freeze mismatch (-want +got):\n%s", diff)
			}
			if n := obs.ethCalls() - calls; n != 1 {
				t.Errorf("read at the new block made %d eth_calls, want 1", n)
			}

			calls = obs.ethCalls()
			old := read(t, chain.BlockRef{Number: first.Block.Number})
			if diff := cmp.Diff(first, old, bigCmp); diff != "" {
				t.Errorf("Balances(block %d) mismatch (-want +got):\n%s", first.Block.Number, diff)
			}
			if n := obs.ethCalls() - calls; n != 0 {
				t.Errorf("read of the older block made %d eth_calls, want 0 (cached by hash)", n)
			}
		})
	}
}

// TestOlderBlockCached: reads pinned to an older block are cached by its
// hash; once the block is 64 deep its number needs no lookup either, and a
// latest read never goes below a block already returned.
func TestOlderBlockCached(t *testing.T) {
	for _, start := range testNets() {
		net := start(t)
		t.Run(net.name, func(t *testing.T) {
			tok := net.chain.DeployToken(t, anviltest.ERC7943, "T", "T", 0)
			w := common.HexToAddress("0x0000000000000000000000000000000000072222")
			tok.Mint(t, w, bi(10))
			r := mustDial(t, trackedConfig(net, chain.ModeAuto, chain.TokenConfig{Address: tok.Address, Freeze: "erc7943"}))
			old, _, _ := r.Head()
			tok.SetFrozen(t, w, bi(5))
			mine(t, net, 70)
			ctx := context.Background()
			at := func(n uint64) chain.BlockRef { return chain.BlockRef{Number: n} }
			read := func(t *testing.T, ref chain.BlockRef, wantRequests uint64, wantFrozen int64) chain.Snapshot {
				t.Helper()
				var (
					snap chain.Snapshot
					err  error
				)
				n := counted(r, func() { snap, err = r.Balances(ctx, ref, tok.Address, []common.Address{w}) })
				if err != nil {
					t.Fatal(err)
				}
				if n != wantRequests {
					t.Errorf("Balances(%s): %d requests, want %d", ref, n, wantRequests)
				}
				if diff := cmp.Diff([]chain.Balance{balance(w, bi(10), bi(wantFrozen))}, snap.Balances, bigCmp); diff != "" {
					t.Errorf("Balances(%s) mismatch (-want +got):\n%s", ref, diff)
				}
				return snap
			}
			first := read(t, at(old.Number), 2, 0) // number lookup + values
			if diff := cmp.Diff(old, first.Block); diff != "" {
				t.Errorf("block mismatch (-want +got):\n%s", diff)
			}
			read(t, at(old.Number), 1, 0)           // near the highest head seen: looked up, values cached
			now := read(t, at(old.Number+71), 2, 5) // the real head
			read(t, at(old.Number), 1, 0)           // now 71 deep: looked up once more, then final
			read(t, at(old.Number), 0, 0)
			latest := read(t, chain.LatestBlock, 0, 5) // the tracked head is older: never go below a returned block
			if diff := cmp.Diff(now.Block, latest.Block); diff != "" {
				t.Errorf("latest block mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCoalescing: identical reads at the same time share one node
// request, even with the cache off, and the caller that started it going
// away does not fail the others.
func TestCoalescing(t *testing.T) {
	net := startAnvil(t)
	tok := net.chain.DeployToken(t, anviltest.TREX, "T", "T", 0)
	wallets := fundWallets(t, tok, 100, 0x80000)
	proxy := newSwitchProxy(t, net.url)
	cfg := trackedConfig(net, chain.ModeAuto, chain.TokenConfig{Address: tok.Address, Freeze: "erc3643"})
	cfg.RPCURLs = []string{proxy.URL}
	cfg.CacheSize = 0
	r := mustDial(t, cfg)
	proxy.set(proxySlow) // requests overlap for sure
	const readers = 16

	t.Run("identical reads", func(t *testing.T) {
		before := proxy.requests.Load()
		snaps := make([]chain.Snapshot, readers)
		errs := make([]error, readers)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range readers {
			wg.Go(func() {
				<-start
				snaps[i], errs[i] = r.Balances(context.Background(), chain.LatestBlock, tok.Address, wallets)
			})
		}
		close(start)
		wg.Wait()
		if n := proxy.requests.Load() - before; n != 1 {
			t.Errorf("%d identical concurrent reads: %d node requests, want 1", readers, n)
		}
		for i := range readers {
			if errs[i] != nil {
				t.Fatalf("reader %d: %v", i, errs[i])
			}
			if diff := cmp.Diff(snaps[0], snaps[i], bigCmp); diff != "" {
				t.Errorf("reader %d mismatch (-reader 0 +reader %d):\n%s", i, i, diff)
			}
		}
	})

	t.Run("first caller leaves", func(t *testing.T) {
		before := proxy.requests.Load()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		firstErr := make(chan error, 1)
		go func() {
			_, err := r.Balances(ctx, chain.LatestBlock, tok.Address, wallets)
			firstErr <- err
		}()
		waitFor(t, 5*time.Second, "first request at the node", func() bool { return proxy.requests.Load() > before })
		errs := make([]error, readers-1)
		var started, wg sync.WaitGroup
		for i := range errs {
			started.Add(1)
			wg.Go(func() {
				started.Done()
				_, errs[i] = r.Balances(context.Background(), chain.LatestBlock, tok.Address, wallets)
			})
		}
		started.Wait()
		time.Sleep(50 * time.Millisecond) // all joined the read in flight
		cancel()
		if err := <-firstErr; !errors.Is(err, context.Canceled) {
			t.Errorf("first caller: %v, want context.Canceled", err)
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("caller %d failed after the first left: %v", i+1, err)
			}
		}
		if n := proxy.requests.Load() - before; n != 1 {
			t.Errorf("%d node requests, want 1", n)
		}
	})
}

package chain_test

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/internal/anviltest"
)

// trackedConfig turns on head tracking and the cache. The poll interval is
// so long that no poll runs during a test: the head is the one read at
// Dial, and request counts are exact.
func trackedConfig(net *testNet, mode string, tokens ...chain.TokenConfig) chain.Config {
	cfg := dialConfig(net, mode, tokens...)
	cfg.HeadPollInterval = time.Hour
	cfg.HeadStaleAfter = 2 * time.Hour
	cfg.CacheSize = chain.DefaultCacheSize
	return cfg
}

// requests sums the HTTP requests the Reader sent to all its endpoints.
func requests(r *chain.Reader) uint64 {
	var n uint64
	for _, st := range r.Stats() {
		n += st.Requests
	}
	return n
}

// counted runs read and returns how many HTTP requests it cost.
func counted(r *chain.Reader, read func()) uint64 {
	before := requests(r)
	read()
	return requests(r) - before
}

// fundWallets returns n distinct wallets from base on, some with balances,
// partial freezes and whole-address freezes on a TREX token.
func fundWallets(tb testing.TB, tok *anviltest.Token, n, base int) []common.Address {
	tb.Helper()
	wallets := seqWallets(n, base)
	for i := 0; i < n; i += 97 {
		tok.Mint(tb, wallets[i], bi(int64(1000+i)))
		switch i % 3 {
		case 1:
			tok.SetFrozen(tb, wallets[i], bi(int64(i)))
		case 2:
			tok.SetFrozenFlag(tb, wallets[i], true)
		}
	}
	return wallets
}

// mine adds empty blocks to the test chain.
func mine(tb testing.TB, net *testNet, blocks int) {
	tb.Helper()
	if net.node != nil {
		net.node.Mine(tb, blocks)
		return
	}
	for range blocks {
		net.chain.Commit()
	}
}

// waitFor polls cond until it holds or timeout passes.
func waitFor(tb testing.TB, timeout time.Duration, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("%s: not within %v", what, timeout)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func headNumber(r *chain.Reader) uint64 {
	b, _, _ := r.Head()
	return b.Number
}

func (o *recorder) count(prefixes ...string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	n := 0
	for _, c := range o.calls {
		for _, p := range prefixes {
			if strings.HasPrefix(c, p+" ") {
				n++
			}
		}
	}
	return n
}

// ethCalls counts the balance reads observed (the head tracker sends none).
func (o *recorder) ethCalls() int { return o.count("eth_call", "batch:eth_call") }

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

// TestSafeFinalizedOncePerHead: safe and finalized cost one lookup per head.
func TestSafeFinalizedOncePerHead(t *testing.T) {
	net := startAnvil(t)
	tok := net.chain.DeployToken(t, anviltest.Plain, "P", "P", 0)
	mine(t, net, 100) // anvil's safe and finalized trail the head
	r := mustDial(t, trackedConfig(net, chain.ModeAuto, chain.TokenConfig{Address: tok.Address}))
	for i, tag := range []chain.BlockTag{chain.Safe, chain.Finalized} {
		// A wallet per tag: both tags may name the same block.
		w := common.BigToAddress(big.NewInt(int64(0x73333 + i)))
		t.Run(string(tag), func(t *testing.T) {
			var snaps []chain.Snapshot
			for i, want := range []uint64{2, 0} {
				var (
					snap chain.Snapshot
					err  error
				)
				n := counted(r, func() {
					snap, err = r.Balances(context.Background(), chain.BlockRef{Tag: tag}, tok.Address, []common.Address{w})
				})
				if err != nil {
					t.Fatal(err)
				}
				if n != want {
					t.Errorf("read %d of %s: %d requests, want %d", i+1, tag, n, want)
				}
				snaps = append(snaps, snap)
			}
			if diff := cmp.Diff(snaps[0], snaps[1], bigCmp); diff != "" {
				t.Errorf("second %s read mismatch (-first +second):\n%s", tag, diff)
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

// TestStaleHead: when the tracker cannot update the head, reads resolve
// their block per request (and fail with ErrUnavailable when the node is
// down), Check says since when the head is stale, and all recovers when
// the node answers again.
func TestStaleHead(t *testing.T) {
	net := startAnvil(t)
	tok := net.chain.DeployToken(t, anviltest.Plain, "P", "P", 0)
	w := common.HexToAddress("0x0000000000000000000000000000000000074444")
	tok.Mint(t, w, bi(3))
	tc := chain.TokenConfig{Address: tok.Address}
	ctx := context.Background()

	t.Run("no update within the stale time", func(t *testing.T) {
		cfg := trackedConfig(net, chain.ModeAuto, tc)
		cfg.HeadStaleAfter = 200 * time.Millisecond // and no poll within the test
		r := mustDial(t, cfg)
		time.Sleep(300 * time.Millisecond)
		err := r.Check(ctx)
		if !errors.Is(err, chain.ErrHeadStale) || !strings.Contains(err.Error(), "last updated at") {
			t.Errorf("Check() = %v, want ErrHeadStale saying since when", err)
		}
		var snap chain.Snapshot
		n := counted(r, func() { snap, err = r.Balances(ctx, chain.LatestBlock, tok.Address, []common.Address{w}) })
		if err != nil {
			t.Fatal(err)
		}
		if n != 2 {
			t.Errorf("read with a stale head: %d requests, want 2 (block lookup, values)", n)
		}
		if diff := cmp.Diff([]chain.Balance{balance(w, bi(3), bi(0))}, snap.Balances, bigCmp); diff != "" {
			t.Errorf("Balances mismatch (-want +got):\n%s", diff)
		}
	})

	for _, mode := range []string{proxyFail, proxyHang} {
		t.Run("node "+mode, func(t *testing.T) {
			proxy := newSwitchProxy(t, net.url)
			cfg := trackedConfig(net, chain.ModeAuto, tc)
			cfg.RPCURLs = []string{proxy.URL}
			cfg.HeadPollInterval = 50 * time.Millisecond
			cfg.HeadStaleAfter = 500 * time.Millisecond
			cfg.CallTimeout = 300 * time.Millisecond
			cfg.RetryBackoff, cfg.MaxRetryBackoff = 100*time.Millisecond, 200*time.Millisecond
			r := mustDial(t, cfg)
			before, err := r.Balances(ctx, chain.LatestBlock, tok.Address, []common.Address{w})
			if err != nil {
				t.Fatal(err)
			}
			if err := r.Check(ctx); err != nil {
				t.Fatalf("Check() = %v with the node up", err)
			}

			proxy.set(mode)
			waitFor(t, 5*time.Second, "Check reports the stale head", func() bool { return errors.Is(r.Check(ctx), chain.ErrHeadStale) })
			if _, err := r.Balances(ctx, chain.LatestBlock, tok.Address, []common.Address{w}); !errors.Is(err, chain.ErrUnavailable) {
				t.Errorf("Balances with the node %s = %v, want ErrUnavailable", mode, err)
			}

			mine(t, net, 1) // before the node answers again: the next head is new
			proxy.set(proxyForward)
			waitFor(t, 5*time.Second, "head fresh again", func() bool { return r.Check(ctx) == nil })
			after, err := r.Balances(ctx, chain.LatestBlock, tok.Address, []common.Address{w})
			if err != nil {
				t.Fatal(err)
			}
			if after.Block.Number <= before.Block.Number {
				t.Errorf("after recovery: block %d, want above %d", after.Block.Number, before.Block.Number)
			}
		})
	}
}

// TestWSHead follows anvil's newHeads subscription (anvil serves ws on its
// HTTP port), survives a node restart, and reports heads to the Observer.
func TestWSHead(t *testing.T) {
	net := startAnvil(t)
	tok := net.chain.DeployToken(t, anviltest.Plain, "P", "P", 0)
	obs := &recorder{}
	cfg := trackedConfig(net, chain.ModeAuto, chain.TokenConfig{Address: tok.Address})
	cfg.WSURL = fmt.Sprintf("ws://127.0.0.1:%d", net.node.Port)
	cfg.RetryBackoff, cfg.MaxRetryBackoff = 100*time.Millisecond, 200*time.Millisecond
	cfg.Observer = obs
	r := mustDial(t, cfg) // polls every hour: only the subscription moves the head
	ctx := context.Background()

	// followHead mines a block and waits for the tracker to take it: the
	// subscription is up once it does.
	followHead := func(t *testing.T) {
		t.Helper()
		var want uint64
		waitFor(t, 10*time.Second, "head from the subscription", func() bool {
			if want != 0 && headNumber(r) == want {
				return true
			}
			mine(t, net, 1)
			h, err := net.chain.Client.HeaderByNumber(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			want = h.Number.Uint64()
			time.Sleep(200 * time.Millisecond)
			return headNumber(r) == want
		})
	}
	followHead(t)
	if err := r.Check(ctx); err != nil {
		t.Errorf("Check() = %v", err)
	}

	high := headNumber(r)
	obs.mu.Lock()
	beforeRestart := len(obs.heads)
	obs.mu.Unlock()
	net.node.Restart(t) // a fresh chain on the same port: the subscription breaks
	mine(t, net, int(high)+3)
	followHead(t)
	h, err := net.chain.Client.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, _, _ := r.Head(); got.Hash != h.Hash() {
		t.Errorf("Head() = %d %s, want the restarted chain's %d %s", got.Number, got.Hash, h.Number, h.Hash())
	}
	obs.mu.Lock()
	heads := slices.Clone(obs.heads)
	obs.mu.Unlock()
	// The restart may be seen as the chain going back (TestChainWentBack);
	// on either side of it the head only moves forward.
	if len(heads) < 3 || !slices.IsSorted(heads[:beforeRestart]) || !slices.IsSorted(heads[beforeRestart:]) {
		t.Errorf("OnHead numbers %v (restart after %d): want several, never going back but across the restart", heads, beforeRestart)
	}
}

// TestCloseStopsGoroutines: the tracker and the connections end with
// Close.
func TestCloseStopsGoroutines(t *testing.T) {
	net := startAnvil(t)
	tok := net.chain.DeployToken(t, anviltest.TREX, "T", "T", 0)
	wallets := fundWallets(t, tok, 50, 0x90000)
	for _, ws := range []bool{false, true} {
		t.Run(fmt.Sprintf("ws=%v", ws), func(t *testing.T) {
			cfg := trackedConfig(net, chain.ModeAuto, chain.TokenConfig{Address: tok.Address, Freeze: "erc3643"})
			cfg.HeadPollInterval = 10 * time.Millisecond
			if ws {
				cfg.WSURL = fmt.Sprintf("ws://127.0.0.1:%d", net.node.Port)
			}
			before := runtime.NumGoroutine()
			r, err := chain.Dial(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			for range 8 {
				wg.Go(func() {
					if _, err := r.Balances(context.Background(), chain.LatestBlock, tok.Address, wallets); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			mine(t, net, 2)
			time.Sleep(50 * time.Millisecond)
			r.Close()
			r.Close() // twice is fine
			const margin = 2
			deadline := time.Now().Add(5 * time.Second)
			for runtime.NumGoroutine() > before+margin && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if n := runtime.NumGoroutine(); n > before+margin {
				buf := make([]byte, 1<<20)
				t.Errorf("%d goroutines after Close, %d before Dial:\n%s", n, before, buf[:runtime.Stack(buf, true)])
			}
		})
	}
}

// TestChainWentBack restarts anvil so that its chain is shorter than the
// head the tracker holds (what `anvil` restarted, anvil_reset or a reorg to
// a shorter chain look like): the tracker follows the node's lower head
// within a few polls, and latest reads work again, on the new chain.
func TestChainWentBack(t *testing.T) {
	net := startAnvil(t)
	tok := net.chain.DeployToken(t, anviltest.ERC7943, "T", "T", 0)
	w := common.HexToAddress("0x0000000000000000000000000000000000077701")
	tok.Mint(t, w, bi(10))
	cfg := dialConfig(net, chain.ModeAuto, chain.TokenConfig{Address: tok.Address, Freeze: "erc7943"})
	cfg.HeadPollInterval, cfg.HeadStaleAfter = 20*time.Millisecond, time.Minute
	cfg.CacheSize = chain.DefaultCacheSize
	obs := &recorder{}
	cfg.Observer = obs
	r := mustDial(t, cfg)
	ctx := context.Background()
	mine(t, net, 20)
	waitFor(t, 10*time.Second, "head at the mined blocks", func() bool { return headNumber(r) >= 22 })
	if _, err := r.Balances(ctx, chain.LatestBlock, tok.Address, []common.Address{w}); err != nil {
		t.Fatal(err)
	}
	high := headNumber(r)

	net.node.Restart(t)
	anviltest.PlaceMulticall3(t, net.url)
	again := net.chain.DeployToken(t, anviltest.ERC7943, "T", "T", 0) // same deployer, same nonce: same address
	if again.Address != tok.Address {
		t.Fatalf("redeployed at %s, want %s", again.Address.Hex(), tok.Address.Hex())
	}
	again.Mint(t, w, bi(3))
	h, err := net.chain.Client.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if h.Number.Uint64() >= high {
		t.Fatalf("restarted chain at %d, want below %d", h.Number, high)
	}
	waitFor(t, 10*time.Second, "head on the restarted chain", func() bool {
		b, _, _ := r.Head()
		return b.Hash == h.Hash()
	})
	snap, err := r.Balances(ctx, chain.LatestBlock, tok.Address, []common.Address{w})
	if err != nil {
		t.Fatalf("latest read after the chain went back: %v", err)
	}
	if snap.Block.Hash != h.Hash() || snap.Balances[0].Total.Cmp(bi(3)) != 0 {
		t.Errorf("read block %d total %s, want block %d total 3", snap.Block.Number, snap.Balances[0].Total, h.Number)
	}
	if err := r.Check(ctx); err != nil {
		t.Errorf("Check() = %v", err)
	}
}

// TestWSFollowsRevert: with a subscription, no new head comes after the
// chain goes back (evm_revert here), so the tracker learns of it from its
// idle-time polls; once one reports a lower head it polls at the poll
// rate, and follows well before three idle periods (3 × HeadStaleAfter/2).
func TestWSFollowsRevert(t *testing.T) {
	net := startAnvil(t)
	tok := net.chain.DeployToken(t, anviltest.Plain, "P", "P", 0)
	cfg := dialConfig(net, chain.ModeAuto, chain.TokenConfig{Address: tok.Address})
	cfg.WSURL = fmt.Sprintf("ws://127.0.0.1:%d", net.node.Port)
	cfg.HeadPollInterval, cfg.HeadStaleAfter = 20*time.Millisecond, 4*time.Second
	r := mustDial(t, cfg)
	ctx := context.Background()
	c, err := rpc.DialContext(ctx, net.url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var snap string
	if err := c.CallContext(ctx, &snap, "evm_snapshot"); err != nil {
		t.Fatal(err)
	}
	mine(t, net, 10)
	h0, err := net.chain.Client.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "head from the subscription", func() bool { return headNumber(r) == h0.Number.Uint64() })
	var ok bool
	if err := c.CallContext(ctx, &ok, "evm_revert", snap); err != nil || !ok {
		t.Fatalf("evm_revert = %v, %v", ok, err)
	}
	start := time.Now()
	waitFor(t, 20*time.Second, "head after the revert", func() bool { return headNumber(r) < h0.Number.Uint64() })
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("followed the revert after %v, want about one idle period (2s)", d.Round(time.Millisecond))
	}
}

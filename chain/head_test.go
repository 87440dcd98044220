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
	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/internal/anviltest"
)

// trackedConfig turns on head tracking and the cache. The poll interval is
// so long that no poll runs during a test, and latest reads take the
// tracked head at any age (no MaxHeadAge): the head is the one read at
// Dial, and request counts are exact. TestFreshLatest tests MaxHeadAge.
func trackedConfig(net *testNet, mode string, tokens ...chain.TokenConfig) chain.Config {
	cfg := dialConfig(net, mode, tokens...)
	cfg.HeadPollInterval = time.Hour
	cfg.HeadStaleAfter = 2 * time.Hour
	cfg.MaxHeadAge = -1
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
		if n != 1 {
			t.Errorf("read with a stale head: %d requests, want 1 (the latest header in the multicall's batch)", n)
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
	revert := net.node.Snapshot(t)
	mine(t, net, 10)
	h0, err := net.chain.Client.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "head from the subscription", func() bool { return headNumber(r) == h0.Number.Uint64() })
	revert()
	start := time.Now()
	waitFor(t, 20*time.Second, "head after the revert", func() bool { return headNumber(r) < h0.Number.Uint64() })
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("followed the revert after %v, want about one idle period (2s)", d.Round(time.Millisecond))
	}
}

package chain_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
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
// cached is sent the same way, one request whether the head moved or not.
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
				// Long enough that a loaded machine does not stall a
				// repeat past it.
				const maxAge = 250 * time.Millisecond
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
				if got := read("wallet cached at the tracked head past MaxHeadAge after a block", w, want); got.Block.Number != snap.Block.Number+1 {
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
	cfg.MaxHeadAge = 250 * time.Millisecond
	r := mustDial(t, cfg)
	ctx := context.Background()
	before, _, err := r.LatestHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mine(t, net, 1)
	time.Sleep(260 * time.Millisecond)
	const callers = 8
	n := counted(r, func() {
		together(t, callers, func() (chain.Block, error) {
			b, _, err := r.LatestHead(ctx)
			return b, err
		}, func(b chain.Block) {
			if b.Number != before.Number+1 {
				t.Errorf("LatestHead = block %d, want the block mined (%d)", b.Number, before.Number+1)
			}
		})
	})
	if n != 1 {
		// Callers arriving after the shared refresh ended find the head
		// current.
		t.Errorf("%d concurrent LatestHead calls cost %d requests, want 1", callers, n)
	}
}

// TestFreshLatestBlockBetween: when a block arrives between the header
// and the multicall of a fresh latest read, the read is repeated pinned to
// the header's hash, so the figures are the block's the answer names. A
// node cannot be made to mine at that instant, so a proxy in front of
// anvil splits the first such batch: it sends the header request, then a
// mint (anvil mines it at once), then the calls, and merges the answers.
func TestFreshLatestBlockBetween(t *testing.T) {
	net := startAnvil(t)
	tok := net.chain.DeployToken(t, anviltest.Plain, "P", "P", 0)
	w := common.HexToAddress("0x0000000000000000000000000000000000b10c")
	tok.Mint(t, w, bi(5))
	var split atomic.Bool
	minted := make(chan struct{})
	post := func(body []byte) []json.RawMessage {
		res, err := http.Post(net.url, "application/json", bytes.NewReader(body))
		if err != nil {
			t.Error(err)
			return nil
		}
		defer res.Body.Close()
		var out []json.RawMessage
		b, _ := io.ReadAll(res.Body)
		if err := json.Unmarshal(b, &out); err != nil {
			t.Errorf("node answer %s: %v", b, err)
		}
		return out
	}
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		var elems []struct {
			Method string `json:"method"`
		}
		var raw []json.RawMessage
		if json.Unmarshal(body, &raw) == nil && json.Unmarshal(body, &elems) == nil && len(elems) > 1 &&
			elems[len(elems)-1].Method == "eth_getBlockByNumber" && !split.Swap(true) {
			hdr, _ := json.Marshal(raw[len(raw)-1:])
			calls, _ := json.Marshal(raw[:len(raw)-1])
			answers := post(hdr)
			tok.Mint(t, w, bi(1000)) // a block after the header
			close(minted)
			answers = append(answers, post(calls)...)
			out, _ := json.Marshal(answers)
			rw.Header().Set("Content-Type", "application/json")
			rw.Write(out)
			return
		}
		res, err := http.Post(net.url, "application/json", bytes.NewReader(body))
		if err != nil {
			http.Error(rw, err.Error(), http.StatusBadGateway)
			return
		}
		defer res.Body.Close()
		rw.Header().Set("Content-Type", "application/json")
		io.Copy(rw, res.Body)
	}))
	t.Cleanup(srv.Close)

	cfg := trackedConfig(net, chain.ModeAuto, chain.TokenConfig{Address: tok.Address})
	cfg.RPCURLs = []string{srv.URL}
	cfg.MaxHeadAge = 10 * time.Millisecond
	r := mustDial(t, cfg)
	head := headNumber(r)
	time.Sleep(20 * time.Millisecond)
	ctx := context.Background()
	var snap chain.Snapshot
	var err error
	n := counted(r, func() { snap, err = r.Balances(ctx, chain.LatestBlock, tok.Address, []common.Address{w}) })
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-minted:
	default:
		t.Fatal("the proxy saw no latest read carrying the header: the test proves nothing")
	}
	if snap.Block.Number != head {
		t.Errorf("answered block %d, want the header's (%d): the calls ran on the block after it", snap.Block.Number, head)
	}
	if diff := cmp.Diff([]chain.Balance{balance(w, bi(5), bi(0))}, snap.Balances, bigCmp); diff != "" {
		t.Errorf("Balances at block %d mismatch (-want +got):\n%s", snap.Block.Number, diff)
	}
	if n != 2 {
		t.Errorf("%d HTTP requests, want 2 (the batch, then the read pinned to the header)", n)
	}
}

// TestFreshLatestShared: concurrent latest reads of the same wallets past
// MaxHeadAge share one request, and each gets the figures of the block it
// names.
func TestFreshLatestShared(t *testing.T) {
	net := startAnvil(t)
	tok := net.chain.DeployToken(t, anviltest.Plain, "P", "P", 0)
	w := common.HexToAddress("0x0000000000000000000000000000000000005a4e")
	cfg := trackedConfig(net, chain.ModeAuto, chain.TokenConfig{Address: tok.Address})
	cfg.MaxHeadAge = 250 * time.Millisecond
	r := mustDial(t, cfg)
	ctx := context.Background()
	tok.Mint(t, w, bi(77))
	time.Sleep(260 * time.Millisecond)
	const callers = 8
	n := counted(r, func() {
		together(t, callers, func() (chain.Snapshot, error) {
			return r.Balances(ctx, chain.LatestBlock, tok.Address, []common.Address{w, w})
		}, func(s chain.Snapshot) {
			if diff := cmp.Diff([]chain.Balance{balance(w, bi(77), bi(0)), balance(w, bi(77), bi(0))}, s.Balances, bigCmp); diff != "" {
				t.Errorf("Balances at block %d mismatch (-want +got):\n%s", s.Block.Number, diff)
			}
		})
	})
	if n != 1 {
		t.Errorf("%d concurrent latest reads cost %d requests, want 1", callers, n)
	}
}

// TestHeadAgeCountsFromTheRequest: a head learnt by a request counts as
// fresh from when the request was sent, not when its answer came: behind
// a node answering in 120 ms, a head learnt by a read is already older
// than a MaxHeadAge of 100 ms when the read returns, so the next read
// asks again rather than answering from a head a block may have passed.
func TestHeadAgeCountsFromTheRequest(t *testing.T) {
	net := startAnvil(t)
	tok := net.chain.DeployToken(t, anviltest.Plain, "P", "P", 0)
	w := common.HexToAddress("0x0000000000000000000000000000000000000a6e")
	var slow atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, req *http.Request) {
		if slow.Load() {
			time.Sleep(120 * time.Millisecond)
		}
		res, err := http.Post(net.url, "application/json", req.Body)
		if err != nil {
			http.Error(rw, err.Error(), http.StatusBadGateway)
			return
		}
		defer res.Body.Close()
		rw.Header().Set("Content-Type", "application/json")
		io.Copy(rw, res.Body)
	}))
	t.Cleanup(srv.Close)
	cfg := trackedConfig(net, chain.ModeAuto, chain.TokenConfig{Address: tok.Address})
	cfg.RPCURLs = []string{srv.URL}
	cfg.MaxHeadAge = 100 * time.Millisecond
	r := mustDial(t, cfg)
	slow.Store(true)
	ctx := context.Background()
	time.Sleep(110 * time.Millisecond)
	for i := range 2 {
		var err error
		if n := counted(r, func() { _, err = r.Balances(ctx, chain.LatestBlock, tok.Address, []common.Address{w}) }); err != nil || n != 1 {
			t.Errorf("read %d behind a 120 ms node: %d requests (err %v), want 1: the head it answered from was over 100 ms old", i+1, n, err)
		}
	}
}

// together calls fn from callers goroutines released at once (so that
// they overlap rather than one finding the head another's answer made
// current), and gives check each result; an error fails the test.
func together[T any](t *testing.T, callers int, fn func() (T, error), check func(T)) {
	t.Helper()
	type result struct {
		v   T
		err error
	}
	results := make(chan result, callers)
	gate := make(chan struct{})
	for range callers {
		go func() {
			<-gate
			v, err := fn()
			results <- result{v, err}
		}()
	}
	close(gate)
	for range callers {
		r := <-results
		if r.err != nil {
			t.Error(r.err)
			continue
		}
		check(r.v)
	}
}

package chain_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/internal/anviltest"
)

// Proxy behaviours.
const (
	proxyForward = "forward" // pass requests to the node
	proxyFail    = "503"     // answer 503 Service Unavailable
	proxyHang    = "hang"    // never answer (until the client gives up)
	proxyLag     = "lag"     // answer "latest" with block 1, as a node behind the others
	proxySlow    = "slow"    // pass requests on after proxySlowDelay, as a remote node
	proxyGarbage = "garbage" // answer 200 with a body that is not JSON
	proxyLimit   = "limit"   // answer every call with JSON-RPC error -32005, as a rate-limited hosted node
)

// proxySlowDelay is how long proxySlow holds each request.
const proxySlowDelay = 300 * time.Millisecond

// switchProxy stands in front of a real node, counts HTTP requests and can
// be told to answer 503, hang, lag or be slow. It is a fake on purpose:
// anvil cannot produce an HTTP 503, a hung connection, a head behind
// another endpoint or a slow answer on demand, and these are exactly the
// failures the Reader must survive.
type switchProxy struct {
	URL      string
	mode     atomic.Value
	requests atomic.Int64
}

func newSwitchProxy(tb testing.TB, target string) *switchProxy {
	tb.Helper()
	u, err := url.Parse(target)
	if err != nil {
		tb.Fatal(err)
	}
	p := &switchProxy{}
	p.mode.Store(proxyForward)
	rp := httputil.NewSingleHostReverseProxy(u)
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.requests.Add(1)
		switch p.mode.Load().(string) {
		case proxyFail:
			http.Error(w, "node overloaded", http.StatusServiceUnavailable)
			return
		case proxyGarbage:
			io.WriteString(w, `{"jsonrpc":"2.0","id":1,"result":"0x`)
			return
		case proxyLimit:
			body, _ := io.ReadAll(r.Body)
			var reqs []struct {
				ID json.RawMessage `json:"id"`
			}
			batch := bytes.HasPrefix(bytes.TrimSpace(body), []byte("["))
			if !batch {
				body = append(append([]byte("["), body...), ']')
			}
			_ = json.Unmarshal(body, &reqs)
			var out []string
			for _, q := range reqs {
				out = append(out, `{"jsonrpc":"2.0","id":`+string(q.ID)+`,"error":{"code":-32005,"message":"limit exceeded"}}`)
			}
			w.Header().Set("Content-Type", "application/json")
			if batch {
				io.WriteString(w, "["+strings.Join(out, ",")+"]")
			} else if len(out) > 0 {
				io.WriteString(w, out[0])
			}
			return
		case proxyHang:
			select {
			case <-r.Context().Done():
			case <-done:
			}
			return
		case proxySlow:
			select {
			case <-time.After(proxySlowDelay):
			case <-r.Context().Done():
				return
			}
		case proxyLag:
			body, _ := io.ReadAll(r.Body)
			if bytes.Contains(body, []byte(`"eth_getBlockByNumber"`)) {
				body = bytes.ReplaceAll(body, []byte(`"latest"`), []byte(`"0x1"`))
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			r.ContentLength = int64(len(body))
		}
		r.URL.Path, r.URL.RawQuery = "/", "" // the test's fake credentials
		rp.ServeHTTP(w, r)
	}))
	tb.Cleanup(func() { close(done); srv.Close() })
	p.URL = srv.URL
	return p
}

func (p *switchProxy) set(mode string) { p.mode.Store(mode) }

// recorder is an Observer keeping every event.
type recorder struct {
	mu     sync.Mutex
	calls  []string // "method endpoint outcome"
	chunks []int
	hits   int
	misses int
	heads  []uint64
}

func (o *recorder) OnCache(hits, misses int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.hits += hits
	o.misses += misses
}

func (o *recorder) OnHead(number uint64, _ time.Time) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.heads = append(o.heads, number)
}

// cacheCounts returns the hits and misses reported so far.
func (o *recorder) cacheCounts() (hits, misses int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.hits, o.misses
}

func (o *recorder) OnCall(method, endpoint, outcome string, _ time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.calls = append(o.calls, method+" "+endpoint+" "+outcome)
}

func (o *recorder) OnBatch(calls int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.chunks = append(o.chunks, calls)
}

func (o *recorder) has(substr string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, c := range o.calls {
		if strings.Contains(c, substr) {
			return true
		}
	}
	return false
}

// withSecret adds user info, a path and a query to a proxy URL, which the
// proxy ignores: they must never show up in labels or errors.
func withSecret(raw string) string {
	u, _ := url.Parse(raw)
	u.User = url.UserPassword("user", "hunter2")
	u.Path = "/v3/SECRETKEY"
	u.RawQuery = "apikey=SECRETQUERY"
	return u.String()
}

func TestFailover(t *testing.T) {
	net := startAnvil(t)
	tok := net.chain.DeployToken(t, anviltest.ERC7943, "T", "T", 0)
	w := common.HexToAddress("0x0000000000000000000000000000000000012345")
	tok.Mint(t, w, bi(10))
	primary, fallback := newSwitchProxy(t, net.url), newSwitchProxy(t, net.url)
	obs := &recorder{}
	cfg := dialConfig(net, chain.ModeAuto, chain.TokenConfig{Address: tok.Address, Freeze: "erc7943"})
	cfg.RPCURLs = []string{withSecret(primary.URL), withSecret(fallback.URL)}
	cfg.RetryBackoff = 300 * time.Millisecond
	cfg.CallTimeout = time.Second
	cfg.Observer = obs
	r := mustDial(t, cfg)

	var blocks []uint64
	read := func(t *testing.T) {
		t.Helper()
		snap, err := r.Balances(context.Background(), chain.LatestBlock, tok.Address, []common.Address{w})
		if err != nil {
			t.Fatalf("Balances: %v", err)
		}
		if diff := cmp.Diff([]chain.Balance{balance(w, bi(10), bi(0))}, snap.Balances, bigCmp); diff != "" {
			t.Errorf("Balances mismatch (-want +got):\n%s", diff)
		}
		blocks = append(blocks, snap.Block.Number)
	}
	served := func(t *testing.T, read func(*testing.T)) (p, f int64) {
		t.Helper()
		p0, f0 := primary.requests.Load(), fallback.requests.Load()
		read(t)
		return primary.requests.Load() - p0, fallback.requests.Load() - f0
	}

	t.Run("primary serves", func(t *testing.T) {
		if p, f := served(t, read); p == 0 || f != 0 {
			t.Errorf("requests primary %d fallback %d, want the primary only", p, f)
		}
	})
	t.Run("503 fails over", func(t *testing.T) {
		primary.set(proxyFail)
		net.node.Mine(t, 1)
		if p, f := served(t, read); p != 1 || f == 0 {
			t.Errorf("requests primary %d fallback %d, want one to the primary, then the fallback", p, f)
		}
		st := r.Stats()
		if st[0].Healthy || st[0].Failures == 0 || !st[1].Healthy {
			t.Errorf("Stats() = %+v, want the primary unhealthy", st)
		}
	})
	t.Run("backing off skips the primary", func(t *testing.T) {
		if p, f := served(t, read); p != 0 || f == 0 {
			t.Errorf("requests primary %d fallback %d, want the fallback only", p, f)
		}
	})
	t.Run("primary back after the back-off", func(t *testing.T) {
		primary.set(proxyForward)
		time.Sleep(cfg.RetryBackoff * 2) // the back-off doubled once at most
		if p, f := served(t, read); p == 0 || f != 0 {
			t.Errorf("requests primary %d fallback %d, want the primary only", p, f)
		}
	})
	t.Run("lagging endpoint does not move the block back", func(t *testing.T) {
		net.node.Mine(t, 3)
		read(t) // remembers the new head
		primary.set(proxyLag)
		read(t)
		primary.set(proxyForward)
	})
	t.Run("hanging endpoint times out", func(t *testing.T) {
		primary.set(proxyHang)
		start := time.Now()
		if _, f := served(t, read); f == 0 {
			t.Error("the fallback was not used")
		}
		if d := time.Since(start); d > 3*cfg.CallTimeout {
			t.Errorf("read took %v with a %v call timeout", d, cfg.CallTimeout)
		}
		if !obs.has("timeout") {
			t.Errorf("no timeout outcome observed: %v", obs.calls)
		}
		primary.set(proxyForward)
	})
	t.Run("all down is unavailable", func(t *testing.T) {
		primary.set(proxyFail)
		fallback.set(proxyFail)
		_, err := r.Balances(context.Background(), chain.LatestBlock, tok.Address, []common.Address{w})
		if !errors.Is(err, chain.ErrUnavailable) {
			t.Fatalf("Balances error = %v, want ErrUnavailable", err)
		}
		for _, secret := range []string{"hunter2", "SECRETKEY", "SECRETQUERY"} {
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error %q leaks %s", err, secret)
			}
		}
		if err := r.Check(context.Background()); !errors.Is(err, chain.ErrUnavailable) {
			t.Errorf("Check() = %v, want ErrUnavailable", err)
		}
	})
	t.Run("all backing off are still tried", func(t *testing.T) {
		primary.set(proxyForward)
		fallback.set(proxyForward)
		if p, _ := served(t, read); p == 0 {
			t.Error("the primary was not tried while backing off")
		}
		if err := r.Check(context.Background()); err != nil {
			t.Errorf("Check() = %v", err)
		}
	})

	for i := 1; i < len(blocks); i++ {
		if blocks[i] < blocks[i-1] {
			t.Errorf("block numbers went backwards: %v", blocks)
		}
	}
	for _, st := range r.Stats() {
		if strings.Contains(st.Endpoint, "hunter2") || strings.Contains(st.Endpoint, "SECRET") {
			t.Errorf("Stats endpoint %q leaks credentials", st.Endpoint)
		}
	}
	for _, c := range obs.calls {
		if strings.Contains(c, "hunter2") || strings.Contains(c, "SECRET") {
			t.Errorf("observed call %q leaks credentials", c)
		}
	}
	if !obs.has("unavailable") || len(obs.chunks) == 0 {
		t.Errorf("observer saw calls %v chunks %v", obs.calls, obs.chunks)
	}
}

// TestMulticallFailover: the multicall modes send their eth_calls without
// go-ethereum's client (see rawrpc.go); an HTTP error status or an answer
// that is not JSON must still fail over, one request counted per attempt,
// for a single eth_call and for a batch of them.
func TestMulticallFailover(t *testing.T) {
	net := startAnvil(t)
	tok := net.chain.DeployToken(t, anviltest.TREX, "T", "T", 0)
	wallets := seqWallets(40, 0x50000)
	tok.Mint(t, wallets[3], bi(7))
	want := make([]chain.Balance, len(wallets))
	for i, w := range wallets {
		want[i] = balance(w, bi(0), bi(0))
	}
	want[3] = balance(wallets[3], bi(7), bi(0))
	for _, mode := range []string{chain.ModeContract, chain.ModeOverride, chain.ModeBatch} {
		for _, maxCalls := range []int{300, 30} { // one chunk, then 4 in one batch
			if mode == chain.ModeBatch && maxCalls < 300 {
				continue // batch mode sends one request per chunk
			}
			for _, fail := range []string{proxyFail, proxyGarbage, proxyLimit} {
				t.Run(fmt.Sprintf("%s/max%d/%s", mode, maxCalls, fail), func(t *testing.T) {
					primary, fallback := newSwitchProxy(t, net.url), newSwitchProxy(t, net.url)
					cfg := dialConfig(net, mode, chain.TokenConfig{Address: tok.Address, Freeze: "erc3643"})
					cfg.RPCURLs = []string{withSecret(primary.URL), fallback.URL}
					cfg.MaxCallsPerBatch = maxCalls
					obs := &recorder{}
					cfg.Observer = obs
					r := mustDial(t, cfg)
					block, err := r.ResolveBlock(context.Background(), chain.LatestBlock)
					if err != nil {
						t.Fatal(err)
					}
					primary.set(fail)
					p0, f0 := primary.requests.Load(), fallback.requests.Load()
					snap, err := r.BalancesAt(context.Background(), block, tok.Address, wallets)
					if err != nil {
						t.Fatalf("BalancesAt: %v", err)
					}
					if diff := cmp.Diff(want, snap.Balances, bigCmp); diff != "" {
						t.Errorf("BalancesAt mismatch (-want +got):\n%s", diff)
					}
					if p, f := primary.requests.Load()-p0, fallback.requests.Load()-f0; p != 1 || f != 1 {
						t.Errorf("requests primary %d fallback %d, want 1 and 1", p, f)
					}
					if st := r.Stats(); st[0].Healthy || st[0].Failures != 1 {
						t.Errorf("Stats() = %+v, want the primary failed once", st)
					}
					if !obs.has(" unavailable") {
						t.Errorf("no unavailable outcome observed: %v", obs.calls)
					}
				})
			}
		}
	}
}

// TestFallbackOnAnotherChain: when the primary fails and the fallback
// does not know the block already returned (here: another anvil with a
// shorter chain), the read fails rather than silently reading another
// block.
func TestFallbackWithoutTheBlock(t *testing.T) {
	a := startAnvil(t)
	b := startAnvil(t)
	tok := a.chain.DeployToken(t, anviltest.Plain, "T", "T", 0)
	w := common.HexToAddress("0x0000000000000000000000000000000000012345")
	tok.Mint(t, w, bi(10))
	a.node.Mine(t, 5)
	primary := newSwitchProxy(t, a.url)
	cfg := dialConfig(a, chain.ModeAuto, chain.TokenConfig{Address: tok.Address})
	cfg.RPCURLs = []string{primary.URL, b.url}
	r := mustDial(t, cfg)
	first, err := r.Balances(context.Background(), chain.LatestBlock, tok.Address, []common.Address{w})
	if err != nil {
		t.Fatal(err)
	}
	primary.set(proxyFail)
	snap, err := r.Balances(context.Background(), chain.LatestBlock, tok.Address, []common.Address{w})
	if err == nil {
		t.Fatalf("Balances = %+v from a node without block %d, want an error", snap, first.Block.Number)
	}
	if !errors.Is(err, chain.ErrUnavailable) {
		t.Errorf("Balances error = %v, want ErrUnavailable", err)
	}
}

func TestCancel(t *testing.T) {
	net := startAnvil(t)
	tok := net.chain.DeployToken(t, anviltest.Plain, "T", "T", 0)
	primary, fallback := newSwitchProxy(t, net.url), newSwitchProxy(t, net.url)
	cfg := dialConfig(net, chain.ModeAuto, chain.TokenConfig{Address: tok.Address})
	cfg.RPCURLs = []string{primary.URL, fallback.URL}
	cfg.CallTimeout = 30 * time.Second
	r := mustDial(t, cfg)

	primary.set(proxyHang)
	before := fallback.requests.Load()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := r.Balances(ctx, chain.LatestBlock, tok.Address, []common.Address{{1}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Balances error = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Balances returned %v after the cancellation", d)
	}
	if n := fallback.requests.Load() - before; n != 0 {
		t.Errorf("%d requests sent to the fallback after the cancellation", n)
	}
	if st := r.Stats(); !st[0].Healthy {
		t.Errorf("the caller's cancellation marked the primary unhealthy: %+v", st)
	}
}

// TestNodeReplacedByAnotherChain: the node behind an endpoint is replaced
// by one serving another chain id (an anvil restarted with other options):
// reads fail as unavailable rather than read that chain, and once the right
// chain is back on the endpoint, reads resume by themselves.
func TestNodeReplacedByAnotherChain(t *testing.T) {
	n := anviltest.Start(t)
	net := &testNet{name: "anvil", chain: n.Chain(t), url: n.URL, chainID: n.ChainID, node: n}
	anviltest.PlaceMulticall3(t, n.URL)
	tok := net.chain.DeployToken(t, anviltest.Plain, "P", "P", 0)
	w := common.HexToAddress("0x0000000000000000000000000000000000088801")
	tok.Mint(t, w, bi(5))
	cfg := dialConfig(net, chain.ModeAuto, chain.TokenConfig{Address: tok.Address})
	cfg.HeadPollInterval, cfg.HeadStaleAfter = 20*time.Millisecond, time.Minute
	cfg.RetryBackoff, cfg.MaxRetryBackoff = 50*time.Millisecond, 100*time.Millisecond
	r := mustDial(t, cfg)
	ctx := context.Background()
	if _, err := r.Balances(ctx, chain.LatestBlock, tok.Address, []common.Address{w}); err != nil {
		t.Fatal(err)
	}

	n.Stop()
	other := anviltest.Start(t, anviltest.WithPort(n.Port), anviltest.WithChainID(5))
	waitFor(t, 10*time.Second, "reads refused on chain id 5", func() bool {
		_, err := r.Balances(ctx, chain.LatestBlock, tok.Address, []common.Address{w})
		return errors.Is(err, chain.ErrUnavailable) && strings.Contains(err.Error(), "chain id 5")
	})
	if err := r.Check(ctx); err == nil || !strings.Contains(err.Error(), "chain id 5") {
		t.Errorf("Check() = %v, want the chain id mismatch", err)
	}

	other.Stop()
	back := anviltest.Start(t, anviltest.WithPort(n.Port))
	anviltest.PlaceMulticall3(t, back.URL)
	again := back.Chain(t).DeployToken(t, anviltest.Plain, "P", "P", 0)
	if again.Address != tok.Address {
		t.Fatalf("redeployed at %s, want %s", again.Address.Hex(), tok.Address.Hex())
	}
	again.Mint(t, w, bi(8))
	waitFor(t, 10*time.Second, "reads on the right chain again", func() bool {
		snap, err := r.Balances(ctx, chain.LatestBlock, tok.Address, []common.Address{w})
		return err == nil && snap.Balances[0].Total.Cmp(bi(8)) == 0
	})
}

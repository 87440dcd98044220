package api

import (
	"context"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod/aggregator"
	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/internal/anviltest"
)

// chainEnv is the API over a real anvil node with deployed test tokens.
type chainEnv struct {
	*testEnv
	node   *anviltest.Node
	c      *anviltest.Chain
	trex   *anviltest.Token
	usdc   *anviltest.Token
	broken *anviltest.Token
}

func lower(a common.Address) string { return strings.ToLower(a.Hex()) }

// deployTokens deploys the test tokens in a fixed order from the dev
// account, so a restarted (fresh) anvil gets them at the same addresses.
func deployTokens(tb testing.TB, c *anviltest.Chain, url string) (trex, usdc, broken *anviltest.Token) {
	tb.Helper()
	anviltest.PlaceMulticall3(tb, url)
	trex = c.DeployToken(tb, anviltest.TREX, "Security", "SEC", 0)
	trex.Unpause(tb)
	usdc = c.DeployToken(tb, anviltest.USDC, "USD Coin", "USDC", 6)
	broken = c.DeployToken(tb, anviltest.Broken, "Broken", "BRK", 18)
	return trex, usdc, broken
}

// mustChainEnv serves the API over node, read through rpcURLs (default:
// the node itself).
func mustChainEnv(tb testing.TB, node *anviltest.Node, rpcURLs []string, opts ...envOption) *chainEnv {
	tb.Helper()
	c := node.Chain(tb)
	trex, usdc, broken := deployTokens(tb, c, node.URL)
	if len(rpcURLs) == 0 {
		rpcURLs = []string{node.URL}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	reader, err := chain.Dial(ctx, chain.Config{
		ChainID: node.ChainID, RPCURLs: rpcURLs, CallTimeout: time.Second,
		Tokens: []chain.TokenConfig{
			{Address: trex.Address, Freeze: "erc3643"},
			{Address: usdc.Address, Freeze: "usdc"},
			{Address: broken.Address, Freeze: "erc3643"},
		},
		RetryBackoff: 100 * time.Millisecond, MaxRetryBackoff: 200 * time.Millisecond,
		HeadPollInterval: 50 * time.Millisecond, HeadStaleAfter: 2 * time.Second, CacheSize: 10000,
	})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(reader.Close)
	store := mustOpenStore(tb)
	realReady := func(c *Config) {
		c.Ready = []Check{{Name: "chain", Check: reader.Check}}
		c.Positions = aggregator.NewRegister(store, reader)
	}
	e := serveStore(tb, store, aggregator.New(store, reader), append([]envOption{realReady}, opts...)...)
	return &chainEnv{testEnv: e, node: node, c: c, trex: trex, usdc: usdc, broken: broken}
}

type figure struct{ Total, Frozen, Available string }

// nodeHead is the node's current block number.
func (e *chainEnv) nodeHead(tb testing.TB) uint64 {
	tb.Helper()
	h, err := e.c.Client.HeaderByNumber(context.Background(), nil)
	if err != nil {
		tb.Fatal(err)
	}
	return h.Number.Uint64()
}

// syncHead waits until the service's tracked head has caught up with the
// node, so a write's response reads the latest state.
func (e *chainEnv) syncHead(tb testing.TB) {
	tb.Helper()
	want := e.nodeHead(tb)
	deadline := time.Now().Add(5 * time.Second)
	for {
		r := e.do(tb, "GET", "/wallet/0x0000000000000000000000000000000000000001", readKey, "")
		if n, _ := strconv.ParseUint(r.Header.Get("X-Block-Number"), 10, 64); n >= want {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("service head did not reach block %d: %d %s", want, r.Status, r.Body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// latest fetches the latest portfolio once the service's tracked head has
// caught up with the node (head tracking polls, so right after a
// transaction the service may still, consistently, answer for the block
// before it).
func (e *chainEnv) latest(tb testing.TB, id string) (map[string]figure, uint64) {
	tb.Helper()
	want := e.nodeHead(tb)
	deadline := time.Now().Add(5 * time.Second)
	for {
		got, b := e.portfolio(tb, id, "")
		if b >= want {
			return got, b
		}
		if time.Now().After(deadline) {
			tb.Fatalf("portfolio still at block %d, node head %d", b, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// portfolio fetches the portfolio and returns the figures per wallet and
// the block number header.
func (e *chainEnv) portfolio(tb testing.TB, id, query string) (map[string]figure, uint64) {
	tb.Helper()
	r := e.do(tb, "GET", "/customer/"+id+"/portfolio"+query, readKey, "")
	if r.Status != 200 {
		tb.Fatalf("portfolio%s = %d %s", query, r.Status, r.Body)
	}
	var arr []struct {
		ID      string `json:"id"`
		Wallets []struct {
			Address  string       `json:"address"`
			Object   string       `json:"object"`
			Balances balancesJSON `json:"balances"`
		} `json:"wallets"`
	}
	r.json(tb, &arr)
	if len(arr) != 1 || arr[0].ID != id {
		tb.Fatalf("portfolio is not a one-element array for %s: %s", id, r.Body)
	}
	out := map[string]figure{}
	for _, w := range arr[0].Wallets {
		b := w.Balances
		out[w.Address] = figure{b.Total, b.Frozen.Amount, b.Available.Amount}
	}
	n, err := strconv.ParseUint(r.Header.Get("X-Block-Number"), 10, 64)
	if err != nil || !strings.HasPrefix(r.Header.Get("X-Block-Hash"), "0x") {
		tb.Fatalf("block headers: %v", r.Header)
	}
	return out, n
}

// End to end through HTTP only: every on-chain change shows at the next
// block; older blocks keep older figures; /wallet agrees with the portfolio.
func TestPortfolioTracksChain(t *testing.T) {
	node := anviltest.Start(t)
	e := mustChainEnv(t, node, nil)
	w1, w2 := anviltest.DevAddress(1), anviltest.DevAddress(2)
	w3 := common.HexToAddress("0x00000000000000000000000000000000000000e3")
	e.trex.Mint(t, w1, big.NewInt(1000))
	e.trex.Mint(t, w2, big.NewInt(500))

	e.syncHead(t)
	c := mustOnboard(t, e.testEnv, fmt.Sprintf(`{"type":"INDIVIDUAL","countryCode":"US","wallets":[%q,%q,%q]}`, w1.Hex(), w2.Hex(), w3.Hex()))
	if c.Wallets[0].Balances == nil || c.Wallets[0].Balances.Total != "1000" {
		t.Fatalf("onboarding balances: %+v", c.Wallets[0])
	}

	got, b1 := e.latest(t, c.ID)
	want1 := map[string]figure{lower(w1): {"1000", "0", "1000"}, lower(w2): {"500", "0", "500"}, lower(w3): {"0", "0", "0"}}
	if diff := cmp.Diff(want1, got); diff != "" {
		t.Fatalf("Portfolio(%q) mismatch (-want +got):\n%s", c.ID, diff)
	}

	e.trex.SetFrozen(t, w1, big.NewInt(300))
	e.trex.SetFrozenFlag(t, w2, true)
	got, b2 := e.latest(t, c.ID)
	if diff := cmp.Diff(map[string]figure{lower(w1): {"1000", "300", "700"}, lower(w2): {"500", "500", "0"}, lower(w3): {"0", "0", "0"}}, got); diff != "" {
		t.Errorf("after freezes (-want +got):\n%s", diff)
	}
	if b2 <= b1 {
		t.Errorf("block %d after changes, not past %d", b2, b1)
	}

	e.trex.Transfer(t, anviltest.DevKey(1), w3, big.NewInt(100))
	got, _ = e.latest(t, c.ID)
	if diff := cmp.Diff(map[string]figure{lower(w1): {"900", "300", "600"}, lower(w2): {"500", "500", "0"}, lower(w3): {"100", "0", "100"}}, got); diff != "" {
		t.Errorf("after transfer (-want +got):\n%s", diff)
	}

	old, bOld := e.portfolio(t, c.ID, "?block="+strconv.FormatUint(b1, 10))
	if bOld != b1 {
		t.Errorf("X-Block-Number = %d, want the requested %d", bOld, b1)
	}
	if diff := cmp.Diff(want1, old); diff != "" {
		t.Errorf("?block=%d (-want +got):\n%s", b1, diff)
	}

	// /wallet agrees with the portfolio at the same block.
	r := e.do(t, "GET", "/wallet/"+w1.Hex()+"?block="+strconv.FormatUint(b2, 10), readKey, "")
	var ws []walletJSON
	r.json(t, &ws)
	if r.Status != 200 || len(ws) != 1 || ws[0].Balances == nil {
		t.Fatalf("wallet = %d %s", r.Status, r.Body)
	}
	atB2, _ := e.portfolio(t, c.ID, "?block="+strconv.FormatUint(b2, 10))
	if f := atB2[lower(w1)]; ws[0].Balances.Total != f.Total || ws[0].Balances.Frozen.Amount != f.Frozen || ws[0].Address != lower(w1) {
		t.Errorf("wallet %s disagrees with portfolio %+v", r.Body, f)
	}

	// Another token, by ?token=: a blacklist freezes the whole balance.
	e.usdc.Mint(t, w1, big.NewInt(42))
	e.usdc.SetFrozenFlag(t, w1, true)
	e.syncHead(t)
	got, _ = e.portfolio(t, c.ID, "?token="+e.usdc.Address.Hex())
	if f := got[lower(w1)]; f != (figure{"42", "42", "0"}) {
		t.Errorf("usdc figures for w1 = %+v", f)
	}
}

func TestPortfolioErrors(t *testing.T) {
	node := anviltest.Start(t)
	e := mustChainEnv(t, node, nil)
	c := mustOnboard(t, e.testEnv, `{"type":"INDIVIDUAL","countryCode":"US","wallets":["0x00000000000000000000000000000000000000f1"]}`)
	tests := []struct {
		name, path  string
		status      int
		code, param string
		msg         string
	}{
		{"unknown id", "/customer/customer_000000000000/portfolio", 404, "not_found", "id", ""},
		{"malformed id", "/customer/cust_12/portfolio", 400, "invalid_request", "id", ""},
		{"malformed address", "/wallet/0x12", 400, "invalid_request", "address", ""},
		{"unknown token", "/customer/" + c.ID + "/portfolio?token=0x00000000000000000000000000000000000000f1", 400, "invalid_request", "token", ""},
		{"malformed token", "/customer/" + c.ID + "/portfolio?token=usdc", 400, "invalid_request", "token", ""},
		{"malformed block", "/customer/" + c.ID + "/portfolio?block=yesterday", 400, "invalid_request", "block", ""},
		{"future block", "/customer/" + c.ID + "/portfolio?block=999999", 400, "invalid_request", "block", "block 999999 is beyond the chain head"},
		// Block 0 is genesis, where the token has no code yet (it once
		// read latest instead).
		{"genesis block", "/customer/" + c.ID + "/portfolio?block=0", 502, "chain_unavailable", "", "no contract code at the block"},
		{"unknown query", "/customer/" + c.ID + "/portfolio?blok=1", 400, "invalid_request", "blok", ""},
		{"reverting freeze view", "/customer/" + c.ID + "/portfolio?token=" + e.broken.Address.Hex(), 502, "chain_unavailable", "", lower(e.broken.Address)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(t, "GET", tt.path, readKey, "")
			if r.Status != tt.status {
				t.Fatalf("status = %d, want %d: %s", r.Status, tt.status, r.Body)
			}
			code, param := r.errorCode(t)
			if code != tt.code || param != tt.param {
				t.Errorf("error = (%s, %q), want (%s, %q)", code, param, tt.code, tt.param)
			}
			if tt.msg != "" && !strings.Contains(string(r.Body), tt.msg) {
				t.Errorf("message does not name %s: %s", tt.msg, r.Body)
			}
		})
	}
	// The 502s name the wallet to the client, never in the logs.
	logs := e.logs.String()
	if !strings.Contains(logs, "request failed") {
		t.Errorf("no request failed line logged:\n%s", logs)
	}
	if strings.Contains(logs, "00000000000000000000000000000000000000f1") {
		t.Errorf("logs name the wallet:\n%s", logs)
	}
}

// Node stopped mid-test: 503 within the call timeout, onboarding still
// stores with a Warning, and service resumes when the node is back.
func TestNodeDownAndBack(t *testing.T) {
	node := anviltest.Start(t)
	e := mustChainEnv(t, node, nil)
	node.Stop()
	w := e.do(t, "POST", "/customer", writeKey, `{"type":"INDIVIDUAL","countryCode":"US","wallets":["0x00000000000000000000000000000000000000f3"]}`)
	if w.Status != 200 || !strings.Contains(w.Header.Get("Warning"), "balances unavailable") {
		t.Errorf("onboarding with node down = %d, Warning %q", w.Status, w.Header.Get("Warning"))
	}
	if strings.Contains(string(w.Body), "balances") {
		t.Errorf("balances reported while the node is down: %s", w.Body)
	}
	var c customerJSON
	w.json(t, &c)

	start := time.Now()
	r := e.do(t, "GET", "/customer/"+c.ID+"/portfolio", readKey, "")
	if r.Status != http.StatusServiceUnavailable {
		t.Fatalf("node down: status %d %s, want 503", r.Status, r.Body)
	}
	if code, _ := r.errorCode(t); code != "chain_unavailable" {
		t.Errorf("code = %s", code)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("503 took %s, want within the call timeout", d)
	}
	// Readiness turns 503 and says why, once the head tracker notices.
	waitFor(t, 5*time.Second, func() bool {
		r := e.do(t, "GET", "/readyz", "", "")
		return r.Status == http.StatusServiceUnavailable && strings.Contains(string(r.Body), `"failing"`)
	})

	node.Restart(t)
	deployTokens(t, e.c, node.URL) // fresh anvil: same deployer, same addresses
	// Service resumes by itself within two seconds of the node returning.
	back := time.Now()
	waitFor(t, 2*time.Second, func() bool {
		r = e.do(t, "GET", "/customer/"+c.ID+"/portfolio", readKey, "")
		return r.Status == 200
	})
	waitFor(t, 2*time.Second-time.Since(back), func() bool {
		return e.do(t, "GET", "/readyz", "", "").Status == 200
	})
}

// waitFor polls cond until it holds or d has passed.
func waitFor(tb testing.TB, d time.Duration, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("condition not met within %s", d)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// slowProxy forwards to a node and, once slow is set, holds every request
// for delay first. It is a fake because anvil cannot be made slow on
// demand.
func slowProxy(tb testing.TB, target string, delay time.Duration) (*httptest.Server, *atomic.Bool) {
	tb.Helper()
	u, err := url.Parse(target)
	if err != nil {
		tb.Fatal(err)
	}
	var slow atomic.Bool
	rp := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if slow.Load() {
			select {
			case <-time.After(delay):
			case <-r.Context().Done():
				return
			}
		}
		rp.ServeHTTP(w, r)
	}))
	tb.Cleanup(srv.Close)
	return srv, &slow
}

// A slow node: 504 within the request budget, not after the node answers.
func TestSlowNodeTimesOut(t *testing.T) {
	node := anviltest.Start(t)
	proxy, slow := slowProxy(t, node.URL, 3*time.Second)
	e := mustChainEnv(t, node, []string{proxy.URL}, func(c *Config) { c.RequestTimeout = 400 * time.Millisecond })
	mustOnboard(t, e.testEnv, `{"type":"INDIVIDUAL","countryCode":"US","wallets":["0x00000000000000000000000000000000000000f4"]}`)
	slow.Store(true)
	baseline := runtime.NumGoroutine()
	start := time.Now()
	// A wallet onboarding did not read: its balance is not cached.
	r := e.do(t, "GET", "/wallet/0x00000000000000000000000000000000000000f7", readKey, "")
	d := time.Since(start)
	if r.Status != http.StatusGatewayTimeout {
		t.Fatalf("slow node: %d %s, want 504", r.Status, r.Body)
	}
	if code, _ := r.errorCode(t); code != "timeout" {
		t.Errorf("code = %s", code)
	}
	if d > 1500*time.Millisecond {
		t.Errorf("504 after %s, want within the 400ms budget", d)
	}
	// The abandoned node call is cancelled: its goroutines end long before
	// the proxy's 3s delay would have let the node answer.
	deadline := time.Now().Add(time.Second)
	for runtime.NumGoroutine() > baseline+2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > baseline+2 {
		t.Errorf("goroutines grew from %d to %d after the timeout", baseline, n)
	}
}

// Two endpoints of one chain; the primary dies under load: every request
// still succeeds from the fallback. The endpoints are proxies in front of
// one anvil, since two independent anvils are two different chains.
func TestPrimaryKilledUnderLoad(t *testing.T) {
	node := anviltest.Start(t)
	primary, _ := slowProxy(t, node.URL, 0)
	fallback, _ := slowProxy(t, node.URL, 0)
	e := mustChainEnv(t, node, []string{primary.URL, fallback.URL})
	c := mustOnboard(t, e.testEnv, `{"type":"INDIVIDUAL","countryCode":"US","wallets":["0x00000000000000000000000000000000000000f6"]}`)

	const clients, perClient = 8, 30
	var ok, failed atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < perClient; j++ {
				if i == 0 && j == perClient/3 {
					primary.CloseClientConnections()
					primary.Close()
				}
				req, _ := http.NewRequest("GET", e.url+"/customer/"+c.ID+"/portfolio", nil)
				req.Header.Set("x-api-key", readKey)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					failed.Add(1)
					continue
				}
				resp.Body.Close()
				if resp.StatusCode == 200 {
					ok.Add(1)
				} else {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if failed.Load() != 0 {
		t.Errorf("%d of %d requests failed after the primary died", failed.Load(), clients*perClient)
	}
	if ok.Load() != clients*perClient {
		t.Errorf("ok = %d, want %d", ok.Load(), clients*perClient)
	}
}

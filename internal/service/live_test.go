package service

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/api"
	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/internal/anviltest"
	"github.com/portfoliod/portfoliod/internal/apitest"
)

// End to end over real HTTP on a real anvil: a customer's stream opens
// with its portfolio, a mint on the chain arrives as balance.updated
// within 2 s with the figures the chain holds, and a shutdown ends the
// stream at once.
func TestLiveStreamEndToEnd(t *testing.T) {
	node := anviltest.Start(t)
	anviltest.PlaceMulticall3(t, node.URL)
	tok := node.Chain(t).DeployToken(t, anviltest.TREX, "T", "T", 0)
	tok.Unpause(t)
	ctx := context.Background()
	s := startLiveService(t, node, LiveOptions{}, chain.TokenConfig{Address: tok.Address, Freeze: chain.FreezeERC3643})
	base := "http://" + s.Addr()
	w := anviltest.DevAddress(4)
	cust := struct{ ID string }{liveOnboard(t, s, w)}

	msgs := openLiveStream(t, base+"/customer/"+cust.ID+"/events")
	recv := func(d time.Duration) apitest.SSE {
		t.Helper()
		select {
		case m, ok := <-msgs:
			if !ok {
				t.Fatal("the stream ended")
			}
			return m
		case <-time.After(d):
			t.Fatalf("no message within %s", d)
		}
		return apitest.SSE{}
	}
	if m := recv(5 * time.Second); m.Event != "portfolio" || !strings.Contains(m.Data, `"total":"0"`) {
		t.Fatalf("first message %q %s, want the portfolio", m.Event, m.Data)
	}
	// Let the follower see the chain before the change.
	time.Sleep(300 * time.Millisecond)
	minted := time.Now()
	tok.Mint(t, w, big.NewInt(1234))
	m := recv(2 * time.Second)
	t.Logf("mint to balance.updated at the client: %s", time.Since(minted).Round(time.Millisecond))
	var ev struct {
		Type string
		Data struct {
			CustomerID string
			Balances   struct{ Total string }
			Previous   struct{ Total string }
		}
	}
	if err := json.Unmarshal([]byte(m.Data), &ev); err != nil {
		t.Fatal(err)
	}
	if m.Event != portfoliod.EventBalanceUpdated || ev.Data.CustomerID != cust.ID || ev.Data.Balances.Total != "1234" || ev.Data.Previous.Total != "0" {
		t.Errorf("event %q %s", m.Event, m.Data)
	}
	if got := tok.BalanceOf(t, w); got.String() != ev.Data.Balances.Total {
		t.Errorf("event total %s, chain %s", ev.Data.Balances.Total, got)
	}

	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	start := time.Now()
	if err := s.Shutdown(sctx); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Shutdown with a stream open took %s", d)
	}
	for range msgs { // the stream ends
	}
}

// openLiveStream opens the event stream at url with liveKey and returns
// its messages, comments included, closed when the stream ends (or the
// test does).
func openLiveStream(t *testing.T, url string) <-chan apitest.SSE {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("x-api-key", liveKey)
	req.Header.Set("Accept", "text/event-stream")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return apitest.ReadSSE(res.Body, true)
}

// counter sums the samples of a counter family whose labels include
// label=value.
func counter(t *testing.T, s *Instance, family, label, value string) float64 {
	t.Helper()
	mfs, err := s.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, mf := range mfs {
		if mf.GetName() != family {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == label && l.GetValue() == value {
					sum += m.GetCounter().GetValue()
				}
			}
		}
	}
	return sum
}

// Cache across blocks (SPEC section 9): at a new head where no event
// touched the customer's wallets, the portfolio costs no balance read
// (eth_call) and still equals the chain's figures at the block it names,
// including a wallet that never changed since it was linked (read then).
func TestNothingChangedNothingAsked(t *testing.T) {
	node := anviltest.Start(t)
	anviltest.PlaceMulticall3(t, node.URL)
	tok := node.Chain(t).DeployToken(t, anviltest.TREX, "T", "T", 0)
	tok.Unpause(t)
	s := startLiveService(t, node, LiveOptions{CacheAcrossBlocks: []common.Address{tok.Address}},
		chain.TokenConfig{Address: tok.Address, Freeze: chain.FreezeERC3643})
	do := func(method, path, body string) (*http.Response, []byte) {
		t.Helper()
		return liveRequest(t, s, method, path, body)
	}
	touched, quiet := anviltest.DevAddress(5), anviltest.DevAddress(6)
	tok.Mint(t, quiet, big.NewInt(7)) // before it is a customer's: no event, read when linked
	waitUntil(t, func() bool { return followerAt(t, s, node) })
	cust := struct{ ID string }{liveOnboard(t, s, touched, quiet)}
	waitUntil(t, func() bool { return followerAt(t, s, node) })
	tok.Mint(t, touched, big.NewInt(500))
	tok.SetFrozen(t, touched, big.NewInt(120))
	node.Mine(t, 3) // new heads that touch nothing
	waitUntil(t, func() bool { return followerAt(t, s, node) })

	check := func(wantCalls float64) {
		t.Helper()
		before := counter(t, s, "portfoliod_node_requests_total", "method", "eth_call")
		res, body := do("GET", "/customer/"+cust.ID+"/portfolio", "")
		calls := counter(t, s, "portfoliod_node_requests_total", "method", "eth_call") - before
		if res.StatusCode != 200 {
			t.Fatalf("portfolio = %d %s", res.StatusCode, body)
		}
		var p []struct {
			Wallets []struct {
				Address  string
				Balances struct {
					Total  string
					Frozen struct{ Amount string }
				}
			}
		}
		json.Unmarshal(body, &p)
		head := res.Header.Get("X-Block-Number")
		for _, w := range p[0].Wallets {
			addr := common.HexToAddress(w.Address)
			if got := tok.BalanceOf(t, addr).String(); w.Balances.Total != got {
				t.Errorf("%s: total %s at block %s, the chain has %s", w.Address, w.Balances.Total, head, got)
			}
			if got := tok.Frozen(t, addr).String(); w.Balances.Frozen.Amount != got {
				t.Errorf("%s: frozen %s at block %s, the chain has %s", w.Address, w.Balances.Frozen.Amount, head, got)
			}
		}
		if calls != wantCalls {
			t.Errorf("portfolio at block %s cost %v eth_call, want %v", head, calls, wantCalls)
		}
	}
	// Onboarding read the quiet wallet's figures: nothing to ask.
	check(0)
	tok.Mint(t, quiet, big.NewInt(1))
	node.Mine(t, 2)
	waitUntil(t, func() bool { return followerAt(t, s, node) })
	check(0)
}

// followerAt reports whether the follower has processed the node's head
// and the reader tracks it.
func followerAt(t *testing.T, s *Instance, node *anviltest.Node) bool {
	t.Helper()
	head, _, ok := s.Reader.Head()
	if !ok {
		return false
	}
	mfs, _ := s.Registry.Gather()
	for _, mf := range mfs {
		if mf.GetName() == "portfoliod_follower_block_number" {
			return uint64(mf.GetMetric()[0].GetGauge().GetValue()) == head.Number && head.Number == nodeHead(t, node)
		}
	}
	return false
}

func nodeHead(t *testing.T, node *anviltest.Node) uint64 {
	t.Helper()
	c, err := ethclient.Dial(node.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	n, err := c.BlockNumber(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Served across blocks, a figure never differs from a fresh read at the
// block the response names: wallets of every preset are mutated on anvil,
// and after each change (and blocks that change nothing) every wallet's
// figures in the portfolio equal the chain's, read independently.
func TestCacheAcrossBlocksMatchesTheChain(t *testing.T) {
	node := anviltest.Start(t)
	anviltest.PlaceMulticall3(t, node.URL)
	c := node.Chain(t)
	kinds := []anviltest.Kind{anviltest.TREX, anviltest.ERC7943, anviltest.Freezable, anviltest.USDC, anviltest.USDT, anviltest.Plain}
	toks := map[anviltest.Kind]*anviltest.Token{}
	var cfgs []chain.TokenConfig
	var cached []common.Address
	for _, k := range kinds {
		tok := c.DeployToken(t, k, string(k), "T", 0)
		if k == anviltest.TREX {
			tok.Unpause(t)
		}
		toks[k] = tok
		cfgs = append(cfgs, chain.TokenConfig{Address: tok.Address, Freeze: string(k)})
		cached = append(cached, tok.Address) // every model, none included, to test the mechanism on each
	}
	s := startLiveService(t, node, LiveOptions{CacheAcrossBlocks: cached}, cfgs...)
	get := func(path string) (*http.Response, []byte) {
		t.Helper()
		return liveRequest(t, s, "GET", path, "")
	}
	a, b := anviltest.DevAddress(1), anviltest.DevAddress(2)
	cust := struct{ ID string }{liveOnboard(t, s, a, b)}
	flagged := map[anviltest.Kind]map[common.Address]bool{}
	frozenOf := func(k anviltest.Kind, w common.Address, total *big.Int) string {
		switch k {
		case anviltest.TREX, anviltest.ERC7943, anviltest.Freezable:
			f := toks[k].Frozen(t, w)
			if k == anviltest.TREX && flagged[k][w] || f.Cmp(total) > 0 {
				f = total
			}
			return f.String()
		case anviltest.USDC, anviltest.USDT:
			if flagged[k][w] {
				return total.String()
			}
		}
		return "0"
	}
	verify := func(step string, cachedOnly bool) {
		t.Helper()
		node.Mine(t, 2) // heads that touch nothing
		waitUntil(t, func() bool { return followerAt(t, s, node) })
		calls := counter(t, s, "portfoliod_node_requests_total", "method", "eth_call")
		defer func() {
			// Once both wallets changed in every token, the follower
			// holds all their figures: the reads cost no eth_call.
			if n := counter(t, s, "portfoliod_node_requests_total", "method", "eth_call") - calls; cachedOnly && n != 0 {
				t.Errorf("%s: %v eth_call for portfolios the follower holds every figure of", step, n)
			}
		}()
		for _, k := range kinds {
			res, body := get("/customer/" + cust.ID + "/portfolio?token=" + toks[k].Address.Hex())
			if res.StatusCode != 200 {
				t.Fatalf("%s %s: portfolio = %d %s", step, k, res.StatusCode, body)
			}
			if n := res.Header.Get("X-Block-Number"); n != fmt.Sprint(nodeHead(t, node)) {
				t.Fatalf("%s %s: read at block %s, the head moved", step, k, n)
			}
			var p []struct {
				Wallets []struct {
					Address  string
					Balances struct {
						Total  string
						Frozen struct{ Amount string }
					}
				}
			}
			json.Unmarshal(body, &p)
			wantFrozen := map[string]string{}
			for _, w := range p[0].Wallets {
				addr := common.HexToAddress(w.Address)
				total := toks[k].BalanceOf(t, addr)
				if w.Balances.Total != total.String() || w.Balances.Frozen.Amount != frozenOf(k, addr, total) {
					t.Errorf("%s, %s token, wallet %s: total %s frozen %s; the chain has %s frozen %s",
						step, k, w.Address, w.Balances.Total, w.Balances.Frozen.Amount, total, frozenOf(k, addr, total))
				}
				if f := frozenOf(k, addr, total); f != "0" {
					wantFrozen[w.Address] = f
				}
			}
			// The frozen-funds register, from stored figures, equals the
			// fresh reads: every wallet with frozen funds, no other.
			res, body = get("/frozen?token=" + toks[k].Address.Hex())
			var reg struct {
				Data []struct {
					Wallet, Frozen, CustomerID string
					AddressFrozen              *bool
				}
				Wallets int
			}
			json.Unmarshal(body, &reg)
			gotFrozen := map[string]string{}
			hasFlags := k == anviltest.TREX || k == anviltest.USDC || k == anviltest.USDT
			for _, r := range reg.Data {
				gotFrozen[r.Wallet] = r.Frozen
				if r.CustomerID != cust.ID {
					t.Errorf("%s, %s token: register row of customer %q", step, k, r.CustomerID)
				}
				// addressFrozen: the flag as the chain has it, for the
				// models with one; absent for the others.
				switch want := flagged[k][common.HexToAddress(r.Wallet)]; {
				case !hasFlags && r.AddressFrozen != nil:
					t.Errorf("%s, %s token: addressFrozen %v on a model without flags", step, k, *r.AddressFrozen)
				case hasFlags && (r.AddressFrozen == nil || *r.AddressFrozen != want):
					t.Errorf("%s, %s token, wallet %s: addressFrozen %v, the chain's flag is %v", step, k, r.Wallet, r.AddressFrozen, want)
				}
			}
			if res.StatusCode != 200 || fmt.Sprint(gotFrozen) != fmt.Sprint(wantFrozen) || reg.Wallets != len(wantFrozen) ||
				res.Header.Get("X-Block-Number") != fmt.Sprint(nodeHead(t, node)) {
				t.Errorf("%s, %s token: register %d %v (%d wallets) at block %s; the chain has %v at %d",
					step, k, res.StatusCode, gotFrozen, reg.Wallets, res.Header.Get("X-Block-Number"), wantFrozen, nodeHead(t, node))
			}
		}
	}
	verify("start", false)
	for _, k := range kinds {
		toks[k].Mint(t, a, big.NewInt(1000))
	}
	verify("mint", false)
	for _, k := range kinds {
		toks[k].Transfer(t, anviltest.DevKey(1), b, big.NewInt(250))
	}
	verify("transfer", true)
	for _, k := range []anviltest.Kind{anviltest.TREX, anviltest.ERC7943, anviltest.Freezable} {
		toks[k].SetFrozen(t, a, big.NewInt(300))
	}
	verify("partial freeze", true)
	for _, k := range []anviltest.Kind{anviltest.TREX, anviltest.USDC, anviltest.USDT} {
		toks[k].SetFrozenFlag(t, b, true)
		flagged[k] = map[common.Address]bool{b: true}
	}
	verify("address freeze", true)
	toks[anviltest.TREX].Burn(t, a, big.NewInt(600)) // above the free 450: unfreezes the shortfall
	verify("burn that unfreezes", true)
}

// liveKey is the read and write key of startLiveService.
const liveKey = "live-test-key"

// startLiveService serves node's tokens with the live layer on, a 50 ms
// head poll and a bbolt store in a temp dir; cleanup shuts it down.
func startLiveService(t *testing.T, node *anviltest.Node, live LiveOptions, tokens ...chain.TokenConfig) *Instance {
	t.Helper()
	return startLiveServiceAt(t, node.URL, node.ChainID, live, tokens...)
}

// startLiveServiceAt is startLiveService on the node at rpcURL (a proxy
// in front of one, say).
func startLiveServiceAt(t *testing.T, rpcURL string, chainID uint64, live LiveOptions, tokens ...chain.TokenConfig) *Instance {
	t.Helper()
	live.Enabled = true
	s, err := Start(context.Background(), Options{
		StorePath: filepath.Join(t.TempDir(), "p.db"),
		Chain:     chain.Config{ChainID: chainID, RPCURLs: []string{rpcURL}, Tokens: tokens, HeadPollInterval: 50 * time.Millisecond},
		API:       api.Config{Keys: []api.Key{{Name: "t", Hash: api.HashKey(liveKey), Scopes: []api.Scope{api.ScopeRead, api.ScopeWrite, api.ScopeAdmin}}}},
		Addr:      "127.0.0.1:0",
		Live:      live,
		// Loopback receivers, and retries a test can wait for.
		Webhooks: WebhookOptions{AllowHTTP: true, AllowPrivateTargets: true,
			Schedule: []time.Duration{100 * time.Millisecond, 100 * time.Millisecond, 100 * time.Millisecond}},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Shutdown(context.Background()) })
	return s
}

// liveRequest sends method path (and a JSON body) to s with liveKey.
func liveRequest(t *testing.T, s *Instance, method, path, body string) (*http.Response, []byte) {
	t.Helper()
	return apitest.Do(t, method, "http://"+s.Addr()+path, liveKey, body)
}

// liveOnboard onboards a customer owning wallets and returns its id.
func liveOnboard(t *testing.T, s *Instance, wallets ...common.Address) string {
	t.Helper()
	quoted := make([]string, len(wallets))
	for i, w := range wallets {
		quoted[i] = `"` + w.Hex() + `"`
	}
	res, body := liveRequest(t, s, "POST", "/customer", `{"type":"INDIVIDUAL","countryCode":"US","wallets":[`+strings.Join(quoted, ",")+`]}`)
	var c struct{ ID string }
	if err := json.Unmarshal(body, &c); err != nil || res.StatusCode != 200 {
		t.Fatalf("onboard = %d %s", res.StatusCode, body)
	}
	return c.ID
}

package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod/internal/localnet"
)

// TestQuickBench runs the whole benchmark in quick mode (BENCH_QUICK=1
// settings) so that `make test` keeps it working: anvil, the proxy, a
// portfoliod built from this tree, the naive baseline and the report.
func TestQuickBench(t *testing.T) {
	cfg := quickConfig()
	root, err := localnet.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Root = root
	cfg.Out = filepath.Join(t.TempDir(), "benchmarks.md")
	cfg.Command = "go test ./bench -run TestQuickBench"
	cfg.Log = testWriter{t}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	rep, err := run(ctx, cfg)
	if rep != nil {
		t.Logf("report:\n%s", rep.Markdown())
	}
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if len(rep.Sizes) != len(cfg.Sizes) {
		t.Fatalf("measured %d sizes, want %d", len(rep.Sizes), len(cfg.Sizes))
	}
	for _, s := range rep.Sizes {
		for _, c := range []caseResult{s.Naive, s.Uncached, s.Fresh, s.Repeat} {
			if c.Requests == 0 || c.Errors > 0 {
				t.Errorf("%d wallets, %s: %d requests, %d errors (%s)", s.Wallets, c.Name, c.Requests, c.Errors, c.FirstError)
			}
		}
		if s.Fresh.NodePerRequest <= 0 || s.Uncached.NodePerRequest <= 0 {
			t.Errorf("%d wallets: node requests per uncached portfolio = %.2f (new head), %.2f (pinned), want > 0",
				s.Wallets, s.Fresh.NodePerRequest, s.Uncached.NodePerRequest)
		}
		// The baseline makes one request per value plus the block lookup.
		if want := float64(3*s.Wallets + 1); s.Naive.NodePerRequest < want-0.5 || s.Naive.NodePerRequest > want+0.5 {
			t.Errorf("%d wallets: naive node requests per portfolio = %.2f, want %.0f", s.Wallets, s.Naive.NodePerRequest, want)
		}
	}
	// The live layer: push latency both ways, the follower's cost per
	// block and the untouched-head portfolio, on the small store.
	if rep.Fresh == nil || len(rep.Fresh.Targets) != 4 {
		t.Fatalf("freshness not measured: %+v", rep.Fresh)
	}
	for _, f := range rep.Fresh.Targets {
		if f.Missed > 0 || f.Blocks != cfg.FreshBlocks || f.P50 <= 0 {
			t.Errorf("freshness (%s): %d blocks, %d missed, p50 %v (%s)", f.Name, f.Blocks, f.Missed, f.P50, f.FirstError)
		}
	}
	if rep.Live == nil || rep.Live.PushHTTP == nil || rep.Live.PushWS == nil || len(rep.Live.Stores) != 1 {
		t.Fatalf("live layer not measured: %+v", rep.Live)
	}
	for _, p := range []*pushResult{rep.Live.PushHTTP, rep.Live.PushWS} {
		if p.Missed > 0 || p.Blocks != cfg.LiveBlocks || p.P50 <= 0 {
			t.Errorf("push latency (%s): %d blocks, %d missed, p50 %v (%s)", p.Transport, p.Blocks, p.Missed, p.P50, p.FirstError)
		}
	}
	if f := rep.Live.FanOut; f == nil || f.Clients != cfg.FanOutClients || f.Delivered != f.Expected || f.Blocks != cfg.FanOutBlocks {
		t.Errorf("fan-out: %+v", f)
	}
	ls := rep.Live.Stores[0]
	if ls.Touching.Blocks != cfg.LiveBlocks || ls.Touching.Follower.Methods["eth_getLogs"] != int64(cfg.LiveBlocks) || ls.Quiet.Blocks != cfg.LiveCostBlocks {
		t.Errorf("follower cost: touching %+v, quiet %+v", ls.Touching, ls.Quiet)
	}
	if ls.Unchanged.Reads != cfg.LiveCostBlocks {
		t.Errorf("untouched-head portfolios: %d reads, want %d", ls.Unchanged.Reads, cfg.LiveCostBlocks)
	}
	// With API load: a logs query per block among the follower's
	// requests, the load's reads done.
	if l := ls.Load; l == nil || l.Reads == 0 || ls.Loaded.Blocks != cfg.LiveCostBlocks || ls.Loaded.Follower.Methods["eth_getLogs"] != int64(cfg.LiveCostBlocks) {
		t.Errorf("follower cost with API load: %+v, load %+v", ls.Loaded, l)
	}
	// The catch-up: a ranged logs query up to catchupTipGap blocks below
	// the head and a logs query for each block above, then a logs query
	// per block; an event per mint, no sweep.
	if c := rep.Live.Catchup; c == nil {
		t.Errorf("follower catch-up not measured")
	} else {
		ranges, _, tip := catchupCosts(cfg.CatchupBlocks, c.Ranged.Chunk)
		for _, r := range []struct {
			run  catchupRun
			logs int64
		}{{c.Ranged, int64(ranges + tip)}, {c.Single, int64(cfg.CatchupBlocks)}} {
			logs := r.run.Node.Methods["eth_getLogs"]
			if r.run.Blocks != cfg.CatchupBlocks || logs != r.logs || r.run.Events != int64(cfg.CatchupMints) || r.run.Sweeps != 0 {
				t.Errorf("catch-up, backfill_chunk %d: %d blocks, %d events, %d sweeps, methods %s; want %d blocks, %d eth_getLogs, %d events, no sweep",
					r.run.Chunk, r.run.Blocks, r.run.Events, r.run.Sweeps, r.run.Node.methodSummary(), cfg.CatchupBlocks, r.logs, cfg.CatchupMints)
			}
		}
		if !c.pass() {
			t.Errorf("catch-up: ranged %d requests, block by block %d, bound %d", c.Ranged.Node.HTTPRequests, c.Single.Node.HTTPRequests, c.bound())
		}
	}
	// The register rows and the PostgreSQL rows, on the small store.
	if g := rep.Register; g == nil || len(g.Stores) != 1 {
		t.Errorf("register not measured: %+v", g)
	} else {
		if s := g.Stores[0]; s.Register < cfg.StoreSmall || s.Frozen.Requests == 0 || s.Frozen.Errors > 0 {
			t.Errorf("GET /frozen: %d wallets in the register (want at least %d), %d requests, %d errors (%s)", s.Register, cfg.StoreSmall, s.Frozen.Requests, s.Frozen.Errors, s.Frozen.FirstError)
		}
		if e := g.Export; e == nil || !e.Complete || e.Rows != e.Wallets || e.Node.EthCalls == 0 {
			t.Errorf("positions export: %+v", e)
		}
	}
	if p := rep.Postgres; p == nil || len(p.Pairs) != 1 || len(p.Replicas) != cfg.Replicas {
		t.Errorf("PostgreSQL rows not measured: %+v", p)
	} else {
		for _, c := range []caseResult{p.Pairs[0].PG.Profile, p.Pairs[0].PG.Portfolio, p.Pairs[0].Bolt.Profile} {
			if c.Requests == 0 || c.Errors > 0 {
				t.Errorf("PostgreSQL pair, %s: %d requests, %d errors (%s)", c.Name, c.Requests, c.Errors, c.FirstError)
			}
		}
		for _, r := range p.Replicas {
			if r.Onboard.Requests == 0 || r.Onboard.Errors > 0 {
				t.Errorf("onboarding through %d replicas: %d requests, %d errors (%s)", r.Replicas, r.Onboard.Requests, r.Onboard.Errors, r.Onboard.FirstError)
			}
		}
	}
	// The bounded import: its own store's memory, sampled (the rusage
	// maxrss it replaced was the benchmark's own).
	if b := rep.BoundedImport; b == nil || b.Customers != cfg.ImportLarge || b.PeakAnon <= 0 || b.PeakFile <= 0 || b.PeakRSS < b.PeakAnon {
		t.Errorf("bounded import: %+v", b)
	}
	if imp := rep.Small.Import; imp.PeakAnon <= 0 || imp.PeakRSS < imp.PeakAnon {
		t.Errorf("small store's import memory: %+v", imp)
	}
	doc, err := os.ReadFile(cfg.Out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Bounded import: highest anonymous memory of `customers import`",
		"| target | measured | goal | result |",
		"Node HTTP requests per uncached portfolio, 1 wallet(s)",
		"p50 uncached ÷ naive p50",
		"Head tracking",
		"Push latency, block at the node → balance.updated at an SSE client (chain.ws_url)",
		"Follower node HTTP requests per block touching customer wallets",
		"Follower node HTTP requests per block touching customer wallets, 1000 customers, with API load",
		"Node requests for a latest portfolio at a new head nothing touched",
		"Follower catch-up, 200 blocks behind with 5 touching customer wallets",
		"### Follower catch-up",
		"GET /frozen?limit=100 p50, 1000 customers",
		"Positions export, 1000 customers",
		"Profile (GET /customer/{id}) p50, PostgreSQL ÷ bbolt, 1000 customers",
		"Onboarding throughput (POST /customer, one new wallet each), 3 replica(s)",
		cfg.Command,
	} {
		if !strings.Contains(string(doc), want) {
			t.Errorf("report lacks %q:\n%s", want, doc)
		}
	}
}

// TestNaiveThroughProxy checks the chain setup, the proxy's counting and
// the baseline against anvil, without portfoliod.
func TestNaiveThroughProxy(t *testing.T) {
	bin, err := localnet.FindAnvil("")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	node, err := startAnvil(ctx, bin, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer node.Stop()
	hs := makeHoldings("test", 25)
	setup, err := setupChain(ctx, node.URL, hs)
	if err != nil {
		t.Fatal(err)
	}
	px, err := startProxy(node.URL, time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer px.Close()

	naive := newNaiveReader(px.URL, setup.Token)
	before := px.Stats()
	got, err := naive.Portfolio(ctx, walletsOf(hs))
	if err != nil {
		t.Fatal(err)
	}
	if err := compareBalances(expectedBalances(hs), got.Balances); err != nil {
		t.Fatalf("naive Portfolio mismatch: %v", err)
	}
	d := px.Stats().sub(before)
	want := proxyStats{
		HTTPRequests: int64(3*len(hs) + 1), RPCCalls: int64(3*len(hs) + 1), EthCalls: int64(3 * len(hs)), HeadPolls: 1,
		Methods: map[string]int64{"eth_call": int64(3 * len(hs)), "eth_getBlockByNumber(latest)": 1},
	}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("proxy counters mismatch (-want +got):\n%s", diff)
	}

	// A batch counts one call per element and is one HTTP request.
	rc := &rpcClient{url: px.URL, hc: http.DefaultClient}
	before = px.Stats()
	if _, err := rc.batch(ctx, []rpcRequest{{Method: "eth_chainId"}, {Method: "eth_blockNumber"}, {Method: "eth_chainId"}}); err != nil {
		t.Fatal(err)
	}
	d = px.Stats().sub(before)
	want = proxyStats{HTTPRequests: 1, RPCCalls: 3, HeadPolls: 1, Methods: map[string]int64{"eth_chainId": 2, "eth_blockNumber": 1}}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("proxy counters for a batch mismatch (-want +got):\n%s", diff)
	}
}

func TestReplicaOrder(t *testing.T) {
	if diff := cmp.Diff([]int{1, 2, 3, 3, 2, 1}, replicaOrder(3)); diff != "" {
		t.Errorf("replicaOrder(3) mismatch (-want +got):\n%s", diff)
	}
}

func TestParseCalls(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []callInfo
	}{
		{"call", `{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"to":"0x00"},"latest"]}`, []callInfo{{method: "eth_call"}}},
		{"params first", `{"params":["latest",false],"method":"eth_getBlockByNumber","id":1}`, []callInfo{{method: "eth_getBlockByNumber", head: true, tag: "latest"}}},
		{"block by number", `{"id":1,"method":"eth_getBlockByNumber","params":["0x10",false]}`, []callInfo{{method: "eth_getBlockByNumber"}}},
		{"head", `{"id":1,"method":"eth_blockNumber","params":[]}`, []callInfo{{method: "eth_blockNumber", head: true}}},
		{"batch", ` [{"method":"eth_call","params":[]},{"method":"eth_getHeaderByNumber","params":["finalized"]}]`,
			[]callInfo{{method: "eth_call"}, {method: "eth_getHeaderByNumber", head: true, tag: "finalized"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseCalls([]byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(callInfo{})); diff != "" {
				t.Errorf("parseCalls(%q) mismatch (-want +got):\n%s", tt.body, diff)
			}
		})
	}
	if _, err := parseCalls([]byte("  ")); err == nil {
		t.Error("parseCalls of an empty body: want an error")
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

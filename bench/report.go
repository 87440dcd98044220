package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"time"
)

// machine describes where a run happened.
type machine struct {
	CPUs      int
	CPUModel  string
	Memory    string
	Kernel    string
	Go        string
	Anvil     string
	Commit    string
	LoadStart string
	LoadEnd   string
}

func describeMachine(ctx context.Context, root, anvilVersion string) machine {
	m := machine{CPUs: runtime.NumCPU(), Go: runtime.Version(), Anvil: anvilVersion, LoadStart: loadAvg()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPUModel = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				var kb int64
				fmt.Sscanf(strings.TrimSpace(v), "%d", &kb)
				m.Memory = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = "Linux " + strings.TrimSpace(string(b))
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "git", "-C", root, "rev-parse", "--short", "HEAD").Output(); err == nil {
		m.Commit = strings.TrimSpace(string(out))
		if st, err := exec.CommandContext(ctx, "git", "-C", root, "status", "--porcelain").Output(); err == nil && len(st) > 0 {
			m.Commit += " (with uncommitted changes)"
		}
	}
	return m
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// targetRow is one line of the SPEC section 8 table.
type targetRow struct {
	Target, Measured, Goal, Result string
}

func passMiss(ok bool) string {
	if ok {
		return "PASS"
	}
	return "MISS"
}

// sizeNear returns the measured size equal to want, else the largest one
// below it, else the smallest.
func (r *benchReport) sizeNear(want int) *sizeResult {
	var best *sizeResult
	for i := range r.Sizes {
		s := &r.Sizes[i]
		if s.Wallets <= want && (best == nil || s.Wallets > best.Wallets) {
			best = s
		}
	}
	if best == nil && len(r.Sizes) > 0 {
		best = &r.Sizes[0]
	}
	return best
}

func ratio(a, b time.Duration) float64 {
	if b <= 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Targets evaluates SPEC section 8.
func (r *benchReport) Targets() []targetRow {
	var rows []targetRow
	for _, s := range r.Sizes {
		f := s.Fresh
		measured := fmt.Sprintf("%.2f", f.NodePerRequest)
		ok := f.Requests > 0 && f.NodePerRequest <= 1.05
		if f.Requests == 0 {
			measured = "not measured: " + f.FirstError
		}
		rows = append(rows, targetRow{
			Target:   fmt.Sprintf("Node HTTP requests per uncached portfolio, %d wallet(s) (latest, new head)", s.Wallets),
			Measured: measured, Goal: "1", Result: passMiss(ok),
		})
	}
	if s := r.sizeNear(100); s != nil {
		label := fmt.Sprintf("%d wallets", s.Wallets)
		if s.Wallets != 100 {
			label += ", 100 not run"
		}
		q := ratio(s.Uncached.P50, s.Naive.P50)
		rows = append(rows, targetRow{
			Target:   fmt.Sprintf("p50 uncached ÷ naive p50 (%s, %v proxy delay, %d clients)", label, r.Config.Delay, r.Config.Clients),
			Measured: fmt.Sprintf("%.3f× (%s / %s)", q, ms(s.Uncached.P50), ms(s.Naive.P50)),
			Goal:     "≤ 0.2×", Result: passMiss(s.Uncached.Requests > 0 && s.Naive.Requests > 0 && q <= 0.2),
		})
		worst, worstAt := -1.0, 0
		for _, sz := range r.Sizes {
			if sz.Repeat.NodePerRequest > worst {
				worst, worstAt = sz.Repeat.NodePerRequest, sz.Wallets
			}
		}
		rows = append(rows, targetRow{
			Target:   "Node HTTP requests per repeat within a block (worst size)",
			Measured: fmt.Sprintf("%.3f (%d wallets)", worst, worstAt),
			Goal:     "0", Result: passMiss(worst >= 0 && worst < 0.01),
		})
		q = ratio(s.Repeat.P50, s.Uncached.P50)
		rows = append(rows, targetRow{
			Target:   fmt.Sprintf("p50 repeat within block ÷ uncached p50 (%s)", label),
			Measured: fmt.Sprintf("%.3f× (%s / %s)", q, ms(s.Repeat.P50), ms(s.Uncached.P50)),
			Goal:     "≤ 0.1×", Result: passMiss(s.Repeat.Requests > 0 && s.Uncached.Requests > 0 && q <= 0.1),
		})
	}
	if b := r.BoundedImport; b != nil {
		// The store-scale imports count too: the bound holds whatever the
		// file size.
		measured := fmt.Sprintf("%d customers: %s, in %.1f s", b.Customers, b.memString(), b.Elapsed.Seconds())
		highest := b.PeakAnon
		for _, st := range []*storeResult{r.Large, r.Small} {
			if st != nil {
				measured += fmt.Sprintf("; %d customers: anon %.0f MiB", st.Customers, mib(st.Import.PeakAnon))
				highest = max(highest, st.Import.PeakAnon)
			}
		}
		rows = append(rows, targetRow{
			Target:   "Bounded import: highest anonymous memory of `customers import` (sampled every 20 ms)",
			Measured: measured,
			Goal:     "< 128 MiB, 1,000,000 customers included", Result: passMiss(b.Customers >= 1000000 && highest > 0 && highest < 128<<20),
		})
	}
	if l, sm := r.Large, r.Small; l != nil && sm != nil {
		rows = append(rows,
			targetRow{
				Target:   fmt.Sprintf("Bulk import, %d customers / %d wallets", l.Customers, l.Wallets),
				Measured: fmt.Sprintf("%.1f s", l.Import.Elapsed.Seconds()),
				Goal:     "≤ 60 s", Result: passMiss(l.Customers >= 100000 && l.Import.Elapsed <= time.Minute),
			},
			targetRow{
				Target:   fmt.Sprintf("Profile p50, %d-customer store ÷ %d-customer store", l.Customers, sm.Customers),
				Measured: fmt.Sprintf("%.2f× (%s / %s)", ratio(l.Profile.P50, sm.Profile.P50), ms(l.Profile.P50), ms(sm.Profile.P50)),
				Goal:     "≤ 1.5×", Result: passMiss(l.Profile.Requests > 0 && ratio(l.Profile.P50, sm.Profile.P50) <= 1.5),
			},
			targetRow{
				Target:   fmt.Sprintf("Portfolio p50 (uncached), %d-customer store ÷ %d-customer store", l.Customers, sm.Customers),
				Measured: fmt.Sprintf("%.2f× (%s / %s)", ratio(l.Portfolio.P50, sm.Portfolio.P50), ms(l.Portfolio.P50), ms(sm.Portfolio.P50)),
				Goal:     "≤ 1.5×", Result: passMiss(l.Portfolio.Requests > 0 && ratio(l.Portfolio.P50, sm.Portfolio.P50) <= 1.5),
			},
			targetRow{
				Target:   fmt.Sprintf("Peak RSS of portfoliod, %d-customer store, %d clients (profile + %d-wallet portfolios)", l.Customers, r.Config.Clients, r.Config.WalletsPerCustomer),
				Measured: l.Mem.String(),
				Goal:     "≤ 150 MiB", Result: passMiss(l.Mem.Peak > 0 && l.Mem.Peak <= 150<<20),
			},
		)
		if l.Heavy != nil {
			rows = append(rows, targetRow{
				Target:   fmt.Sprintf("Peak RSS of portfoliod, same store, then %d clients on %d-wallet portfolios", r.Config.Clients, l.Heavy.Wallets),
				Measured: l.HeavyMem.String(),
				Goal:     "≤ 150 MiB", Result: passMiss(l.HeavyMem.Peak > 0 && l.HeavyMem.Peak <= 150<<20),
			})
		}
	} else {
		rows = append(rows, targetRow{Target: "Store scale (100,000 customers / 300,000 wallets)", Measured: "not run", Goal: "see SPEC §8", Result: "SKIP"})
	}
	rows = append(rows, r.liveTargets()...)
	rows = append(rows, r.fanoutTargets()...)
	rows = append(rows, r.freshTargets()...)
	rows = append(rows, r.webhookTargets()...)
	rows = append(rows, r.registerTargets()...)
	rows = append(rows, r.postgresTargets()...)
	rows = append(rows, targetRow{
		Target:   "Head tracking: node HTTP requests per second while idle",
		Measured: fmt.Sprintf("%.2f/s (%s)", r.IdleRate, orNone(r.Idle.methodSummary())),
		Goal:     "independent of request rate", Result: "INFO",
	})
	return rows
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// Markdown renders the tables printed at the end of a run.
func (r *benchReport) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "### SPEC section 8 targets\n\n")
	fmt.Fprintf(&b, "| target | measured | goal | result |\n|---|---|---|---|\n")
	for _, t := range r.Targets() {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", t.Target, t.Measured, t.Goal, t.Result)
	}
	fmt.Fprintf(&b, "\n### Portfolio latency and node load by size (%d clients, %v proxy delay)\n\n", r.Config.Clients, r.Config.Delay)
	fmt.Fprintf(&b, "| wallets | path | requests | errors | p50 | p99 | throughput | node HTTP req / portfolio | eth_call / portfolio | CPU ms / portfolio: anvil · portfoliod · bench | node methods (whole case) |\n")
	fmt.Fprintf(&b, "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, s := range r.Sizes {
		for _, c := range []caseResult{s.Naive, s.Uncached, s.Fresh, s.Repeat} {
			b.WriteString(caseRow(c))
		}
	}
	if r.Small != nil {
		fmt.Fprintf(&b, "\n### Store scale (%d wallets per customer, random customers)\n\n", r.Config.WalletsPerCustomer)
		fmt.Fprintf(&b, "| store | import | import peak memory | case | requests | errors | p50 | p99 | throughput | node HTTP req / request | CPU ms / request: anvil · portfoliod · bench | serve peak RSS after case |\n")
		fmt.Fprintf(&b, "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
		for _, st := range []*storeResult{r.Small, r.Large} {
			if st == nil {
				continue
			}
			cases := []caseResult{st.Profile, st.Portfolio}
			if st.Heavy != nil {
				cases = append(cases, *st.Heavy)
			}
			for i, c := range cases {
				store, imp, impRSS, rss := "", "", "", ""
				if i == 0 {
					store = fmt.Sprintf("%d customers / %d wallets", st.Customers, st.Wallets)
					imp = fmt.Sprintf("%.2f s", st.Import.Elapsed.Seconds())
					impRSS = st.Import.memString()
					if st.DBBytes > 0 {
						store += fmt.Sprintf(" (%.0f MiB file)", mib(st.DBBytes))
					}
				}
				switch i {
				case 1:
					rss = st.Mem.String()
				case 2:
					rss = st.HeavyMem.String()
				}
				name := c.Name
				if c.Wallets > 0 {
					name = fmt.Sprintf("%s (%d wallets)", c.Name, c.Wallets)
				}
				fmt.Fprintf(&b, "| %s | %s | %s | %s | %d | %d | %s | %s | %.1f/s | %.2f | %s | %s |\n",
					store, imp, impRSS, name, c.Requests, c.Errors, ms(c.P50), ms(c.P99), c.Throughput, c.NodePerRequest, cpuCell(c), rss)
			}
		}
	}
	b.WriteString(r.liveMarkdown())
	b.WriteString(r.postgresMarkdown())
	fmt.Fprintf(&b, "\nHead tracking while idle: %d node HTTP requests in %.1f s = %.2f/s (%s); subtracted from every case's node requests.\n",
		r.Idle.HTTPRequests, r.IdleWindow.Seconds(), r.IdleRate, orNone(r.Idle.methodSummary()))
	var errs []string
	for _, s := range r.Sizes {
		for _, c := range []caseResult{s.Naive, s.Uncached, s.Fresh, s.Repeat} {
			if c.FirstError != "" {
				errs = append(errs, fmt.Sprintf("%d wallets, %s: %d errors, first: %s", c.Wallets, c.Name, c.Errors, c.FirstError))
			}
			if c.Note != "" {
				errs = append(errs, fmt.Sprintf("%d wallets, %s: %s", c.Wallets, c.Name, c.Note))
			}
		}
	}
	for _, st := range []*storeResult{r.Small, r.Large} {
		if st == nil {
			continue
		}
		for _, c := range []caseResult{st.Profile, st.Portfolio} {
			if c.FirstError != "" {
				errs = append(errs, fmt.Sprintf("store %d, %s: %d errors, first: %s", st.Customers, c.Name, c.Errors, c.FirstError))
			}
		}
	}
	errs = append(errs, r.Notes...)
	if r.Err != nil {
		errs = append(errs, "The run stopped early: "+r.Err.Error())
	}
	if len(errs) > 0 {
		b.WriteString("\nNotes:\n\n")
		for _, e := range errs {
			fmt.Fprintf(&b, "- %s\n", e)
		}
	}
	return b.String()
}

func caseRow(c caseResult) string {
	tput := fmt.Sprintf("%.1f/s", c.Throughput)
	if c.Sequential {
		tput = "1 client"
	}
	return fmt.Sprintf("| %d | %s | %d | %d | %s | %s | %s | %.2f | %.1f | %s | %s |\n",
		c.Wallets, c.Name, c.Requests, c.Errors, ms(c.P50), ms(c.P99), tput, c.NodePerRequest, c.EthCallsPerRequest, cpuCell(c), orNone(c.Node.methodSummary()))
}

// cpuCell renders CPU per request of anvil, portfoliod and the bench.
func cpuCell(c caseResult) string {
	f := func(k string) string {
		return fmt.Sprintf("%.1f", float64(c.CPUPerRequest[k])/float64(time.Millisecond))
	}
	return f("anvil") + " · " + f("portfoliod") + " · " + f("bench")
}

// Document renders docs/benchmarks.md.
func (r *benchReport) Document() string {
	var b strings.Builder
	m := r.Machine
	b.WriteString("# Benchmarks\n\n")
	b.WriteString("`make bench` (`go run ./bench`) measures portfoliod against the SPEC section 8 targets, side by side with a naive baseline, in one run. This file is written by the benchmark itself; the tables below are that run's output.\n\n")
	b.WriteString("## Run\n\n")
	fmt.Fprintf(&b, "- Command: `%s`\n", r.Config.Command)
	fmt.Fprintf(&b, "- Date: %s (%.0f s)\n", r.Started.Format(time.RFC3339), r.Finished.Sub(r.Started).Seconds())
	fmt.Fprintf(&b, "- Machine: %d CPUs (%s), %s memory, %s\n", m.CPUs, orNone(m.CPUModel), m.Memory, m.Kernel)
	fmt.Fprintf(&b, "- Load average at start / end: %s / %s (a shared machine: other processes compete for the same cores)\n", m.LoadStart, m.LoadEnd)
	fmt.Fprintf(&b, "- Go: %s; anvil: %s; portfoliod commit: %s\n", m.Go, m.Anvil, orNone(m.Commit))
	mc := "portfoliod's default"
	if r.Config.MaxCallsPerBatch > 0 {
		mc = fmt.Sprint(r.Config.MaxCallsPerBatch)
	}
	fmt.Fprintf(&b, "- Settings: sizes %s, %d clients, %v per case (at most %d requests; %d for uncached cases), %v proxy delay, chain.max_calls_per_batch %s, chain.multicall.mode auto\n\n",
		joinInts(r.Config.Sizes), r.Config.Clients, r.Config.Duration, r.Config.MaxRequests, r.Config.UncachedRequests, r.Config.Delay, mc)
	b.WriteString("## Results\n\n")
	b.WriteString(r.Markdown())
	b.WriteString(`
## Method

- **Chain.** anvil (automine, history pruned to the last ` + fmt.Sprint(anvilKeptStates) + ` block states) on a free loopback port. ` + "`devnet.Seed`" + ` deploys the ERC-3643-style demo token (` + "`abi/trextoken`" + `) and places Multicall3; the benchmark wallets' balances, partial freezes (every 3rd wallet) and whole-address freezes (every 7th) are written with ` + "`anvil_setStorageAt`" + ` and read back through the ABI before anything is measured. Amounts exceed 2^64.
- **Proxy.** portfoliod and the naive baseline reach anvil only through the benchmark's HTTP proxy, which adds a fixed delay to every HTTP request (a stand-in for a remote node's round trip) and counts HTTP requests and the JSON-RPC calls in them (a batch counts one call per element). Anvil admin calls (mining, storage writes) bypass it.
- **Node requests per portfolio** = proxy HTTP requests during the case, minus the idle head-tracking rate × the case's duration, divided by the case's requests.
- **naive**: the same portfolio computed in the benchmark with one goroutine and one ` + "`eth_call`" + ` per value (balanceOf, getFrozenTokens, isFrozen per wallet), all pinned to the block hash of one ` + "`eth_getBlockByNumber(latest)`" + `, no batching, no cache, Go's default HTTP transport (capped at ` + fmt.Sprint(naiveMaxConnsPerHost) + ` connections to stay under the file-descriptor limit). Same semantics: frozen = isFrozen ? total : min(total, getFrozenTokens).
- **portfoliod uncached**: ` + "`GET /customer/{id}/portfolio?block=N`" + ` with a distinct, freshly mined block N for every request (blocks are mined on anvil before the case), so no request can hit the per-block cache; this isolates the batched read, but a pinned number may cost portfoliod a number→hash lookup the head tracker saves for ` + "`latest`" + `.
- **portfoliod new head**: the SPEC's uncached request: ` + "`latest`" + ` right after a new block. One client, sequential: mine one block directly on anvil, wait until portfoliod's head tracker has polled the proxy and the proxy is quiet, then request and count the node requests that request caused. A response naming an older block is retried and not counted. Its CPU columns include the mining and polling between requests.
- **portfoliod repeat**: ` + "`latest`" + ` for the same customer, repeated in one block after one warm-up request.
- **Store scale**: ` + "`portfoliod customers import`" + ` of generated JSON Lines (the command's wall time; its memory is sampled from /proc every 20 ms: the highest anonymous and file-backed resident memory, and VmHWM), then a fresh ` + "`serve`" + ` process on each store, both running at once; profile (` + "`GET /customer/{id}`" + `) and uncached portfolio (distinct ` + "`?block=N`" + `) for customers picked across the whole store, in rounds that alternate the stores (ABBA) so that the shared machine's load drift hits both alike; the p50s pool the rounds. Memory is the serve process's VmHWM (peak RSS, which counts bbolt's memory-mapped data file once its pages are touched) read after those rounds, with the highest RssAnon sampled every 20 ms, and again after 16 clients read the largest benchmark portfolio uncached on the large store. The benchmark's size customers are added to each store through ` + "`POST /customer`" + `.
- **Bounded import**: ` + "`portfoliod customers import`" + ` of -import-large generated customers (1,000,000 by default) into a store of their own, removed afterwards; the row is the highest anonymous memory (heap, stacks) of it and of the store-scale imports, since only bbolt's file-backed pages may grow with the store.
- **CPU per portfolio**: user+system CPU time of each process over the case (from /proc/PID/stat, 10 ms ticks) divided by its requests; "bench" is the load generator, the proxy and the naive baseline together. On a 2-core machine the 16 clients saturate the CPUs, so p50 under load is mostly queueing for CPU: these columns say whose CPU.
- **Profiles**: ` + "`make bench BENCH_FLAGS=\"-profile DIR\"`" + ` (or ` + "`go run ./bench -profile DIR`" + `) records ` + "`perf record -g`" + ` CPU profiles of anvil and portfoliod during every uncached and repeat case and writes perf's flat report next to each (DIR/<case>-<process>.txt).
- **Live layer** (SPEC §8 v2): after the rows above, each store is served again with the chain follower on (` + "`live.enabled: true`" + `, ` + "`chain.head_poll_interval`" + ` 1 s, the defaults), one service at a time; its first start sweeps every customer wallet. Blocks are made by ` + "`mint(wallet, 1)`" + ` transactions from the dev account (an agent of the token), sent to anvil directly (automine). **Push latency**: an SSE client (bufio) on ` + "`GET /customer/{id}/events`" + ` of a store customer; each block mints to its wallet; latency is from the mint's receipt being back from anvil (the block is mined by then; send → receipt is given as a bound) to the ` + "`balance.updated`" + ` message of that block read by the client. The gap before each mint is stratified over one ` + "`head_poll_interval`" + ` (shuffled) so that the wait for the next head poll is sampled evenly. Once over plain HTTP, once with ` + "`chain.ws_url`" + ` (anvil's WebSocket on its HTTP port, directly: the proxy speaks HTTP only, so the subscription is not counted, and reads still go through the proxy). **Follower cost**: the proxy's counts from just before a mint until the follower's ` + "`portfoliod_follower_block_number`" + ` names the block and the proxy is quiet, without the head polls in that window (` + "`eth_getBlockByNumber(latest)`" + `, head tracking, its own row): for blocks minting to a customer wallet (the push blocks on the small store; customers spread over the store on the large one) and for blocks minting to a wallet no customer owns; no API load. The large store's rows are measured in the register phase (below), whose follower sweeps a new store of the same generated customers anyway: after its ` + "`GET /frozen`" + ` rounds and before the export, with the other register service stopped (its follower would count its own requests for the same blocks); its untouched-head portfolios are of store customers. **With API load**: then, on the same service, ` + "`-clients`" + ` clients read, in turn, the profile and the ` + "`latest`" + ` portfolio of store customers continuously while as many blocks again mint, one by one, to customer wallets spread over the store that those clients never read; the proxy attributes every request: a head lookup alone (` + "`eth_blockNumber`" + `, a block by tag, no ` + "`eth_call`" + `) is head tracking or a latest read's head refresh and is not counted, as in the rows without load; ` + "`eth_getLogs`" + ` or a block by number is the follower's (the API's latest reads resolve the head by tag and pin their reads to its hash); an ` + "`eth_call`" + ` whose body names the block's minted wallet (lower-case hex, as ABI-encoded in the aggregate3 calldata) is the follower's multicall; other ` + "`eth_call`" + `s, alone or with the latest header, are the API's; anything else is counted as the follower's (unsure, given in the row). A block's window runs from just before its mint until the follower's ` + "`portfoliod_follower_block_number`" + ` names it (the follower's requests for it are done by then). **Nothing changed, nothing asked**: at each of those untouched heads, the follower caught up, one ` + "`latest`" + ` portfolio of a size customer (1 to 1,000 wallets, in turn), counted at the proxy; an answer naming another block than the new head is counted as stale. The live services set ` + "`chain.max_calls_per_batch`" + ` ` + fmt.Sprint(liveMaxCallsPerBatch) + ` (unless ` + "`-max-calls-per-batch`" + ` sets one): at the default 1,000, the first start's sweep sends up to 16 aggregate3 chunks in one HTTP request (4 MB for the small store's 4,111 wallets), over anvil's 2 MB request limit, and the follower never starts; the measured blocks read one wallet, one chunk either way. **Follower catch-up**: after those rows the small store's service is stopped (its follower at the head, every customer wallet's figures stored by its first sweep), restarted once at the head (the requests of a start alone), then twice after the chain advanced ` + "`-catchup-blocks`" + ` blocks while it was down (` + "`-catchup-mints`" + ` of them minting to distinct customer wallets, spread evenly; the rest empty, ` + "`anvil_mine`" + `): first with ` + "`live.backfill_chunk`" + ` 1,000 (one ranged ` + "`eth_getLogs`" + ` batch per 1,000 blocks, headers in batches of 100, up to ` + fmt.Sprint(catchupTipGap) + ` blocks below the head; those last blocks one by one, by hash: a header and an ` + "`eth_getLogs`" + ` each), then with 1 (one block per range: a header and a logs query per block, what following block by block costs). Counted at the proxy from just before the start until ` + "`portfoliod_follower_block_number`" + ` names the head and the proxy is quiet, without head polls; no block is mined after the start.
- Every request's answer is checked (status 200, block named), and before measuring, portfoliod's and the baseline's balances are compared value for value with what was written to the chain.
`)
	return b.String()
}

// liveTargets are the SPEC section 8 (v2) rows of the live layer.
func (r *benchReport) liveTargets() []targetRow {
	l := r.Live
	if l == nil {
		return []targetRow{{Target: "Live layer (push latency, follower cost, nothing changed nothing asked)", Measured: "not run", Goal: "see SPEC §8", Result: "SKIP"}}
	}
	var rows []targetRow
	budget := headPollInterval + 150*time.Millisecond
	for _, p := range []struct {
		pr   *pushResult
		name string
		goal time.Duration
	}{{l.PushHTTP, "plain HTTP, head_poll_interval 1s", budget}, {l.PushWS, "chain.ws_url", 150 * time.Millisecond}} {
		t := fmt.Sprintf("Push latency, block at the node → balance.updated at an SSE client (%s)", p.name)
		goal := fmt.Sprintf("p50 ≤ %s", ms(p.goal))
		if p.pr == nil {
			rows = append(rows, targetRow{Target: t, Measured: "not measured", Goal: goal, Result: "SKIP"})
			continue
		}
		got := p.pr.Blocks - p.pr.Missed
		m := fmt.Sprintf("p50 %s, p99 %s, max %s (%d blocks", ms(p.pr.P50), ms(p.pr.P99), ms(p.pr.Max), got)
		if p.pr.Missed > 0 {
			m += fmt.Sprintf(", %d missed", p.pr.Missed)
		}
		m += fmt.Sprintf("; send → receipt p50 %s)", ms(p.pr.Send))
		rows = append(rows, targetRow{Target: t, Measured: m, Goal: goal, Result: passMiss(got > 0 && p.pr.Missed == 0 && p.pr.P50 <= p.goal)})
	}
	// Bounded: a header and an eth_getLogs per block, one multicall per
	// token (one here) when it touches a customer wallet; independent of
	// the store's size: the same at every store measured (the live
	// phase's and the register phase's large store), and of API load.
	stores := r.followerStores()
	same := func(f func(*liveStoreResult) float64) bool {
		for _, s := range stores {
			if d := f(s) - f(stores[0]); d > 0.05 || d < -0.05 {
				return false
			}
		}
		return true
	}
	touchSame := same(func(s *liveStoreResult) float64 { return s.Touching.perBlock() })
	quietSame := same(func(s *liveStoreResult) float64 { return s.Quiet.perBlock() })
	for _, s := range stores {
		for _, k := range []struct {
			c     blockCost
			what  string
			bound int64
			same  bool
		}{{s.Touching, "touching customer wallets", 3, touchSame}, {s.Quiet, "touching no customer wallet", 2, quietSame}} {
			t := fmt.Sprintf("Follower node HTTP requests per block %s, %d customers, no API load", k.what, s.Customers)
			if k.c.Blocks == 0 {
				rows = append(rows, targetRow{Target: t, Measured: "not measured", Goal: "bounded", Result: "SKIP"})
				continue
			}
			m := fmt.Sprintf("%.2f (%s over %d blocks; min %d, max %d; head polls meanwhile: %d)",
				k.c.perBlock(), orNone(k.c.Follower.methodSummary()), k.c.Blocks, k.c.Min, k.c.Max, k.c.HeadPolls)
			if s.Register {
				m += "; measured in the register phase, after its follower's first sweep"
			}
			goal := fmt.Sprintf("≤ %d (header + eth_getLogs", k.bound)
			if k.bound == 3 {
				goal += " + 1 multicall"
			}
			goal += "), same at every store size"
			rows = append(rows, targetRow{Target: t, Measured: m, Goal: goal, Result: passMiss(k.c.Max <= k.bound && k.same)})
		}
		rows = append(rows, loadedRow(s))
	}
	if r.Large != nil && !slices.ContainsFunc(stores, func(s *liveStoreResult) bool { return s.Customers == r.Large.Customers }) {
		rows = append(rows, targetRow{Target: fmt.Sprintf("Follower node HTTP requests per block, %d customers", r.Large.Customers),
			Measured: "not run: the register phase measures it after its follower's sweep of that store (-register=false, -live=false, or an earlier phase failed)", Goal: "bounded, as above", Result: "SKIP"})
	}
	for _, s := range stores {
		u := s.Unchanged
		t := fmt.Sprintf("Node requests for a latest portfolio at a new head nothing touched (follower caught up), %d customers, %d reads of %s wallets", s.Customers, u.Reads, joinInts(uniqueInts(u.Wallets)))
		m := fmt.Sprintf("%d eth_call, %d HTTP requests (%s)", u.EthCalls, u.Requests, orNone(u.Methods.methodSummary()))
		if u.HeadPolls > 0 {
			m += fmt.Sprintf("; %d head polls meanwhile", u.HeadPolls)
		}
		if u.Stale > 0 {
			m += fmt.Sprintf("; %d answers named another block", u.Stale)
		}
		rows = append(rows, targetRow{Target: t, Measured: m, Goal: "0", Result: passMiss(u.Reads > 0 && u.EthCalls == 0 && u.Requests == 0 && u.Stale == 0)})
	}
	return append(rows, r.catchupTargets()...)
}

// followerStores are the stores with follower-cost rows: the live
// phase's, then the register phase's large store.
func (r *benchReport) followerStores() []*liveStoreResult {
	var out []*liveStoreResult
	if r.Live != nil {
		out = append(out, r.Live.Stores...)
	}
	if r.Register != nil && r.Register.Follower != nil {
		out = append(out, r.Register.Follower)
	}
	return out
}

// loadedBound is the most follower HTTP requests a block touching a
// customer wallet may cost, with API load as without.
const loadedBound = 3

// loadedRow is the follower's cost per block touching customer wallets
// under API load, beside the same without.
func loadedRow(s *liveStoreResult) targetRow {
	t := fmt.Sprintf("Follower node HTTP requests per block touching customer wallets, %d customers, with API load", s.Customers)
	goal := fmt.Sprintf("≤ %d (header + eth_getLogs + 1 multicall), as without API load", loadedBound)
	c, l := s.Loaded, s.Load
	if c.Blocks == 0 || l == nil {
		return targetRow{Target: t, Measured: "not measured", Goal: goal, Result: "SKIP"}
	}
	m := fmt.Sprintf("%.2f (%s over %d blocks; min %d, max %d; of them %d requests the proxy could not attribute for sure, counted as the follower's; head lookups meanwhile, not counted as in the row without load: %d) · without API load: %.2f · "+
		"API load: %d clients reading profiles and latest portfolios of customers never minted to, %.0f reads/s (%d errors), %.1f node HTTP requests/s attributed to it (%s) + %.1f head lookups/s (head tracking and its latest reads' head refreshes)",
		c.perBlock(), orNone(c.Follower.methodSummary()), c.Blocks, c.Min, c.Max, c.Unsure, c.HeadPolls, s.Touching.perBlock(),
		l.Clients, l.readRate(), l.Errors, l.apiRate(), orNone(methodSummary(l.Node.APIMethods)), l.headRate())
	if l.FirstError != "" {
		m += "; first load error: " + l.FirstError
	}
	return targetRow{Target: t, Measured: m, Goal: goal, Result: passMiss(c.Max <= loadedBound && l.Reads > 0)}
}

// freshTargets are the freshness rows: the default configuration against
// its goal, the others beside it.
func (r *benchReport) freshTargets() []targetRow {
	f := r.Fresh
	if f == nil {
		return []targetRow{{Target: "Freshness (new block → first latest response naming it)", Measured: "not run (-fresh-blocks 0)", Goal: "p50 ≤ 100 ms", Result: "SKIP"}}
	}
	var rows []targetRow
	for i, t := range f.Targets {
		m := fmt.Sprintf("p50 %s, p99 %s, max %s over %d blocks", ms(t.P50), ms(t.P99), ms(t.Max), t.Blocks)
		if t.Missed > 0 {
			m += fmt.Sprintf(" (%d missed: %s)", t.Missed, t.FirstError)
		}
		if t.NodeRequests > 0 && t.Responses > 0 {
			m += fmt.Sprintf("; %d node HTTP requests for %d responses (%.3f each)", t.NodeRequests, t.Responses, float64(t.NodeRequests)/float64(t.Responses))
		}
		row := targetRow{Target: "Freshness (new block → first latest response naming it, polled every " + freshPollEvery.String() + "): " + t.Name,
			Measured: m, Goal: "side by side", Result: "INFO"}
		if i == 0 {
			// The client asks every freshPollEvery: a response can
			// come that much after portfoliod could first have given it.
			limit := 100*time.Millisecond + f.RTT + freshPollEvery
			row.Goal = fmt.Sprintf("p50 ≤ 100 ms, max ≤ max_head_age + one round trip (%s) + the client's poll spacing (%s) = %s", ms(f.RTT), freshPollEvery, ms(limit))
			row.Result = passMiss(t.Blocks > 0 && t.Missed == 0 && t.P50 <= 100*time.Millisecond && t.Max <= limit)
		}
		rows = append(rows, row)
	}
	return rows
}

// liveMarkdown is the live layer's own table.
func (r *benchReport) liveMarkdown() string {
	l := r.Live
	if l == nil || len(l.Stores) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n### Live layer (follower on, head_poll_interval %v, %v proxy delay)\n\n", headPollInterval, r.Config.Delay)
	fmt.Fprintf(&b, "| store | follower start (first sweep) | blocks touching customers: node req / block | blocks touching none: node req / block | blocks touching customers with API load: node req / block · API load | untouched-head latest portfolio: eth_call · HTTP |\n|---|---:|---|---|---|---|\n")
	for _, s := range r.followerStores() {
		name := fmt.Sprintf("%d customers", s.Customers)
		if s.Register {
			name += " (register phase)"
		}
		loaded := "not measured"
		if l := s.Load; l != nil && s.Loaded.Blocks > 0 {
			loaded = fmt.Sprintf("%.2f (%s; %d unsure) · %d clients, %.0f reads/s, %.1f node req/s + %.1f head lookups/s", s.Loaded.perBlock(), orNone(s.Loaded.Follower.methodSummary()), s.Loaded.Unsure,
				l.Clients, l.readRate(), l.apiRate(), l.headRate())
		}
		fmt.Fprintf(&b, "| %s | %.1f s | %.2f (%s) | %.2f (%s) | %s | %d · %d over %d reads |\n", name, s.Start.Seconds(),
			s.Touching.perBlock(), orNone(s.Touching.Follower.methodSummary()), s.Quiet.perBlock(), orNone(s.Quiet.Follower.methodSummary()),
			loaded, s.Unchanged.EthCalls, s.Unchanged.Requests, s.Unchanged.Reads)
	}
	b.WriteString(r.catchupMarkdown())
	return b.String()
}

func uniqueInts(v []int) []int {
	var out []int
	for _, n := range v {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

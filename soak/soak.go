package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/portfoliod/portfoliod/devnet"
	"github.com/portfoliod/portfoliod/internal/localnet"
)

// config is one soak run's settings.
type config struct {
	Duration        time.Duration
	Clients         int
	Anvil           string // anvil binary; "" finds one
	RPCURL          string // an anvil node to use instead of starting one
	GoroutineMargin int    // goroutines the process may gain before it counts as a leak
	Seed            uint64
	Log             io.Writer // progress and the service's warnings and errors
}

func defaultConfig() config {
	return config{Duration: 60 * time.Second, Clients: 64, GoroutineMargin: 10, Log: io.Discard}
}

// report is a soak run's outcome.
type report struct {
	cfg      config
	elapsed  time.Duration
	byOp     [numOps][]time.Duration // latencies, sorted
	statuses [numOps]map[int]int

	goroutinesBefore, goroutinesAfter int
	heapBefore, heapAfter             uint64 // live heap after a GC

	acked           int64 // customers acknowledged, seeds included
	stored, wallets int   // customers and wallets in the store at the end
	problems        []string
}

// seedCustomers is how many customers with fresh wallets exist before the
// clients start, besides one per demo wallet.
const seedCustomers = 32

// run starts anvil (unless cfg.RPCURL is set), seeds the demo token, starts
// the service in-process and runs the clients. The error is for a soak that
// could not run; a soak that ran returns its report, whose failures say
// whether it passed.
func run(ctx context.Context, cfg config) (*report, error) {
	dir, err := os.MkdirTemp("", "portfoliod-soak-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)

	rpcURL := cfg.RPCURL
	if rpcURL == "" {
		bin, err := localnet.FindAnvil(cfg.Anvil)
		if err != nil {
			return nil, err
		}
		node, err := localnet.StartAnvil(ctx, localnet.AnvilOptions{Bin: bin, Args: []string{"--quiet"}})
		if err != nil {
			return nil, err
		}
		defer node.Stop()
		rpcURL = node.URL
	}
	sctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	dep, err := devnet.Seed(sctx, rpcURL, nil)
	cancel()
	if err != nil {
		return nil, fmt.Errorf("seeding the demo token: %w", err)
	}
	svc, err := startService(ctx, dir, rpcURL, dep, cfg.Log)
	if err != nil {
		return nil, err
	}
	defer svc.close(ctx)

	l := newLoad(svc.URL, svc.Key, cfg.Clients)
	if err := l.seed(ctx, seedCustomers); err != nil {
		return nil, err
	}
	// A short warm-up starts whatever the service starts lazily (node
	// connections, caches), so that the baseline below holds it.
	l.run(ctx, min(cfg.Clients, 8), 500*time.Millisecond, cfg.Seed^0x5eed, io.Discard)
	// Kept-alive connections (clients to service, service to node) are
	// closed before both measurements: their goroutines are a pool, not a
	// leak.
	l.closeIdle()
	svc.closeIdle()
	time.Sleep(100 * time.Millisecond)

	rep := &report{cfg: cfg}
	rep.goroutinesBefore, rep.heapBefore = settle(0, 0)
	fmt.Fprintf(cfg.Log, "soak: %d clients for %s against %s (token %s), service %s\n", cfg.Clients, cfg.Duration, rpcURL, dep.Token.Hex(), svc.URL)
	start := time.Now()
	samples := l.run(ctx, cfg.Clients, cfg.Duration, cfg.Seed, cfg.Log)
	rep.elapsed = time.Since(start)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	rep.tally(samples)
	samples = nil // the heap measurement is of the service, not of the samples
	l.closeIdle()
	svc.closeIdle()
	rep.goroutinesAfter, rep.heapAfter = settle(rep.goroutinesBefore+cfg.GoroutineMargin, 5*time.Second)

	rep.acked = l.acked.Load()
	rep.stored, rep.wallets, err = svc.Store.Count(ctx)
	if err != nil {
		return nil, err
	}
	if err := svc.Store.VerifyIndex(ctx); err != nil {
		l.problems.add("%v", err)
	}
	rep.problems = l.problems.list
	return rep, nil
}

// raceState says whether this binary has the race detector.
var raceState = map[bool]string{true: "on", false: "off"}[localnet.RaceEnabled()]

// settle waits up to wait for the goroutine count to fall to target, then
// returns it and the live heap after a GC.
func settle(target int, wait time.Duration) (goroutines int, heap uint64) {
	deadline := time.Now().Add(wait)
	for runtime.NumGoroutine() > target && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return runtime.NumGoroutine(), m.HeapAlloc
}

func (r *report) tally(samples []sample) {
	for i := range r.statuses {
		r.statuses[i] = map[int]int{}
	}
	for _, s := range samples {
		r.byOp[s.op] = append(r.byOp[s.op], s.latency)
		r.statuses[s.op][s.status]++
	}
	for i := range r.byOp {
		slices.Sort(r.byOp[i])
	}
}

func (r *report) requests() int {
	n := 0
	for _, l := range r.byOp {
		n += len(l)
	}
	return n
}

// failures lists why the run failed; empty means it passed.
func (r *report) failures() []string {
	var out []string
	for o := range numOps {
		for st, n := range r.statuses[o] {
			switch {
			case st == 0:
				out = append(out, fmt.Sprintf("%s: %d transport errors", opNames[o], n))
			case st >= 500:
				out = append(out, fmt.Sprintf("%s: %d × %d", opNames[o], n, st))
			case st != expectedStatus[o]:
				out = append(out, fmt.Sprintf("%s: %d × unexpected %d (want %d)", opNames[o], n, st, expectedStatus[o]))
			}
		}
	}
	sort.Strings(out)
	if r.requests() == 0 {
		out = append(out, "no requests completed")
	}
	if grew := r.goroutinesAfter - r.goroutinesBefore; grew > r.cfg.GoroutineMargin {
		out = append(out, fmt.Sprintf("goroutine leak: %d → %d (+%d, margin %d)", r.goroutinesBefore, r.goroutinesAfter, grew, r.cfg.GoroutineMargin))
	}
	if int64(r.stored) != r.acked {
		out = append(out, fmt.Sprintf("store holds %d customers, %d were acknowledged", r.stored, r.acked))
	}
	return append(out, r.problems...)
}

// print writes the report as aligned text.
func (r *report) print(w io.Writer) {
	fmt.Fprintf(w, "portfoliod soak: %d clients, %s, race detector %s\n\n", r.cfg.Clients, r.elapsed.Round(time.Millisecond), raceState)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "operation\trequests\tp50\tp99\tmax\tstatuses\t")
	var all []time.Duration
	total := map[int]int{}
	for o := range numOps {
		l := r.byOp[o]
		all = append(all, l...)
		for st, n := range r.statuses[o] {
			total[st] += n
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t\n", opNames[o], len(l), pct(l, 50), pct(l, 99), pct(l, 100), statusList(r.statuses[o]))
	}
	slices.Sort(all)
	fmt.Fprintf(tw, "all\t%d\t%s\t%s\t%s\t%s\t\n", len(all), pct(all, 50), pct(all, 99), pct(all, 100), statusList(total))
	tw.Flush()

	var errs []string
	for st, n := range total {
		if st < 200 || st >= 300 {
			errs = append(errs, fmt.Sprintf("%d: %d", st, n))
		}
	}
	sort.Strings(errs)
	fmt.Fprintf(w, "\nthroughput: %.0f requests/s\n", float64(len(all))/r.elapsed.Seconds())
	fmt.Fprintf(w, "non-2xx by status (all expected unless listed under FAIL): %s\n", orNone(strings.Join(errs, ", ")))
	fmt.Fprintf(w, "goroutines: %d → %d (%+d, margin %d)\n", r.goroutinesBefore, r.goroutinesAfter, r.goroutinesAfter-r.goroutinesBefore, r.cfg.GoroutineMargin)
	fmt.Fprintf(w, "live heap after GC: %.1f MiB → %.1f MiB (%+.1f MiB)\n", mib(r.heapBefore), mib(r.heapAfter), mib(r.heapAfter)-mib(r.heapBefore))
	fmt.Fprintf(w, "store: %d customers (%d acknowledged), %d wallets\n", r.stored, r.acked, r.wallets)
	if fails := r.failures(); len(fails) > 0 {
		fmt.Fprintf(w, "\nFAIL\n  %s\n", strings.Join(fails, "\n  "))
	} else {
		fmt.Fprintln(w, "\nPASS: no 5xx, no unexpected status, no transport error, demo balances right, no goroutine leak")
	}
}

func pct(sorted []time.Duration, p int) string {
	if len(sorted) == 0 {
		return "-"
	}
	i := (len(sorted)*p + 99) / 100
	d := sorted[min(max(i-1, 0), len(sorted)-1)]
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond).String()
	}
	return d.Round(time.Microsecond).String()
}

func statusList(m map[int]int) string {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%d×%d", m[k], k)
	}
	return orNone(strings.Join(parts, " "))
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }

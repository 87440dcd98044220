package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// loadSpec bounds one measured case: clients run requests until maxRequests
// have started or duration has passed, whichever comes first, but at least
// minRequests are always run (so slow cases still get a sample per client).
type loadSpec struct {
	clients     int
	minRequests int
	maxRequests int
	duration    time.Duration
}

// caseResult is one measured case.
type caseResult struct {
	Name       string
	Wallets    int
	Requests   int // successful requests
	Errors     int
	FirstError string
	P50, P99   time.Duration
	Elapsed    time.Duration
	Throughput float64 // successful requests per second
	Node       proxyStats
	// NodePerRequest is node HTTP requests per request, net of the idle
	// (head-tracking) rate measured before the cases.
	NodePerRequest float64
	// EthCallsPerRequest is JSON-RPC eth_calls per request.
	EthCallsPerRequest float64
	// CPUPerRequest is CPU time (user+system) per request of each
	// process: anvil, portfoliod, and the benchmark itself (load
	// generator, proxy, naive baseline).
	CPUPerRequest map[string]time.Duration
	Sequential    bool // one client, requests spaced out: no throughput
	Note          string

	lat []time.Duration // sorted latencies of the successful requests
}

// mergeCases pools two runs of the same case (a may be zero).
func mergeCases(a, b caseResult) caseResult {
	if a.Name == "" {
		return b
	}
	na, nb := float64(a.Requests+a.Errors), float64(b.Requests+b.Errors)
	out := a
	out.lat = append(slices.Clone(a.lat), b.lat...)
	sortDurations(out.lat)
	out.Requests += b.Requests
	out.Errors += b.Errors
	if out.FirstError == "" {
		out.FirstError = b.FirstError
	}
	out.P50, out.P99 = percentile(out.lat, 50), percentile(out.lat, 99)
	out.Elapsed += b.Elapsed
	if out.Elapsed > 0 {
		out.Throughput = float64(out.Requests) / out.Elapsed.Seconds()
	}
	out.Node = addStats(a.Node, b.Node)
	if na+nb > 0 {
		w := func(x, y float64) float64 { return (x*na + y*nb) / (na + nb) }
		out.NodePerRequest = w(a.NodePerRequest, b.NodePerRequest)
		out.EthCallsPerRequest = w(a.EthCallsPerRequest, b.EthCallsPerRequest)
		out.CPUPerRequest = map[string]time.Duration{}
		for k := range b.CPUPerRequest {
			out.CPUPerRequest[k] = time.Duration(w(float64(a.CPUPerRequest[k]), float64(b.CPUPerRequest[k])))
		}
	}
	return out
}

// caseEnv is where a case's counters come from.
type caseEnv struct {
	px       *nodeProxy
	idleRate float64        // node HTTP requests per second while idle
	pids     map[string]int // process name → pid
	prof     *profiler      // nil: no profiles
}

// cpu samples the CPU time used so far by each process.
func (e *caseEnv) cpu() map[string]time.Duration {
	out := map[string]time.Duration{"bench": procCPU("self")}
	for name, pid := range e.pids {
		out[name] = procCPU(strconv.Itoa(pid))
	}
	return out
}

// procCPU returns the user+system CPU time of /proc/<pid>, 0 if unknown.
func procCPU(pid string) time.Duration {
	// Fields 14 and 15 of proc(5), utime and stime.
	return procStatTicks(pid, 11, 12)
}

// procStatTicks sums fields of /proc/<pid>/stat, numbered from the one
// after the command (0 is field 3 of proc(5)), as CPU time: they are clock
// ticks (USER_HZ, 100 on Linux). 0 if unknown.
func procStatTicks(pid string, fields ...int) time.Duration {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(s[i+1:])
	var ticks int64
	for _, k := range fields {
		if k >= len(f) {
			return 0
		}
		v, _ := strconv.ParseInt(f[k], 10, 64)
		ticks += v
	}
	return time.Duration(ticks) * 10 * time.Millisecond
}

func cpuPerRequest(before, after map[string]time.Duration, n int) map[string]time.Duration {
	out := map[string]time.Duration{}
	if n == 0 {
		return out
	}
	for k, v := range after {
		out[k] = (v - before[k]) / time.Duration(n)
	}
	return out
}

// runLoad runs fn from spec.clients goroutines; i is the request's index,
// unique within the case. It returns latencies of the successful requests,
// the error count and the first error, and the wall time.
func runLoad(ctx context.Context, spec loadSpec, fn func(ctx context.Context, i int) error) (lat []time.Duration, errs int, firstErr error, elapsed time.Duration) {
	var (
		next atomic.Int64
		mu   sync.Mutex
		wg   sync.WaitGroup
	)
	deadline := time.Now().Add(spec.duration)
	start := time.Now()
	all := make([][]time.Duration, spec.clients)
	for c := 0; c < spec.clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= spec.maxRequests || (i >= spec.minRequests && time.Now().After(deadline)) {
					return
				}
				t0 := time.Now()
				err := fn(ctx, i)
				d := time.Since(t0)
				if err != nil && ctx.Err() != nil {
					return // cut off by the load's end, not a failure
				}
				if err != nil {
					mu.Lock()
					errs++
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					continue
				}
				all[c] = append(all[c], d)
			}
		}()
	}
	wg.Wait()
	elapsed = time.Since(start)
	for _, l := range all {
		lat = append(lat, l...)
	}
	return lat, errs, firstErr, elapsed
}

// percentile returns the p-th percentile (0..100) of sorted by the
// nearest-rank method.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	if rank < 1 {
		rank = 1
	}
	if rank > len(sorted) {
		rank = len(sorted)
	}
	return sorted[rank-1]
}

// measureCase runs a load and fills a caseResult, attributing the proxy's
// traffic during the case to its requests net of idleRate (node requests
// per second that head tracking costs anyway).
func measureCase(ctx context.Context, env *caseEnv, name string, wallets int, spec loadSpec, fn func(ctx context.Context, i int) error) caseResult {
	before, cpu0 := env.px.Stats(), env.cpu()
	lat, nerr, firstErr, elapsed := runLoad(ctx, spec, fn)
	node, cpu1 := env.px.Stats().sub(before), env.cpu()
	sortDurations(lat)
	r := caseResult{
		Name: name, Wallets: wallets, Requests: len(lat), Errors: nerr,
		P50: percentile(lat, 50), P99: percentile(lat, 99),
		Elapsed: elapsed, Node: node, CPUPerRequest: cpuPerRequest(cpu0, cpu1, len(lat)+nerr),
		lat: lat,
	}
	if firstErr != nil {
		r.FirstError = firstErr.Error()
	}
	if elapsed > 0 {
		r.Throughput = float64(len(lat)) / elapsed.Seconds()
	}
	if n := len(lat) + nerr; n > 0 {
		net := float64(node.HTTPRequests) - env.idleRate*elapsed.Seconds()
		r.NodePerRequest = math.Max(0, net) / float64(n)
		r.EthCallsPerRequest = float64(node.EthCalls) / float64(n)
	}
	return r
}

// blockCursor hands out distinct block numbers from a range mined for one
// case, so that no two uncached requests share a block.
type blockCursor struct {
	next atomic.Uint64
	last uint64
}

func newBlockCursor(first, last uint64) *blockCursor {
	c := &blockCursor{last: last}
	c.next.Store(first)
	return c
}

func (c *blockCursor) take() (uint64, error) {
	n := c.next.Add(1) - 1
	if n > c.last {
		return 0, fmt.Errorf("out of mined blocks (last %d)", c.last)
	}
	return n, nil
}

func sortDurations(d []time.Duration) {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
}

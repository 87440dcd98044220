package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/portfoliod/portfoliod/live"
)

// The follower catch-up rows: the live service on the small store is
// stopped, the chain advances CatchupBlocks blocks (CatchupMints of them
// minting to distinct customer wallets, the rest empty), and the service
// restarts and catches up; once with live.backfill_chunk 1,000 (ranged
// eth_getLogs, batched headers) and then, after as many blocks again, with
// live.backfill_chunk 1 (one block per range: a header and a logs query
// per block, the cost of following block by block).

// maxCatchupBlocks bounds -catchup-blocks: every block caught up is read
// at (and, for a wallet without known figures, at its parent), so all must
// be within the block states anvil keeps.
const maxCatchupBlocks = anvilKeptStates - 100

// catchupHeaderBatch is the headers the follower asks in one JSON-RPC
// batch while catching up (chain.headerBatch).
const catchupHeaderBatch = 100

// catchupStartup is what the bound allows for the requests of a service
// start that are not the catch-up (the chain id check and the like).
const catchupStartup = 10

// catchupRun is one restart's catch-up.
type catchupRun struct {
	Chunk    int // live.backfill_chunk
	Blocks   int // blocks behind at the restart
	Touching int // of them, blocks minting to a customer wallet
	// Node is the proxy's counts from just before the start to the
	// follower at the head and the proxy quiet, head polls removed.
	Node      proxyStats
	HeadPolls int64
	Wall      time.Duration // service start → follower at the head
	Listen    time.Duration // service start → listening
	// From the restarted service's /metrics.
	Events, Backfills, Sweeps, FollowerBlocks int64
	// NodeTime sums portfoliod's node request durations (its
	// portfoliod_node_request_duration_seconds); CPU is portfoliod's
	// user+system CPU time, start to the follower at the head.
	NodeTime, CPU time.Duration
}

// catchupResult is the two catch-ups, side by side.
type catchupResult struct {
	Customers int
	// Startup is a restart at the head (nothing to catch up): the
	// requests of a start alone, in both runs' counts too.
	Startup catchupRun
	Ranged  catchupRun
	Single  catchupRun // live.backfill_chunk 1
}

// catchupParts splits a run's requests: those of the start (as measured
// alone), the logs queries (one eth_getLogs each), the multicalls (the
// eth_calls beyond the start's: one per read in the contract multicall
// mode the benchmark's chain gets) and the rest, the header requests.
type catchupParts struct {
	Startup, Logs, Multicalls, Headers int64
	// Parent is the multicalls beyond one per touching block: reads at
	// a parent block, for wallets without known figures.
	Parent int64
}

func (c *catchupResult) parts(r catchupRun) catchupParts {
	st := c.Startup.Node
	p := catchupParts{Startup: st.HTTPRequests, Logs: r.Node.Methods["eth_getLogs"], Multicalls: r.Node.Methods["eth_call"] - st.Methods["eth_call"]}
	p.Headers = r.Node.HTTPRequests - p.Startup - p.Logs - p.Multicalls
	p.Parent = p.Multicalls - int64(r.Touching)
	return p
}

func (p catchupParts) String() string {
	return fmt.Sprintf("%d start-up + %d logs + %d header + %d multicall requests (%d at a parent block)", p.Startup, p.Logs, p.Headers, p.Multicalls, p.Parent)
}

// bound is the most node HTTP requests the ranged catch-up may cost.
func (c *catchupResult) bound() int64 {
	return catchupBound(c.Ranged.Blocks, c.Ranged.Touching, c.Ranged.Chunk)
}

// pass is the row's rule: within the bound, and under a tenth of block by
// block.
func (c *catchupResult) pass() bool {
	return catchupPass(c.Ranged.Node.HTTPRequests, c.Single.Node.HTTPRequests, c.bound())
}

// catchupTipGap is the follower's rangeTipGap (live/follower.go): ranged
// logs queries end that many blocks below the head, and the blocks above
// are processed one by one, by hash (a header and an eth_getLogs each).
// The follower ranges only when at least two blocks lie below that line.
const catchupTipGap = 4

// catchupSplit splits a catch-up of blocks blocks, all behind the head,
// into those caught up by ranged queries and those at the tip, one by
// one.
func catchupSplit(blocks int) (ranged, tip int) {
	if blocks > catchupTipGap+1 {
		return blocks - catchupTipGap, catchupTipGap
	}
	return 0, blocks
}

// catchupCosts is the most requests of each kind a ranged catch-up of
// blocks blocks costs: ranged logs queries (one per chunk), header
// batches (catchupHeaderBatch headers each, per range), and tip blocks
// (two requests each).
func catchupCosts(blocks, chunk int) (ranges, headerBatches, tip int) {
	if chunk < 1 {
		chunk = 1
	}
	ranged, tip := catchupSplit(blocks)
	full, rest := ranged/chunk, ranged%chunk
	return ceilDiv(ranged, chunk), full*ceilDiv(chunk, catchupHeaderBatch) + ceilDiv(rest, catchupHeaderBatch), tip
}

// catchupBound is the most node HTTP requests a ranged catch-up of blocks
// blocks, touching of them minting to a customer wallet, may cost: a
// ranged logs query per chunk and a header batch per catchupHeaderBatch
// blocks of each, up to catchupTipGap blocks below the head; a header
// and a logs query for each block above; a multicall per touching block
// and one more at its parent (for a wallet without known figures); and
// catchupStartup for the start.
func catchupBound(blocks, touching, chunk int) int64 {
	ranges, headers, tip := catchupCosts(blocks, chunk)
	return int64(ranges + headers + 2*tip + 2*touching + catchupStartup)
}

// catchupPass: ranged requests within bound and fewer than a tenth of the
// block-by-block ones.
func catchupPass(ranged, single, bound int64) bool {
	return ranged > 0 && ranged <= bound && 10*ranged < single
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// mintOffsets spreads mints blocks over n: the 0-based offsets of the
// blocks that mint, the last block among them.
func mintOffsets(n, mints int) []int {
	out := make([]int, 0, mints)
	for j := 1; j <= mints; j++ {
		out = append(out, j*n/mints-1)
	}
	return out
}

// catchup measures the two catch-ups on t's store (its follower has run:
// its cursor and every customer wallet's figures are stored).
func (e *liveEnv) catchup(ctx context.Context, t liveTarget) (*catchupResult, error) {
	res := &catchupResult{Customers: t.st.Customers}
	used := map[common.Address]bool{}
	seq := 0
	// Distinct customer wallets spread over the store, none used by
	// another catch-up.
	nextWallet := func() common.Address {
		for {
			k := pickIndex(t.st.Customers, 13, seq)
			w := storeWallets(k, e.cfg.WalletsPerCustomer)[seq%e.cfg.WalletsPerCustomer]
			seq++
			if !used[w] {
				used[w] = true
				return w
			}
		}
	}
	res.Startup.Chunk = live.DefaultBackfillChunk
	if err := e.catchupRun(ctx, t, &res.Startup, 0, 0, nextWallet); err != nil {
		return res, err
	}
	e.logf("  restart at the head: %d node HTTP requests (%s; %d head polls meanwhile)",
		res.Startup.Node.HTTPRequests, orNone(res.Startup.Node.methodSummary()), res.Startup.HeadPolls)
	res.Ranged.Chunk, res.Single.Chunk = live.DefaultBackfillChunk, 1
	for _, r := range []*catchupRun{&res.Ranged, &res.Single} {
		if err := e.catchupRun(ctx, t, r, e.cfg.CatchupBlocks, e.cfg.CatchupMints, nextWallet); err != nil {
			return res, err
		}
		e.logf("  catch-up of %d blocks (%d touching), backfill_chunk %d: %d node HTTP requests: %s (%s; %d head polls meanwhile), %.1f s (%.1f s after listening; node requests %.1f s, portfoliod CPU %.1f s), %d events, %d backfills, %d sweeps",
			r.Blocks, r.Touching, r.Chunk, r.Node.HTTPRequests, res.parts(*r), orNone(r.Node.methodSummary()), r.HeadPolls, r.Wall.Seconds(), (r.Wall - r.Listen).Seconds(),
			r.NodeTime.Seconds(), r.CPU.Seconds(), r.Events, r.Backfills, r.Sweeps)
	}
	return res, nil
}

// catchupRun advances the chain by n blocks, mints of them minting to a
// customer wallet, while t's store is not served, then serves it with
// r.Chunk and counts the node requests until the follower is at the head
// and the proxy is quiet.
func (e *liveEnv) catchupRun(ctx context.Context, t liveTarget, r *catchupRun, n, mints int, nextWallet func() common.Address) error {
	r.Blocks = n
	prev := -1
	for _, off := range mintOffsets(n, mints) {
		if _, err := mineBlocks(ctx, e.anvil, off-prev-1); err != nil {
			return err
		}
		if _, _, _, err := e.mint(ctx, nextWallet()); err != nil {
			return err
		}
		r.Touching++
		prev = off
	}
	head, err := mineBlocks(ctx, e.anvil, n-1-prev)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("%s-catchup-%d-%d", t.name, n, r.Chunk)
	cfgPath := filepath.Join(e.tmp, name+".yaml")
	maxCalls := e.cfg.MaxCallsPerBatch
	if maxCalls == 0 {
		maxCalls = liveMaxCallsPerBatch
	}
	sc := serviceConfig{NodeURL: e.px.URL, StorePath: t.st.storePath, Token: e.token, MaxCallsPerBatch: maxCalls, Live: true, BackfillChunk: r.Chunk}
	if n > live.DefaultMaxBackfill {
		sc.MaxBackfill = n // else the follower sweeps instead
	}
	if err := writeConfig(cfgPath, sc); err != nil {
		return err
	}
	e.px.waitQuiet(ctx, 5*time.Millisecond+e.cfg.Delay, time.Second)
	before := e.px.Stats()
	t0 := time.Now()
	svc, err := startService(ctx, e.bin, cfgPath, filepath.Join(e.tmp, name+"-serve.log"))
	if err != nil {
		return err
	}
	defer svc.Stop()
	r.Listen = time.Since(t0)
	// No block is mined after the start (startLive's first=false does):
	// the restarted follower names its cursor, n blocks back, until it has
	// processed the head.
	if err := waitFollower(ctx, svc.URL, head, 2*time.Minute+time.Duration(n)*100*time.Millisecond); err != nil {
		return fmt.Errorf("catch-up, backfill_chunk %d: %w (log: %s)", r.Chunk, err, tail(svc.logPath, 1000))
	}
	r.Wall = time.Since(t0)
	r.CPU = procCPU(strconv.Itoa(svc.Pid()))
	if n == 0 {
		// Nothing to catch up: let the follower take its first step
		// (a look at the head) before counting.
		if err := sleepCtx(ctx, 300*time.Millisecond); err != nil {
			return err
		}
	}
	e.px.waitQuiet(ctx, 5*time.Millisecond+e.cfg.Delay, 5*time.Second)
	d := e.px.Stats().sub(before)
	r.Node, r.HeadPolls = withoutHeadCalls(d), d.HeadPolls
	m, err := readMetrics(ctx, svc.URL, "portfoliod_events_total", "portfoliod_follower_backfills_total",
		"portfoliod_follower_sweeps_total", "portfoliod_follower_blocks_total", "portfoliod_node_request_duration_seconds_sum")
	if err != nil {
		return err
	}
	r.NodeTime = time.Duration(m["portfoliod_node_request_duration_seconds_sum"] * float64(time.Second))
	r.Events, r.Backfills = int64(m["portfoliod_events_total"]), int64(m["portfoliod_follower_backfills_total"])
	r.Sweeps, r.FollowerBlocks = int64(m["portfoliod_follower_sweeps_total"]), int64(m["portfoliod_follower_blocks_total"])
	return nil
}

// readMetrics reads the named metrics from base's /metrics, summing a
// metric's labelled series.
func readMetrics(ctx context.Context, base string, names ...string) (map[string]float64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/metrics", nil)
	if err != nil {
		return nil, err
	}
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			continue
		}
		series, v := line[:i], line[i+1:]
		name, _, _ := strings.Cut(series, "{")
		if !slices.Contains(names, name) {
			continue
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", series, err)
		}
		out[name] += f
	}
	return out, sc.Err()
}

// catchupTargets is the catch-up row.
func (r *benchReport) catchupTargets() []targetRow {
	c := r.Live.Catchup
	if c == nil {
		return []targetRow{{Target: "Follower catch-up after a restart: node HTTP requests, ranged vs block by block",
			Measured: "not run (-catchup-blocks 0 or an earlier phase failed)", Goal: "side by side", Result: "SKIP"}}
	}
	g, s := c.Ranged, c.Single
	t := fmt.Sprintf("Follower catch-up, %d blocks behind with %d touching customer wallets (%d customers, restarted): node HTTP requests", g.Blocks, g.Touching, c.Customers)
	m := fmt.Sprintf("ranged (backfill_chunk %d): %d = %s; %s; %.1f s · block by block (backfill_chunk 1): %d = %s; %s; %.1f s · block by block ÷ ranged = %s",
		g.Chunk, g.Node.HTTPRequests, c.parts(g), orNone(g.Node.methodSummary()), g.Wall.Seconds(),
		s.Node.HTTPRequests, c.parts(s), orNone(s.Node.methodSummary()), s.Wall.Seconds(), timesFewer(g.Node.HTTPRequests, s.Node.HTTPRequests))
	ranges, headers, tip := catchupCosts(g.Blocks, g.Chunk)
	goal := fmt.Sprintf("ranged ≤ %d (%s + %s up to %d blocks below the head + %s by hash above it, 2 requests each: header and eth_getLogs + 2 × %s: at the block and, for a wallet without known figures, at its parent + %d start-up) and < block by block ÷ 10, side by side",
		c.bound(), plural(ranges, "ranged logs query", "ranged logs queries"), plural(headers, "header batch", "header batches"), catchupTipGap,
		plural(tip, "block", "blocks"), plural(g.Touching, "multicall", "multicalls"), catchupStartup)
	return []targetRow{{Target: t, Measured: m, Goal: goal, Result: passMiss(c.pass())}}
}

// plural renders n with the singular or plural noun.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// timesFewer renders single ÷ ranged as "N×".
func timesFewer(ranged, single int64) string {
	if ranged <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f×", float64(single)/float64(ranged))
}

// catchupMarkdown is the catch-up's own table.
func (r *benchReport) catchupMarkdown() string {
	c := r.Live.Catchup
	if c == nil {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n### Follower catch-up (%d-customer store, restarted %d blocks behind, %d of them minting to a customer wallet)\n\n", c.Customers, c.Ranged.Blocks, c.Ranged.Touching)
	fmt.Fprintf(&b, "| run | node HTTP requests | of them | node methods | head polls meanwhile | start → follower at head (after listening) | node request time · portfoliod CPU | events | backfills · sweeps · blocks |\n|---|---:|---|---|---:|---:|---:|---:|---|\n")
	for i, g := range []catchupRun{c.Startup, c.Ranged, c.Single} {
		name, parts := fmt.Sprintf("backfill_chunk %d", g.Chunk), c.parts(g).String()
		if i == 0 {
			name, parts = "restart at the head (start-up alone)", "—"
		}
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %d | %.1f s (%.1f s) | %.1f s · %.1f s | %d | %d · %d · %d |\n", name, g.Node.HTTPRequests, parts, orNone(g.Node.methodSummary()),
			g.HeadPolls, g.Wall.Seconds(), (g.Wall - g.Listen).Seconds(), g.NodeTime.Seconds(), g.CPU.Seconds(), g.Events, g.Backfills, g.Sweeps, g.FollowerBlocks)
	}
	return b.String()
}

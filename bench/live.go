package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/portfoliod/portfoliod/abi/trextoken"
	"github.com/portfoliod/portfoliod/devnet"
	"github.com/portfoliod/portfoliod/live"
)

// The live-layer rows (SPEC section 8, "Added in v2"): portfoliod runs
// with the chain follower (live.enabled: true) on the small store the
// read-path rows built, after those rows, so that neither's node requests
// are counted into the other's. The large store's follower rows are
// measured in the register phase (registerFollowerCost), whose follower
// sweeps a store of the same customers anyway: a first sweep of 100,000
// customers takes about two minutes on a 2-core machine.

// headPollInterval is chain.head_poll_interval in the live services
// (portfoliod's default).
const headPollInterval = time.Second

// liveMaxCallsPerBatch is chain.max_calls_per_batch of the live services
// unless -max-calls-per-batch sets one. The follower's first start sweeps
// every customer wallet, and portfoliod sends up to 16 aggregate3 chunks
// in one HTTP request, about 450 bytes a call: at the default 1,000 calls
// a chunk that request is about 7 MB, over anvil's 2 MB request limit
// (anvil answers "Invalid request" or drops the connection, and the
// follower retries forever). At 240, a request of 16 chunks is about
// 1.7 MB. The measured blocks read one wallet: one chunk either way.
const liveMaxCallsPerBatch = 240

// liveResult is what the live phase measured.
type liveResult struct {
	PushHTTP *pushResult
	PushWS   *pushResult
	Stores   []*liveStoreResult
	FanOut   *fanoutResult
	Catchup  *catchupResult
}

// pushResult is push latency: a block at the node (the mint's receipt
// back from anvil) to its balance.updated at an SSE client.
type pushResult struct {
	Transport  string
	Blocks     int // blocks mined
	Missed     int // blocks whose event did not arrive within pushTimeout
	FirstError string
	P50, P99   time.Duration
	Max        time.Duration
	// Send is the p50 of eth_sendTransaction → receipt: the most the
	// origin can be after the block was mined.
	Send time.Duration
}

// blockCost sums the follower's node requests over blocks of one kind:
// the proxy's counts from the mint to the follower having processed the
// block, without the head polls in that window (head tracking, counted
// in its own row).
type blockCost struct {
	Blocks    int
	Follower  proxyStats // head polls removed
	HeadPolls int64      // head-poll HTTP requests in the windows
	Max       int64      // most follower HTTP requests in one block
	Min       int64
	// Unsure is, under API load, the requests the proxy could not
	// attribute for sure, counted in Follower (see classify).
	Unsure int64
}

func (c *blockCost) add(d proxyStats) {
	n := d.HTTPRequests - d.HeadPolls
	if c.Blocks == 0 || n > c.Max {
		c.Max = n
	}
	if c.Blocks == 0 || n < c.Min {
		c.Min = n
	}
	c.Blocks++
	c.HeadPolls += d.HeadPolls
	f := withoutHeadCalls(d)
	c.Follower = addStats(c.Follower, f)
}

// addAttributed adds a block's requests the proxy attributed to the
// follower (the unsure ones among them) under API load, and its head
// lookups.
func (c *blockCost) addAttributed(a attrStats) {
	c.add(proxyStats{HTTPRequests: a.Follower + a.HeadPolls, HeadPolls: a.HeadPolls, EthCalls: a.FollowerMethods["eth_call"], Methods: a.FollowerMethods})
	c.Unsure += a.Unsure
}

// perBlock is the follower's HTTP requests per block.
func (c blockCost) perBlock() float64 {
	if c.Blocks == 0 {
		return 0
	}
	return float64(c.Follower.HTTPRequests) / float64(c.Blocks)
}

// unchangedCost sums the node requests of latest portfolios read at a
// new head no event touched, the follower caught up.
type unchangedCost struct {
	Reads     int
	Wallets   []int // portfolio sizes read
	EthCalls  int64
	Requests  int64 // node HTTP requests other than head polls
	HeadPolls int64
	Stale     int // answers naming another block than the new head
	Methods   proxyStats
}

// liveStoreResult is the follower's cost on one store.
type liveStoreResult struct {
	Customers int
	Start     time.Duration // service start to the follower's first sweep done
	Touching  blockCost     // blocks minting to a customer wallet
	Quiet     blockCost     // blocks minting to a wallet no customer owns
	Unchanged unchangedCost
	// Loaded is blocks minting to a customer wallet under Load.
	Loaded blockCost
	Load   *apiLoad
	// Register: measured in the register phase, on its store of
	// generated customers (no size customers: the untouched-head reads
	// are of store customers).
	Register bool
}

// liveTarget is a store the live phase runs a follower on.
type liveTarget struct {
	st        *storeResult
	customers []sizeCustomer // the size customers onboarded on it
	name      string
}

// liveEnv is what the live phase drives.
type liveEnv struct {
	cfg   benchConfig
	tmp   string
	bin   string
	px    *nodeProxy
	anvil *rpcClient
	wsURL string
	token common.Address
	from  common.Address
	tok   *trextoken.TREXToken
	nonce int // wallets of "nobody" used so far
	logf  func(string, ...any)
	// streamsPerKey sets live.max_streams_per_key of the next service
	// started (0: the default).
	streamsPerKey int
}

// pushTimeout bounds the wait for one block's event.
const pushTimeout = 10 * time.Second

func newLiveEnv(cfg benchConfig, tmp, bin string, px *nodeProxy, anvil *rpcClient, token common.Address, logf func(string, ...any)) *liveEnv {
	return &liveEnv{cfg: cfg, tmp: tmp, bin: bin, px: px, anvil: anvil, token: token,
		wsURL: "ws" + strings.TrimPrefix(anvil.url, "http"),
		from:  crypto.PubkeyToAddress(devnet.DevKey().PublicKey), tok: trextoken.NewTREXToken(), logf: logf}
}

func measureLive(ctx context.Context, cfg benchConfig, tmp, bin string, px *nodeProxy, anvil *rpcClient, token common.Address, targets []liveTarget, logf func(string, ...any)) (*liveResult, error) {
	env := newLiveEnv(cfg, tmp, bin, px, anvil, token, logf)
	res := &liveResult{}
	for i, t := range targets {
		logf("live: follower on the %d-customer store (plain HTTP, head_poll_interval %v)", t.st.Customers, headPollInterval)
		sr, push, err := env.followerRun(ctx, t, i == 0)
		if sr != nil {
			res.Stores = append(res.Stores, sr)
		}
		if push != nil {
			res.PushHTTP = push
		}
		if err != nil {
			return res, err
		}
		if i == 0 && cfg.CatchupBlocks > 0 {
			// The first store again, its follower stopped at the head.
			logf("live: follower catch-up on the %d-customer store, restarted %d blocks behind (%d minting to customer wallets), backfill_chunk %d then 1",
				t.st.Customers, cfg.CatchupBlocks, cfg.CatchupMints, live.DefaultBackfillChunk)
			c, err := env.catchup(ctx, t)
			res.Catchup = c
			if err != nil {
				return res, err
			}
		}
	}
	if len(targets) > 0 {
		logf("live: push latency with chain.ws_url %s", env.wsURL)
		push, err := env.pushWS(ctx, targets[0])
		res.PushWS = push
		if err != nil {
			return res, err
		}
		if cfg.FanOutClients > 0 {
			logf("live: SSE fan-out, %d stream clients on one customer, %d blocks (chain.ws_url)", cfg.FanOutClients, cfg.FanOutBlocks)
			if res.FanOut, err = env.fanOut(ctx, targets[0]); err != nil {
				return res, err
			}
		}
	}
	return res, nil
}

// startLive serves t's store with the follower and waits until it has
// caught up: on a first start (first), its sweep of every customer
// wallet at the head; on a restart, a block mined after the start (the
// restarted follower's portfoliod_follower_block_number names its
// persisted cursor at once, so only a new block shows it follows).
func (e *liveEnv) startLive(ctx context.Context, t liveTarget, wsURL, name string, first bool) (*service, time.Duration, error) {
	cfgPath := filepath.Join(e.tmp, name+".yaml")
	maxCalls := e.cfg.MaxCallsPerBatch
	if maxCalls == 0 {
		maxCalls = liveMaxCallsPerBatch
	}
	if err := writeConfig(cfgPath, serviceConfig{NodeURL: e.px.URL, StorePath: t.st.storePath, Token: e.token,
		MaxCallsPerBatch: maxCalls, Live: true, WSURL: wsURL, MaxStreamsPerKey: e.streamsPerKey}); err != nil {
		return nil, 0, err
	}
	t0 := time.Now()
	svc, err := startService(ctx, e.bin, cfgPath, filepath.Join(e.tmp, name+"-serve.log"))
	if err != nil {
		return nil, 0, err
	}
	head, err := e.anvil.blockNumber(ctx)
	if !first && err == nil {
		head, err = mineBlocks(ctx, e.anvil, 1)
	}
	if err != nil {
		svc.Stop()
		return nil, 0, err
	}
	if err := waitFollower(ctx, svc.URL, head, 30*time.Second+time.Duration(t.st.Customers)*time.Millisecond); err != nil {
		svc.Stop()
		return nil, 0, fmt.Errorf("%w (log: %s)", err, tail(svc.logPath, 1000))
	}
	return svc, time.Since(t0), nil
}

// followerRun serves t's store with the follower over plain HTTP and
// measures the follower's cost per block (without and with API load), the
// latest portfolio at a head nothing touched, and (push) the push latency
// to an SSE client.
func (e *liveEnv) followerRun(ctx context.Context, t liveTarget, push bool) (*liveStoreResult, *pushResult, error) {
	svc, start, err := e.startLive(ctx, t, "", t.name+"-live", true)
	if err != nil {
		return nil, nil, err
	}
	defer svc.Stop()
	sr := &liveStoreResult{Customers: t.st.Customers, Start: start}
	e.logf("  follower caught up %.1f s after start (first start: a sweep of every customer wallet)", start.Seconds())
	api := newAPIClient(svc.URL)

	var pr *pushResult
	if push {
		// Every push block mints to a customer wallet: the same blocks
		// give the follower's cost per touching block.
		pr, err = e.push(ctx, api, svc.URL, "plain HTTP (head_poll_interval 1s)", e.cfg.LiveBlocks, headPollInterval, &sr.Touching)
		if err != nil {
			return sr, pr, err
		}
		e.logf("  push: p50 %s p99 %s over %d blocks (%d missed)", ms(pr.P50), ms(pr.P99), pr.Blocks, pr.Missed)
	}
	// At each untouched head, a latest portfolio of a size customer.
	sizes := func(i int) (string, int) {
		c := t.customers[i%len(t.customers)]
		return c.id, len(c.wallets)
	}
	return sr, pr, e.followerCost(ctx, svc.URL, api, sr, !push, sizes)
}

// followerCost measures, on a live service whose follower has caught up
// on a store of sr.Customers customers: (touching) the follower's cost
// per block minting to customer wallets spread over the store, none read
// before; per block minting to a wallet no customer owns, with a latest
// portfolio of pick(i) at each such head; and per block minting to
// customer wallets while clients read other customers (costLoaded).
func (e *liveEnv) followerCost(ctx context.Context, base string, api *apiClient, sr *liveStoreResult, touching bool, pick func(i int) (id string, wallets int)) error {
	n := sr.Customers
	for i := 0; touching && i < e.cfg.LiveCostBlocks && ctx.Err() == nil; i++ {
		k := pickIndex(n, 7, i)
		w := storeWallets(k, e.cfg.WalletsPerCustomer)[i%e.cfg.WalletsPerCustomer]
		if _, err := e.costBlock(ctx, base, w, &sr.Touching); err != nil {
			return err
		}
	}
	for i := 0; i < e.cfg.LiveCostBlocks && ctx.Err() == nil; i++ {
		e.nonce++
		head, err := e.costBlock(ctx, base, walletAddress("nobody", e.nonce), &sr.Quiet)
		if err != nil {
			return err
		}
		id, size := pick(i)
		before := e.px.Stats()
		resp, err := api.portfolio(ctx, id, "")
		if err != nil {
			return fmt.Errorf("latest portfolio at an untouched head: %w", err)
		}
		d := e.px.Stats().sub(before)
		u := &sr.Unchanged
		u.Reads++
		u.Wallets = append(u.Wallets, size)
		u.EthCalls += d.EthCalls
		u.Requests += d.HTTPRequests - d.HeadPolls
		u.HeadPolls += d.HeadPolls
		u.Methods = addStats(u.Methods, withoutHeadCalls(d))
		if resp.Block != head {
			u.Stale++
		}
	}
	e.logf("  follower per block: touching %.2f (%s), quiet %.2f (%s); untouched latest portfolio: %d eth_call, %d requests over %d reads",
		sr.Touching.perBlock(), orNone(sr.Touching.Follower.methodSummary()), sr.Quiet.perBlock(), orNone(sr.Quiet.Follower.methodSummary()),
		sr.Unchanged.EthCalls, sr.Unchanged.Requests, sr.Unchanged.Reads)
	if err := e.costLoaded(ctx, base, api, sr); err != nil {
		return err
	}
	l := sr.Load
	e.logf("  follower per block touching customer wallets with API load: %.2f (%s; %d unsure, counted as the follower's; max %d); API load: %d clients, %.0f reads/s (%d errors), %.1f node HTTP requests/s (%s) + %.1f head lookups/s",
		sr.Loaded.perBlock(), orNone(sr.Loaded.Follower.methodSummary()), sr.Loaded.Unsure, sr.Loaded.Max, l.Clients, l.readRate(), l.Errors,
		l.apiRate(), orNone(methodSummary(l.Node.APIMethods)), l.headRate())
	return nil
}

// apiLoad is the API load of the follower-cost blocks with API load:
// clients reading, in turn, the profile and the latest portfolio of
// customers whose wallets those blocks never mint to.
type apiLoad struct {
	Clients    int
	Reads      int // successful reads: profiles and latest portfolios
	Errors     int
	FirstError string
	Elapsed    time.Duration
	// Node is the proxy's attribution over the whole load: the API's
	// requests, head lookups (head tracking and the API's latest reads'
	// head refreshes) and the follower's.
	Node attrStats
}

func (l *apiLoad) rate(n int64) float64 {
	if l == nil || l.Elapsed <= 0 {
		return 0
	}
	return float64(n) / l.Elapsed.Seconds()
}

func (l *apiLoad) readRate() float64 { return l.rate(int64(l.Reads)) }
func (l *apiLoad) apiRate() float64  { return l.rate(l.Node.API) }
func (l *apiLoad) headRate() float64 { return l.rate(l.Node.HeadPolls) }

// loadSettle is how long the API load runs before the first block.
const loadSettle = 500 * time.Millisecond

// costLoaded mints to customer wallets spread over the store, block by
// block, while cfg.Clients clients read the profiles and latest
// portfolios of other customers continuously, and adds each block's
// follower requests to sr.Loaded: the proxy attributes every request (see
// classify), the needle being the block's minted wallet.
func (e *liveEnv) costLoaded(ctx context.Context, base string, api *apiClient, sr *liveStoreResult) error {
	n := sr.Customers
	wallets := make([]common.Address, e.cfg.LiveCostBlocks)
	minted := map[int]bool{}
	for i := range wallets {
		k := pickIndex(n, 11, i)
		minted[k] = true
		wallets[i] = storeWallets(k, e.cfg.WalletsPerCustomer)[i%e.cfg.WalletsPerCustomer]
	}
	if len(minted) >= n {
		return fmt.Errorf("follower cost with API load: the %d customers are all minted to; none left to read", n)
	}
	load := &apiLoad{Clients: e.cfg.Clients}
	sr.Load = load
	e.px.waitQuiet(ctx, 5*time.Millisecond+e.cfg.Delay, time.Second)
	e.px.attribute(wallets[0])
	defer e.px.stopAttributing()
	lctx, stop := context.WithCancel(ctx)
	defer stop()
	start := time.Now()
	total0 := e.px.AttrStats()
	done := make(chan struct{})
	go func() {
		defer close(done)
		// Until stopped: no request cap, no deadline.
		spec := loadSpec{clients: load.Clients, minRequests: math.MaxInt, maxRequests: math.MaxInt}
		lat, errs, firstErr, _ := runLoad(lctx, spec, func(ctx context.Context, i int) error {
			k := pickIndex(n, 17, i)
			for minted[k] {
				k = (k + 1) % n
			}
			if i%2 == 0 {
				return api.profile(ctx, storeCustomerID(k))
			}
			_, err := api.portfolio(ctx, storeCustomerID(k), "")
			return err
		})
		load.Reads, load.Errors = len(lat), errs
		if firstErr != nil {
			load.FirstError = firstErr.Error()
		}
	}()
	finish := func() {
		stop()
		<-done
		load.Elapsed = time.Since(start)
		load.Node = e.px.AttrStats().sub(total0)
	}
	if err := sleepCtx(ctx, loadSettle); err != nil {
		finish()
		return err
	}
	for _, w := range wallets {
		e.px.attribute(w)
		before := e.px.AttrStats()
		block, _, _, err := e.mint(ctx, w)
		if err == nil {
			err = waitFollower(ctx, base, block, pushTimeout)
		}
		if err != nil {
			finish()
			return fmt.Errorf("follower cost with API load: %w", err)
		}
		// Committed: the follower's requests for the block are done.
		sr.Loaded.addAttributed(e.px.AttrStats().sub(before))
	}
	finish()
	if load.Reads == 0 {
		return fmt.Errorf("follower cost with API load: no read of the API load succeeded: %s", load.FirstError)
	}
	return nil
}

// costBlock mints to w, waits until the follower has processed the block
// and the proxy is quiet, and adds the block's node requests to c.
func (e *liveEnv) costBlock(ctx context.Context, base string, w common.Address, c *blockCost) (uint64, error) {
	e.px.waitQuiet(ctx, 5*time.Millisecond+e.cfg.Delay, time.Second)
	before := e.px.Stats()
	block, _, _, err := e.mint(ctx, w)
	if err != nil {
		return 0, err
	}
	if err := waitFollower(ctx, base, block, pushTimeout); err != nil {
		return 0, err
	}
	e.px.waitQuiet(ctx, 5*time.Millisecond+e.cfg.Delay, time.Second)
	c.add(e.px.Stats().sub(before))
	return block, nil
}

// pushWS serves t's store with the follower and chain.ws_url (anvil's
// WebSocket on its HTTP port, not through the proxy, which speaks HTTP
// only: reads still go through it) and measures push latency.
func (e *liveEnv) pushWS(ctx context.Context, t liveTarget) (*pushResult, error) {
	svc, _, err := e.startLive(ctx, t, e.wsURL, t.name+"-live-ws", false)
	if err != nil {
		return nil, err
	}
	defer svc.Stop()
	var cost blockCost
	pr, err := e.push(ctx, newAPIClient(svc.URL), svc.URL, "chain.ws_url (newHeads)", e.cfg.LiveBlocks, 100*time.Millisecond, &cost)
	if pr != nil {
		e.logf("  push (ws): p50 %s p99 %s over %d blocks (%d missed)", ms(pr.P50), ms(pr.P99), pr.Blocks, pr.Missed)
	}
	return pr, err
}

// push opens GET /customer/{id}/events for a store customer, mints n
// blocks to its wallet, one at a time, and times each balance.updated.
// The gap before each mint spreads the mints evenly over the phase of a
// head poll (stratified over [0, spread), shuffled), so that the poll's
// wait is sampled uniformly rather than at one phase.
func (e *liveEnv) push(ctx context.Context, api *apiClient, base, transport string, n int, spread time.Duration, cost *blockCost) (*pushResult, error) {
	pr := &pushResult{Transport: transport}
	const customer = 1
	id := storeCustomerID(customer)
	wallet := storeWallets(customer, e.cfg.WalletsPerCustomer)[0]
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	st, err := openStream(sctx, api, id)
	if err != nil {
		return pr, err
	}
	defer st.close()
	rng := rand.New(rand.NewPCG(10, uint64(n)))
	order := rng.Perm(n)
	var lat, sends []time.Duration
	for i := 0; i < n && ctx.Err() == nil; i++ {
		gap := time.Duration((float64(order[i]) + rng.Float64()) / float64(n) * float64(spread))
		if err := sleepCtx(ctx, gap); err != nil {
			return pr, err
		}
		e.px.waitQuiet(ctx, 2*time.Millisecond+e.cfg.Delay, time.Second)
		before := e.px.Stats()
		block, mined, send, err := e.mint(ctx, wallet)
		if err != nil {
			return pr, err
		}
		pr.Blocks++
		sends = append(sends, send)
		at, err := st.waitBlock(ctx, block, pushTimeout)
		if err != nil {
			pr.Missed++
			if pr.FirstError == "" {
				pr.FirstError = err.Error()
			}
			if st.err() != nil {
				break
			}
			continue
		}
		lat = append(lat, at.Sub(mined))
		e.px.waitQuiet(ctx, 5*time.Millisecond+e.cfg.Delay, time.Second)
		cost.add(e.px.Stats().sub(before))
	}
	sortDurations(lat)
	sortDurations(sends)
	pr.P50, pr.P99, pr.Send = percentile(lat, 50), percentile(lat, 99), percentile(sends, 50)
	if len(lat) > 0 {
		pr.Max = lat[len(lat)-1]
	}
	if len(lat) == 0 {
		return pr, fmt.Errorf("push latency (%s): no balance.updated arrived: %s", transport, pr.FirstError)
	}
	return pr, nil
}

// mint sends mint(w, 1) from the dev account (an agent of the benchmark
// token) through anvil directly, which mines it at once, and returns its
// block, when the receipt was back, and the send → receipt time.
func (e *liveEnv) mint(ctx context.Context, w common.Address) (uint64, time.Time, time.Duration, error) {
	tx := map[string]string{"from": e.from.Hex(), "to": e.token.Hex(), "gas": "0x30d40",
		"data": "0x" + common.Bytes2Hex(e.tok.PackMint(w, big.NewInt(1)))}
	t0 := time.Now()
	var hash string
	if err := e.anvil.call(ctx, &hash, "eth_sendTransaction", tx); err != nil {
		return 0, time.Time{}, 0, err
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		var rcpt struct {
			BlockNumber string `json:"blockNumber"`
			Status      string `json:"status"`
		}
		err := e.anvil.call(ctx, &rcpt, "eth_getTransactionReceipt", hash)
		switch {
		case err == nil:
			at := time.Now()
			if rcpt.Status != "0x1" {
				return 0, at, 0, fmt.Errorf("mint %s reverted", hash)
			}
			n, err := parseHexUint(rcpt.BlockNumber)
			return n, at, at.Sub(t0), err
		case !strings.Contains(err.Error(), "empty result"):
			return 0, time.Time{}, 0, err
		case time.Now().After(deadline):
			return 0, time.Time{}, 0, fmt.Errorf("mint %s: no receipt after 30 s", hash)
		}
		time.Sleep(time.Millisecond)
	}
}

// withoutHeadCalls drops the head polls from d: the HTTP requests that
// carried one and their calls (method names with a tag, see the proxy).
func withoutHeadCalls(d proxyStats) proxyStats {
	out := proxyStats{HTTPRequests: d.HTTPRequests - d.HeadPolls, EthCalls: d.EthCalls, Methods: map[string]int64{}}
	for m, n := range d.Methods {
		if m == "eth_blockNumber" || strings.HasSuffix(m, ")") {
			continue
		}
		out.Methods[m] = n
		out.RPCCalls += n
	}
	return out
}

// followerBlock reads portfoliod_follower_block_number from /metrics;
// false before the follower's first block.
func followerBlock(ctx context.Context, base string) (uint64, bool, error) {
	m, err := readMetrics(ctx, base, "portfoliod_follower_block_number")
	v, ok := m["portfoliod_follower_block_number"]
	return uint64(v), ok, err
}

// waitFollower waits until the follower has processed block n.
func waitFollower(ctx context.Context, base string, n uint64, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	var last uint64
	for {
		got, ok, err := followerBlock(ctx, base)
		if err == nil && ok && got >= n {
			return nil
		}
		last = got
		if time.Now().After(deadline) {
			return fmt.Errorf("the follower is at block %d, not %d, after %v (metrics error: %v)", last, n, timeout, err)
		}
		if err := sleepCtx(ctx, 5*time.Millisecond); err != nil {
			return err
		}
	}
}

// stream is an SSE client of GET /customer/{id}/events, reading with
// bufio; it hands on the block number of every balance.updated with the
// time its message was read.
type stream struct {
	body   io.Closer
	blocks chan arrival
	done   chan struct{}
	failed error
}

type arrival struct {
	block uint64
	at    time.Time
}

// openStream connects and waits for the stream's first portfolio event.
func openStream(ctx context.Context, api *apiClient, id string) (*stream, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, api.base+"/customer/"+id+"/events", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("x-api-key", benchAPIKey)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := (&http.Client{}).Do(req) // no timeout: the stream lasts
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1000))
		resp.Body.Close()
		return nil, fmt.Errorf("GET /customer/%s/events: status %d: %s", id, resp.StatusCode, b)
	}
	s := &stream{body: resp.Body, blocks: make(chan arrival, 1024), done: make(chan struct{})}
	first := make(chan string, 1)
	go s.read(bufio.NewReader(resp.Body), first)
	select {
	case ev := <-first:
		if ev != "portfolio" {
			s.close()
			return nil, fmt.Errorf("stream of %s started with a %q event, want portfolio", id, ev)
		}
		return s, nil
	case <-s.done:
		return nil, fmt.Errorf("stream of %s ended before its portfolio event: %v", id, s.failed)
	case <-time.After(30 * time.Second):
		s.close()
		return nil, fmt.Errorf("stream of %s: no portfolio event within 30 s", id)
	}
}

func (s *stream) read(r *bufio.Reader, first chan<- string) {
	defer close(s.done)
	var event, data string
	sentFirst := false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			s.failed = err
			return
		}
		line = strings.TrimRight(line, "\r\n")
		switch {
		case line == "":
			at := time.Now()
			if event != "" && !sentFirst {
				sentFirst = true
				first <- event
			}
			if event == "balance.updated" {
				var ev struct {
					Data struct {
						Block struct {
							Number uint64 `json:"number"`
						} `json:"block"`
					} `json:"data"`
				}
				if err := json.Unmarshal([]byte(data), &ev); err != nil {
					s.failed = fmt.Errorf("balance.updated data: %w", err)
					return
				}
				select {
				case s.blocks <- arrival{block: ev.Data.Block.Number, at: at}:
				default:
				}
			}
			event, data = "", ""
		case strings.HasPrefix(line, "event:"):
			event = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
		case strings.HasPrefix(line, "data:"):
			data += strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " ")
		}
	}
}

// waitBlock waits for the balance.updated of block n and returns when it
// was read.
func (s *stream) waitBlock(ctx context.Context, n uint64, timeout time.Duration) (time.Time, error) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	for {
		select {
		case a := <-s.blocks:
			if a.block == n {
				return a.at, nil
			}
		case <-s.done:
			return time.Time{}, fmt.Errorf("stream ended: %v", s.failed)
		case <-t.C:
			return time.Time{}, fmt.Errorf("no balance.updated for block %d within %v", n, timeout)
		case <-ctx.Done():
			return time.Time{}, ctx.Err()
		}
	}
}

func (s *stream) err() error {
	select {
	case <-s.done:
		if s.failed == nil {
			return errors.New("stream ended")
		}
		return s.failed
	default:
		return nil
	}
}

func (s *stream) close() {
	s.body.Close()
	<-s.done
}

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/portfoliod/portfoliod/abi/trextoken"
	"github.com/portfoliod/portfoliod/devnet"
)

// The webhook rows (SPEC section 8, "Push latency": a webhook's first
// delivery attempt within 1 s of the event; issue 11, "Benchmark"): after
// the live phase, portfoliod serves the small store with the follower and
// webhooks to 10 loopback receivers and one endpoint whose port refuses
// connections for the whole run. It measures the delivery latency from
// the event to a receiver, the deliveries per second of one block of
// many events to the 10 receivers, and, with the down receiver's
// deliveries piling up, the outbox's depth and the process's memory.

// webhookReceivers is how many live receivers the webhook rows serve.
const webhookReceivers = 10

// webhookResult is what the webhook phase measured.
type webhookResult struct {
	// Latency: the event (its balance.updated read by an SSE client of
	// the customer, published once the block's commit returned) to its
	// delivery at receiver 0; Block: the block at the node to it.
	Blocks, Missed int
	FirstError     string
	P50, P99, Max  time.Duration
	BlockP50       time.Duration
	// Burst: one block with Events events, each delivered to every
	// receiver; Spread is the first delivery to the last, Drain the
	// block at the node to the last.
	Events     int
	Deliveries int
	Spread     time.Duration
	Drain      time.Duration
	// The outbox with one receiver down for the whole run: Depth pending
	// deliveries at the end (Owed of them to the down one), the oldest
	// Oldest old; the process's memory at the phase's start and end.
	Depth, Owed      int
	Oldest           time.Duration
	MemStart, MemEnd memSample
}

// perSecond is the burst's deliveries per second, first to last.
func (w *webhookResult) perSecond() float64 {
	if w.Spread <= 0 {
		return 0
	}
	return float64(w.Deliveries) / w.Spread.Seconds()
}

// webhookArrival is a delivery a receiver got.
type webhookArrival struct {
	id    string
	block uint64
	at    time.Time
}

// hookSink is a loopback receiver answering 204 and keeping the first
// arrival of each webhook-id.
type hookSink struct {
	*httptest.Server
	mu  sync.Mutex
	got map[string]webhookArrival
	new chan struct{} // a delivery arrived
}

func newHookSink() *hookSink {
	s := &hookSink{got: map[string]webhookArrival{}, new: make(chan struct{}, 1)}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		at := time.Now()
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		var ev struct {
			Data struct {
				Block struct {
					Number uint64 `json:"number"`
				} `json:"block"`
			} `json:"data"`
		}
		_ = json.Unmarshal(body, &ev)
		id := r.Header.Get("webhook-id")
		s.mu.Lock()
		if _, ok := s.got[id]; !ok {
			s.got[id] = webhookArrival{id: id, block: ev.Data.Block.Number, at: at}
		}
		s.mu.Unlock()
		select {
		case s.new <- struct{}{}:
		default:
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	return s
}

// ofBlock returns the arrivals of block n's events.
func (s *hookSink) ofBlock(n uint64) []webhookArrival {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []webhookArrival
	for _, a := range s.got {
		if a.block == n {
			out = append(out, a)
		}
	}
	return out
}

// waitBlock waits until s holds want deliveries of block n's events.
func (s *hookSink) waitBlock(ctx context.Context, n uint64, want int, timeout time.Duration) ([]webhookArrival, error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		if got := s.ofBlock(n); len(got) >= want {
			return got, nil
		}
		select {
		case <-s.new:
		case <-time.After(5 * time.Millisecond):
		case <-deadline.C:
			return s.ofBlock(n), fmt.Errorf("%d of %d deliveries of block %d within %v", len(s.ofBlock(n)), want, n, timeout)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// registerWebhook registers url for balance.updated.
func registerWebhook(ctx context.Context, api *apiClient, url string) error {
	status, _, body, err := api.do(ctx, http.MethodPost, "/webhooks", []byte(`{"url":"`+url+`","types":["balance.updated"]}`))
	if err != nil {
		return err
	}
	if status != http.StatusCreated {
		return fmt.Errorf("POST /webhooks %s: %d %s", url, status, body)
	}
	return nil
}

// refusedURL is a loopback URL whose port refuses connections: a
// listener opened to pick the port, then closed.
func refusedURL() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr + "/down", nil
}

// outboxMetrics reads the outbox gauges from /metrics.
func outboxMetrics(ctx context.Context, base string) (depth int, oldest time.Duration, err error) {
	const pending, age = "portfoliod_webhook_outbox_pending", "portfoliod_webhook_outbox_oldest_age_seconds"
	m, err := readMetrics(ctx, base, pending, age)
	if err != nil {
		return 0, 0, err
	}
	d, ok1 := m[pending]
	a, ok2 := m[age]
	if !ok1 || !ok2 {
		return 0, 0, fmt.Errorf("/metrics has no outbox gauges")
	}
	return int(d), time.Duration(a * float64(time.Second)), nil
}

// measureWebhooks runs the webhook rows on st's store (the live phase has
// stopped its services: bbolt has one process per file).
func measureWebhooks(ctx context.Context, cfg benchConfig, tmp, bin string, px *nodeProxy, anvil *rpcClient, token common.Address, st *storeResult, logf func(string, ...any)) (*webhookResult, error) {
	sinks := make([]*hookSink, webhookReceivers)
	for i := range sinks {
		sinks[i] = newHookSink()
		defer sinks[i].Close()
	}
	down, err := refusedURL()
	if err != nil {
		return nil, err
	}
	maxCalls := cfg.MaxCallsPerBatch
	if maxCalls == 0 {
		maxCalls = liveMaxCallsPerBatch
	}
	cfgPath := filepath.Join(tmp, "webhooks.yaml")
	if err := writeConfig(cfgPath, serviceConfig{NodeURL: px.URL, StorePath: st.storePath, Token: token, MaxCallsPerBatch: maxCalls, Live: true,
		Admin: true, LoopbackWebhooks: true}); err != nil {
		return nil, err
	}
	svc, err := startService(ctx, bin, cfgPath, filepath.Join(tmp, "webhooks-serve.log"))
	if err != nil {
		return nil, err
	}
	defer svc.Stop()
	head, err := mineBlocks(ctx, anvil, 1)
	if err != nil {
		return nil, err
	}
	if err := waitFollower(ctx, svc.URL, head, 30*time.Second+time.Duration(st.Customers)*time.Millisecond); err != nil {
		return nil, fmt.Errorf("%w (log: %s)", err, tail(svc.logPath, 1000))
	}
	res := &webhookResult{}
	if res.MemStart, err = sampleMemory(svc.Pid()); err != nil {
		return nil, err
	}
	api := newAPIClient(svc.URL)
	// The down receiver first: it is owed every event of the phase.
	if err := registerWebhook(ctx, api, down); err != nil {
		return nil, err
	}
	for _, s := range sinks {
		if err := registerWebhook(ctx, api, s.URL+"/hooks"); err != nil {
			return nil, err
		}
	}
	e := &liveEnv{cfg: cfg, anvil: anvil, token: token, from: crypto.PubkeyToAddress(devnet.DevKey().PublicKey), tok: trextoken.NewTREXToken(), logf: logf}

	// Latency: one block, one event, at a time.
	const customer = 1
	st1, err := openStream(ctx, api, storeCustomerID(customer))
	if err != nil {
		return nil, err
	}
	defer st1.close()
	wallet := storeWallets(customer, cfg.WalletsPerCustomer)[0]
	var lat, fromBlock []time.Duration
	for i := 0; i < cfg.LiveBlocks && ctx.Err() == nil; i++ {
		block, mined, _, err := e.mint(ctx, wallet)
		if err != nil {
			return res, err
		}
		res.Blocks++
		evAt, err := st1.waitBlock(ctx, block, pushTimeout)
		var got []webhookArrival
		if err == nil {
			got, err = sinks[0].waitBlock(ctx, block, 1, pushTimeout)
		}
		if err != nil {
			res.Missed++
			if res.FirstError == "" {
				res.FirstError = err.Error()
			}
			continue
		}
		lat = append(lat, got[0].at.Sub(evAt))
		fromBlock = append(fromBlock, got[0].at.Sub(mined))
		if err := sleepCtx(ctx, 100*time.Millisecond); err != nil {
			return res, err
		}
	}
	sortDurations(lat)
	sortDurations(fromBlock)
	res.P50, res.P99, res.BlockP50 = percentile(lat, 50), percentile(lat, 99), percentile(fromBlock, 50)
	if len(lat) > 0 {
		res.Max = lat[len(lat)-1]
	}
	logf("  webhook latency: event → receiver p50 %s p99 %s over %d blocks (%d missed); block → receiver p50 %s",
		ms(res.P50), ms(res.P99), res.Blocks, res.Missed, ms(res.BlockP50))

	// Throughput: one block minting to Events customers, so that the
	// outbox holds Events × 10 deliveries at once (and Events more for
	// the down receiver).
	res.Events = 100
	if cfg.Quick {
		res.Events = 30
	}
	res.Events = min(res.Events, st.Customers-customer-1)
	block, mined, err := e.burst(ctx, res.Events, customer+1)
	if err != nil {
		return res, err
	}
	res.Owed = res.Blocks + res.Events // one event a latency block
	first, last := time.Time{}, time.Time{}
	for _, s := range sinks {
		got, err := s.waitBlock(ctx, block, res.Events, 60*time.Second)
		if err != nil {
			return res, fmt.Errorf("burst: %w", err)
		}
		for _, a := range got {
			if first.IsZero() || a.at.Before(first) {
				first = a.at
			}
			if a.at.After(last) {
				last = a.at
			}
		}
		res.Deliveries += len(got)
	}
	res.Spread, res.Drain = last.Sub(first), last.Sub(mined)
	logf("  webhook burst: %d deliveries (%d events × %d receivers) in %s, %.0f/s; block → last delivery %s",
		res.Deliveries, res.Events, webhookReceivers, ms(res.Spread), res.perSecond(), ms(res.Drain))

	// The outbox: what is left is owed to the down receiver.
	if err := sleepCtx(ctx, time.Second); err != nil {
		return res, err
	}
	if res.Depth, res.Oldest, err = outboxMetrics(ctx, svc.URL); err != nil {
		return res, err
	}
	if res.MemEnd, err = sampleMemory(svc.Pid()); err != nil {
		return res, err
	}
	logf("  webhook outbox with one receiver down: %d pending (%d owed to it), oldest %.1f s; memory %s → %s",
		res.Depth, res.Owed, res.Oldest.Seconds(), res.MemStart, res.MemEnd)
	return res, nil
}

// burst mints to n customers of the store, from customer k on, in one
// block (automine off for the sends, then one evm_mine), and returns the
// block and when it was mined.
func (e *liveEnv) burst(ctx context.Context, n, k int) (uint64, time.Time, error) {
	if err := e.anvil.call(ctx, nil, "evm_setAutomine", false); err != nil {
		return 0, time.Time{}, err
	}
	defer e.anvil.call(context.WithoutCancel(ctx), nil, "evm_setAutomine", true)
	for i := range n {
		w := storeWallets(k+i, e.cfg.WalletsPerCustomer)[0]
		tx := map[string]string{"from": e.from.Hex(), "to": e.token.Hex(), "gas": "0x30d40",
			"data": "0x" + common.Bytes2Hex(e.tok.PackMint(w, common.Big1))}
		var hash string
		if err := e.anvil.call(ctx, &hash, "eth_sendTransaction", tx); err != nil {
			return 0, time.Time{}, err
		}
	}
	if err := e.anvil.call(ctx, nil, "evm_mine"); err != nil {
		return 0, time.Time{}, err
	}
	mined := time.Now()
	head, err := e.anvil.blockNumber(ctx)
	if err != nil {
		return 0, time.Time{}, err
	}
	var blk struct {
		Transactions []string `json:"transactions"`
	}
	if err := e.anvil.call(ctx, &blk, "eth_getBlockByNumber", hexUint(head), false); err != nil {
		return 0, time.Time{}, err
	}
	if len(blk.Transactions) != n {
		return 0, time.Time{}, fmt.Errorf("the burst block %d holds %d transactions, not %d", head, len(blk.Transactions), n)
	}
	return head, mined, nil
}

// webhookTargets are the webhook rows.
func (r *benchReport) webhookTargets() []targetRow {
	w := r.Webhooks
	if w == nil {
		return []targetRow{{Target: "Webhooks (delivery latency, deliveries per second, outbox with a receiver down)", Measured: "not run (-live=false or an earlier phase failed)", Goal: "first attempt ≤ 1 s after the event", Result: "SKIP"}}
	}
	lat := fmt.Sprintf("p50 %s, p99 %s, max %s over %d blocks (block at the node → receiver: p50 %s)", ms(w.P50), ms(w.P99), ms(w.Max), w.Blocks, ms(w.BlockP50))
	if w.Missed > 0 {
		lat += fmt.Sprintf(" (%d missed: %s)", w.Missed, w.FirstError)
	}
	live := w.Depth - w.Owed
	return []targetRow{
		{Target: fmt.Sprintf("Webhook delivery latency (event at an SSE client → receiver; %d receivers, one down)", webhookReceivers),
			Measured: lat, Goal: "first attempt ≤ 1 s after the event",
			Result: passMiss(w.Blocks > 0 && w.Missed == 0 && w.P99 <= time.Second)},
		{Target: fmt.Sprintf("Webhook deliveries per second (one block of %d events to %d local receivers)", w.Events, webhookReceivers),
			Measured: fmt.Sprintf("%.0f/s (%d deliveries in %s first to last; block at the node → last delivery %s)", w.perSecond(), w.Deliveries, ms(w.Spread), ms(w.Drain)),
			Goal:     "side by side", Result: "INFO"},
		{Target: "Webhook outbox with one receiver down for the whole run",
			Measured: fmt.Sprintf("depth %d (%d events owed to the down receiver, %d to the live ones), oldest %.1f s; memory at the start %s, at the end %s",
				w.Depth, w.Owed, live, w.Oldest.Seconds(), w.MemStart, w.MemEnd),
			Goal: "the live receivers owe nothing", Result: passMiss(live == 0)},
	}
}

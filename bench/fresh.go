package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// The freshness rows (SPEC section 8, "Freshness"): from a new block at
// the node to the first latest response naming it. Clients poll a
// 1-wallet customer's latest portfolio every freshPollEvery, side by side
// on the same blocks: portfoliod over plain HTTP with the default
// chain.max_head_age (100 ms), portfoliod with max_head_age 30s (the old
// behaviour: latest answers from the head the tracker polls once a
// second), portfoliod with chain.ws_url, and the naive baseline, which
// asks the node for the head on every request. Each portfoliod runs on a
// store of its own with the follower off, behind a proxy of its own (the
// same delay), so that its node requests are counted apart.

// freshPollEvery spaces each client's requests: the figures' resolution,
// and it keeps four polling clients from saturating the 2 cores.
const freshPollEvery = 5 * time.Millisecond

// freshTarget is one polled client.
type freshTarget struct {
	Name string
	// P50, P99 and Max are mined block → first response naming it.
	P50, P99, Max time.Duration
	Blocks        int // blocks measured
	Missed        int // blocks no response named within pushTimeout
	Responses     int
	NodeRequests  int64 // through its proxy over the phase (portfoliod only)
	FirstError    string
	read          func(ctx context.Context) (uint64, error)
	mu            sync.Mutex
	seen          uint64 // highest block a response named
	seenAt        map[uint64]time.Time
	errors        int
}

// freshResult is the freshness phase.
type freshResult struct {
	Targets []*freshTarget
	Blocks  int
	RTT     time.Duration // p50 of eth_blockNumber through a proxy: one round trip to the node
}

func measureFreshness(ctx context.Context, cfg benchConfig, tmp, bin string, nodeURL string, anvil *rpcClient, naive *naiveReader, c sizeCustomer, logf func(string, ...any)) (*freshResult, error) {
	res := &freshResult{Blocks: cfg.FreshBlocks}
	kinds := []struct {
		name, maxAge, ws string
	}{
		{name: "portfoliod, plain HTTP, max_head_age 100ms (default)"},
		{name: "portfoliod, plain HTTP, max_head_age 30s (the old behaviour: head polled every 1s)", maxAge: "30s"},
		{name: "portfoliod, chain.ws_url (newHeads)", ws: "ws" + strings.TrimPrefix(anvil.url, "http")},
	}
	var proxies []*nodeProxy
	defer func() {
		for _, px := range proxies {
			px.Close()
		}
	}()
	for i, k := range kinds {
		px, err := startProxy(nodeURL, cfg.Delay)
		if err != nil {
			return res, err
		}
		proxies = append(proxies, px)
		name := fmt.Sprintf("fresh-%d", i)
		cfgPath := filepath.Join(tmp, name+".yaml")
		if err := writeConfig(cfgPath, serviceConfig{NodeURL: px.URL, StorePath: filepath.Join(tmp, name+".db"), Token: naive.token,
			MaxCallsPerBatch: cfg.MaxCallsPerBatch, WSURL: k.ws, MaxHeadAge: k.maxAge}); err != nil {
			return res, err
		}
		svc, err := startService(ctx, bin, cfgPath, filepath.Join(tmp, name+"-serve.log"))
		if err != nil {
			return res, err
		}
		defer svc.Stop()
		api := newAPIClient(svc.URL)
		id, err := api.onboard(ctx, c.wallets)
		if err != nil {
			return res, fmt.Errorf("%s: onboard: %w", k.name, err)
		}
		res.Targets = append(res.Targets, &freshTarget{Name: k.name, read: func(ctx context.Context) (uint64, error) {
			resp, err := api.portfolio(ctx, id, "")
			return resp.Block, err
		}})
	}
	res.Targets = append(res.Targets, &freshTarget{Name: "naive baseline (head asked per request)", read: func(ctx context.Context) (uint64, error) {
		p, err := naive.Portfolio(ctx, c.wallets)
		return p.Block, err
	}})

	// One round trip to the node through a proxy, for the goal.
	var rtts []time.Duration
	prc := &rpcClient{url: proxies[0].URL, hc: anvil.hc}
	for range 10 {
		t0 := time.Now()
		if _, err := prc.blockNumber(ctx); err != nil {
			return res, err
		}
		rtts = append(rtts, time.Since(t0))
	}
	sortDurations(rtts)
	res.RTT = percentile(rtts, 50)

	pctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, t := range res.Targets {
		t.seenAt = map[uint64]time.Time{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.poll(pctx)
		}()
	}
	before := make([]proxyStats, len(proxies))
	for i, px := range proxies {
		before[i] = px.Stats()
	}
	t0 := time.Now()
	mined := map[uint64]time.Time{}
	var blocks []uint64
	rng := rand.New(rand.NewPCG(7, uint64(cfg.FreshBlocks)))
	order := rng.Perm(cfg.FreshBlocks)
	var err error
	for i := 0; i < cfg.FreshBlocks && ctx.Err() == nil; i++ {
		// Spread the blocks over the phase of the 1 s head poll
		// (stratified, shuffled), as the push rows do.
		gap := 200*time.Millisecond + time.Duration((float64(order[i])+rng.Float64())/float64(cfg.FreshBlocks)*float64(headPollInterval))
		if err = sleepCtx(ctx, gap); err != nil {
			break
		}
		if err = anvil.call(ctx, nil, "anvil_mine", hexUint(1)); err != nil {
			break
		}
		at := time.Now()
		var n uint64
		if n, err = anvil.blockNumber(ctx); err != nil {
			break
		}
		mined[n] = at
		blocks = append(blocks, n)
		deadline := time.Now().Add(pushTimeout)
		for !allSeen(res.Targets, n) && time.Now().Before(deadline) {
			if err = sleepCtx(ctx, time.Millisecond); err != nil {
				break
			}
		}
	}
	elapsed := time.Since(t0)
	stop()
	wg.Wait()
	for i := range proxies {
		res.Targets[i].NodeRequests = proxies[i].Stats().sub(before[i]).HTTPRequests
	}
	for _, t := range res.Targets {
		t.summarize(blocks, mined)
		logf("  freshness %-80s p50 %s p99 %s max %s over %d blocks (%d missed), %d responses, %d node requests in %.1f s",
			t.Name, ms(t.P50), ms(t.P99), ms(t.Max), t.Blocks, t.Missed, t.Responses, t.NodeRequests, elapsed.Seconds())
	}
	return res, err
}

// allSeen reports whether every target has answered block n or later.
func allSeen(ts []*freshTarget, n uint64) bool {
	for _, t := range ts {
		t.mu.Lock()
		s := t.seen
		t.mu.Unlock()
		if s < n {
			return false
		}
	}
	return true
}

// poll reads every freshPollEvery until ctx ends, noting when each block
// was first named.
func (t *freshTarget) poll(ctx context.Context) {
	tick := time.NewTicker(freshPollEvery)
	defer tick.Stop()
	for {
		n, err := t.read(ctx)
		at := time.Now()
		if ctx.Err() != nil {
			return
		}
		t.mu.Lock()
		if err != nil {
			t.errors++
			if t.FirstError == "" {
				t.FirstError = err.Error()
			}
		} else {
			t.Responses++
			for b := t.seen + 1; b <= n && t.seen > 0; b++ {
				t.seenAt[b] = at
			}
			t.seen = max(t.seen, n)
		}
		t.mu.Unlock()
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func (t *freshTarget) summarize(blocks []uint64, mined map[uint64]time.Time) {
	var lat []time.Duration
	for _, b := range blocks {
		at, ok := t.seenAt[b]
		if !ok {
			t.Missed++
			continue
		}
		lat = append(lat, at.Sub(mined[b]))
	}
	sortDurations(lat)
	t.Blocks = len(lat)
	t.P50, t.P99 = percentile(lat, 50), percentile(lat, 99)
	if len(lat) > 0 {
		t.Max = lat[len(lat)-1]
	}
}

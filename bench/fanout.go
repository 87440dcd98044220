package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// The SSE fan-out rows (SPEC section 8, v2): FanOutClients streams of
// GET /customer/{id}/events on one customer, served with chain.ws_url
// (so that the head poll's wait is not in the figures), then
// FanOutBlocks mints to the customer's wallet, one at a time: each
// balance.updated delivered to every client, the latency from the mint's
// receipt to each client reading it (p50/p99 over all deliveries), and
// portfoliod's memory and CPU with the clients connected.

// fanoutResult is what the fan-out phase measured.
type fanoutResult struct {
	Clients, Blocks int
	Delivered       int // (client, block) deliveries read
	Expected        int
	FirstError      string
	P50, P99, Max   time.Duration
	Open            time.Duration // opening every stream (each starts with a portfolio event)
	MemIdle         memSample     // before the streams open
	MemOpen         memSample     // after the blocks, the streams still open
	CPUPerBlock     time.Duration // portfoliod user+system CPU per block delivered to all
}

// fanoutOpenParallel bounds the streams being opened at once.
const fanoutOpenParallel = 32

func (e *liveEnv) fanOut(ctx context.Context, t liveTarget) (*fanoutResult, error) {
	res := &fanoutResult{Clients: e.cfg.FanOutClients}
	e.streamsPerKey = e.cfg.FanOutClients + 8
	defer func() { e.streamsPerKey = 0 }()
	svc, _, err := e.startLive(ctx, t, e.wsURL, t.name+"-live-fanout", false)
	if err != nil {
		return res, err
	}
	defer svc.Stop()
	if res.MemIdle, err = sampleMemory(svc.Pid()); err != nil {
		return res, err
	}
	api := newAPIClient(svc.URL)
	const customer = 1
	id := storeCustomerID(customer)
	wallet := storeWallets(customer, e.cfg.WalletsPerCustomer)[0]

	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	streams := make([]*stream, e.cfg.FanOutClients)
	t0 := time.Now()
	// Not errgroup.WithContext: its context ends with Wait, and the
	// streams must outlive it.
	var g errgroup.Group
	g.SetLimit(fanoutOpenParallel)
	for i := range streams {
		g.Go(func() error {
			s, err := openStream(sctx, api, id)
			streams[i] = s
			return err
		})
	}
	err = g.Wait()
	res.Open = time.Since(t0)
	defer func() {
		for _, s := range streams {
			if s != nil {
				s.close()
			}
		}
	}()
	if err != nil {
		return res, fmt.Errorf("opening %d streams: %w", len(streams), err)
	}
	e.logf("  %d streams open in %.1f s", len(streams), res.Open.Seconds())

	cpu0 := procCPU(fmt.Sprint(svc.Pid()))
	var lat []time.Duration
	for i := 0; i < e.cfg.FanOutBlocks && ctx.Err() == nil; i++ {
		e.px.waitQuiet(ctx, 2*time.Millisecond+e.cfg.Delay, time.Second)
		block, mined, _, err := e.mint(ctx, wallet)
		if err != nil {
			return res, err
		}
		res.Blocks++
		var mu sync.Mutex
		var wg sync.WaitGroup
		for _, s := range streams {
			wg.Add(1)
			go func() {
				defer wg.Done()
				at, err := s.waitBlock(ctx, block, pushTimeout)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					if res.FirstError == "" {
						res.FirstError = err.Error()
					}
					return
				}
				res.Delivered++
				lat = append(lat, at.Sub(mined))
			}()
		}
		wg.Wait()
	}
	res.Expected = res.Blocks * len(streams)
	if res.Blocks > 0 {
		res.CPUPerBlock = (procCPU(fmt.Sprint(svc.Pid())) - cpu0) / time.Duration(res.Blocks)
	}
	if res.MemOpen, err = sampleMemory(svc.Pid()); err != nil {
		return res, err
	}
	sortDurations(lat)
	res.P50, res.P99 = percentile(lat, 50), percentile(lat, 99)
	if len(lat) > 0 {
		res.Max = lat[len(lat)-1]
	}
	e.logf("  fan-out: %d of %d deliveries, p50 %s p99 %s max %s; RSS %s with the streams, %s before; CPU %s per block",
		res.Delivered, res.Expected, ms(res.P50), ms(res.P99), ms(res.Max), res.MemOpen, res.MemIdle, ms(res.CPUPerBlock))
	if res.Delivered == 0 {
		return res, fmt.Errorf("fan-out: no balance.updated delivered: %s", res.FirstError)
	}
	return res, nil
}

// fanoutTargets are the fan-out rows.
func (r *benchReport) fanoutTargets() []targetRow {
	if r.Live == nil || r.Live.FanOut == nil {
		return nil
	}
	f := r.Live.FanOut
	ws := "not measured"
	if p := r.Live.PushWS; p != nil {
		ws = ms(p.P50)
	}
	return []targetRow{
		{
			Target: fmt.Sprintf("SSE fan-out: %d stream clients on one customer, block → balance.updated at each client (chain.ws_url)", f.Clients),
			Measured: fmt.Sprintf("%d of %d delivered over %d blocks; p50 %s, p99 %s, max %s (one client's push p50 with ws: %s)",
				f.Delivered, f.Expected, f.Blocks, ms(f.P50), ms(f.P99), ms(f.Max), ws),
			Goal: "every event to every client", Result: passMiss(f.Expected > 0 && f.Delivered == f.Expected),
		},
		{
			Target:   fmt.Sprintf("SSE fan-out: portfoliod memory and CPU with %d stream clients", f.Clients),
			Measured: fmt.Sprintf("%s with the streams open (%s before they opened); %s CPU per block delivered to all; opening them took %.1f s", f.MemOpen, f.MemIdle, ms(f.CPUPerBlock), f.Open.Seconds()),
			Goal:     "reported", Result: "INFO",
		},
	}
}

package service

import (
	"context"
	"log/slog"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/api"
	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/live"
)

// LiveOptions configure the live layer (SPEC section 9): the follower and
// the event streams. The zero value turns it off.
type LiveOptions struct {
	Enabled bool
	// Confirmations delays events until a block is that deep.
	Confirmations uint64
	// MaxBackfill is how far behind the follower catches up block by
	// block before it sweeps instead (0: live.DefaultMaxBackfill).
	MaxBackfill uint64
	// BackfillChunk is the widest range of one ranged logs query while
	// catching up (0: live.DefaultBackfillChunk).
	BackfillChunk uint64
	// Retention is how long events stay in the log (0: 30 days).
	Retention time.Duration
	// SweepInterval is how often every customer wallet is re-read as a
	// safety net (0: never).
	SweepInterval time.Duration
	// MaxReorgDepth is the deepest reorg the follower walks back over
	// (0: live.DefaultMaxReorgDepth); the store keeps KeptBlocks for it.
	MaxReorgDepth int
	// CacheAcrossBlocks lists the tokens whose figures the follower holds
	// serve latest reads at the head (see live.Follower.Current).
	CacheAcrossBlocks []common.Address

	// onEvents, set by Start, is told after committed events are
	// published (the webhook dispatcher's wake-up).
	onEvents func()
}

// KeptBlocks is how many processed blocks the store must keep for the
// follower to walk back over a reorg of MaxReorgDepth: the fork block too.
func (o LiveOptions) KeptBlocks() int {
	if o.MaxReorgDepth <= 0 {
		return live.DefaultMaxReorgDepth + 1
	}
	return o.MaxReorgDepth + 1
}

// DefaultRetention is how long events stay in the log by default.
const DefaultRetention = 30 * 24 * time.Hour

// retention is Retention, or DefaultRetention when unset.
func (o LiveOptions) retention() time.Duration {
	if o.Retention <= 0 {
		return DefaultRetention
	}
	return o.Retention
}

// liveStore is what the live layer needs of the store beyond Store.
type liveStore interface {
	portfoliod.FollowerStore
	live.Owners
}

// liveLayer is the running follower, its hub and the retention purge.
type liveLayer struct {
	hub      *live.Hub
	follower *live.Follower
	cancel   context.CancelFunc
	done     chan struct{}
}

// startLive starts the follower and the retention purge over store, and
// returns what the API's streams read. A store without the follower's
// state runs without the live layer, saying so.
func startLive(o LiveOptions, store Store, reader *chain.Reader, reg *prometheus.Registry, log *slog.Logger) (*liveLayer, api.Events) {
	ls, ok := store.(liveStore)
	if !o.Enabled || !ok || len(reader.Tokens()) == 0 {
		if o.Enabled && !ok {
			log.Warn("live balances are off: this store does not keep the event log")
		}
		return nil, nil
	}
	m := newLiveMetrics(reg)
	l := &liveLayer{hub: live.NewHub(), done: make(chan struct{})}
	l.hub.OnDrop = m.dropped.Inc
	m.clients = prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "portfoliod_stream_clients", Help: "Event stream clients connected.",
	}, func() float64 { return float64(l.hub.Clients()) })
	reg.MustRegister(m.clients)
	// The hub is fed from the stored log, not by the follower directly:
	// on a shared store another replica's follower may commit a block,
	// and this replica's streams must see its events too.
	tail := live.NewTailer(ls, l.hub, 0, log.With("component", "event-tail"), o.onEvents)
	f := live.NewFollower(reader, ls, ls, tail, live.FollowerConfig{
		Confirmations: o.Confirmations, MaxBackfill: o.MaxBackfill, BackfillChunk: o.BackfillChunk, Logger: log.With("component", "follower"), Metrics: m,
		CacheAcrossBlocks: o.CacheAcrossBlocks, SweepInterval: o.SweepInterval, MaxReorgDepth: o.MaxReorgDepth,
	})
	l.follower = f
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "portfoliod_follower_lag_blocks",
		Help: "Blocks between the node's head, as the reader last learnt it, and the last block the follower processed (live.confirmations included).",
	}, func() float64 {
		head, _, ok := reader.Head()
		at, started := f.Head()
		if !ok || !started || head.Number <= at.Number {
			return 0
		}
		return float64(head.Number - at.Number)
	}))
	retention := o.retention()
	var ctx context.Context
	ctx, l.cancel = context.WithCancel(context.Background())
	go func() {
		defer close(l.done)
		go purgeHourly(ctx, log, "events", retention, ls.PurgeEvents)
		go tail.Run(ctx)
		if n, ok := store.(notifier); ok {
			go n.Listen(ctx, tail.Wake, func(err error) {
				log.Warn("event notifications lost; reconnecting (the event log is re-read)", "err", err.Error())
			})
		}
		f.Run(ctx)
	}()
	return l, liveEvents{store: ls, hub: l.hub, follower: f}
}

// notifier is a shared store that tells each replica when any replica
// commits events (postgres.Store: LISTEN/NOTIFY).
type notifier interface {
	// Listen calls wake on each commit with events, and after each
	// reconnection (notifications sent meanwhile are lost), until ctx
	// ends; lost is told why the listening connection dropped.
	Listen(ctx context.Context, wake func(), lost func(error))
}

// stop ends the streams, then the follower.
func (l *liveLayer) stop() {
	if l == nil {
		return
	}
	l.hub.Close()
	l.cancel()
	<-l.done
}

// purgeHourly runs purge of what is older than retention at once and
// then every hour until ctx ends (see purgeEvery).
func purgeHourly(ctx context.Context, log *slog.Logger, what string, retention time.Duration, purge func(ctx context.Context, before time.Time) (int, error)) {
	purgeEvery(ctx, log, time.Hour, what+" past the retention", func(ctx context.Context) (int, error) {
		return purge(ctx, time.Now().Add(-retention))
	})
}

// liveEvents is api.Events over the store's log, the hub and the
// follower.
type liveEvents struct {
	store    liveStore
	hub      *live.Hub
	follower *live.Follower
}

func (e liveEvents) Linked(ctx context.Context, wallets []common.Address) error {
	return e.follower.Linked(ctx, wallets)
}

func (e liveEvents) Head() (portfoliod.Block, bool) { return e.follower.Head() }

func (e liveEvents) FrozenSeries(ctx context.Context, token common.Address, from, to time.Time, step time.Duration) ([]portfoliod.FrozenPoint, error) {
	r, ok := e.store.(live.SeriesStore)
	if !ok {
		return nil, portfoliod.Errorf(portfoliod.ENOTFOUND, "this store keeps no frozen-funds register")
	}
	return live.FrozenSeries(ctx, r, token, from, to, step)
}

func (e liveEvents) Frozen(ctx context.Context, q portfoliod.FrozenQuery) (portfoliod.FrozenPage, error) {
	r, ok := e.store.(portfoliod.RegisterStore)
	if !ok {
		return portfoliod.FrozenPage{}, portfoliod.Errorf(portfoliod.ENOTFOUND, "this store keeps no frozen-funds register")
	}
	return r.Frozen(ctx, q)
}

func (e liveEvents) Events(ctx context.Context, q portfoliod.EventQuery) ([]portfoliod.Event, bool, error) {
	return e.store.Events(ctx, q)
}

func (e liveEvents) Subscribe(filter func(portfoliod.Event) bool) api.Subscription {
	return e.hub.Subscribe(filter)
}

// liveMetrics observes the follower and the streams.
type liveMetrics struct {
	head      prometheus.Gauge
	blocks    prometheus.Counter
	events    prometheus.Counter
	reorgs    prometheus.Counter
	depth     prometheus.Histogram
	sweeps    prometheus.Counter
	backfills prometheus.Counter
	dropped   prometheus.Counter
	clients   prometheus.GaugeFunc
}

func newLiveMetrics(reg *prometheus.Registry) *liveMetrics {
	m := &liveMetrics{
		head:   prometheus.NewGauge(prometheus.GaugeOpts{Name: "portfoliod_follower_block_number", Help: "The last block the follower processed."}),
		blocks: prometheus.NewCounter(prometheus.CounterOpts{Name: "portfoliod_follower_blocks_total", Help: "Blocks the follower processed."}),
		events: prometheus.NewCounter(prometheus.CounterOpts{Name: "portfoliod_events_total", Help: "balance.updated events emitted."}),
		reorgs: prometheus.NewCounter(prometheus.CounterOpts{Name: "portfoliod_follower_reorgs_total", Help: "Reorgs the follower followed."}),
		depth:  prometheus.NewHistogram(prometheus.HistogramOpts{Name: "portfoliod_follower_reorg_depth_blocks", Help: "Depth of the reorgs followed.", Buckets: []float64{1, 2, 4, 8, 16, 32, 64}}),
		sweeps: prometheus.NewCounter(prometheus.CounterOpts{Name: "portfoliod_follower_sweeps_total", Help: "Sweeps of every customer wallet."}),
		backfills: prometheus.NewCounter(prometheus.CounterOpts{Name: "portfoliod_follower_backfills_total",
			Help: "Runs of blocks the follower caught up with one ranged eth_getLogs."}),
		dropped: prometheus.NewCounter(prometheus.CounterOpts{Name: "portfoliod_stream_clients_dropped_total", Help: "Stream clients dropped for falling behind."}),
	}
	reg.MustRegister(m.head, m.blocks, m.events, m.reorgs, m.depth, m.sweeps, m.backfills, m.dropped)
	return m
}

func (m *liveMetrics) OnResume(number uint64) { m.head.Set(float64(number)) }
func (m *liveMetrics) OnBlock(number uint64)  { m.head.Set(float64(number)); m.blocks.Inc() }
func (m *liveMetrics) OnEvents(n int)         { m.events.Add(float64(n)) }
func (m *liveMetrics) OnReorg(depth int)      { m.reorgs.Inc(); m.depth.Observe(float64(depth)) }
func (m *liveMetrics) OnSweep()               { m.sweeps.Inc() }
func (m *liveMetrics) OnBackfill(int)         { m.backfills.Inc() }

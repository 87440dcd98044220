package service

import (
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/portfoliod/portfoliod/chain"
)

// chainMetrics turns chain.Observer events into Prometheus metrics.
type chainMetrics struct {
	calls    *prometheus.CounterVec
	duration *prometheus.HistogramVec
	batch    prometheus.Histogram
	hits     prometheus.Counter
	misses   prometheus.Counter
	head     prometheus.Gauge
	headTime atomic.Int64 // the head's block timestamp, Unix seconds; 0 before the first head
}

var _ chain.Observer = (*chainMetrics)(nil)

func newChainMetrics(reg prometheus.Registerer) *chainMetrics {
	m := &chainMetrics{
		calls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "portfoliod_node_requests_total",
			Help: "JSON-RPC requests to the node by method, endpoint (scheme://host only) and outcome.",
		}, []string{"method", "endpoint", "outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "portfoliod_node_request_duration_seconds",
			Help:    "JSON-RPC request duration by method.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"method"}),
		batch: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "portfoliod_node_batch_calls",
			Help:    "Token calls carried by one eth_call (multicall) or one JSON-RPC batch.",
			Buckets: prometheus.ExponentialBuckets(1, 4, 8),
		}),
	}
	m.hits = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "portfoliod_cache_hits_total",
		Help: "Wallet balances served from the per-block cache.",
	})
	m.misses = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "portfoliod_cache_misses_total",
		Help: "Wallet balances not in the per-block cache, read from the node (or from an identical read in flight).",
	})
	m.head = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "portfoliod_head_block_number",
		Help: "Number of the chain head tracked by portfoliod.",
	})
	headAge := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "portfoliod_head_age_seconds",
		Help: "Seconds between now and the tracked head's block timestamp (0 before the first head).",
	}, func() float64 {
		ts := m.headTime.Load()
		if ts == 0 {
			return 0
		}
		return time.Since(time.Unix(ts, 0)).Seconds()
	})
	reg.MustRegister(m.calls, m.duration, m.batch, m.hits, m.misses, m.head, headAge)
	return m
}

func (m *chainMetrics) OnCall(method, endpoint, outcome string, d time.Duration) {
	m.calls.WithLabelValues(method, endpoint, outcome).Inc()
	m.duration.WithLabelValues(method).Observe(d.Seconds())
}

func (m *chainMetrics) OnBatch(calls int) { m.batch.Observe(float64(calls)) }

func (m *chainMetrics) OnCache(hits, misses int) {
	m.hits.Add(float64(hits))
	m.misses.Add(float64(misses))
}

func (m *chainMetrics) OnHead(number uint64, blockTime time.Time) {
	m.head.Set(float64(number))
	m.headTime.Store(blockTime.Unix())
}

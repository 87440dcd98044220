package main

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/portfoliod/portfoliod/chain"
)

// chainMetrics turns chain.Observer events into Prometheus metrics.
type chainMetrics struct {
	calls    *prometheus.CounterVec
	duration *prometheus.HistogramVec
	batch    prometheus.Histogram
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
	reg.MustRegister(m.calls, m.duration, m.batch)
	return m
}

func (m *chainMetrics) OnCall(method, endpoint, outcome string, d time.Duration) {
	m.calls.WithLabelValues(method, endpoint, outcome).Inc()
	m.duration.WithLabelValues(method).Observe(d.Seconds())
}

func (m *chainMetrics) OnBatch(calls int) { m.batch.Observe(float64(calls)) }

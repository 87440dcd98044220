package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the HTTP-layer Prometheus collectors and serves the
// registry they live in.
type Metrics struct {
	gatherer    prometheus.Gatherer
	requests    *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	rateLimited prometheus.Counter
	authLimited prometheus.Counter
}

// NewMetrics registers the HTTP collectors on reg and serves everything reg
// gathers at /metrics.
func NewMetrics(reg *prometheus.Registry) *Metrics {
	m := &Metrics{
		gatherer: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "portfoliod_http_requests_total",
			Help: "HTTP requests by method, route template and status code.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "portfoliod_http_request_duration_seconds",
			Help:    "HTTP request duration by method and route template.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route"}),
		rateLimited: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "portfoliod_rate_limited_total",
			Help: "Requests rejected with 429 by the per-key rate limit.",
		}),
		authLimited: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "portfoliod_auth_failures_limited_total",
			Help: "Requests rejected with 429 because their client address failed authentication too often.",
		}),
	}
	reg.MustRegister(m.requests, m.duration, m.rateLimited, m.authLimited)
	return m
}

// observe records one request. route must be a route template or
// "unmatched" and status one the server chose; method is folded into the
// methods the router serves, because a client picks it freely and every
// new label value is a series kept for the life of the process.
func (m *Metrics) observe(method, route string, status int, d time.Duration) {
	method = metricMethod(method)
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(method, route).Observe(d.Seconds())
}

func metricMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPatch, http.MethodDelete:
		return m
	}
	return "other"
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.gatherer, promhttp.HandlerOpts{})
}

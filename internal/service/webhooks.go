package service

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/api"
	"github.com/portfoliod/portfoliod/webhook"
)

// WebhookOptions configure webhook delivery (SPEC section 9, "Webhooks").
// Webhooks run with the live layer, on a store that keeps an outbox.
type WebhookOptions struct {
	// Timeout bounds one delivery attempt (0: webhook.DefaultTimeout).
	Timeout time.Duration
	// AllowHTTP accepts http:// endpoint URLs.
	AllowHTTP bool
	// AllowPrivateTargets turns the SSRF guard off: dev only.
	AllowPrivateTargets bool
	// Schedule is the retry schedule (nil: webhook.DefaultSchedule).
	Schedule []time.Duration
	// PerEndpoint bounds the attempts in flight to one endpoint.
	PerEndpoint int
	// Version is sent in the User-Agent.
	Version string
}

// webhookStore is what webhooks need of the store beyond Store.
type webhookStore interface {
	portfoliod.WebhookStore
	portfoliod.FollowerStore
}

// webhookLayer is the running dispatcher and its delivery-log purge.
type webhookLayer struct {
	dispatcher *webhook.Dispatcher
	cancel     context.CancelFunc
	done       chan struct{}
}

// startWebhooks starts the dispatcher over store's outbox and returns the
// API's backend, or nils when the store keeps no outbox.
func startWebhooks(o WebhookOptions, store Store, retention time.Duration, reg *prometheus.Registry, log *slog.Logger) (*webhookLayer, api.Webhooks) {
	ws, ok := store.(webhookStore)
	if !ok {
		log.Warn("webhooks are off: this store keeps no outbox")
		return nil, nil
	}
	guard := webhook.Guard{AllowHTTP: o.AllowHTTP, AllowPrivate: o.AllowPrivateTargets}
	if o.AllowPrivateTargets {
		log.Warn("webhooks may reach private and loopback addresses (webhooks.allow_private_targets): for development only")
	}
	m := newWebhookMetrics(reg, ws)
	ua := "portfoliod"
	if o.Version != "" {
		ua += "/" + o.Version
	}
	d := webhook.New(ws, webhook.Config{
		Timeout: o.Timeout, Schedule: o.Schedule, PerEndpoint: o.PerEndpoint, Guard: guard,
		Encode: api.EventBody, UserAgent: ua, Logger: log.With("component", "webhooks"), Metrics: m,
	})
	l := &webhookLayer{dispatcher: d, done: make(chan struct{})}
	var ctx context.Context
	ctx, l.cancel = context.WithCancel(context.Background())
	go func() {
		defer close(l.done)
		// The delivery log keeps what the event log keeps.
		go purgeHourly(ctx, log, "webhook deliveries", retention, ws.PurgeDeliveries)
		d.Run(ctx)
	}()
	return l, webhookBackend{WebhookStore: ws, guard: guard, dispatcher: d}
}

// notify wakes the dispatcher; a nil layer ignores it.
func (l *webhookLayer) notify() {
	if l != nil {
		l.dispatcher.Notify()
	}
}

// stop ends the dispatcher once its attempts in flight return; a
// delivery cut off by the stop is claimed again after a restart.
func (l *webhookLayer) stop() {
	if l == nil {
		return
	}
	l.cancel()
	<-l.done
}

// webhookBackend is api.Webhooks over the store, the guard and the
// dispatcher.
type webhookBackend struct {
	portfoliod.WebhookStore
	guard      webhook.Guard
	dispatcher *webhook.Dispatcher
}

func (b webhookBackend) CheckURL(ctx context.Context, url string) error {
	return b.guard.CheckURL(ctx, url)
}
func (b webhookBackend) Notify() { b.dispatcher.Notify() }

// webhookMetrics observes deliveries, and reads the outbox's depth and
// oldest age from the store at each scrape.
type webhookMetrics struct {
	attempts *prometheus.CounterVec
	duration prometheus.Histogram
	store    portfoliod.WebhookStore
	depth    *prometheus.Desc
	oldest   *prometheus.Desc
}

func newWebhookMetrics(reg *prometheus.Registry, store portfoliod.WebhookStore) *webhookMetrics {
	m := &webhookMetrics{
		attempts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "portfoliod_webhook_attempts_total",
			Help: "Webhook delivery attempts by outcome: delivered, retry (failed, will be retried), failed (schedule exhausted), gone (410: endpoint disabled).",
		}, []string{"outcome"}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "portfoliod_webhook_attempt_duration_seconds", Help: "Duration of webhook delivery attempts.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}),
		store:  store,
		depth:  prometheus.NewDesc("portfoliod_webhook_outbox_pending", "Webhook deliveries not yet delivered nor failed.", nil, nil),
		oldest: prometheus.NewDesc("portfoliod_webhook_outbox_oldest_age_seconds", "Age of the oldest pending webhook delivery (0 when none).", nil, nil),
	}
	for _, o := range []string{"delivered", "retry", "failed", "gone"} {
		m.attempts.WithLabelValues(o)
	}
	reg.MustRegister(m.attempts, m.duration, m)
	return m
}

func (m *webhookMetrics) OnAttempt(outcome string, d time.Duration) {
	m.attempts.WithLabelValues(outcome).Inc()
	m.duration.Observe(d.Seconds())
}

// Describe and Collect make the outbox gauges a collector.
func (m *webhookMetrics) Describe(ch chan<- *prometheus.Desc) { ch <- m.depth; ch <- m.oldest }

func (m *webhookMetrics) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	n, oldest, err := m.store.OutboxStats(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(m.depth, err)
		return
	}
	age := 0.0
	if !oldest.IsZero() {
		age = time.Since(oldest).Seconds()
	}
	ch <- prometheus.MustNewConstMetric(m.depth, prometheus.GaugeValue, float64(n))
	ch <- prometheus.MustNewConstMetric(m.oldest, prometheus.GaugeValue, age)
}

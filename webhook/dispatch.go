// Package webhook delivers events to webhook endpoints (SPEC section 9,
// "Webhooks"): signed to the Standard Webhooks specification, at least
// once, from the durable outbox the store keeps, with bounded concurrency
// per endpoint, retries with backoff, and the SSRF guard on every
// connection. It imports the domain only; the store and the event body
// encoder are given.
package webhook

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/portfoliod/portfoliod"
)

// DefaultSchedule is the retry schedule (SPEC section 9): the delay before
// each retry after a failed attempt; when it runs out the delivery fails.
// Each delay is jittered by up to ±20%.
var DefaultSchedule = []time.Duration{
	5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour, 10 * time.Hour, 10 * time.Hour,
}

// Defaults of Config.
const (
	DefaultTimeout      = 10 * time.Second
	DefaultPerEndpoint  = 4
	DefaultWorkers      = 64
	DefaultDisableAfter = 5 * 24 * time.Hour
	DefaultPoll         = time.Second
)

// Config configures a Dispatcher. Zero fields take the defaults.
type Config struct {
	// Timeout bounds one attempt, connection to last response byte read.
	Timeout time.Duration
	// Schedule is the retry schedule; nil means DefaultSchedule.
	Schedule []time.Duration
	// PerEndpoint bounds the attempts in flight to one endpoint; Workers
	// bounds them all.
	PerEndpoint int
	Workers     int
	// DisableAfter disables an endpoint whose every attempt failed for
	// that long.
	DisableAfter time.Duration
	// Poll is how often the outbox is read when nothing wakes the
	// dispatcher (Notify wakes it at once).
	Poll  time.Duration
	Guard Guard
	// Encode renders an event as the delivery body (the event object of
	// the API; a webhook.test event has only ID, Type and CreatedAt).
	Encode func(portfoliod.Event) ([]byte, error)
	// UserAgent is sent with every delivery.
	UserAgent string
	Logger    *slog.Logger
	Metrics   Observer
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Observer is told what the dispatcher does, for metrics.
type Observer interface {
	// OnAttempt: outcome is "delivered", "retry", "failed" or "gone".
	OnAttempt(outcome string, d time.Duration)
}

// Store is the outbox and endpoints the dispatcher needs.
type Store interface {
	Webhook(ctx context.Context, id string) (portfoliod.WebhookEndpoint, error)
	ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int, skip []string) ([]portfoliod.Delivery, error)
	RecordAttempt(ctx context.Context, id string, o portfoliod.DeliveryOutcome) error
	Event(ctx context.Context, id string) (portfoliod.Event, error)
}

// Dispatcher delivers the outbox. Run it once; it is safe for concurrent
// use.
type Dispatcher struct {
	cfg    Config
	store  Store
	client *http.Client
	log    *slog.Logger
	lease  time.Duration
	wake   chan struct{}

	mu       sync.Mutex
	inflight map[string]int // endpoint id → attempts running
	queued   map[string][]portfoliod.Delivery
	held     map[string]bool // delivery ids running or queued here
	running  int
	done     chan struct{} // a slot freed
}

// New returns a dispatcher over store.
func New(store Store, cfg Config) *Dispatcher {
	cfg.Timeout = cmp.Or(max(cfg.Timeout, 0), DefaultTimeout)
	cfg.PerEndpoint = cmp.Or(max(cfg.PerEndpoint, 0), DefaultPerEndpoint)
	cfg.Workers = cmp.Or(max(cfg.Workers, 0), DefaultWorkers)
	cfg.DisableAfter = cmp.Or(max(cfg.DisableAfter, 0), DefaultDisableAfter)
	cfg.Poll = cmp.Or(max(cfg.Poll, 0), DefaultPoll)
	if cfg.Schedule == nil {
		cfg.Schedule = DefaultSchedule
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	dialer := &net.Dialer{Timeout: cfg.Timeout, Control: cfg.Guard.Control}
	transport := &http.Transport{
		// No proxy from the environment: a proxy would make the
		// connection the guard sees the proxy's, not the receiver's.
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   cfg.Timeout,
		ResponseHeaderTimeout: cfg.Timeout,
		MaxIdleConnsPerHost:   cfg.PerEndpoint,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	return &Dispatcher{
		cfg:   cfg,
		store: store,
		client: &http.Client{
			Transport: transport,
			Timeout:   cfg.Timeout,
			// Redirects are not followed (SPEC section 9): a 3xx is a
			// failed attempt, and cannot lead the request elsewhere.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		log: cfg.Logger,
		// A claim outlives the attempt it is for (at most Timeout) with a
		// margin, so that only a dead claimer's deliveries go back to the
		// pool; it is also how long a delivery cut off by a crash waits
		// for its retry after the restart.
		lease:    2*cfg.Timeout + 5*time.Second,
		wake:     make(chan struct{}, 1),
		inflight: map[string]int{},
		queued:   map[string][]portfoliod.Delivery{},
		held:     map[string]bool{},
		done:     make(chan struct{}, 1),
	}
}

// Notify wakes the dispatcher to read the outbox now: a block with events
// was committed, a test or a retry was queued.
func (d *Dispatcher) Notify() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends, then waits for the attempts in flight.
func (d *Dispatcher) Run(ctx context.Context) {
	var wg sync.WaitGroup
	defer wg.Wait()
	t := time.NewTicker(d.cfg.Poll)
	defer t.Stop()
	for {
		d.claim(ctx, &wg)
		select {
		case <-ctx.Done():
			return
		case <-d.wake:
		case <-d.done:
		case <-t.C:
		}
	}
}

// claim takes what is due from the outbox, within the free slots, and
// starts it. Each claim asks at most PerEndpoint deliveries and skips the
// endpoints whose slots are taken (running or queued here), so a delivery
// never waits here longer than one attempt of its endpoint: well within
// its lease, after which another replica could claim it too.
func (d *Dispatcher) claim(ctx context.Context, wg *sync.WaitGroup) {
	for {
		d.mu.Lock()
		free := d.cfg.Workers - d.running
		var skip []string
		for ep, n := range d.inflight {
			if n+len(d.queued[ep]) >= d.cfg.PerEndpoint {
				skip = append(skip, ep)
			}
		}
		for ep, q := range d.queued {
			if d.inflight[ep] == 0 && len(q) >= d.cfg.PerEndpoint {
				skip = append(skip, ep)
			}
		}
		d.mu.Unlock()
		if free <= 0 {
			return
		}
		limit := min(free, d.cfg.PerEndpoint)
		ds, err := d.store.ClaimDeliveries(ctx, d.cfg.Now(), d.lease, limit, skip)
		if err != nil {
			if ctx.Err() == nil {
				d.log.Error("webhook outbox claim failed", "err", err.Error())
			}
			return
		}
		d.mu.Lock()
		for _, dl := range ds {
			if d.held[dl.ID] {
				continue // queued here, and its lease lapsed while it waited
			}
			d.held[dl.ID] = true
			d.queued[dl.EndpointID] = append(d.queued[dl.EndpointID], dl)
		}
		d.startLocked(ctx, wg)
		d.mu.Unlock()
		if len(ds) < limit {
			return // nothing more is due
		}
	}
}

// startLocked starts the queued deliveries that have a slot. d.mu is held.
func (d *Dispatcher) startLocked(ctx context.Context, wg *sync.WaitGroup) {
	for ep, q := range d.queued {
		for len(q) > 0 && d.inflight[ep] < d.cfg.PerEndpoint && d.running < d.cfg.Workers {
			dl := q[0]
			q = q[1:]
			d.inflight[ep]++
			d.running++
			wg.Add(1)
			go func() {
				defer wg.Done()
				d.attempt(ctx, dl)
				d.mu.Lock()
				d.inflight[dl.EndpointID]--
				if d.inflight[dl.EndpointID] == 0 {
					delete(d.inflight, dl.EndpointID)
				}
				d.running--
				delete(d.held, dl.ID)
				d.startLocked(ctx, wg)
				d.mu.Unlock()
				select {
				case d.done <- struct{}{}:
				default:
				}
			}()
		}
		if len(q) == 0 {
			delete(d.queued, ep)
		} else {
			d.queued[ep] = q
		}
	}
}

// attempt makes one attempt of dl and records it.
func (d *Dispatcher) attempt(ctx context.Context, dl portfoliod.Delivery) {
	ep, err := d.store.Webhook(ctx, dl.EndpointID)
	if errors.Is(err, portfoliod.ErrWebhookNotFound) {
		return // deleted, with its deliveries
	}
	if err != nil {
		d.logFailure(ctx, dl, "reading the endpoint", err)
		return // the lease lapses and the delivery is claimed again
	}
	if ep.Disabled {
		return // disabling failed its pending deliveries
	}
	start := d.cfg.Now()
	att, err := d.send(ctx, ep, dl, start)
	switch {
	case err != nil && ctx.Err() != nil:
		return // shutting down: the lease lapses, the next start retries
	case errors.Is(err, portfoliod.ErrEventNotFound):
		att.Error = "the event is no longer in the event log (live.retention is shorter than the retry schedule)"
		d.record(ctx, dl, portfoliod.DeliveryOutcome{Attempt: att, Status: portfoliod.DeliveryFailed}, "failed")
		return
	case err != nil:
		d.logFailure(ctx, dl, "preparing the delivery", err)
		return // the lease lapses and the delivery is claimed again
	}
	o := portfoliod.DeliveryOutcome{Attempt: att}
	outcome := "delivered"
	switch {
	case att.StatusCode >= 200 && att.StatusCode < 300:
		o.Status = portfoliod.DeliveryDelivered
	case att.StatusCode == http.StatusGone:
		o.Status, o.Disable, outcome = portfoliod.DeliveryFailed, "410 Gone from the receiver", "gone"
	default:
		if att.Error == "" {
			att.Error = fmt.Sprintf("the receiver answered %d, not 2xx", att.StatusCode)
			o.Attempt = att
		}
		n := dl.AttemptCount // attempts before this one
		if n < len(d.cfg.Schedule) {
			o.Status, o.NextAttempt, outcome = portfoliod.DeliveryPending, start.Add(jitter(d.cfg.Schedule[n])), "retry"
		} else {
			o.Status, outcome = portfoliod.DeliveryFailed, "failed"
		}
		if !ep.FailingSince.IsZero() && start.Sub(ep.FailingSince) >= d.cfg.DisableAfter {
			o.Disable = "every attempt failed for " + d.cfg.DisableAfter.String()
		}
	}
	d.record(ctx, dl, o, outcome)
}

func (d *Dispatcher) record(ctx context.Context, dl portfoliod.Delivery, o portfoliod.DeliveryOutcome, outcome string) {
	if d.cfg.Metrics != nil {
		d.cfg.Metrics.OnAttempt(outcome, o.Attempt.Duration)
	}
	err := d.store.RecordAttempt(ctx, dl.ID, o)
	switch {
	case errors.Is(err, portfoliod.ErrDeliveryNotFound):
	case err != nil:
		d.logFailure(ctx, dl, "recording the attempt", err)
	default:
		lvl := slog.LevelDebug
		if o.Status != portfoliod.DeliveryDelivered {
			lvl = slog.LevelWarn
		}
		d.log.Log(ctx, lvl, "webhook delivery attempt", "endpoint", dl.EndpointID, "delivery", dl.ID, "event", dl.EventID,
			"outcome", outcome, "status", o.Attempt.StatusCode, "error", o.Attempt.Error, "duration_ms", o.Attempt.Duration.Milliseconds())
		if o.Disable != "" {
			d.log.Warn("webhook endpoint disabled", "endpoint", dl.EndpointID, "reason", o.Disable)
		}
	}
}

func (d *Dispatcher) logFailure(ctx context.Context, dl portfoliod.Delivery, what string, err error) {
	if ctx.Err() == nil {
		d.log.Error("webhook delivery: "+what+" failed", "endpoint", dl.EndpointID, "delivery", dl.ID, "err", err.Error())
	}
}

// send signs and posts dl's event to ep. An error means no request was
// made (the event, the encoder or the secret failed); a request that
// failed is an attempt whose Error says why.
func (d *Dispatcher) send(ctx context.Context, ep portfoliod.WebhookEndpoint, dl portfoliod.Delivery, start time.Time) (portfoliod.DeliveryAttempt, error) {
	att := portfoliod.DeliveryAttempt{At: start}
	ev := portfoliod.Event{ID: dl.EventID, Type: dl.EventType, CreatedAt: dl.CreatedAt}
	if dl.EventType != portfoliod.EventWebhookTest {
		var err error
		if ev, err = d.store.Event(ctx, dl.EventID); err != nil {
			return att, err
		}
	}
	body, err := d.cfg.Encode(ev)
	if err != nil {
		return att, err
	}
	u, err := url.Parse(ep.URL)
	if err == nil {
		err = d.cfg.Guard.checkScheme(u)
	}
	if err != nil {
		att.Error = "the endpoint's url is no longer accepted: " + portfoliod.ErrorMessage(err)
		return att, nil
	}
	sig, err := Signature(ep.Secrets(start), dl.EventID, start, body)
	if err != nil {
		return att, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, bytes.NewReader(body))
	if err != nil {
		att.Error = err.Error()
		return att, nil
	}
	// At least once: a receiver that closed a kept-alive connection just
	// as it was reused (Node.js closes idle ones after 5 s) is sent the
	// delivery again at once on a new connection, where the attempt would
	// fail with "EOF" and wait for the next retry. net/http resends a POST
	// only when it has this key; its empty value is not sent on the wire,
	// and webhook-id lets a receiver drop a duplicate.
	req.Header["Idempotency-Key"] = nil
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", cmp.Or(d.cfg.UserAgent, "portfoliod"))
	req.Header.Set(HeaderID, dl.EventID)
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(start.Unix(), 10))
	req.Header.Set(HeaderSignature, sig)
	resp, err := d.client.Do(req)
	if err != nil {
		att.Duration = d.cfg.Now().Sub(start)
		att.Error = attemptError(err, d.cfg.Timeout)
		return att, nil
	}
	defer resp.Body.Close()
	head, _ := io.ReadAll(io.LimitReader(resp.Body, portfoliod.MaxDeliveryResponse))
	// Drain a little more so the connection can be reused; a receiver
	// sending more than that gets its connection closed.
	_, _ = io.CopyN(io.Discard, resp.Body, 64<<10)
	att.Duration = d.cfg.Now().Sub(start)
	att.StatusCode = resp.StatusCode
	att.Response = string(bytes.ToValidUTF8(head, []byte("\uFFFD")))
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		att.Error = fmt.Sprintf("the receiver answered %d with a redirect, which is not followed", resp.StatusCode)
	}
	return att, nil
}

// attemptError says why an attempt got no answer, for the delivery log.
func attemptError(err error, timeout time.Duration) string {
	var refused *RefusedError
	var ne net.Error
	switch {
	case errors.As(err, &refused):
		return refused.Error()
	case errors.As(err, &ne) && ne.Timeout():
		return "no answer within webhooks.timeout (" + timeout.String() + ")"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return err.Error()
}

// jitter spreads d by up to ±20%, so that retries after an outage do not
// arrive at the receiver all at once.
func jitter(d time.Duration) time.Duration {
	return d + time.Duration((rand.Float64()*0.4-0.2)*float64(d))
}

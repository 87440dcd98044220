package webhook_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/customers/bolt"
	"github.com/portfoliod/portfoliod/internal/hangup"
	"github.com/portfoliod/portfoliod/webhook"
)

// Deliveries go to real HTTP receivers on loopback, from a real bbolt
// outbox; signatures are checked with the Standard Webhooks project's own
// Go library, not this package's signing code.

type received struct {
	header http.Header
	body   []byte
	at     time.Time
}

// receiver is a loopback HTTP server answering with answer(n, r), n
// counting its requests from 1.
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	got    []received
	answer func(n int, w http.ResponseWriter, r *http.Request)
}

func newReceiver(t *testing.T, answer func(n int, w http.ResponseWriter, r *http.Request)) *receiver {
	rc := &receiver{answer: answer}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.got = append(rc.got, received{header: r.Header.Clone(), body: body, at: time.Now()})
		n := len(rc.got)
		rc.mu.Unlock()
		if rc.answer != nil {
			rc.answer(n, w, r)
		}
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) requests() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.got...)
}

var token = common.HexToAddress("0x00000000000000000000000000000000000000a1")

func openStore(t *testing.T) *bolt.Store {
	s, err := bolt.Open(filepath.Join(t.TempDir(), "store.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func addEndpoint(t *testing.T, s *bolt.Store, url string) portfoliod.WebhookEndpoint {
	t.Helper()
	now := time.Now().UTC()
	e := portfoliod.WebhookEndpoint{ID: portfoliod.NewWebhookID(), URL: url, Types: []string{portfoliod.EventBalanceUpdated},
		Secret: portfoliod.NewWebhookSecret(), CreatedAt: now, UpdatedAt: now}
	if err := s.CreateWebhook(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	return e
}

// commitEvents stores block n with an event for each wallet, as the
// follower does, and returns the events.
func commitEvents(t *testing.T, s *bolt.Store, n uint64, wallets ...int64) []portfoliod.Event {
	t.Helper()
	now := time.Now().UTC()
	b := portfoliod.Block{Number: n, Hash: common.BigToHash(big.NewInt(int64(n) + 100)), Time: now}
	c := portfoliod.BlockCommit{Block: b, Parent: common.BigToHash(big.NewInt(int64(n) + 99))}
	for _, w := range wallets {
		prev := portfoliod.Figures{Total: big.NewInt(0), Frozen: big.NewInt(0), Available: big.NewInt(0)}
		cur := portfoliod.Figures{Total: big.NewInt(w), Frozen: big.NewInt(0), Available: big.NewInt(w)}
		wa := common.BigToAddress(big.NewInt(w))
		c.Events = append(c.Events, portfoliod.Event{ID: portfoliod.EventID(b.Hash, token, wa), Type: portfoliod.EventBalanceUpdated, CreatedAt: now,
			Data: portfoliod.BalanceChange{CustomerID: fmt.Sprintf("customer_%032x", w), Wallet: wa, Token: token, Block: b, Previous: prev, Balances: cur, Changed: prev.Changed(cur)}})
	}
	if err := s.CommitBlock(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c.Events
}

// encode is a stand-in for the API's event encoder: the dispatcher sends
// whatever bytes it is given.
func encode(e portfoliod.Event) ([]byte, error) {
	return json.Marshal(map[string]any{"id": e.ID, "object": "event", "type": e.Type, "wallet": strings.ToLower(e.Data.Wallet.Hex())})
}

// run starts a dispatcher over s for the test's life.
func run(t *testing.T, s *bolt.Store, cfg webhook.Config) *webhook.Dispatcher {
	if cfg.Encode == nil {
		cfg.Encode = encode
	}
	if cfg.Guard == (webhook.Guard{}) {
		cfg.Guard = webhook.Guard{AllowHTTP: true, AllowPrivate: true} // loopback receivers
	}
	cfg.Poll = 20 * time.Millisecond
	d := webhook.New(s, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); d.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	d.Notify()
	return d
}

// waitFor polls cond until it holds or d passes.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %s", d, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func delivery(t *testing.T, s *bolt.Store, ep portfoliod.WebhookEndpoint, ev portfoliod.Event) portfoliod.Delivery {
	t.Helper()
	d, err := s.Delivery(context.Background(), ep.ID, portfoliod.DeliveryID(ep.ID, ev.ID))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDeliversSignedEvents(t *testing.T) {
	s := openStore(t)
	rc := newReceiver(t, func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	ep := addEndpoint(t, s, rc.URL+"/hooks")
	evs := commitEvents(t, s, 1, 1, 2, 3)
	run(t, s, webhook.Config{})
	waitFor(t, 5*time.Second, "three deliveries", func() bool { return len(rc.requests()) == 3 })

	wh, err := standardwebhooks.NewWebhook(ep.Secret)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range rc.requests() {
		if err := wh.Verify(r.body, r.header); err != nil {
			t.Errorf("the Standard Webhooks library refuses a delivery: %v (headers %v)", err, r.header)
		}
		var body struct{ ID, Type string }
		if err := json.Unmarshal(r.body, &body); err != nil {
			t.Fatal(err)
		}
		if r.header.Get("webhook-id") != body.ID || body.Type != portfoliod.EventBalanceUpdated || r.header.Get("Content-Type") != "application/json" {
			t.Errorf("delivery headers %v for body %s", r.header, r.body)
		}
		seen[body.ID] = true
	}
	for _, e := range evs {
		if !seen[e.ID] {
			t.Errorf("event %s not delivered", e.ID)
		}
		waitFor(t, 2*time.Second, "delivered status", func() bool { return delivery(t, s, ep, e).Status == portfoliod.DeliveryDelivered })
		d := delivery(t, s, ep, e)
		if d.AttemptCount != 1 || d.Attempts[0].StatusCode != 204 || d.Attempts[0].Duration <= 0 {
			t.Errorf("delivery log %+v", d)
		}
	}
	if n, _, _ := s.OutboxStats(context.Background()); n != 0 {
		t.Errorf("outbox holds %d after every delivery", n)
	}
	// A tampered body fails verification: the check above could fail.
	r := rc.requests()[0]
	if err := wh.Verify(append(r.body, ' '), r.header); err == nil {
		t.Error("a tampered body verifies")
	}
}

func TestRetriesUntilDelivered(t *testing.T) {
	s := openStore(t)
	rc := newReceiver(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n <= 2 {
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, strings.Repeat("busy ", 400)) // over the 1 KiB kept
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	ep := addEndpoint(t, s, rc.URL)
	evs := commitEvents(t, s, 1, 7)
	run(t, s, webhook.Config{Schedule: []time.Duration{50 * time.Millisecond, 50 * time.Millisecond, 50 * time.Millisecond}})
	waitFor(t, 5*time.Second, "delivered on the third attempt", func() bool { return delivery(t, s, ep, evs[0]).Status == portfoliod.DeliveryDelivered })
	d := delivery(t, s, ep, evs[0])
	if d.AttemptCount != 3 || d.Attempts[0].StatusCode != 503 || d.Attempts[1].StatusCode != 503 || d.Attempts[2].StatusCode != 200 {
		t.Fatalf("attempts %+v", d.Attempts)
	}
	if len(d.Attempts[0].Response) != portfoliod.MaxDeliveryResponse || !strings.Contains(d.Attempts[0].Error, "503") {
		t.Errorf("first attempt kept %d bytes of the response and error %q", len(d.Attempts[0].Response), d.Attempts[0].Error)
	}
	reqs := rc.requests()
	if len(reqs) != 3 {
		t.Fatalf("receiver got %d requests", len(reqs))
	}
	if gap := reqs[1].at.Sub(reqs[0].at); gap < 40*time.Millisecond {
		t.Errorf("retried after %s, before the schedule's 50ms (less jitter)", gap)
	}
	for _, r := range reqs {
		if r.header.Get("webhook-id") != evs[0].ID {
			t.Errorf("a retry's webhook-id is %q, want the event id %s", r.header.Get("webhook-id"), evs[0].ID)
		}
	}
	if ep, _ := s.Webhook(context.Background(), ep.ID); !ep.FailingSince.IsZero() {
		t.Errorf("FailingSince = %v after a delivery", ep.FailingSince)
	}
}

func TestScheduleRunsOut(t *testing.T) {
	s := openStore(t)
	rc := newReceiver(t, func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusInternalServerError) })
	ep := addEndpoint(t, s, rc.URL)
	evs := commitEvents(t, s, 1, 7)
	run(t, s, webhook.Config{Schedule: []time.Duration{10 * time.Millisecond, 10 * time.Millisecond}})
	waitFor(t, 5*time.Second, "failed after the schedule", func() bool { return delivery(t, s, ep, evs[0]).Status == portfoliod.DeliveryFailed })
	if d := delivery(t, s, ep, evs[0]); d.AttemptCount != 3 {
		t.Errorf("%d attempts, want 3 (one and two retries)", d.AttemptCount)
	}
	time.Sleep(100 * time.Millisecond)
	if n := len(rc.requests()); n != 3 {
		t.Errorf("receiver got %d requests, want 3", n)
	}
}

func TestGoneDisablesTheEndpoint(t *testing.T) {
	s := openStore(t)
	rc := newReceiver(t, func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusGone) })
	ep := addEndpoint(t, s, rc.URL)
	evs := commitEvents(t, s, 1, 1)
	run(t, s, webhook.Config{Schedule: []time.Duration{10 * time.Millisecond}})
	waitFor(t, 5*time.Second, "disabled", func() bool {
		e, _ := s.Webhook(context.Background(), ep.ID)
		return e.Disabled
	})
	e, _ := s.Webhook(context.Background(), ep.ID)
	if !strings.Contains(e.DisabledReason, "410") {
		t.Errorf("DisabledReason = %q", e.DisabledReason)
	}
	if d := delivery(t, s, ep, evs[0]); d.Status != portfoliod.DeliveryFailed || d.AttemptCount != 1 {
		t.Errorf("delivery after a 410: %+v", d)
	}
	commitEvents(t, s, 2, 2)
	time.Sleep(100 * time.Millisecond)
	if n := len(rc.requests()); n != 1 {
		t.Errorf("a disabled endpoint got %d requests, want the one that answered 410", n)
	}
}

func TestDisabledAfterFailingForDays(t *testing.T) {
	s := openStore(t)
	rc := newReceiver(t, func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusBadGateway) })
	ep := addEndpoint(t, s, rc.URL)
	if _, err := s.UpdateWebhook(context.Background(), ep.ID, func(e *portfoliod.WebhookEndpoint) error {
		e.FailingSince = time.Now().Add(-5*24*time.Hour - time.Minute)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	commitEvents(t, s, 1, 1)
	run(t, s, webhook.Config{})
	waitFor(t, 5*time.Second, "disabled after 5 days of failures", func() bool {
		e, _ := s.Webhook(context.Background(), ep.ID)
		return e.Disabled && strings.Contains(e.DisabledReason, "120h")
	})
}

func TestSlowEndpointDoesNotDelayAnother(t *testing.T) {
	s := openStore(t)
	release := make(chan struct{})
	slow := newReceiver(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	t.Cleanup(func() { close(release) })
	fast := newReceiver(t, nil)
	slowEP := addEndpoint(t, s, slow.URL)
	fastEP := addEndpoint(t, s, fast.URL)
	// Twenty events each: the slow endpoint fills its slots and keeps
	// them for the whole timeout.
	var wallets []int64
	for i := int64(1); i <= 20; i++ {
		wallets = append(wallets, i)
	}
	evs := commitEvents(t, s, 1, wallets...)
	start := time.Now()
	run(t, s, webhook.Config{Timeout: 3 * time.Second, PerEndpoint: 2})
	waitFor(t, 2*time.Second, "the fast endpoint's deliveries", func() bool { return len(fast.requests()) == len(evs) })
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("the fast endpoint waited %s behind the slow one", took)
	}
	if n := len(slow.requests()); n != 2 {
		t.Errorf("the slow endpoint has %d attempts in flight, want its bound of 2", n)
	}
	// Only what can run soon is claimed: a delivery waits here at most
	// one attempt, not behind the whole backlog past its lease.
	ds, _, err := s.Deliveries(context.Background(), slowEP.ID, portfoliod.ListOptions{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	leased := 0
	for _, d := range ds {
		if d.Status == portfoliod.DeliveryPending && d.NextAttempt.After(time.Now()) {
			leased++
		}
	}
	if leased > 3 {
		t.Errorf("%d of the slow endpoint's deliveries are claimed, want at most 3 (2 running, 1 waiting)", leased)
	}
	for _, e := range evs {
		waitFor(t, time.Second, "fast delivery recorded", func() bool { return delivery(t, s, fastEP, e).Status == portfoliod.DeliveryDelivered })
	}
	// The slow attempts time out and are rescheduled, with the reason.
	waitFor(t, 5*time.Second, "a timed-out attempt", func() bool {
		ds, _, _ := s.Deliveries(context.Background(), slowEP.ID, portfoliod.ListOptions{Limit: 100})
		for _, d := range ds {
			if d.AttemptCount > 0 && strings.Contains(d.Attempts[0].Error, "webhooks.timeout") && d.Status == portfoliod.DeliveryPending {
				return true
			}
		}
		return false
	})
}

func TestRedirectsAreNotFollowed(t *testing.T) {
	s := openStore(t)
	target := newReceiver(t, nil)
	rc := newReceiver(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL, http.StatusTemporaryRedirect)
	})
	ep := addEndpoint(t, s, rc.URL)
	evs := commitEvents(t, s, 1, 1)
	run(t, s, webhook.Config{Schedule: []time.Duration{time.Hour}})
	waitFor(t, 5*time.Second, "an attempt", func() bool { return delivery(t, s, ep, evs[0]).AttemptCount == 1 })
	d := delivery(t, s, ep, evs[0])
	if d.Status != portfoliod.DeliveryPending || d.Attempts[0].StatusCode != 307 || !strings.Contains(d.Attempts[0].Error, "redirect") {
		t.Errorf("after a redirect: %+v", d)
	}
	if n := len(target.requests()); n != 0 {
		t.Errorf("the redirect's target got %d requests", n)
	}
}

func TestRotationSignsWithBothSecrets(t *testing.T) {
	s := openStore(t)
	rc := newReceiver(t, nil)
	ep := addEndpoint(t, s, rc.URL)
	old := ep.Secret
	fresh := portfoliod.NewWebhookSecret()
	if _, err := s.UpdateWebhook(context.Background(), ep.ID, func(e *portfoliod.WebhookEndpoint) error {
		e.Secret, e.PreviousSecret, e.PreviousSecretUntil = fresh, old, time.Now().Add(24*time.Hour)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	commitEvents(t, s, 1, 1)
	run(t, s, webhook.Config{})
	waitFor(t, 5*time.Second, "a delivery", func() bool { return len(rc.requests()) == 1 })
	r := rc.requests()[0]
	if sigs := strings.Fields(r.header.Get("webhook-signature")); len(sigs) != 2 {
		t.Errorf("webhook-signature %q: want two signatures", r.header.Get("webhook-signature"))
	}
	for _, secret := range []string{old, fresh} {
		wh, err := standardwebhooks.NewWebhook(secret)
		if err != nil {
			t.Fatal(err)
		}
		if err := wh.Verify(r.body, r.header); err != nil {
			t.Errorf("during the rotation a receiver on one secret cannot verify: %v", err)
		}
	}
	// Once the previous secret expires, only the new one signs.
	if _, err := s.UpdateWebhook(context.Background(), ep.ID, func(e *portfoliod.WebhookEndpoint) error {
		e.PreviousSecretUntil = time.Now().Add(-time.Second)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	commitEvents(t, s, 2, 2)
	waitFor(t, 5*time.Second, "a second delivery", func() bool { return len(rc.requests()) == 2 })
	r = rc.requests()[1]
	wh, _ := standardwebhooks.NewWebhook(old)
	if err := wh.Verify(r.body, r.header); err == nil {
		t.Error("the expired secret still signs")
	}
}

// With the guard on, a delivery to a name that resolves to loopback at
// delivery time is refused before it connects: the receiver, on
// loopback, sees nothing.
func TestGuardRefusesAtDeliveryTime(t *testing.T) {
	s := openStore(t)
	rc := newReceiver(t, nil)
	port := rc.URL[strings.LastIndex(rc.URL, ":")+1:]
	ep := addEndpoint(t, s, "http://localhost:"+port+"/hooks") // as if it resolved elsewhere at registration
	evs := commitEvents(t, s, 1, 1)
	run(t, s, webhook.Config{Guard: webhook.Guard{AllowHTTP: true}, Schedule: []time.Duration{time.Hour}})
	waitFor(t, 5*time.Second, "a refused attempt", func() bool { return delivery(t, s, ep, evs[0]).AttemptCount == 1 })
	d := delivery(t, s, ep, evs[0])
	if !strings.Contains(d.Attempts[0].Error, "SSRF guard") || !strings.Contains(d.Attempts[0].Error, "loopback") || d.Attempts[0].StatusCode != 0 {
		t.Errorf("attempt %+v: want refused by the guard as loopback", d.Attempts[0])
	}
	if n := len(rc.requests()); n != 0 {
		t.Errorf("the receiver got %d requests past the guard", n)
	}
}

func TestTestEventAndManualRetry(t *testing.T) {
	s := openStore(t)
	fail := true
	var mu sync.Mutex
	rc := newReceiver(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if fail {
			w.WriteHeader(http.StatusBadRequest)
		}
	})
	ep := addEndpoint(t, s, rc.URL)
	now := time.Now().UTC()
	test := portfoliod.Delivery{ID: portfoliod.DeliveryID(ep.ID, portfoliod.NewTestEventID()), EndpointID: ep.ID, EventID: portfoliod.NewTestEventID(),
		EventType: portfoliod.EventWebhookTest, CreatedAt: now, Status: portfoliod.DeliveryPending, NextAttempt: now}
	if err := s.EnqueueDelivery(context.Background(), test); err != nil {
		t.Fatal(err)
	}
	d := run(t, s, webhook.Config{Schedule: []time.Duration{}})
	get := func() portfoliod.Delivery {
		got, err := s.Delivery(context.Background(), ep.ID, test.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	waitFor(t, 5*time.Second, "the test event failed", func() bool { return get().Status == portfoliod.DeliveryFailed })
	var body struct{ ID, Type string }
	if err := json.Unmarshal(rc.requests()[0].body, &body); err != nil || body.Type != portfoliod.EventWebhookTest || body.ID != test.EventID {
		t.Errorf("test event body %s, %v", rc.requests()[0].body, err)
	}
	mu.Lock()
	fail = false
	mu.Unlock()
	if _, err := s.RetryDelivery(context.Background(), ep.ID, test.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	d.Notify()
	waitFor(t, 5*time.Second, "delivered on the manual retry", func() bool { return get().Status == portfoliod.DeliveryDelivered })
	if reqs := rc.requests(); len(reqs) != 2 || reqs[1].header.Get("webhook-id") != test.EventID {
		t.Errorf("retry requests %d", len(reqs))
	}
}

// A receiver that closed a kept-alive connection as the dispatcher reused
// it (a hangup server, a fake: no real receiver closes on cue) gets the
// delivery on a new connection within the same attempt, not a failed
// attempt and a retry.
func TestStaleConnectionIsResent(t *testing.T) {
	s := openStore(t)
	rc := hangup.Start(t, func([]byte) (int, string, string) { return http.StatusNoContent, "text/plain", "" })
	ep := addEndpoint(t, s, rc.URL+"/hooks")
	run(t, s, webhook.Config{Schedule: []time.Duration{time.Hour}})
	for n := range uint64(4) {
		ev := commitEvents(t, s, n+1, int64(n+1))[0]
		waitFor(t, 5*time.Second, "delivery "+ev.ID, func() bool { return delivery(t, s, ep, ev).Status != portfoliod.DeliveryPending })
		if d := delivery(t, s, ep, ev); d.Status != portfoliod.DeliveryDelivered || d.AttemptCount != 1 {
			t.Errorf("delivery %d: %s after %d attempts %+v, want delivered at the first", n, d.Status, d.AttemptCount, d.Attempts)
		}
	}
	if rc.HungUp() < 3 || rc.Keyed() > 0 {
		t.Errorf("the receiver hung up on %d reused connections (want 3 of 4 deliveries) and saw %d idempotency headers (want none)", rc.HungUp(), rc.Keyed())
	}
}

package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/customers/storetest"
	"github.com/portfoliod/portfoliod/internal/pgtest"
)

// TestWebhookContract runs the webhook endpoints' and the outbox's
// contract against a real PostgreSQL server.
func TestWebhookContract(t *testing.T) {
	storetest.RunWebhooks(t, func(tb testing.TB) storetest.WebhookStore { return mustOpen(tb, Options{}) })
}

func testEndpoint() portfoliod.WebhookEndpoint {
	return portfoliod.WebhookEndpoint{ID: portfoliod.NewWebhookID(), URL: "https://receiver.example/", Types: []string{portfoliod.EventBalanceUpdated},
		Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", CreatedAt: testBlockTime, UpdatedAt: testBlockTime}
}

func mustCreateWebhook(tb testing.TB, s *Store, e portfoliod.WebhookEndpoint) portfoliod.WebhookEndpoint {
	tb.Helper()
	if err := s.CreateWebhook(context.Background(), e); err != nil {
		tb.Fatal(err)
	}
	return e
}

// Two replicas (two stores, two pools, one database) claiming at once,
// three workers each, claim every delivery exactly once.
func TestTwoReplicasClaimEachDeliveryOnce(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	a, b := mustOpenDSN(t, dsn, Options{}), mustOpenDSN(t, dsn, Options{})
	ctx := context.Background()
	ep := mustCreateWebhook(t, a, testEndpoint())
	const blocks, perBlock = 20, 10
	for n := uint64(1); n <= blocks; n++ {
		if err := a.CommitBlock(ctx, testCommit(n, perBlock)); err != nil {
			t.Fatal(err)
		}
	}
	now := testBlock(blocks).Time
	// delivery id: the replicas that claimed it
	seen := storetest.ClaimConcurrently(t, []portfoliod.WebhookStore{a, b}, 3, 4, now)
	if len(seen) != blocks*perBlock {
		t.Errorf("claimed %d distinct deliveries, want %d", len(seen), blocks*perBlock)
	}
	byReplica := [2]int{}
	for id, rs := range seen {
		if len(rs) != 1 {
			t.Errorf("delivery %s claimed by replicas %v, want one claim", id, rs)
		}
		byReplica[rs[0]]++
	}
	t.Logf("claims by replica: %v", byReplica)
	if d, err := b.Delivery(ctx, ep.ID, portfoliod.DeliveryID(ep.ID, testCommit(1, perBlock).Events[0].ID)); err != nil || !d.NextAttempt.Equal(now.Add(time.Hour)) {
		t.Errorf("a claimed delivery = %+v, %v; want it leased until %v", d, err, now.Add(time.Hour))
	}
}

// A replica that claimed and died (its store closed) leaves its claims to
// the other replica once the lease lapses, not before.
func TestLapsedLeaseGoesToTheOtherReplica(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	a, b := mustOpenDSN(t, dsn, Options{}), mustOpenDSN(t, dsn, Options{})
	ctx := context.Background()
	ep := mustCreateWebhook(t, a, testEndpoint())
	c := testCommit(1, 3)
	if err := a.CommitBlock(ctx, c); err != nil {
		t.Fatal(err)
	}
	now := c.Block.Time
	claimed, err := a.ClaimDeliveries(ctx, now, time.Minute, 10, nil)
	if err != nil || len(claimed) != 3 {
		t.Fatalf("replica a claimed %d, %v; want 3", len(claimed), err)
	}
	a.Close() // killed mid-delivery
	if ds, err := b.ClaimDeliveries(ctx, now.Add(59*time.Second), time.Minute, 10, nil); err != nil || len(ds) != 0 {
		t.Errorf("replica b claimed %d, %v while a's lease runs; want none", len(ds), err)
	}
	ds, err := b.ClaimDeliveries(ctx, now.Add(61*time.Second), time.Minute, 10, nil)
	if err != nil || len(ds) != 3 {
		t.Fatalf("replica b claimed %d, %v after the lease lapsed; want a's 3", len(ds), err)
	}
	for _, d := range ds {
		if err := b.RecordAttempt(ctx, d.ID, portfoliod.DeliveryOutcome{Attempt: portfoliod.DeliveryAttempt{At: now.Add(62 * time.Second), StatusCode: 204},
			Status: portfoliod.DeliveryDelivered}); err != nil {
			t.Fatal(err)
		}
	}
	if n, _, err := b.OutboxStats(ctx); err != nil || n != 0 {
		t.Errorf("outbox after b delivered = %d, %v", n, err)
	}
	if ds, _ := b.ClaimDeliveries(ctx, now.Add(time.Hour), time.Minute, 10, nil); len(ds) != 0 {
		t.Errorf("delivered ones were claimed again: %d", len(ds))
	}
	if ep, err := b.Webhook(ctx, ep.ID); err != nil || !ep.FailingSince.IsZero() {
		t.Errorf("endpoint after delivery = %+v, %v", ep, err)
	}
}

// Replicas creating endpoints at once never pass MaxWebhookEndpoints.
func TestTwoReplicasKeepTheEndpointLimit(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	a, b := mustOpenDSN(t, dsn, Options{}), mustOpenDSN(t, dsn, Options{})
	ctx := context.Background()
	const before = portfoliod.MaxWebhookEndpoints - 5
	for range before {
		mustCreateWebhook(t, a, testEndpoint())
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		oks  int
		errs []error
	)
	for i := range 20 {
		s := []*Store{a, b}[i%2]
		wg.Go(func() {
			err := s.CreateWebhook(ctx, testEndpoint())
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				oks++
			case !errors.Is(err, portfoliod.ErrTooManyWebhooks):
				errs = append(errs, err)
			}
		})
	}
	wg.Wait()
	if oks != 5 || len(errs) != 0 {
		t.Errorf("concurrent creates: %d succeeded, errors %v; want 5 and the rest ErrTooManyWebhooks", oks, errs)
	}
	var n int
	if err := b.pool.QueryRow(ctx, `SELECT count(*) FROM webhook_endpoints`).Scan(&n); err != nil || n != portfoliod.MaxWebhookEndpoints {
		t.Errorf("the store keeps %d endpoints, %v; want %d", n, err, portfoliod.MaxWebhookEndpoints)
	}
}

// An endpoint disabled on one replica while another commits a block for
// it ends with no pending delivery: the commit either wrote its deliveries
// before the disable (which then failed them) or saw it disabled.
func TestDisableRacingCommitLeavesNothingPending(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	a, b := mustOpenDSN(t, dsn, Options{}), mustOpenDSN(t, dsn, Options{})
	ctx := context.Background()
	for n := uint64(1); n <= 30; n++ {
		ep := mustCreateWebhook(t, a, testEndpoint())
		var (
			wg    sync.WaitGroup
			start = make(chan struct{})
		)
		wg.Go(func() {
			<-start
			if err := a.CommitBlock(ctx, testCommit(n, 5)); err != nil {
				t.Error(err)
			}
		})
		wg.Go(func() {
			<-start
			if _, err := b.UpdateWebhook(ctx, ep.ID, func(e *portfoliod.WebhookEndpoint) error {
				e.Disabled, e.DisabledReason = true, "disabled by an operator"
				return nil
			}); err != nil {
				t.Error(err)
			}
		})
		close(start)
		wg.Wait()
		ds, _, err := b.Deliveries(ctx, ep.ID, portfoliod.ListOptions{Limit: portfoliod.MaxListLimit})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			if d.Status != portfoliod.DeliveryFailed {
				t.Fatalf("block %d: a disabled endpoint's delivery %s is %s, want failed", n, d.ID, d.Status)
			}
		}
	}
}

// Attempts keep the newest MaxKeptAttempts, count them all, and keep a
// receiver's response whatever bytes it holds (jsonb refuses NUL).
func TestAttemptsAreBoundedAndKeepAnyResponse(t *testing.T) {
	s := mustOpen(t, Options{})
	ctx := context.Background()
	ep := mustCreateWebhook(t, s, testEndpoint())
	c := testCommit(1, 1)
	if err := s.CommitBlock(ctx, c); err != nil {
		t.Fatal(err)
	}
	id := portfoliod.DeliveryID(ep.ID, c.Events[0].ID)
	at := c.Block.Time
	const n = portfoliod.MaxKeptAttempts + 5
	for i := range n {
		o := portfoliod.DeliveryOutcome{Attempt: portfoliod.DeliveryAttempt{At: at.Add(time.Duration(i) * time.Second), Duration: 1500 * time.Microsecond,
			StatusCode: 500, Response: fmt.Sprintf("attempt %d\x00\xff", i)}, Status: portfoliod.DeliveryPending, NextAttempt: at.Add(time.Hour)}
		if err := s.RecordAttempt(ctx, id, o); err != nil {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	d, err := s.Delivery(ctx, ep.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	if d.AttemptCount != n || len(d.Attempts) != portfoliod.MaxKeptAttempts || !d.NextAttempt.Equal(at.Add(time.Hour)) {
		t.Fatalf("delivery = %d attempts, %d kept, next %v; want %d, %d, %v", d.AttemptCount, len(d.Attempts), d.NextAttempt, n, portfoliod.MaxKeptAttempts, at.Add(time.Hour))
	}
	first, last := d.Attempts[0], d.Attempts[len(d.Attempts)-1]
	if !first.At.Equal(at.Add(5*time.Second)) || !last.At.Equal(at.Add((n-1)*time.Second)) || last.Duration != 1500*time.Microsecond {
		t.Errorf("kept attempts from %v to %v (%v), want the newest %d", first.At, last.At, last.Duration, portfoliod.MaxKeptAttempts)
	}
	if want := fmt.Sprintf("attempt %d\uFFFD\uFFFD", n-1); last.Response != want {
		t.Errorf("response = %q, want %q", last.Response, want)
	}
	if ep, _ := s.Webhook(ctx, ep.ID); !ep.FailingSince.Equal(at) {
		t.Errorf("FailingSince = %v, want the first failure %v", ep.FailingSince, at)
	}
}

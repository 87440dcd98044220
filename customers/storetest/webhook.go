package storetest

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod"
)

// WebhookStore is a store with the follower's state and the webhooks: the
// outbox is written by CommitBlock.
type WebhookStore interface {
	portfoliod.FollowerStore
	portfoliod.WebhookStore
}

// RunWebhooks runs the contract of portfoliod.WebhookStore: endpoints,
// the outbox CommitBlock fills, claims and their leases, attempts,
// retries and purges. open returns a fresh, empty store closed by
// tb.Cleanup.
func RunWebhooks(t *testing.T, open func(tb testing.TB) WebhookStore) {
	ctx := context.Background()
	t0 := time.Unix(1_800_000_000, 0).UTC()
	token := common.HexToAddress("0x00000000000000000000000000000000000000a1")
	endpoint := func(url string, frozenOnly bool) portfoliod.WebhookEndpoint {
		return portfoliod.WebhookEndpoint{ID: portfoliod.NewWebhookID(), URL: url, Types: []string{portfoliod.EventBalanceUpdated},
			FrozenOnly: frozenOnly, Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", CreatedAt: t0, UpdatedAt: t0}
	}
	figs := func(total, frozen int64) portfoliod.Figures {
		return portfoliod.Figures{Total: big.NewInt(total), Frozen: big.NewInt(frozen), Available: big.NewInt(total - frozen)}
	}
	// commit stores block n with one event per wallet: a transfer for
	// odd wallets, a freeze for even ones.
	commit := func(t *testing.T, s WebhookStore, n uint64, wallets ...int) []portfoliod.Event {
		t.Helper()
		b := portfoliod.Block{Number: n, Hash: common.BigToHash(big.NewInt(int64(5000 + n))), Time: t0.Add(time.Duration(n) * time.Second)}
		c := portfoliod.BlockCommit{Block: b, Parent: common.BigToHash(big.NewInt(int64(4999 + n)))}
		for _, w := range wallets {
			prev, cur := figs(10, 0), figs(20, 0)
			if w%2 == 0 {
				cur = figs(10, 4)
			}
			e := portfoliod.Event{ID: portfoliod.EventID(b.Hash, token, wallet(w)), Type: portfoliod.EventBalanceUpdated, CreatedAt: b.Time,
				Data: portfoliod.BalanceChange{CustomerID: fmt.Sprintf("customer_%032x", w), Wallet: wallet(w), Token: token, Block: b,
					Previous: prev, Balances: cur, Changed: prev.Changed(cur)}}
			c.Events = append(c.Events, e)
			c.Figures = append(c.Figures, portfoliod.TokenWalletFigures{TokenWallet: portfoliod.TokenWallet{Token: token, Wallet: wallet(w)},
				Known: portfoliod.KnownFigures{Figures: cur, Block: b}})
		}
		if err := s.CommitBlock(ctx, c); err != nil {
			t.Fatal(err)
		}
		return c.Events
	}
	create := func(t *testing.T, s WebhookStore, e portfoliod.WebhookEndpoint) portfoliod.WebhookEndpoint {
		t.Helper()
		if err := s.CreateWebhook(ctx, e); err != nil {
			t.Fatal(err)
		}
		return e
	}
	claimIDs := func(t *testing.T, s WebhookStore, now time.Time, skip ...string) []string {
		t.Helper()
		ds, err := s.ClaimDeliveries(ctx, now, time.Minute, 100, skip)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, d := range ds {
			if d.Status != portfoliod.DeliveryPending {
				t.Errorf("claimed %s is %s, want pending", d.ID, d.Status)
			}
			ids = append(ids, d.ID)
		}
		sort.Strings(ids)
		return ids
	}
	want := func(pairs ...string) []string { // endpoint, event, endpoint, event…
		var ids []string
		for i := 0; i < len(pairs); i += 2 {
			ids = append(ids, portfoliod.DeliveryID(pairs[i], pairs[i+1]))
		}
		sort.Strings(ids)
		return ids
	}
	same := func(a, b []string) bool { return fmt.Sprint(a) == fmt.Sprint(b) }

	t.Run("endpoints: create, read, page, update, delete", func(t *testing.T) {
		s := open(t)
		if _, err := s.Webhook(ctx, portfoliod.NewWebhookID()); !errors.Is(err, portfoliod.ErrWebhookNotFound) {
			t.Errorf("Webhook of an unknown id = %v, want ErrWebhookNotFound", err)
		}
		var ids []string
		for i := 0; i < 3; i++ {
			e := endpoint(fmt.Sprintf("https://receiver.example/%d", i), i == 1)
			e.Description = "back office"
			create(t, s, e)
			ids = append(ids, e.ID)
		}
		sort.Strings(ids)
		got, err := s.Webhook(ctx, ids[0])
		if err != nil || got.ID != ids[0] || got.Secret == "" || !got.CreatedAt.Equal(t0) || got.Description != "back office" || len(got.Types) != 1 {
			t.Errorf("Webhook = %+v, %v", got, err)
		}
		page, more, err := s.Webhooks(ctx, portfoliod.ListOptions{Limit: 2})
		if err != nil || !more || len(page) != 2 || page[0].ID != ids[0] || page[1].ID != ids[1] {
			t.Fatalf("first page = %v, %v, %v", page, more, err)
		}
		page, more, err = s.Webhooks(ctx, portfoliod.ListOptions{Limit: 2, StartingAfter: ids[1]})
		if err != nil || more || len(page) != 1 || page[0].ID != ids[2] {
			t.Errorf("second page = %v, %v, %v", page, more, err)
		}
		upd, err := s.UpdateWebhook(ctx, ids[0], func(e *portfoliod.WebhookEndpoint) error {
			e.URL, e.PreviousSecret, e.PreviousSecretUntil = "https://receiver.example/new", e.Secret, t0.Add(24*time.Hour)
			e.Secret = "whsec_bmV3"
			return nil
		})
		if err != nil || upd.URL != "https://receiver.example/new" {
			t.Errorf("UpdateWebhook = %+v, %v", upd, err)
		}
		got, _ = s.Webhook(ctx, ids[0])
		if got.URL != upd.URL || got.Secret != "whsec_bmV3" || got.PreviousSecret == "" || !got.PreviousSecretUntil.Equal(t0.Add(24*time.Hour)) {
			t.Errorf("after update: %+v", got)
		}
		abort := errors.New("abort")
		if _, err := s.UpdateWebhook(ctx, ids[0], func(e *portfoliod.WebhookEndpoint) error { e.URL = "https://x.example"; return abort }); !errors.Is(err, abort) {
			t.Errorf("an aborted update = %v", err)
		}
		if got, _ := s.Webhook(ctx, ids[0]); got.URL != upd.URL {
			t.Errorf("an aborted update stored %q", got.URL)
		}
		if err := s.DeleteWebhook(ctx, ids[0]); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Webhook(ctx, ids[0]); !errors.Is(err, portfoliod.ErrWebhookNotFound) {
			t.Errorf("deleted endpoint: %v", err)
		}
		if err := s.DeleteWebhook(ctx, ids[0]); !errors.Is(err, portfoliod.ErrWebhookNotFound) {
			t.Errorf("deleting twice = %v", err)
		}
	})

	t.Run("at most MaxWebhookEndpoints", func(t *testing.T) {
		s := open(t)
		for i := 0; i < portfoliod.MaxWebhookEndpoints; i++ {
			create(t, s, endpoint("https://receiver.example/", false))
		}
		if err := s.CreateWebhook(ctx, endpoint("https://receiver.example/", false)); !errors.Is(err, portfoliod.ErrTooManyWebhooks) {
			t.Errorf("endpoint %d = %v, want ErrTooManyWebhooks", portfoliod.MaxWebhookEndpoints+1, err)
		}
	})

	t.Run("CommitBlock writes a delivery per wanting endpoint, once", func(t *testing.T) {
		s := open(t)
		all := create(t, s, endpoint("https://a.example/", false))
		frozen := create(t, s, endpoint("https://b.example/", true))
		off := endpoint("https://c.example/", false)
		off.Disabled, off.DisabledReason = true, "disabled by an operator"
		create(t, s, off)
		evs := commit(t, s, 1, 1, 2) // wallet 1: total changes; wallet 2: frozen changes
		wantIDs := want(all.ID, evs[0].ID, all.ID, evs[1].ID, frozen.ID, evs[1].ID)
		// Committing the block again (a replay) adds nothing.
		commit(t, s, 1, 1, 2)
		if n, oldest, err := s.OutboxStats(ctx); err != nil || n != 3 || !oldest.Equal(evs[0].CreatedAt) {
			t.Errorf("OutboxStats = %d, %v, %v; want 3, %v", n, oldest, err, evs[0].CreatedAt)
		}
		// Not yet due before the event.
		if got := claimIDs(t, s, t0); len(got) != 0 {
			t.Errorf("claimed before due: %v", got)
		}
		now := evs[0].CreatedAt
		if got := claimIDs(t, s, now); !same(got, wantIDs) {
			t.Errorf("claimed %v, want %v", got, wantIDs)
		}
		d, err := s.Delivery(ctx, frozen.ID, portfoliod.DeliveryID(frozen.ID, evs[1].ID))
		if err != nil || d.EventID != evs[1].ID || d.EventType != portfoliod.EventBalanceUpdated || d.EndpointID != frozen.ID || !d.CreatedAt.Equal(evs[1].CreatedAt) {
			t.Errorf("Delivery = %+v, %v", d, err)
		}
		if _, err := s.Delivery(ctx, all.ID, d.ID); !errors.Is(err, portfoliod.ErrDeliveryNotFound) {
			t.Errorf("another endpoint's delivery = %v, want ErrDeliveryNotFound", err)
		}
		if e, err := s.Event(ctx, d.EventID); err != nil || e.ID != d.EventID || e.Data.Wallet != wallet(2) {
			t.Errorf("Event = %+v, %v", e, err)
		}
		if _, err := s.Event(ctx, portfoliod.NewTestEventID()); !errors.Is(err, portfoliod.ErrEventNotFound) {
			t.Errorf("Event of an unknown id = %v", err)
		}
	})

	t.Run("a claim leases; a lapsed lease is claimed again; skip", func(t *testing.T) {
		s := open(t)
		a := create(t, s, endpoint("https://a.example/", false))
		b := create(t, s, endpoint("https://b.example/", false))
		evs := commit(t, s, 1, 1)
		now := evs[0].CreatedAt
		if got := claimIDs(t, s, now, a.ID); !same(got, want(b.ID, evs[0].ID)) {
			t.Errorf("claim skipping a = %v", got)
		}
		if got := claimIDs(t, s, now); !same(got, want(a.ID, evs[0].ID)) {
			t.Errorf("second claim = %v, want only a's (b's is leased)", got)
		}
		if got := claimIDs(t, s, now.Add(30*time.Second)); len(got) != 0 {
			t.Errorf("claimed while leased: %v", got)
		}
		if got := claimIDs(t, s, now.Add(61*time.Second)); !same(got, want(a.ID, evs[0].ID, b.ID, evs[0].ID)) {
			t.Errorf("after the lease lapsed = %v", got)
		}
	})

	t.Run("concurrent claims never return one delivery twice", func(t *testing.T) {
		s := open(t)
		a := create(t, s, endpoint("https://a.example/", false))
		var evs []portfoliod.Event
		for n := uint64(1); n <= 5; n++ {
			evs = append(evs, commit(t, s, n, 1, 3, 5, 7)...)
		}
		now := evs[len(evs)-1].CreatedAt
		seen := ClaimConcurrently(t, []portfoliod.WebhookStore{s}, 4, 3, now)
		if len(seen) != len(evs) {
			t.Errorf("claimed %d distinct deliveries, want %d", len(seen), len(evs))
		}
		for id, claims := range seen {
			if n := len(claims); n != 1 || !contains(evs, a.ID, id) {
				t.Errorf("delivery %s claimed %d times", id, n)
			}
		}
	})

	t.Run("attempts: retry schedule, delivered, failed, manual retry", func(t *testing.T) {
		s := open(t)
		a := create(t, s, endpoint("https://a.example/", false))
		evs := commit(t, s, 1, 1)
		id := portfoliod.DeliveryID(a.ID, evs[0].ID)
		now := evs[0].CreatedAt
		claimIDs(t, s, now)
		fail := portfoliod.DeliveryAttempt{At: now, Duration: 15 * time.Millisecond, StatusCode: 503, Response: "busy"}
		if err := s.RecordAttempt(ctx, id, portfoliod.DeliveryOutcome{Attempt: fail, Status: portfoliod.DeliveryPending, NextAttempt: now.Add(5 * time.Second)}); err != nil {
			t.Fatal(err)
		}
		if ep, _ := s.Webhook(ctx, a.ID); !ep.FailingSince.Equal(now) {
			t.Errorf("FailingSince = %v, want %v", ep.FailingSince, now)
		}
		if got := claimIDs(t, s, now.Add(4*time.Second)); len(got) != 0 {
			t.Errorf("claimed before its retry is due: %v", got)
		}
		if got := claimIDs(t, s, now.Add(5*time.Second)); !same(got, []string{id}) {
			t.Errorf("retry claim = %v", got)
		}
		ok := portfoliod.DeliveryAttempt{At: now.Add(5 * time.Second), Duration: time.Millisecond, StatusCode: 204}
		if err := s.RecordAttempt(ctx, id, portfoliod.DeliveryOutcome{Attempt: ok, Status: portfoliod.DeliveryDelivered}); err != nil {
			t.Fatal(err)
		}
		d, err := s.Delivery(ctx, a.ID, id)
		if err != nil || d.Status != portfoliod.DeliveryDelivered || d.AttemptCount != 2 || len(d.Attempts) != 2 ||
			d.Attempts[0].StatusCode != 503 || d.Attempts[0].Response != "busy" || d.Attempts[0].Duration != 15*time.Millisecond || d.Attempts[1].StatusCode != 204 {
			t.Errorf("after delivery: %+v, %v", d, err)
		}
		if ep, _ := s.Webhook(ctx, a.ID); !ep.FailingSince.IsZero() {
			t.Errorf("FailingSince after a delivery = %v, want zero", ep.FailingSince)
		}
		if n, _, _ := s.OutboxStats(ctx); n != 0 {
			t.Errorf("outbox holds %d after delivery", n)
		}
		if _, err := s.RetryDelivery(ctx, a.ID, id, now); !errors.Is(err, portfoliod.ErrDeliveryNotFailed) {
			t.Errorf("retrying a delivered one = %v, want ErrDeliveryNotFailed", err)
		}
		// A second event fails for good, then is retried by hand.
		evs2 := commit(t, s, 2, 1)
		id2 := portfoliod.DeliveryID(a.ID, evs2[0].ID)
		claimIDs(t, s, evs2[0].CreatedAt)
		if err := s.RecordAttempt(ctx, id2, portfoliod.DeliveryOutcome{Attempt: portfoliod.DeliveryAttempt{At: evs2[0].CreatedAt, Error: "connection refused"}, Status: portfoliod.DeliveryFailed}); err != nil {
			t.Fatal(err)
		}
		if got := claimIDs(t, s, evs2[0].CreatedAt.Add(time.Hour)); len(got) != 0 {
			t.Errorf("a failed delivery was claimed: %v", got)
		}
		r, err := s.RetryDelivery(ctx, a.ID, id2, evs2[0].CreatedAt.Add(time.Hour))
		if err != nil || r.Status != portfoliod.DeliveryPending {
			t.Errorf("RetryDelivery = %+v, %v", r, err)
		}
		if got := claimIDs(t, s, evs2[0].CreatedAt.Add(time.Hour)); !same(got, []string{id2}) {
			t.Errorf("after a manual retry, claimed %v", got)
		}
		// Newest first, paged.
		page, more, err := s.Deliveries(ctx, a.ID, portfoliod.ListOptions{Limit: 1})
		if err != nil || !more || len(page) != 1 || page[0].ID != id2 {
			t.Fatalf("first deliveries page = %v, %v, %v", page, more, err)
		}
		page, more, err = s.Deliveries(ctx, a.ID, portfoliod.ListOptions{Limit: 1, StartingAfter: id2})
		if err != nil || more || len(page) != 1 || page[0].ID != id {
			t.Errorf("second deliveries page = %v, %v, %v", page, more, err)
		}
		if _, _, err := s.Deliveries(ctx, portfoliod.NewWebhookID(), portfoliod.ListOptions{}); !errors.Is(err, portfoliod.ErrWebhookNotFound) {
			t.Errorf("deliveries of an unknown endpoint = %v", err)
		}
	})

	t.Run("disabling fails the pending deliveries; deleting drops them", func(t *testing.T) {
		s := open(t)
		a := create(t, s, endpoint("https://a.example/", false))
		b := create(t, s, endpoint("https://b.example/", false))
		evs := commit(t, s, 1, 1, 3)
		now := evs[0].CreatedAt
		claimIDs(t, s, now)
		// A 410 disables a.
		if err := s.RecordAttempt(ctx, portfoliod.DeliveryID(a.ID, evs[0].ID), portfoliod.DeliveryOutcome{
			Attempt: portfoliod.DeliveryAttempt{At: now, StatusCode: 410}, Status: portfoliod.DeliveryFailed, Disable: "410 Gone from the receiver"}); err != nil {
			t.Fatal(err)
		}
		ep, _ := s.Webhook(ctx, a.ID)
		if !ep.Disabled || ep.DisabledReason != "410 Gone from the receiver" {
			t.Errorf("after a 410: %+v", ep)
		}
		if d, _ := s.Delivery(ctx, a.ID, portfoliod.DeliveryID(a.ID, evs[1].ID)); d.Status != portfoliod.DeliveryFailed {
			t.Errorf("a disabled endpoint's other delivery is %s, want failed", d.Status)
		}
		// A disabled endpoint gets no new deliveries.
		evs2 := commit(t, s, 2, 5)
		if _, err := s.Delivery(ctx, a.ID, portfoliod.DeliveryID(a.ID, evs2[0].ID)); !errors.Is(err, portfoliod.ErrDeliveryNotFound) {
			t.Errorf("a disabled endpoint got a delivery: %v", err)
		}
		if n, _, _ := s.OutboxStats(ctx); n != 3 {
			t.Errorf("outbox = %d, want b's 3", n)
		}
		// An attempt claimed before b was disabled, recorded after, does
		// not put a retry back in the outbox.
		if _, err := s.UpdateWebhook(ctx, b.ID, func(e *portfoliod.WebhookEndpoint) error {
			e.Disabled, e.DisabledReason = true, "disabled by an operator"
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		late := portfoliod.DeliveryID(b.ID, evs[0].ID)
		if err := s.RecordAttempt(ctx, late, portfoliod.DeliveryOutcome{Attempt: portfoliod.DeliveryAttempt{At: now, StatusCode: 503},
			Status: portfoliod.DeliveryPending, NextAttempt: now.Add(5 * time.Second)}); err != nil {
			t.Fatal(err)
		}
		if d, _ := s.Delivery(ctx, b.ID, late); d.Status != portfoliod.DeliveryFailed || d.AttemptCount != 1 {
			t.Errorf("a retry recorded after the endpoint was disabled: %+v, want failed", d)
		}
		if n, _, _ := s.OutboxStats(ctx); n != 0 {
			t.Errorf("outbox = %d after disabling b, want 0", n)
		}
		if err := s.DeleteWebhook(ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		if n, oldest, _ := s.OutboxStats(ctx); n != 0 || !oldest.IsZero() {
			t.Errorf("outbox after deleting b = %d, %v", n, oldest)
		}
		if got := claimIDs(t, s, now.Add(time.Hour)); len(got) != 0 {
			t.Errorf("claimed a deleted endpoint's deliveries: %v", got)
		}
		if err := s.RecordAttempt(ctx, portfoliod.DeliveryID(b.ID, evs[0].ID), portfoliod.DeliveryOutcome{Status: portfoliod.DeliveryDelivered}); !errors.Is(err, portfoliod.ErrDeliveryNotFound) {
			t.Errorf("an attempt for a deleted endpoint = %v, want ErrDeliveryNotFound", err)
		}
	})

	t.Run("EnqueueDelivery and PurgeDeliveries", func(t *testing.T) {
		s := open(t)
		a := create(t, s, endpoint("https://a.example/", false))
		test := portfoliod.Delivery{ID: portfoliod.DeliveryID(a.ID, "evt_test"), EndpointID: a.ID, EventID: portfoliod.NewTestEventID(),
			EventType: portfoliod.EventWebhookTest, CreatedAt: t0, Status: portfoliod.DeliveryPending, NextAttempt: t0}
		if err := s.EnqueueDelivery(ctx, test); err != nil {
			t.Fatal(err)
		}
		if err := s.EnqueueDelivery(ctx, test); err != nil {
			t.Fatal(err)
		}
		if got := claimIDs(t, s, t0); !same(got, []string{test.ID}) {
			t.Errorf("claimed %v, want the test delivery once", got)
		}
		if err := s.EnqueueDelivery(ctx, portfoliod.Delivery{ID: portfoliod.DeliveryID("we_gone", "x"), EndpointID: portfoliod.NewWebhookID(),
			Status: portfoliod.DeliveryPending, NextAttempt: t0}); !errors.Is(err, portfoliod.ErrWebhookNotFound) {
			t.Errorf("enqueue for an unknown endpoint = %v", err)
		}
		if err := s.RecordAttempt(ctx, test.ID, portfoliod.DeliveryOutcome{Attempt: portfoliod.DeliveryAttempt{At: t0, StatusCode: 200}, Status: portfoliod.DeliveryDelivered}); err != nil {
			t.Fatal(err)
		}
		evs := commit(t, s, 10, 1) // pending, at t0+10s
		if n, err := s.PurgeDeliveries(ctx, t0.Add(time.Hour)); err != nil || n != 1 {
			t.Errorf("PurgeDeliveries = %d, %v; want 1 (the delivered one, not the pending)", n, err)
		}
		if _, err := s.Delivery(ctx, a.ID, test.ID); !errors.Is(err, portfoliod.ErrDeliveryNotFound) {
			t.Errorf("a purged delivery: %v", err)
		}
		if _, err := s.Delivery(ctx, a.ID, portfoliod.DeliveryID(a.ID, evs[0].ID)); err != nil {
			t.Errorf("the pending delivery was purged: %v", err)
		}
	})

	t.Run("a store move: ForEachDelivery, ImportEvents, ImportDeliveries", func(t *testing.T) {
		src, dst := open(t), open(t)
		a := create(t, src, endpoint("https://a.example/", false))
		a.PreviousSecret, a.PreviousSecretUntil = "whsec_b2xkIHNlY3JldCBvZiBhdCBsZWFzdCAyNCBieXRlcw==", t0.Add(24*time.Hour)
		if _, err := src.UpdateWebhook(ctx, a.ID, func(e *portfoliod.WebhookEndpoint) error { *e = a; return nil }); err != nil {
			t.Fatal(err)
		}
		b := create(t, src, endpoint("https://b.example/", true))
		evs := append(commit(t, src, 1, 1, 2), commit(t, src, 2, 3)...)
		// a: event 0 delivered after a 503, event 1 pending after a
		// refused connection, event 2 failed; b (frozenOnly): event 1
		// pending, never tried.
		claimIDs(t, src, evs[2].CreatedAt)
		at := evs[0].CreatedAt
		record := func(ev int, o portfoliod.DeliveryOutcome) {
			t.Helper()
			if err := src.RecordAttempt(ctx, portfoliod.DeliveryID(a.ID, evs[ev].ID), o); err != nil {
				t.Fatal(err)
			}
		}
		record(0, portfoliod.DeliveryOutcome{Attempt: portfoliod.DeliveryAttempt{At: at, Duration: 3 * time.Millisecond, StatusCode: 503, Response: "busy"},
			Status: portfoliod.DeliveryPending, NextAttempt: at.Add(5 * time.Second)})
		record(0, portfoliod.DeliveryOutcome{Attempt: portfoliod.DeliveryAttempt{At: at.Add(5 * time.Second), StatusCode: 204}, Status: portfoliod.DeliveryDelivered})
		next := at.Add(5*time.Minute + 1500*time.Microsecond)
		record(1, portfoliod.DeliveryOutcome{Attempt: portfoliod.DeliveryAttempt{At: at, Error: "connection refused"}, Status: portfoliod.DeliveryPending, NextAttempt: next})
		record(2, portfoliod.DeliveryOutcome{Attempt: portfoliod.DeliveryAttempt{At: at, StatusCode: 500}, Status: portfoliod.DeliveryFailed})
		all := func(s WebhookStore) []portfoliod.Delivery {
			t.Helper()
			var ds []portfoliod.Delivery
			if err := s.ForEachDelivery(ctx, func(d portfoliod.Delivery) error { ds = append(ds, d); return nil }); err != nil {
				t.Fatal(err)
			}
			return ds
		}
		log := func(s WebhookStore) []portfoliod.Event {
			t.Helper()
			evs, _, err := s.Events(ctx, portfoliod.EventQuery{Limit: portfoliod.MaxEventPage})
			if err != nil {
				t.Fatal(err)
			}
			return evs
		}
		ds := all(src)
		if len(ds) != 4 {
			t.Fatalf("ForEachDelivery gave %d deliveries, want 4: %+v", len(ds), ds)
		}
		for i := 1; i < len(ds); i++ {
			if ds[i-1].EndpointID > ds[i].EndpointID {
				t.Errorf("ForEachDelivery: %s after %s, want endpoint id order", ds[i].EndpointID, ds[i-1].EndpointID)
			}
		}

		// The move, in the order store copy makes it: endpoints, the
		// log, then the deliveries.
		if err := dst.ImportDeliveries(ctx, ds[:1]); !errors.Is(err, portfoliod.ErrWebhookNotFound) {
			t.Errorf("ImportDeliveries before its endpoint = %v, want ErrWebhookNotFound", err)
		}
		for _, e := range []string{a.ID, b.ID} {
			ep, err := src.Webhook(ctx, e)
			if err != nil {
				t.Fatal(err)
			}
			create(t, dst, ep)
		}
		if err := dst.ImportEvents(ctx, log(src)); err != nil {
			t.Fatal(err)
		}
		if n, _, err := dst.OutboxStats(ctx); err != nil || n != 0 {
			t.Errorf("ImportEvents wrote %d deliveries (%v), want none", n, err)
		}
		if err := dst.ImportDeliveries(ctx, ds); err != nil {
			t.Fatal(err)
		}
		if err := dst.ImportDeliveries(ctx, ds); err != nil { // ids stored: left alone
			t.Fatal(err)
		}
		if err := dst.ImportEvents(ctx, log(src)); err != nil {
			t.Fatal(err)
		}

		for _, id := range []string{a.ID, b.ID} {
			want, _ := src.Webhook(ctx, id)
			got, err := dst.Webhook(ctx, id)
			if diff := cmp.Diff(want, got); err != nil || diff != "" {
				t.Errorf("endpoint %s after the move (-source +target), %v:\n%s", id, err, diff)
			}
			wantPage, _, _ := src.Deliveries(ctx, id, portfoliod.ListOptions{})
			gotPage, _, err := dst.Deliveries(ctx, id, portfoliod.ListOptions{})
			if diff := cmp.Diff(wantPage, gotPage); err != nil || diff != "" {
				t.Errorf("deliveries of %s after the move (-source +target), %v:\n%s", id, err, diff)
			}
		}
		if diff := cmp.Diff(ds, all(dst)); diff != "" {
			t.Errorf("ForEachDelivery after the move (-source +target):\n%s", diff)
		}
		if diff := cmp.Diff(log(src), log(dst), cmp.Comparer(func(x, y *big.Int) bool { return x.Cmp(y) == 0 })); diff != "" {
			t.Errorf("event log after the move (-source +target):\n%s", diff)
		}
		wantN, wantOldest, _ := src.OutboxStats(ctx)
		if n, oldest, err := dst.OutboxStats(ctx); err != nil || n != wantN || n != 2 || !oldest.Equal(wantOldest) {
			t.Errorf("target OutboxStats = %d, %v, %v; source %d, %v", n, oldest, err, wantN, wantOldest)
		}
		// The target's outbox runs: b's delivery is due now, a's pending
		// one when the source had it due, and its event is in the log.
		pendingA := portfoliod.DeliveryID(a.ID, evs[1].ID)
		if got := claimIDs(t, dst, next.Add(-time.Millisecond)); !same(got, want(b.ID, evs[1].ID)) {
			t.Errorf("claimed before a's retry is due: %v", got)
		}
		if got := claimIDs(t, dst, next); !same(got, []string{pendingA}) {
			t.Errorf("claimed at a's retry: %v, want %s", got, pendingA)
		}
		if e, err := dst.Event(ctx, evs[1].ID); err != nil || e.ID != evs[1].ID {
			t.Errorf("the pending delivery's event on the target: %+v, %v", e, err)
		}
		if _, err := dst.RetryDelivery(ctx, a.ID, portfoliod.DeliveryID(a.ID, evs[2].ID), next); err != nil {
			t.Errorf("retrying the failed delivery on the target: %v", err)
		}
	})
}

// contains reports whether id is endpointID's delivery of one of evs.
func contains(evs []portfoliod.Event, endpointID, id string) bool {
	for _, e := range evs {
		if portfoliod.DeliveryID(endpointID, e.ID) == id {
			return true
		}
	}
	return false
}

// ClaimConcurrently claims every delivery due at now from stores (the
// replicas of one database, or one store), workers goroutines per store,
// each claiming up to limit at a time with an hour's lease until none is
// left, and returns the claims of each delivery: the index in stores of
// each store that returned it.
func ClaimConcurrently(t *testing.T, stores []portfoliod.WebhookStore, workers, limit int, now time.Time) map[string][]int {
	t.Helper()
	var (
		mu   sync.Mutex
		seen = map[string][]int{}
		wg   sync.WaitGroup
	)
	for r, s := range stores {
		for range workers {
			wg.Go(func() {
				for {
					ds, err := s.ClaimDeliveries(context.Background(), now, time.Hour, limit, nil)
					if err != nil {
						t.Error(err)
						return
					}
					if len(ds) == 0 {
						return
					}
					mu.Lock()
					for _, d := range ds {
						seen[d.ID] = append(seen[d.ID], r)
					}
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	return seen
}

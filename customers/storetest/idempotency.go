package storetest

import (
	"context"
	"crypto/sha256"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod"
)

func testIdempotency(t *testing.T, open Factory) {
	ctx := context.Background()
	clock := newClock()
	s := mustOpenClock(t, open, clock.Now)
	first := portfoliod.IdempotentResponse{RequestHash: sha256.Sum256([]byte("body")), Status: 200, Body: []byte(`{"id":"x"}`),
		Header: map[string]string{"X-Block-Number": "7", "Warning": `199 portfoliod "balances unavailable"`}}

	if _, ok, err := s.LookupIdempotent(ctx, "scope", "k"); ok || err != nil {
		t.Fatalf("LookupIdempotent before Save = %v, %v", ok, err)
	}
	if err := s.SaveIdempotent(ctx, "scope", "k", first); err != nil {
		t.Fatal(err)
	}
	// Stamped by the store, on the clock that expires it.
	want := first
	want.CreatedAt = epoch
	got, ok, err := s.LookupIdempotent(ctx, "scope", "k")
	if !ok || err != nil {
		t.Fatalf("LookupIdempotent = %v, %v", ok, err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("LookupIdempotent mismatch (-want +got):\n%s", diff)
	}

	t.Run("first save wins", func(t *testing.T) {
		again := first
		again.Body = []byte("second")
		if err := s.SaveIdempotent(ctx, "scope", "k", again); err != nil {
			t.Fatalf("SaveIdempotent with the same hash: %v", err)
		}
		got, _, _ := s.LookupIdempotent(ctx, "scope", "k")
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("LookupIdempotent mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("different request conflicts", func(t *testing.T) {
		other := portfoliod.IdempotentResponse{RequestHash: sha256.Sum256([]byte("other")), Status: 200}
		if msg := errMismatch(s.SaveIdempotent(ctx, "scope", "k", other), portfoliod.ErrIdempotencyConflict); msg != "" {
			t.Errorf("SaveIdempotent with another hash: %s", msg)
		}
	})
	t.Run("scopes are separate", func(t *testing.T) {
		if _, ok, _ := s.LookupIdempotent(ctx, "other", "k"); ok {
			t.Error("key found under another scope")
		}
		// "scope\x00k" must not be reachable as scope "scope\x00" + "k" or similar.
		if _, ok, _ := s.LookupIdempotent(ctx, "scop", "e\x00k"); ok {
			t.Error("key found through a shifted scope")
		}
	})
	t.Run("invalid keys", func(t *testing.T) {
		for _, k := range []struct{ scope, key string }{
			{"", "k"}, {"s", ""}, {"a\x00b", "k"},
			{"s", strings.Repeat("k", portfoliod.MaxIdempotencyKey+1)},
			{strings.Repeat("s", portfoliod.MaxIdempotencyScope+1), "k"},
		} {
			if msg := errMismatch(s.SaveIdempotent(ctx, k.scope, k.key, first), portfoliod.ErrInvalidIdempotencyKey); msg != "" {
				t.Errorf("SaveIdempotent(%q, %q): %s", k.scope, k.key, msg)
			}
		}
	})
	t.Run("expires", func(t *testing.T) {
		if err := s.SaveIdempotent(ctx, "scope", "later", first); err != nil {
			t.Fatal(err)
		}
		clock.Advance(IdempotencyTTL)
		if _, ok, _ := s.LookupIdempotent(ctx, "scope", "k"); !ok {
			t.Error("entry gone at exactly the TTL")
		}
		clock.Advance(time.Second)
		if _, ok, err := s.LookupIdempotent(ctx, "scope", "k"); ok || err != nil {
			t.Errorf("LookupIdempotent after the TTL = %v, %v, want absent", ok, err)
		}
		// An expired key can be used for a new request.
		other := portfoliod.IdempotentResponse{RequestHash: sha256.Sum256([]byte("other")), Status: 201, Body: []byte("new")}
		if err := s.SaveIdempotent(ctx, "scope", "k", other); err != nil {
			t.Fatalf("SaveIdempotent over an expired entry: %v", err)
		}
		got, ok, _ := s.LookupIdempotent(ctx, "scope", "k")
		other.CreatedAt = clock.Now()
		if diff := cmp.Diff(other, got); !ok || diff != "" {
			t.Errorf("LookupIdempotent mismatch (-want +got):\n%s", diff)
		}
		// "later" was saved at epoch too; purging removes only it.
		n, err := s.PurgeIdempotent(ctx)
		if n != 1 || err != nil {
			t.Errorf("PurgeIdempotent() = %d, %v, want 1, nil", n, err)
		}
		if n, err := s.PurgeIdempotent(ctx); n != 0 || err != nil {
			t.Errorf("second PurgeIdempotent() = %d, %v, want 0, nil", n, err)
		}
		if _, ok, _ := s.LookupIdempotent(ctx, "scope", "k"); !ok {
			t.Error("PurgeIdempotent removed a live entry")
		}
	})
	t.Run("longest key and scope", func(t *testing.T) {
		// The API's bounds are the store's: whatever the API accepts saves.
		scope, key := strings.Repeat("s", portfoliod.MaxIdempotencyScope), strings.Repeat("k", portfoliod.MaxIdempotencyKey)
		if err := s.SaveIdempotent(ctx, scope, key, first); err != nil {
			t.Fatalf("SaveIdempotent at the bounds: %v", err)
		}
		if _, ok, err := s.LookupIdempotent(ctx, scope, key); !ok || err != nil {
			t.Errorf("LookupIdempotent at the bounds = %v, %v", ok, err)
		}
	})
}

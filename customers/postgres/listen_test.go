package postgres

import (
	"context"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/portfoliod/portfoliod/internal/pgtest"
)

// A replica hears another's commits: Listen on store b wakes when store a
// (another pool on the same database) commits a block with events, not
// for one without; after its connection is killed it reconnects, says
// so, wakes once to resynchronise, and hears the next commit.
func TestListenHearsOtherReplicas(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	a, b := mustOpenDSN(t, dsn, Options{}), mustOpenDSN(t, dsn, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wakes := make(chan struct{}, 16)
	var lost atomic.Int32
	done := make(chan struct{})
	go func() {
		defer close(done)
		b.Listen(ctx, func() { wakes <- struct{}{} }, func(error) { lost.Add(1) })
	}()
	wait := func(what string) {
		t.Helper()
		select {
		case <-wakes:
		case <-time.After(5 * time.Second):
			t.Fatalf("no wake-up: %s", what)
		}
	}
	quiet := func(what string) {
		t.Helper()
		select {
		case <-wakes:
			t.Fatalf("a wake-up: %s", what)
		case <-time.After(300 * time.Millisecond):
		}
	}
	wait("the first, once listening")
	if err := a.CommitBlock(ctx, testCommit(1, 2)); err != nil {
		t.Fatal(err)
	}
	wait("a's commit with events")
	if err := a.CommitBlock(ctx, testCommit(2, 0)); err != nil {
		t.Fatal(err)
	}
	quiet("a block without events")

	u, _ := url.Parse(dsn)
	db := strings.TrimPrefix(u.Path, "/")
	if out, err := pgtest.Start(t).Psql(db, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()"); err != nil {
		t.Fatalf("terminating the listener: %v\n%s", err, out)
	}
	wait("the resynchronising wake after the reconnection")
	if lost.Load() != 1 {
		t.Errorf("lost called %d times, want 1", lost.Load())
	}
	if err := a.CommitBlock(ctx, testCommit(3, 1)); err != nil {
		t.Fatal(err)
	}
	wait("a's commit after the reconnection")
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Listen did not return when its context ended")
	}
}

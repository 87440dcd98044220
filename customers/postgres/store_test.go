package postgres

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/portfoliod/portfoliod/customers/storetest"
	"github.com/portfoliod/portfoliod/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// Store is a CustomerStore with everything the contract suite exercises.
var _ storetest.Store = (*Store)(nil)

// mustOpen opens a store on a fresh database and closes it when the test
// ends.
func mustOpen(tb testing.TB, opts Options) *Store {
	tb.Helper()
	return mustOpenDSN(tb, pgtest.NewDatabase(tb), opts)
}

func mustOpenDSN(tb testing.TB, dsn string, opts Options) *Store {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := Open(ctx, dsn, opts)
	if err != nil {
		tb.Fatalf("Open(%s): %v", Redact(dsn), err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// TestContract runs the behaviour every customer store shares against a
// real PostgreSQL server.
func TestContract(t *testing.T) {
	storetest.Run(t, func(tb testing.TB, now func() time.Time) storetest.Store {
		return mustOpen(tb, Options{Now: now, IdempotencyTTL: storetest.IdempotencyTTL})
	}, storetest.WithoutBackup())
}

package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/internal/pgtest"
)

// wantUnavailable fails tb unless err is the store's outage error: the
// domain code and message for clients, the driver's cause kept, and no
// password in its text.
func wantUnavailable(tb testing.TB, what string, err error) {
	tb.Helper()
	switch {
	case !errors.Is(err, portfoliod.ErrStoreUnavailable):
		tb.Errorf("%s with the database stopped: err = %v (code %q), want ErrStoreUnavailable", what, err, portfoliod.ErrorCode(err))
	case portfoliod.ErrorCode(err) != portfoliod.ESTOREUNAVAILABLE:
		tb.Errorf("%s: code %q, want %q", what, portfoliod.ErrorCode(err), portfoliod.ESTOREUNAVAILABLE)
	case portfoliod.ErrorMessage(err) != "the customer store is unavailable; try again shortly":
		tb.Errorf("%s: message %q", what, portfoliod.ErrorMessage(err))
	case strings.Contains(err.Error(), outagePassword):
		tb.Errorf("%s: the error shows the DSN's password: %v", what, err)
	case err.Error() == portfoliod.ErrStoreUnavailable.Message:
		tb.Errorf("%s: the driver's cause is lost: %v", what, err)
	}
}

const outagePassword = "s3cret-outage-pw"

// The database stopped under a running store, with writers at work, and
// started again: every method fails with ErrStoreUnavailable while it is
// down (the cause kept for errors.As, the password never shown), the same
// store works again once it is back (the pool reconnects, nothing is
// reopened), and every write is whole or absent: a customer has all the
// wallets it was created with or is not there, and the wallet index
// agrees.
func TestDatabaseOutage(t *testing.T) {
	srv := pgtest.StartDedicated(t)
	// Trust authentication ignores the password; it is there to be absent
	// from every error.
	dsn := strings.Replace(srv.NewDatabase(t), "postgres@", "postgres:"+outagePassword+"@", 1)
	s := mustOpenDSN(t, dsn, Options{ConnectTimeout: 2 * time.Second})
	ctx := context.Background()
	seed, err := s.Create(ctx, individual(wallet(1_000_000), wallet(1_000_001)))
	if err != nil {
		t.Fatal(err)
	}

	// Writers onboard customers with three wallets each, and link and
	// unlink a fourth, before, during and after the outage.
	type attempt struct {
		c   portfoliod.Customer
		err error
	}
	var (
		mu       sync.Mutex
		attempts []attempt
		others   []error
		dangling = map[common.Address]bool{} // linked to seed, then the unlink failed
		stop     = make(chan struct{})
		wg       sync.WaitGroup
	)
	for g := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				n := (g*100_000 + i) * 4
				c := individual(wallet(n), wallet(n+1), wallet(n+2))
				c.ID = portfoliod.NewCustomerID()
				_, err := s.Create(ctx, c)
				_, lerr := s.LinkWallet(ctx, seed.ID, wallet(n+3))
				linked := lerr == nil
				if linked {
					_, lerr = s.UnlinkWallet(ctx, seed.ID, wallet(n+3))
				}
				mu.Lock()
				attempts = append(attempts, attempt{c, err})
				if lerr != nil {
					others = append(others, lerr)
					dangling[wallet(n+3)] = linked
				}
				mu.Unlock()
				time.Sleep(2 * time.Millisecond)
			}
		})
	}
	time.Sleep(300 * time.Millisecond)
	srv.Stop(t)
	mu.Lock()
	stoppedAt := len(attempts)
	mu.Unlock()

	w := wallet(1_000_001)
	wantUnavailable(t, "Get", second(s.Get(ctx, seed.ID)))
	wantUnavailable(t, "FindByWallet", second(s.FindByWallet(ctx, w)))
	_, _, err = s.List(ctx, portfoliod.ListOptions{})
	wantUnavailable(t, "List", err)
	wantUnavailable(t, "ForEach", s.ForEach(ctx, func(portfoliod.Customer) error { return nil }))
	_, _, err = s.Count(ctx)
	wantUnavailable(t, "Count", err)
	wantUnavailable(t, "Create", second(s.Create(ctx, individual(wallet(2_000_000)))))
	wantUnavailable(t, "Update", second(s.Update(ctx, seed.ID, func(c *portfoliod.Customer) error { c.Name = "x"; return nil })))
	wantUnavailable(t, "LinkWallet", second(s.LinkWallet(ctx, seed.ID, wallet(2_000_001))))
	wantUnavailable(t, "UnlinkWallet", second(s.UnlinkWallet(ctx, seed.ID, w)))
	wantUnavailable(t, "Delete", s.Delete(ctx, seed.ID))
	_, _, err = s.LookupIdempotent(ctx, "scope", "key")
	wantUnavailable(t, "LookupIdempotent", err)
	wantUnavailable(t, "SaveIdempotent", s.SaveIdempotent(ctx, "scope", "key", portfoliod.IdempotentResponse{RequestHash: [32]byte{1}, Status: 200}))
	wantUnavailable(t, "VerifyIndex", s.VerifyIndex(ctx))
	err = s.Check(ctx)
	wantUnavailable(t, "Check", err)
	// By now every pooled connection is gone: the cause is the refused
	// connection attempt, and errors.As and errors.Is reach it.
	var ce *pgconn.ConnectError
	if !errors.As(err, &ce) || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("Check with the database stopped: %v; want a *pgconn.ConnectError wrapping ECONNREFUSED", err)
	}
	if !strings.Contains(err.Error(), s.Name()) {
		t.Errorf("Check's error does not name the database %s: %v", s.Name(), err)
	}
	time.Sleep(300 * time.Millisecond) // writers keep failing

	srv.Restart(t)
	deadline := time.Now().Add(10 * time.Second)
	for s.Check(ctx) != nil {
		if time.Now().After(deadline) {
			t.Fatalf("the store did not reconnect within 10s: %v", s.Check(ctx))
		}
		time.Sleep(20 * time.Millisecond)
	}
	mu.Lock()
	recoveredAt := len(attempts)
	mu.Unlock()
	time.Sleep(300 * time.Millisecond)
	close(stop)
	wg.Wait()

	var ok, failed, failedAfter int
	for i, a := range attempts {
		if a.err == nil {
			ok++
			continue
		}
		failed++
		if i >= recoveredAt+8 { // the writers' requests in flight at recovery aside
			failedAfter++
		}
		wantUnavailable(t, "Create under the outage", a.err)
	}
	for _, err := range others {
		wantUnavailable(t, "LinkWallet or UnlinkWallet under the outage", err)
	}
	if ok == 0 || failed == 0 || stoppedAt == 0 || len(attempts) <= recoveredAt {
		t.Fatalf("the writers did not span the outage: %d ok, %d failed, %d before the stop, %d after recovery", ok, failed, stoppedAt, len(attempts)-recoveredAt)
	}
	if failedAfter > 0 {
		t.Errorf("%d writes failed well after the store reconnected", failedAfter)
	}

	// Whole or absent, and the index agrees.
	wantCustomers, wantWallets := 1, 2
	for _, a := range attempts {
		got, err := s.Get(ctx, a.c.ID)
		switch {
		case errors.Is(err, portfoliod.ErrCustomerNotFound):
			if a.err == nil {
				t.Errorf("customer %s was acknowledged but is missing", a.c.ID)
			}
			for _, w := range a.c.Wallets {
				if c, err := s.FindByWallet(ctx, w); !errors.Is(err, portfoliod.ErrCustomerNotFound) {
					t.Errorf("wallet %s of the absent customer %s is indexed to %q (%v)", w, a.c.ID, c.ID, err)
				}
			}
		case err != nil:
			t.Fatalf("Get(%s) after recovery: %v", a.c.ID, err)
		default:
			if !slices.Equal(got.Wallets, a.c.Wallets) {
				t.Errorf("customer %s has wallets %v, want all of %v", a.c.ID, got.Wallets, a.c.Wallets)
			}
			wantCustomers, wantWallets = wantCustomers+1, wantWallets+len(a.c.Wallets)
		}
	}
	// The seed keeps its wallets, and a wallet whose link was
	// acknowledged but whose unlink failed may stay linked; no other.
	got, err := s.Get(ctx, seed.ID)
	if err != nil || len(got.Wallets) < 2 || !slices.Equal(got.Wallets[:2], seed.Wallets) {
		t.Errorf("seed customer after recovery: %v wallets %v, want %v first", err, got.Wallets, seed.Wallets)
	}
	for _, w := range got.Wallets[min(2, len(got.Wallets)):] {
		if _, ok := dangling[w]; !ok {
			t.Errorf("seed customer holds %s, whose link failed or whose unlink was acknowledged", w)
		}
		wantWallets++
	}
	customers, wallets, err := s.Count(ctx)
	if err != nil || customers != wantCustomers || wallets != wantWallets {
		t.Errorf("Count after recovery = %d customers, %d wallets (%v); want %d, %d", customers, wallets, err, wantCustomers, wantWallets)
	}
	if err := s.VerifyIndex(ctx); err != nil {
		t.Errorf("VerifyIndex after recovery: %v", err)
	}
	t.Logf("%d writes: %d acknowledged, %d failed with ErrStoreUnavailable", len(attempts), ok, failed)
}

func second[T any](_ T, err error) error { return err }

// Sessions the server ends (pg_terminate_backend, as a failover or an
// operator does) are 57P01 admin_shutdown to the queries on them: the
// store answers ErrStoreUnavailable for those, then reconnects.
func TestTerminatedSessions(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	s := mustOpenDSN(t, dsn, Options{MaxConns: 1})
	ctx := context.Background()
	c, err := s.Create(ctx, individual(wallet(1)))
	if err != nil {
		t.Fatal(err)
	}
	exec(t, dsn, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'portfoliod' AND datname = current_database()`)
	_, err = s.Get(ctx, c.ID)
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "57P01" {
		t.Fatalf("Get on a terminated session: %v, want a 57P01 PgError", err)
	}
	wantUnavailable(t, "Get on a terminated session", err)
	if _, err := s.Get(ctx, c.ID); err != nil {
		t.Errorf("Get after the session was replaced: %v", err)
	}
}

// connectionLost tells the connection's failures from the statement's.
// The errors are the driver's own types with the codes the server sends;
// a running server cannot be made to send most of them on demand.
func TestConnectionLost(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{&pgconn.PgError{Code: "08006"}, true}, // connection_failure
		{&pgconn.PgError{Code: "08001"}, true}, // sqlclient_unable_to_establish_sqlconnection
		{&pgconn.PgError{Code: "57P01"}, true}, // admin_shutdown
		{&pgconn.PgError{Code: "57P02"}, true}, // crash_shutdown
		{&pgconn.PgError{Code: "57P03"}, true}, // cannot_connect_now
		{fmt.Errorf("commit: %w", io.ErrUnexpectedEOF), true},
		{fmt.Errorf("read: %w", syscall.ECONNRESET), true},
		{pgconn.ErrConnClosed, true},
		{&pgconn.PgError{Code: "23505"}, false}, // unique_violation
		{&pgconn.PgError{Code: "40001"}, false}, // serialization_failure
		{&pgconn.PgError{Code: "57014"}, false}, // query_canceled (statement_timeout)
		{context.DeadlineExceeded, false},
		{fmt.Errorf("query: %w", context.Canceled), false},
		{portfoliod.ErrCustomerNotFound, false},
		{&portfoliod.WalletTakenError{Wallet: common.Address{1}}, false},
	} {
		if got := connectionLost(tc.err); got != tc.want {
			t.Errorf("connectionLost(%#v) = %v, want %v", tc.err, got, tc.want)
		}
		if got := errors.Is(storeError(tc.err), portfoliod.ErrStoreUnavailable); got != tc.want {
			t.Errorf("storeError(%v) is ErrStoreUnavailable: %v, want %v", tc.err, got, tc.want)
		}
		if !errors.Is(storeError(tc.err), tc.err) {
			t.Errorf("storeError(%v) lost its cause", tc.err)
		}
	}
}

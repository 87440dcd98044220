package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/jackc/pgx/v5"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/internal/pgtest"
)

func wallet(n int) common.Address {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(n))
	h := sha256.Sum256(b[:])
	return common.BytesToAddress(h[:common.AddressLength])
}

func individual(ws ...common.Address) portfoliod.Customer {
	return portfoliod.Customer{Type: portfoliod.Individual, CountryCode: "FR", Wallets: ws}
}

// exec runs sql on dsn around the store, as an operator (or a bug) would.
func exec(tb testing.TB, dsn, sql string, args ...any) {
	tb.Helper()
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), sql, args...); err != nil {
		tb.Fatalf("%s: %v", sql, err)
	}
}

// Two stores on one database are two replicas: they race on separate
// pools, and the wallet index lets exactly one of them onboard a wallet.
func TestTwoStoresRaceForOneWallet(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	a, b := mustOpenDSN(t, dsn, Options{}), mustOpenDSN(t, dsn, Options{})
	ctx := context.Background()
	for r := range 50 {
		w := wallet(r)
		var (
			wg    sync.WaitGroup
			start = make(chan struct{})
			errs  [2]error
		)
		for i, s := range []*Store{a, b} {
			wg.Go(func() {
				<-start
				_, errs[i] = s.Create(ctx, individual(w))
			})
		}
		close(start)
		wg.Wait()
		var taken *portfoliod.WalletTakenError
		switch {
		case errs[0] == nil && errs[1] == nil:
			t.Fatalf("round %d: both stores onboarded %s", r, w.Hex())
		case errs[0] == nil && errors.As(errs[1], &taken), errs[1] == nil && errors.As(errs[0], &taken):
			if taken.Wallet != w {
				t.Errorf("round %d: the conflict names %s, want %s", r, taken.Wallet.Hex(), w.Hex())
			}
		default:
			t.Fatalf("round %d: errors %v, %v, want one nil and one *WalletTakenError", r, errs[0], errs[1])
		}
	}
	// What one replica wrote the other reads at once.
	if n, w, err := b.Count(ctx); n != 50 || w != 50 || err != nil {
		t.Errorf("Count() on the other store = %d, %d, %v, want 50, 50", n, w, err)
	}
	if err := a.VerifyIndex(ctx); err != nil {
		t.Error(err)
	}
}

// Replicas starting at once on a new database apply each migration once:
// without the advisory lock, the second CREATE TABLE fails.
func TestConcurrentOpenMigratesOnce(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	const n = 6
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			s, err := Open(context.Background(), dsn, Options{MaxConns: 2})
			if err == nil {
				s.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Open %d: %v", i, err)
		}
	}
	s := mustOpenDSN(t, dsn, Options{})
	var versions []int
	rows, err := s.pool.Query(context.Background(), `SELECT version FROM schema_migrations ORDER BY version`)
	if err == nil {
		versions, err = pgx.CollectRows(rows, pgx.RowTo[int])
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(versions) != SchemaVersion() || versions[len(versions)-1] != SchemaVersion() {
		t.Errorf("schema_migrations holds %v, want 1..%d once each", versions, SchemaVersion())
	}
}

func TestMigrate(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	ctx := context.Background()
	from, to, err := Migrate(ctx, dsn, Options{})
	if err != nil || from != 0 || to != SchemaVersion() {
		t.Fatalf("Migrate on a new database = %d, %d, %v, want 0, %d, nil", from, to, err, SchemaVersion())
	}
	from, to, err = Migrate(ctx, dsn, Options{})
	if err != nil || from != SchemaVersion() || to != SchemaVersion() {
		t.Errorf("second Migrate = %d, %d, %v, want nothing to do", from, to, err)
	}
	// A store opens on the migrated schema and works.
	s := mustOpenDSN(t, dsn, Options{})
	if _, err := s.Create(ctx, individual(wallet(1))); err != nil {
		t.Fatal(err)
	}
}

// A database a newer portfoliod migrated is refused, by Open and by
// Migrate, naming both versions; nothing is changed.
func TestNewerSchemaRefused(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	mustOpenDSN(t, dsn, Options{}).Close()
	newer := SchemaVersion() + 1
	exec(t, dsn, `INSERT INTO schema_migrations (version, name) VALUES ($1, 'from the future')`, newer)
	want := fmt.Sprintf("the database has schema version %d, this portfoliod supports up to %d", newer, SchemaVersion())
	_, err := Open(context.Background(), dsn, Options{})
	if !errors.Is(err, ErrUnsupportedSchema) || !strings.Contains(err.Error(), want) {
		t.Errorf("Open: err = %v, want ErrUnsupportedSchema saying %q", err, want)
	}
	if _, _, err := Migrate(context.Background(), dsn, Options{}); !errors.Is(err, ErrUnsupportedSchema) {
		t.Errorf("Migrate: err = %v, want ErrUnsupportedSchema", err)
	}
}

// VerifyIndex catches what only writing around the store can do: a wallet
// indexed to a customer that is gone, once the reference is dropped.
func TestVerifyIndexFindsOrphans(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	s := mustOpenDSN(t, dsn, Options{})
	ctx := context.Background()
	if _, err := s.Create(ctx, individual(wallet(1))); err != nil {
		t.Fatal(err)
	}
	if err := s.VerifyIndex(ctx); err != nil {
		t.Fatalf("VerifyIndex on a sound store: %v", err)
	}
	exec(t, dsn, `ALTER TABLE wallets DROP CONSTRAINT wallets_customer_id_fkey`)
	exec(t, dsn, `INSERT INTO wallets (address, customer_id, position) VALUES ($1, 'customer_0000000000ff', 0)`, wallet(2).Bytes())
	err := s.VerifyIndex(ctx)
	for _, want := range []string{"reference to customers is missing", "wallet indexed to a missing customer: 0x" + strings.ToLower(wallet(2).Hex()[2:]) + " -> customer_0000000000ff"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("VerifyIndex: err = %v, want it to say %q", err, want)
		}
	}
}

func TestRedactNeverShowsThePassword(t *testing.T) {
	for _, dsn := range []string{
		"postgres://app:s3cret@db.internal:6432/portfoliod?sslmode=require",
		"host=db.internal port=6432 user=app password=s3cret dbname=portfoliod",
	} {
		got := Redact(dsn)
		if strings.Contains(got, "s3cret") || got != "postgres://app@db.internal:6432/portfoliod" {
			t.Errorf("Redact(%q) = %q, want postgres://app@db.internal:6432/portfoliod", dsn, got)
		}
	}
	// A connection that fails names the database, not the password.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s := pgtest.Start(t)
	_, err := Open(ctx, fmt.Sprintf("postgres://nobody:s3cret@127.0.0.1:%d/missing_db?sslmode=disable", s.Port), Options{})
	if err == nil || strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "missing_db") {
		t.Errorf("Open of a missing database: err = %v, want one naming it without the password", err)
	}
	_, err = Open(ctx, "postgres://app:s3cret@[bad", Options{})
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("Open of a malformed DSN: err = %v, want one without the password", err)
	}
}

func TestBackupPointsToPgDump(t *testing.T) {
	s := mustOpen(t, Options{})
	_, err := s.Backup(context.Background(), nil)
	if !errors.Is(err, ErrBackupUnsupported) || !strings.Contains(err.Error(), "pg_dump") || portfoliod.ErrorCode(err) != portfoliod.EINVALID {
		t.Errorf("Backup: err = %v, want ErrBackupUnsupported naming pg_dump", err)
	}
}

// Check fails once the database is unreachable: the readiness probe's
// "store" check.
func TestCheckFailsWhenTheDatabaseIsGone(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	s := mustOpenDSN(t, dsn, Options{ConnectTimeout: time.Second})
	ctx := context.Background()
	if err := s.Check(ctx); err != nil {
		t.Fatal(err)
	}
	db := dsn[strings.LastIndex(dsn, "/")+1 : strings.Index(dsn, "?")]
	if out, err := pgtest.Start(t).Psql("postgres", "DROP DATABASE "+db+" WITH (FORCE)"); err != nil {
		t.Fatalf("drop database: %v\n%s", err, out)
	}
	if err := s.Check(ctx); err == nil {
		t.Error("Check after the database was dropped: nil, want an error")
	}
}

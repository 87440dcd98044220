// Package postgres is the customer store on PostgreSQL, through pgx: the
// store several portfoliod replicas share. It implements
// portfoliod.CustomerStore, portfoliod.FollowerStore and
// portfoliod.WebhookStore with the behaviour of the bbolt store (the
// contract suites in customers/storetest hold both to it): the wallet
// index is the wallets table's primary key, so a wallet belongs to at most
// one customer however many replicas onboard at once; idempotency records
// live in a table every replica reads; the event log's ids are unique, so
// an event every replica computes is stored once; and a webhook delivery
// is claimed by one replica at a time (FOR UPDATE SKIP LOCKED, leased).
//
// It is the only package that imports pgx.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/portfoliod/portfoliod"
)

// Defaults for Options.
const (
	DefaultMaxConns         = 10
	DefaultConnectTimeout   = 5 * time.Second
	DefaultStatementTimeout = 30 * time.Second
	DefaultIdempotencyTTL   = 24 * time.Hour
	DefaultRecentBlocks     = 64
)

// maxAttempts bounds how often a transaction that lost a serialization
// race (a deadlock, a concurrent import's key) is run again.
const maxAttempts = 5

// ErrBackupUnsupported is what Backup returns: PostgreSQL has its own
// backup tools, and portfoliod does not reimplement them.
var ErrBackupUnsupported = &portfoliod.Error{
	Code:    portfoliod.EINVALID,
	Message: "portfoliod does not back up a PostgreSQL store: use pg_dump (e.g. pg_dump --format=custom --file=portfoliod.dump DBNAME), or the database's own backups and replication",
}

// Options configure Open. The zero value is ready to use.
type Options struct {
	// MaxConns is the connection pool's size; 0 means DefaultMaxConns.
	MaxConns int32
	// ConnectTimeout bounds each new connection; 0 means
	// DefaultConnectTimeout.
	ConnectTimeout time.Duration
	// StatementTimeout is the server's statement_timeout for the store's
	// connections; 0 means DefaultStatementTimeout, negative none.
	StatementTimeout time.Duration
	// Now returns the current time; nil means time.Now. Tests inject it.
	Now func() time.Time
	// IdempotencyTTL is how long a saved idempotent response is replayed;
	// 0 means DefaultIdempotencyTTL.
	IdempotencyTTL time.Duration
	// RecentBlocks is how many processed blocks the follower's state
	// keeps (its reorg depth); 0 means DefaultRecentBlocks.
	RecentBlocks int
}

// Store keeps customers, their wallets and idempotency records in a
// PostgreSQL database. All methods are safe for concurrent use, in this
// process and across processes on the same database. A write that returned
// nil is committed. While the database cannot answer, methods return an
// error matching portfoliod.ErrStoreUnavailable (the driver's error still
// wrapped); a write that failed so is whole or absent once the database
// is back, and the pool reconnects by itself.
type Store struct {
	pool           checkedPool // see unavailable.go
	now            func() time.Time
	idempotencyTTL time.Duration
	recentBlocks   int
	name           string
}

// Open connects to the database named by dsn (a postgres:// URL or
// key=value pairs), applies the pending migrations under an advisory lock
// (see Migrate) and returns the store. ctx bounds the connection and the
// migration. A database whose schema is newer than this build's is
// refused with an error matching ErrUnsupportedSchema. Errors never show
// the DSN's password.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	pool, name, err := connect(ctx, dsn, opts)
	if err != nil {
		return nil, err
	}
	if _, _, err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open store %s: %w", name, err)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.IdempotencyTTL <= 0 {
		opts.IdempotencyTTL = DefaultIdempotencyTTL
	}
	if opts.RecentBlocks <= 0 {
		opts.RecentBlocks = DefaultRecentBlocks
	}
	return &Store{pool: checkedPool{pool}, now: opts.Now, idempotencyTTL: opts.IdempotencyTTL, recentBlocks: opts.RecentBlocks, name: name}, nil
}

// connect opens a pool on dsn and checks that the server answers.
func connect(ctx context.Context, dsn string, opts Options) (*pgxpool.Pool, string, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// Not wrapped: pgx's message quotes the DSN, password and all
		// when it cannot tell where the password is.
		return nil, "", errors.New("store.dsn is not a PostgreSQL connection string (postgres://user:password@host:5432/dbname, or host=... dbname=... pairs)")
	}
	name := Redact(dsn)
	cfg.MaxConns = DefaultMaxConns
	if opts.MaxConns > 0 {
		cfg.MaxConns = opts.MaxConns
	}
	cfg.ConnConfig.ConnectTimeout = DefaultConnectTimeout
	if opts.ConnectTimeout > 0 {
		cfg.ConnConfig.ConnectTimeout = opts.ConnectTimeout
	}
	st := DefaultStatementTimeout
	if opts.StatementTimeout != 0 {
		st = max(opts.StatementTimeout, 0)
	}
	cfg.ConnConfig.RuntimeParams["statement_timeout"] = strconv.FormatInt(st.Milliseconds(), 10)
	if cfg.ConnConfig.RuntimeParams["application_name"] == "" {
		cfg.ConnConfig.RuntimeParams["application_name"] = "portfoliod"
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, "", fmt.Errorf("open store %s: %w", name, err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, "", fmt.Errorf("open store %s: %w", name, err)
	}
	return pool, name, nil
}

// Redact renders dsn as user@host:port/dbname for logs and messages: never
// its password.
func Redact(dsn string) string {
	cfg, err := pgconn.ParseConfig(dsn)
	if err != nil {
		return "postgres (unparsable DSN)"
	}
	u := url.URL{Scheme: "postgres", Host: cfg.Host + ":" + strconv.Itoa(int(cfg.Port)), Path: "/" + cfg.Database}
	if cfg.User != "" {
		u.User = url.User(cfg.User)
	}
	return u.String()
}

// Name is the store's database as Redact renders it.
func (s *Store) Name() string { return s.name }

// Close closes the pool's connections after in-flight queries finish.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Check reports whether the database answers a read of the store's schema
// version: for readiness probes. A cancelled ctx is an error; a database
// that cannot answer is one matching portfoliod.ErrStoreUnavailable, whose
// text names the database (Redact's form) and the driver's reason.
func (s *Store) Check(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var v int
	if err := s.pool.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return fmt.Errorf("database %s: %w", s.name, err)
	}
	if v == 0 {
		return fmt.Errorf("database %s has no schema", s.name)
	}
	return nil
}

// Backup returns ErrBackupUnsupported: back the database up with pg_dump.
func (s *Store) Backup(ctx context.Context, _ io.Writer) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	return 0, ErrBackupUnsupported
}

// inTx runs fn in a transaction and commits it, running it again (up to
// maxAttempts) when it lost a race the database detected: a deadlock, a
// serialization failure, or a unique key a concurrent writer took between
// a check and a bulk insert (only Import relies on that). fn returns
// domain errors to roll back.
func (s *Store) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	var err error
	for range maxAttempts {
		err = pgx.BeginFunc(ctx, s.pool, fn)
		if !retryable(err) {
			break
		}
	}
	return err
}

// retryable reports whether err is a lost race that a new transaction
// can win.
func retryable(err error) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return false
	}
	switch pe.Code {
	case "40001", "40P01": // serialization_failure, deadlock_detected
		return true
	case "23505": // unique_violation: see inTx
		return true
	}
	return false
}

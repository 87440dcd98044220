package postgres

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/portfoliod/portfoliod"
)

// A database that cannot answer (stopped, restarting, unreachable, or
// dropping connections) is portfoliod.ErrStoreUnavailable wherever the
// store meets it: the HTTP API answers 503 store_unavailable, and
// readiness fails its store check. The mapping is in one place, the
// checked* types below, which every query of the store goes through: the
// pool, its transactions, their rows and batches. The pool reconnects by
// itself once the server is back (pgxpool pings a connection idle for more
// than a second before lending it and opens a new one for each it
// destroys), so nothing needs a restart.

// unavailableError is a failure of the connection to the database: it is
// portfoliod.ErrStoreUnavailable to errors.Is and errors.As, and keeps
// the driver's error, for the logs and for errors.Is and errors.As too.
// Its text never holds the DSN's password: pgconn's errors name the user,
// host and database only.
type unavailableError struct{ cause error }

func (e *unavailableError) Error() string { return "customer store unavailable: " + e.cause.Error() }

func (e *unavailableError) Unwrap() []error {
	return []error{portfoliod.ErrStoreUnavailable, e.cause}
}

// storeError returns err, or an *unavailableError wrapping it when err is
// a connection-level failure (see connectionLost).
func storeError(err error) error {
	if err == nil || errors.Is(err, portfoliod.ErrStoreUnavailable) || !connectionLost(err) {
		return err
	}
	return &unavailableError{cause: err}
}

// connectionLost reports whether err says the database could not be
// reached or the connection broke, rather than that a statement failed:
// a failed connection attempt (refused, timed out, or refused by the
// server: 57P03 cannot_connect_now while it starts or stops), SQLSTATE
// class 08 (connection exception), 57P01 admin_shutdown and 57P02
// crash_shutdown (the server ended the session), and a connection that
// closed or reset under a query. The caller's own context ending is not
// one: that is its timeout (504) or its cancellation.
func connectionLost(err error) bool {
	var ce *pgconn.ConnectError
	var pe *pgconn.PgError
	var ne net.Error
	switch {
	case errors.As(err, &ce):
		// Before the caller's context: a connect timeout here is the
		// pool's ConnectTimeout, since pgxpool connects in the
		// background of an Acquire.
		return true
	case errors.As(err, &pe):
		return strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return false
	case errors.Is(err, pgconn.ErrConnClosed), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.EPIPE),
		errors.As(err, &ne):
		return true
	}
	return false
}

// checkedPool is the store's connection pool with every error of its
// queries, transactions, rows and batches passed through storeError.
type checkedPool struct{ *pgxpool.Pool }

func (p checkedPool) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	tag, err := p.Pool.Exec(ctx, sql, args...)
	return tag, storeError(err)
}

func (p checkedPool) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	rows, err := p.Pool.Query(ctx, sql, args...)
	return checkedRows{rows}, storeError(err)
}

func (p checkedPool) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return checkedRow{p.Pool.QueryRow(ctx, sql, args...)}
}

func (p checkedPool) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	return checkedBatch{p.Pool.SendBatch(ctx, b)}
}

func (p checkedPool) CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, src pgx.CopyFromSource) (int64, error) {
	n, err := p.Pool.CopyFrom(ctx, table, columns, src)
	return n, storeError(err)
}

func (p checkedPool) Begin(ctx context.Context) (pgx.Tx, error) {
	tx, err := p.Pool.Begin(ctx)
	if err != nil {
		return nil, storeError(err)
	}
	return checkedTx{tx}, nil
}

func (p checkedPool) BeginTx(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error) {
	tx, err := p.Pool.BeginTx(ctx, opts)
	if err != nil {
		return nil, storeError(err)
	}
	return checkedTx{tx}, nil
}

func (p checkedPool) Acquire(ctx context.Context) (*pgxpool.Conn, error) {
	c, err := p.Pool.Acquire(ctx)
	return c, storeError(err)
}

func (p checkedPool) Ping(ctx context.Context) error { return storeError(p.Pool.Ping(ctx)) }

// checkedTx is a transaction of checkedPool. pgx.BeginFunc and
// BeginTxFunc commit through it, so a commit the connection broke under
// is mapped too: the server rolls back a transaction whose session ended
// before COMMIT, so such a write is either whole or absent.
type checkedTx struct{ pgx.Tx }

func (t checkedTx) Begin(ctx context.Context) (pgx.Tx, error) {
	tx, err := t.Tx.Begin(ctx)
	if err != nil {
		return nil, storeError(err)
	}
	return checkedTx{tx}, nil
}

func (t checkedTx) Commit(ctx context.Context) error { return storeError(t.Tx.Commit(ctx)) }

func (t checkedTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	tag, err := t.Tx.Exec(ctx, sql, args...)
	return tag, storeError(err)
}

func (t checkedTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	rows, err := t.Tx.Query(ctx, sql, args...)
	return checkedRows{rows}, storeError(err)
}

func (t checkedTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return checkedRow{t.Tx.QueryRow(ctx, sql, args...)}
}

func (t checkedTx) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	return checkedBatch{t.Tx.SendBatch(ctx, b)}
}

func (t checkedTx) CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, src pgx.CopyFromSource) (int64, error) {
	n, err := t.Tx.CopyFrom(ctx, table, columns, src)
	return n, storeError(err)
}

type checkedRows struct{ pgx.Rows }

func (r checkedRows) Err() error { return storeError(r.Rows.Err()) }

type checkedRow struct{ pgx.Row }

func (r checkedRow) Scan(dest ...any) error { return storeError(r.Row.Scan(dest...)) }

type checkedBatch struct{ pgx.BatchResults }

func (b checkedBatch) Exec() (pgconn.CommandTag, error) {
	tag, err := b.BatchResults.Exec()
	return tag, storeError(err)
}

func (b checkedBatch) Query() (pgx.Rows, error) {
	rows, err := b.BatchResults.Query()
	return checkedRows{rows}, storeError(err)
}

func (b checkedBatch) QueryRow() pgx.Row { return checkedRow{b.BatchResults.QueryRow()} }

func (b checkedBatch) Close() error { return storeError(b.BatchResults.Close()) }

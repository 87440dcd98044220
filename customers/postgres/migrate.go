package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// migrationFiles are the schema's versions, NNNN_name.sql, applied in
// order; each runs once, in the transaction that records it.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// ErrUnsupportedSchema means the database's schema was written by a newer
// portfoliod than this one.
var ErrUnsupportedSchema = errors.New("unsupported store schema version")

// migrationLock is the advisory lock key every migrating process takes,
// so replicas starting at once apply each migration once, one after the
// other. Any constant works; this is "portfoliod" in ASCII, truncated.
const migrationLock int64 = 0x706f7274666f6c69

type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations in version order.
func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration file %s: want NNNN_name.sql", e.Name())
		}
		b, err := migrationFiles.ReadFile(path.Join("migrations", e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.version - b.version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: versions must run 1, 2, 3... without gaps", m.name)
		}
	}
	return ms, nil
}

// SchemaVersion is the newest schema version this build knows.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// Migrate connects to dsn and applies the pending migrations, as Open
// does, returning the schema version found and the one left. It is
// `portfoliod store migrate`.
func Migrate(ctx context.Context, dsn string, opts Options) (from, to int, err error) {
	pool, name, err := connect(ctx, dsn, opts)
	if err != nil {
		return 0, 0, err
	}
	defer pool.Close()
	from, to, err = migrate(ctx, pool)
	if err != nil {
		return from, to, fmt.Errorf("migrate %s: %w", name, err)
	}
	return from, to, nil
}

// migrate applies every pending migration in one transaction holding the
// migration lock: a second process waits for the first to commit, then
// finds nothing to do. A failed migration leaves the schema as it was.
func migrate(ctx context.Context, pool *pgxpool.Pool) (from, to int, err error) {
	ms, err := migrations()
	if err != nil {
		return 0, 0, err
	}
	latest := ms[len(ms)-1].version
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLock); err != nil {
			return fmt.Errorf("take the migration lock: %w", err)
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    integer PRIMARY KEY,
			name       text NOT NULL,
			applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&from); err != nil {
			return err
		}
		to = from
		if from > latest {
			return fmt.Errorf("%w: the database has schema version %d, this portfoliod supports up to %d; run a newer portfoliod (replicas of different versions may share a database only if the older one knows the schema)",
				ErrUnsupportedSchema, from, latest)
		}
		for _, m := range ms[from:] {
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.version, m.name); err != nil {
				return err
			}
			to = m.version
		}
		return nil
	})
	if err != nil {
		return from, from, err
	}
	return from, to, nil
}

package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/portfoliod/portfoliod"
)

// LookupIdempotent returns the live response saved under scope and key,
// and whether there is one; entries older than the TTL count as absent.
func (s *Store) LookupIdempotent(ctx context.Context, scope, key string) (portfoliod.IdempotentResponse, bool, error) {
	if err := ctx.Err(); err != nil {
		return portfoliod.IdempotentResponse{}, false, err
	}
	if err := checkIdempotencyKey(scope, key); err != nil {
		return portfoliod.IdempotentResponse{}, false, err
	}
	var (
		r      portfoliod.IdempotentResponse
		hash   []byte
		header []byte
	)
	err := s.pool.QueryRow(ctx, `SELECT request_hash, status, header, body, created_at FROM idempotency WHERE scope = $1 AND key = $2`,
		[]byte(scope), []byte(key)).Scan(&hash, &r.Status, &header, &r.Body, &r.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return portfoliod.IdempotentResponse{}, false, nil
	}
	if err != nil {
		return portfoliod.IdempotentResponse{}, false, err
	}
	if len(hash) != len(r.RequestHash) {
		return portfoliod.IdempotentResponse{}, false, fmt.Errorf("corrupt idempotency record (hash of %d bytes)", len(hash))
	}
	copy(r.RequestHash[:], hash)
	r.CreatedAt = r.CreatedAt.UTC()
	if r.CreatedAt.Before(s.cutoff()) {
		return portfoliod.IdempotentResponse{}, false, nil
	}
	if header != nil {
		if err := json.Unmarshal(header, &r.Header); err != nil {
			return portfoliod.IdempotentResponse{}, false, fmt.Errorf("corrupt idempotency record: %w", err)
		}
	}
	if r.Body == nil {
		r.Body = []byte{}
	}
	return r, true, nil
}

// SaveIdempotent saves r under scope and key, stamping r.CreatedAt with
// the store's clock if zero. The first save wins: a live entry with the
// same request hash is kept (nil), one with another hash is
// ErrIdempotencyConflict; an expired entry is replaced. Concurrent saves
// on any replicas agree on one winner.
func (s *Store) SaveIdempotent(ctx context.Context, scope, key string, r portfoliod.IdempotentResponse) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkIdempotencyKey(scope, key); err != nil {
		return err
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = s.now()
	}
	// The column keeps microseconds: stamp what it will read back.
	r.CreatedAt = r.CreatedAt.UTC().Truncate(time.Microsecond)
	var header []byte
	if len(r.Header) > 0 {
		var err error
		if header, err = json.Marshal(r.Header); err != nil {
			return err
		}
	}
	body := r.Body
	if body == nil {
		body = []byte{}
	}
	tag, err := s.pool.Exec(ctx, `INSERT INTO idempotency AS i (scope, key, request_hash, status, header, body, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (scope, key) DO UPDATE SET request_hash = excluded.request_hash, status = excluded.status,
			header = excluded.header, body = excluded.body, created_at = excluded.created_at
		WHERE i.created_at < $8`,
		[]byte(scope), []byte(key), r.RequestHash[:], r.Status, jsonb(header), body, r.CreatedAt, s.cutoff())
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	// A live entry holds the key: the same request, or a conflict.
	var hash []byte
	err = s.pool.QueryRow(ctx, `SELECT request_hash FROM idempotency WHERE scope = $1 AND key = $2`, []byte(scope), []byte(key)).Scan(&hash)
	if err != nil {
		return err
	}
	if string(hash) != string(r.RequestHash[:]) {
		return portfoliod.ErrIdempotencyConflict
	}
	return nil
}

// PurgeIdempotent deletes expired entries and returns how many it deleted.
func (s *Store) PurgeIdempotent(ctx context.Context) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	tag, err := s.pool.Exec(ctx, `DELETE FROM idempotency WHERE created_at < $1`, s.cutoff())
	if err != nil {
		return 0, err
	}
	return int(tag.RowsAffected()), nil
}

// cutoff is the creation time before which an entry has expired: an entry
// exactly the TTL old is still live.
func (s *Store) cutoff() time.Time {
	return s.now().UTC().Truncate(time.Microsecond).Add(-s.idempotencyTTL)
}

func checkIdempotencyKey(scope, key string) error {
	switch {
	case scope == "" || key == "":
		return fmt.Errorf("%w: empty scope or key", portfoliod.ErrInvalidIdempotencyKey)
	case strings.IndexByte(scope, 0) >= 0:
		return fmt.Errorf("%w: NUL in scope", portfoliod.ErrInvalidIdempotencyKey)
	case len(key) > portfoliod.MaxIdempotencyKey:
		return fmt.Errorf("%w: key longer than %d bytes", portfoliod.ErrInvalidIdempotencyKey, portfoliod.MaxIdempotencyKey)
	case len(scope) > portfoliod.MaxIdempotencyScope:
		return fmt.Errorf("%w: scope longer than %d bytes", portfoliod.ErrInvalidIdempotencyKey, portfoliod.MaxIdempotencyScope)
	}
	return nil
}

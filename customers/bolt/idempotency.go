package bolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/portfoliod/portfoliod"
)

// idempotencyVersion is the first byte of every stored response:
// version(1) | request hash(32) | created at, Unix ns(8) | status(2) |
// header count(2) | count × (name length(2) | name | value length(2) |
// value) | body. Version 1 records, which have no header section, are
// still read.
const (
	idempotencyVersion = 2
	idempotencyHeader  = 1 + 32 + 8 + 2
)

// LookupIdempotent returns the response saved under scope and key, and
// whether there is one. Entries older than the TTL count as absent. The
// scope separates key spaces (for example one per API key and route).
func (s *Store) LookupIdempotent(ctx context.Context, scope, key string) (portfoliod.IdempotentResponse, bool, error) {
	if err := ctx.Err(); err != nil {
		return portfoliod.IdempotentResponse{}, false, err
	}
	k, err := idempotencyKey(scope, key)
	if err != nil {
		return portfoliod.IdempotentResponse{}, false, err
	}
	var (
		r     portfoliod.IdempotentResponse
		found bool
	)
	err = s.db.View(func(tx *bbolt.Tx) error {
		v := tx.Bucket(idempotencyBucket).Get(k)
		if v == nil {
			return nil
		}
		var err error
		if r, err = decodeIdempotent(v); err != nil {
			return err
		}
		found = !s.expired(r)
		return nil
	})
	if err != nil || !found {
		return portfoliod.IdempotentResponse{}, false, err
	}
	return r, true, nil
}

// SaveIdempotent saves r under scope and key, setting r.CreatedAt to now if
// zero. The first save wins: if a live entry exists with the same
// RequestHash, SaveIdempotent keeps it and returns nil; with a different
// hash it returns ErrIdempotencyConflict. An expired entry is replaced.
func (s *Store) SaveIdempotent(ctx context.Context, scope, key string, r portfoliod.IdempotentResponse) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	k, err := idempotencyKey(scope, key)
	if err != nil {
		return err
	}
	if r.Status < 0 || r.Status > 0xffff {
		return fmt.Errorf("idempotent response status %d out of range", r.Status)
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = s.now()
	}
	val, err := encodeIdempotent(r)
	if err != nil {
		return err
	}
	err = s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(idempotencyBucket)
		if v := b.Get(k); v != nil {
			old, err := decodeIdempotent(v)
			if err != nil {
				return err
			}
			if !s.expired(old) {
				if old.RequestHash != r.RequestHash {
					return portfoliod.ErrIdempotencyConflict
				}
				return errNoChange
			}
		}
		return b.Put(k, val)
	})
	if errors.Is(err, errNoChange) {
		return nil
	}
	return err
}

// PurgeIdempotent deletes expired idempotency entries and returns how many
// it deleted. Lookups already ignore them; purging reclaims the space, so
// callers run it periodically (for example hourly).
func (s *Store) PurgeIdempotent(ctx context.Context) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	var n int
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(idempotencyBucket)
		var expired [][]byte
		err := b.ForEach(func(k, v []byte) error {
			r, err := decodeIdempotent(v)
			// Undecodable entries can never be replayed; purge them too.
			if err != nil || s.expired(r) {
				// Deleting while iterating would skip keys; copy the key out.
				expired = append(expired, bytes.Clone(k))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range expired {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		n = len(expired)
		if n == 0 {
			return errNoChange
		}
		return nil
	})
	if err != nil && !errors.Is(err, errNoChange) {
		return 0, err
	}
	return n, nil
}

func (s *Store) expired(r portfoliod.IdempotentResponse) bool {
	return s.now().Sub(r.CreatedAt) > s.idempotencyTTL
}

func idempotencyKey(scope, key string) ([]byte, error) {
	switch {
	case scope == "" || key == "":
		return nil, fmt.Errorf("%w: empty scope or key", portfoliod.ErrInvalidIdempotencyKey)
	case strings.IndexByte(scope, 0) >= 0:
		return nil, fmt.Errorf("%w: NUL in scope", portfoliod.ErrInvalidIdempotencyKey)
	case len(key) > portfoliod.MaxIdempotencyKey:
		return nil, fmt.Errorf("%w: key longer than %d bytes", portfoliod.ErrInvalidIdempotencyKey, portfoliod.MaxIdempotencyKey)
	case len(scope) > portfoliod.MaxIdempotencyScope:
		return nil, fmt.Errorf("%w: scope longer than %d bytes", portfoliod.ErrInvalidIdempotencyKey, portfoliod.MaxIdempotencyScope)
	}
	return []byte(scope + "\x00" + key), nil
}

func encodeIdempotent(r portfoliod.IdempotentResponse) ([]byte, error) {
	b := make([]byte, idempotencyHeader, idempotencyHeader+2+len(r.Body))
	b[0] = idempotencyVersion
	copy(b[1:33], r.RequestHash[:])
	binary.BigEndian.PutUint64(b[33:41], uint64(r.CreatedAt.UnixNano()))
	binary.BigEndian.PutUint16(b[41:43], uint16(r.Status))
	if len(r.Header) > 0xffff {
		return nil, fmt.Errorf("idempotent response has %d headers", len(r.Header))
	}
	b = binary.BigEndian.AppendUint16(b, uint16(len(r.Header)))
	for _, name := range slices.Sorted(maps.Keys(r.Header)) {
		for _, s := range []string{name, r.Header[name]} {
			if len(s) > 0xffff {
				return nil, fmt.Errorf("idempotent response header %.40q too long", name)
			}
			b = binary.BigEndian.AppendUint16(b, uint16(len(s)))
			b = append(b, s...)
		}
	}
	return append(b, r.Body...), nil
}

// decodeIdempotent copies the response out of v, which is only valid inside
// its transaction.
func decodeIdempotent(v []byte) (portfoliod.IdempotentResponse, error) {
	corrupt := fmt.Errorf("corrupt idempotency record (%d bytes)", len(v))
	if len(v) < idempotencyHeader || (v[0] != idempotencyVersion && v[0] != 1) {
		return portfoliod.IdempotentResponse{}, corrupt
	}
	var r portfoliod.IdempotentResponse
	copy(r.RequestHash[:], v[1:33])
	r.CreatedAt = time.Unix(0, int64(binary.BigEndian.Uint64(v[33:41]))).UTC()
	r.Status = int(binary.BigEndian.Uint16(v[41:43]))
	rest := v[idempotencyHeader:]
	if v[0] == idempotencyVersion {
		next := func() (string, bool) {
			if len(rest) < 2 {
				return "", false
			}
			n := int(binary.BigEndian.Uint16(rest))
			if len(rest) < 2+n {
				return "", false
			}
			s := string(rest[2 : 2+n])
			rest = rest[2+n:]
			return s, true
		}
		if len(rest) < 2 {
			return portfoliod.IdempotentResponse{}, corrupt
		}
		count := int(binary.BigEndian.Uint16(rest))
		rest = rest[2:]
		for range count {
			name, ok1 := next()
			value, ok2 := next()
			if !ok1 || !ok2 {
				return portfoliod.IdempotentResponse{}, corrupt
			}
			if r.Header == nil {
				r.Header = make(map[string]string, count)
			}
			r.Header[name] = value
		}
	}
	r.Body = bytes.Clone(rest)
	if r.Body == nil {
		r.Body = []byte{}
	}
	return r, nil
}

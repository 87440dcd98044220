package bolt

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	bbolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Bucket names. Every bucket is created once, in Open; transactions can
// therefore rely on tx.Bucket never returning nil.
var (
	// metaBucket holds store-wide records such as the schema version.
	metaBucket = []byte("meta")
	// customersBucket maps a customer id to its encoded record.
	customersBucket = []byte("customers")
	// walletsBucket maps a 20-byte wallet address to the id of its owner.
	walletsBucket = []byte("wallets")
	// idempotencyBucket maps scope+"\x00"+key to an encoded response.
	idempotencyBucket = []byte("idempotency")
	// eventsBucket maps an event's sequence number (8 bytes, big-endian:
	// log order) to the encoded event.
	eventsBucket = []byte("events")
	// eventIDsBucket maps an event id to its sequence number.
	eventIDsBucket = []byte("event_ids")
	// figuresBucket maps wallet (20 bytes) + token (20 bytes) to the last
	// known figures; they go when the wallet leaves its customer.
	figuresBucket = []byte("figures")
	// frozenBucket indexes the figures with frozen > 0: token, frozen
	// descending, wallet (see frozenKey), for the frozen-funds register.
	frozenBucket = []byte("frozen")
	// blocksBucket maps a processed block's number (8 bytes, big-endian)
	// to the encoded block; the newest is the follower's cursor.
	blocksBucket = []byte("followed_blocks")
	// webhooksBucket maps a webhook endpoint id to its encoded record.
	webhooksBucket = []byte("webhooks")
	// deliveriesBucket maps endpoint id + "/" + a sequence number (8
	// bytes, big-endian: creation order) to an encoded delivery.
	deliveriesBucket = []byte("deliveries")
	// deliveryIDsBucket maps a delivery id to its key in deliveriesBucket.
	deliveryIDsBucket = []byte("delivery_ids")
	// outboxBucket indexes the pending deliveries by due time: Unix ns (8
	// bytes, big-endian) + delivery id, valued with the endpoint id.
	outboxBucket = []byte("outbox")
)

// schemaVersionKey is the meta record holding the store's schema version
// as a big-endian uint64.
var schemaVersionKey = []byte("schema_version")

// schemaVersion is the layout this build writes. Open refuses stores with a
// newer version and migrates older ones.
const schemaVersion = 1

// Defaults for Options.
const (
	DefaultTimeout        = 5 * time.Second
	DefaultIdempotencyTTL = 24 * time.Hour
	DefaultRecentBlocks   = 64
)

const (
	// initialMmapSize is reserved address space, not memory: with a mapping
	// this large, writers never wait for a remap held up by a long read
	// transaction (a backup, a large list) until the file outgrows it.
	initialMmapSize = 1 << 30
	// batchDelay bounds how long Create waits to share a commit (and its
	// fsync) with concurrent Creates; bbolt's 10ms default would be felt by
	// every single onboarding request.
	batchDelay = 2 * time.Millisecond
	// importCtxEvery is how many batch items Import stores between checks
	// for a cancelled context.
	importCtxEvery = 1024
)

// More errors callers tell apart; see also bolt.go.
var (
	// ErrUnsupportedSchema means the store file was written by a newer
	// version of this program.
	ErrUnsupportedSchema = errors.New("unsupported store schema version")
)

// lockedError reports the store file held by another process (or another
// Store in this process). It matches ErrLocked.
type lockedError struct{ path string }

func (e *lockedError) Error() string {
	return fmt.Sprintf("store %s is locked by another process", e.path)
}
func (e *lockedError) Unwrap() error { return ErrLocked }

// errNoChange rolls back an update transaction that turned out to have
// nothing to write, sparing the commit's fsync.
var errNoChange = errors.New("no change")

// Options configure Open. The zero value is ready to use.
type Options struct {
	// Timeout is how long Open waits for the file lock; 0 means
	// DefaultTimeout.
	Timeout time.Duration
	// Now returns the current time; nil means time.Now. Tests inject it.
	Now func() time.Time
	// IdempotencyTTL is how long a saved idempotent response is replayed;
	// 0 means DefaultIdempotencyTTL.
	IdempotencyTTL time.Duration
	// RecentBlocks is how many processed blocks the follower's state keeps
	// (its reorg depth); 0 means DefaultRecentBlocks.
	RecentBlocks int
}

// Store keeps customers and their wallets in one bbolt file. All methods are
// safe for concurrent use. Each write is one fsynced transaction, so a write
// that returned nil survives a crash, and the customer records and the
// wallet index always agree.
type Store struct {
	db             *bbolt.DB
	path           string
	now            func() time.Time
	idempotencyTTL time.Duration
	recentBlocks   int
	totals         registerTotalsCache
}

// Open opens (creating if needed, with its parent directory) the store file
// at path and takes an exclusive lock on it. If another process or Store
// holds the lock for longer than opts.Timeout, Open returns an error
// matching ErrLocked whose message is "store <path> is locked by another
// process". A store written by a newer schema version is refused with an
// error matching ErrUnsupportedSchema.
func Open(path string, opts Options) (*Store, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.IdempotencyTTL <= 0 {
		opts.IdempotencyTTL = DefaultIdempotencyTTL
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create store directory: %w", err)
	}
	bopts := &bbolt.Options{
		Timeout: opts.Timeout,
		// The hashmap freelist stays fast on a fragmented 100k-customer file.
		FreelistType: bbolt.FreelistMapType,
		// Nothing reads db.Stats, and collecting them serialises every
		// read transaction on a mutex.
		NoStatistics: true,
	}
	// On Windows bbolt would grow the file itself to the mapping size.
	if runtime.GOOS != "windows" {
		bopts.InitialMmapSize = initialMmapSize
	}
	// 0600: the file holds personal data.
	db, err := bbolt.Open(path, 0o600, bopts)
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, &lockedError{path: path}
		}
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	db.MaxBatchDelay = batchDelay
	if err := db.Update(initSchema); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return &Store{db: db, path: path, now: opts.Now, idempotencyTTL: opts.IdempotencyTTL,
		recentBlocks: cmp.Or(max(opts.RecentBlocks, 0), DefaultRecentBlocks)}, nil
}

// initSchema creates every bucket and writes or checks the schema version.
func initSchema(tx *bbolt.Tx) error {
	for _, name := range [][]byte{metaBucket, customersBucket, walletsBucket, idempotencyBucket, eventsBucket, eventIDsBucket, figuresBucket, frozenBucket, blocksBucket, webhooksBucket, deliveriesBucket, deliveryIDsBucket, outboxBucket} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	meta := tx.Bucket(metaBucket)
	v := meta.Get(schemaVersionKey)
	if v == nil {
		var buf [8]byte
		binary.BigEndian.PutUint64(buf[:], schemaVersion)
		return meta.Put(schemaVersionKey, buf[:])
	}
	if len(v) != 8 {
		return fmt.Errorf("corrupt schema version record (%d bytes)", len(v))
	}
	if got := binary.BigEndian.Uint64(v); got > schemaVersion {
		return fmt.Errorf("%w: the file has version %d, this build supports up to %d; use a newer portfoliod",
			ErrUnsupportedSchema, got, schemaVersion)
	}
	// Versions below schemaVersion would be migrated here; 1 is the first.
	return nil
}

// Check reports whether the store answers a read: for readiness probes.
// A closed store is an error.
func (s *Store) Check(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.View(func(tx *bbolt.Tx) error {
		if tx.Bucket(metaBucket).Get(schemaVersionKey) == nil {
			return errors.New("schema version record missing")
		}
		return nil
	})
}

// Close releases the file lock after in-flight transactions finish.
func (s *Store) Close() error { return s.db.Close() }

// Path returns the store file's path as given to Open.
func (s *Store) Path() string { return s.path }

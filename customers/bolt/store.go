package bolt

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	bbolt "go.etcd.io/bbolt"

	"github.com/portfoliod/portfoliod"
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

// More errors callers tell apart; see also customer.go.
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
	return &Store{db: db, path: path, now: opts.Now, idempotencyTTL: opts.IdempotencyTTL}, nil
}

// initSchema creates every bucket and writes or checks the schema version.
func initSchema(tx *bbolt.Tx) error {
	for _, name := range [][]byte{metaBucket, customersBucket, walletsBucket, idempotencyBucket} {
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

// Create stores a new customer and indexes its wallets, in one transaction.
// It assigns a random ID unless c.ID is set (the set ID must pass ValidID,
// else ErrInvalidID, and must be new, else ErrExists); it sets CreatedAt to
// now unless given, in UTC truncated to seconds, and VerificationStatus to
// InProgress if empty. A wallet listed twice gives ErrDuplicateWallet, more
// than MaxWallets gives ErrTooManyWallets, a wallet already owned gives a
// *WalletTakenError; then nothing is stored. It returns the customer as
// stored, equal to what Get returns.
//
// Concurrent Creates share commits (bbolt's Batch), so their fsyncs are
// amortised; each still sees the others' wallets.
func (s *Store) Create(ctx context.Context, c portfoliod.Customer) (portfoliod.Customer, error) {
	if err := ctx.Err(); err != nil {
		return portfoliod.Customer{}, err
	}
	c, generated, err := s.prepare(c)
	if err != nil {
		return portfoliod.Customer{}, err
	}
	val, err := encodeRecord(&c)
	if err != nil {
		return portfoliod.Customer{}, err
	}

	// Batch may run fn several times, and an error returned from fn makes
	// bbolt roll back and retry everyone else's work in the batch. So a
	// rejected Create writes nothing and reports through rejected instead,
	// and every run starts from scratch.
	var (
		id       string
		rejected error
	)
	err = s.db.Batch(func(tx *bbolt.Tx) error {
		cb := tx.Bucket(customersBucket)
		taken := func(id string) bool { return cb.Get([]byte(id)) != nil }
		if id, rejected = freeID(c.ID, generated, taken); rejected != nil {
			return nil
		}
		claims := newWalletClaims(tx, len(c.Wallets))
		if _, rejected = claims.claim(id, c.Wallets); rejected != nil {
			return nil
		}
		if err := cb.Put([]byte(id), val); err != nil {
			return err
		}
		return claims.write()
	})
	if err != nil {
		return portfoliod.Customer{}, fmt.Errorf("create customer: %w", err)
	}
	if rejected != nil {
		return portfoliod.Customer{}, rejected
	}
	c.ID = id
	return c, nil
}

// prepare gives c the form Create and Import store, before their
// transaction: its id or a generated one (generated says which, since a
// generated id that turns out taken is replaced, a given one refused),
// wallets checked, defaults filled. Errors: ErrInvalidID,
// ErrTooManyWallets, ErrDuplicateWallet.
func (s *Store) prepare(c portfoliod.Customer) (_ portfoliod.Customer, generated bool, _ error) {
	if c.ID == "" {
		c.ID, generated = portfoliod.NewCustomerID(), true
	} else if !portfoliod.ValidCustomerID(c.ID) {
		return portfoliod.Customer{}, false, fmt.Errorf("%w: %q", portfoliod.ErrInvalidCustomerID, c.ID)
	}
	if err := checkWallets(c.Wallets); err != nil {
		return portfoliod.Customer{}, false, err
	}
	return s.normalize(c), generated, nil
}

// freeID returns id if taken says no customer has it. A taken id is
// ErrExists, unless it was generated: then freeID draws new ones until
// one is free.
func freeID(id string, generated bool, taken func(id string) bool) (string, error) {
	for taken(id) {
		if !generated {
			return "", fmt.Errorf("%w: %s", portfoliod.ErrCustomerExists, id)
		}
		id = portfoliod.NewCustomerID()
	}
	return id, nil
}

// normalize fills defaults and gives c the exact shape a stored record
// decodes to, so that what writers return equals what Get returns. It
// copies everything c shares with the caller.
func (s *Store) normalize(c portfoliod.Customer) portfoliod.Customer {
	if c.VerificationStatus == "" {
		c.VerificationStatus = portfoliod.InProgress
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = s.now()
	}
	c.CreatedAt = c.CreatedAt.UTC().Truncate(time.Second)
	c.Wallets = append(make([]common.Address, 0, len(c.Wallets)), c.Wallets...)
	if len(c.Metadata) == 0 {
		c.Metadata = nil
	} else {
		c.Metadata = maps.Clone(c.Metadata)
	}
	if c.Address != nil {
		a := *c.Address
		c.Address = &a
	}
	return c
}

// Get returns the customer with the given id, or ErrNotFound.
func (s *Store) Get(ctx context.Context, id string) (portfoliod.Customer, error) {
	if err := ctx.Err(); err != nil {
		return portfoliod.Customer{}, err
	}
	var c portfoliod.Customer
	err := s.db.View(func(tx *bbolt.Tx) error { return loadCustomer(tx, id, &c) })
	return c, err
}

// Update reads the customer, applies mutate to it and writes the result,
// in one transaction that holds the store's single writer slot: mutate must
// be quick and do no I/O. Changes mutate makes to ID, CreatedAt or Wallets
// are discarded (wallets change through LinkWallet and UnlinkWallet); an
// empty VerificationStatus becomes InProgress. If mutate returns an error,
// nothing is written and Update returns that error unchanged. A missing
// customer gives ErrNotFound without calling mutate.
func (s *Store) Update(ctx context.Context, id string, mutate func(*portfoliod.Customer) error) (portfoliod.Customer, error) {
	if err := ctx.Err(); err != nil {
		return portfoliod.Customer{}, err
	}
	var c portfoliod.Customer
	err := s.db.Update(func(tx *bbolt.Tx) error {
		if err := loadCustomer(tx, id, &c); err != nil {
			return err
		}
		createdAt, wallets := c.CreatedAt, slices.Clone(c.Wallets)
		if err := mutate(&c); err != nil {
			return err
		}
		c.ID, c.CreatedAt, c.Wallets = id, createdAt, wallets
		c = s.normalize(c)
		return saveCustomer(tx, &c)
	})
	if err != nil {
		return portfoliod.Customer{}, err
	}
	return c, nil
}

// Delete removes the customer and frees its wallets, in one transaction.
// A missing customer gives ErrNotFound.
func (s *Store) Delete(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.Update(func(tx *bbolt.Tx) error {
		var c portfoliod.Customer
		if err := loadCustomer(tx, id, &c); err != nil {
			return err
		}
		wb := tx.Bucket(walletsBucket)
		for _, w := range c.Wallets {
			if err := wb.Delete(w[:]); err != nil {
				return err
			}
		}
		return tx.Bucket(customersBucket).Delete([]byte(id))
	})
}

// LinkWallet gives wallet w to the customer and returns the updated
// customer. Linking a wallet the customer already owns changes nothing and
// succeeds. Errors: ErrNotFound (no such customer), *WalletTakenError
// (another customer owns w), ErrTooManyWallets (already MaxWallets).
func (s *Store) LinkWallet(ctx context.Context, id string, w common.Address) (portfoliod.Customer, error) {
	if err := ctx.Err(); err != nil {
		return portfoliod.Customer{}, err
	}
	var c portfoliod.Customer
	err := s.db.Update(func(tx *bbolt.Tx) error {
		if err := loadCustomer(tx, id, &c); err != nil {
			return err
		}
		claims := newWalletClaims(tx, 1)
		n, err := claims.claim(id, []common.Address{w})
		switch {
		case err != nil:
			return err
		case n == 0: // already the customer's
			return errNoChange
		case len(c.Wallets) >= portfoliod.MaxWallets:
			return fmt.Errorf("%w: customer has %d wallets, at most %d", portfoliod.ErrTooManyWallets, len(c.Wallets), portfoliod.MaxWallets)
		}
		c.Wallets = append(c.Wallets, w)
		if err := saveCustomer(tx, &c); err != nil {
			return err
		}
		return claims.write()
	})
	if err != nil && !errors.Is(err, errNoChange) {
		return portfoliod.Customer{}, err
	}
	return c, nil
}

// UnlinkWallet takes wallet w from the customer and returns the updated
// customer. Errors: ErrNotFound (no such customer), ErrWalletNotLinked
// (which also matches ErrNotFound) when the customer does not own w.
func (s *Store) UnlinkWallet(ctx context.Context, id string, w common.Address) (portfoliod.Customer, error) {
	if err := ctx.Err(); err != nil {
		return portfoliod.Customer{}, err
	}
	var c portfoliod.Customer
	err := s.db.Update(func(tx *bbolt.Tx) error {
		if err := loadCustomer(tx, id, &c); err != nil {
			return err
		}
		i := slices.Index(c.Wallets, w)
		if i < 0 {
			return portfoliod.ErrWalletNotLinked
		}
		c.Wallets = slices.Delete(c.Wallets, i, i+1)
		if err := saveCustomer(tx, &c); err != nil {
			return err
		}
		return tx.Bucket(walletsBucket).Delete(w[:])
	})
	if err != nil {
		return portfoliod.Customer{}, err
	}
	return c, nil
}

// List returns customers in id order, one page at a time, and whether more
// follow the page.
func (s *Store) List(ctx context.Context, opts portfoliod.ListOptions) (page []portfoliod.Customer, hasMore bool, err error) {
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	limit := opts.Limit
	switch {
	case limit <= 0:
		limit = portfoliod.DefaultListLimit
	case limit > portfoliod.MaxListLimit:
		limit = portfoliod.MaxListLimit
	}
	page = make([]portfoliod.Customer, 0, limit)
	err = s.db.View(func(tx *bbolt.Tx) error {
		cur := tx.Bucket(customersBucket).Cursor()
		var k, v []byte
		if opts.StartingAfter == "" {
			k, v = cur.First()
		} else {
			k, v = cur.Seek([]byte(opts.StartingAfter))
			if k != nil && string(k) == opts.StartingAfter {
				k, v = cur.Next()
			}
		}
		for ; k != nil; k, v = cur.Next() {
			if len(page) == limit {
				hasMore = true
				return nil
			}
			var c portfoliod.Customer
			if err := decodeRecord(string(k), v, &c); err != nil {
				return err
			}
			page = append(page, c)
		}
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return page, hasMore, nil
}

// ForEach calls fn for every customer in id order, from one consistent
// snapshot, until fn returns an error, which ForEach returns. It holds a
// read transaction throughout (it does not block other readers or
// writers, but keeps the pages it sees from being reused), so fn should be
// quick; exporting to a file is fine.
func (s *Store) ForEach(ctx context.Context, fn func(portfoliod.Customer) error) error {
	return s.db.View(func(tx *bbolt.Tx) error { return eachCustomer(ctx, tx, fn) })
}

// eachCustomer calls fn with every customer of tx in id order, until fn
// returns an error or ctx ends.
func eachCustomer(ctx context.Context, tx *bbolt.Tx, fn func(portfoliod.Customer) error) error {
	cur := tx.Bucket(customersBucket).Cursor()
	for k, v := cur.First(); k != nil; k, v = cur.Next() {
		if err := ctx.Err(); err != nil {
			return err
		}
		var c portfoliod.Customer
		if err := decodeRecord(string(k), v, &c); err != nil {
			return err
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	return nil
}

// FindByWallet returns the customer that owns wallet w, or ErrNotFound.
func (s *Store) FindByWallet(ctx context.Context, w common.Address) (portfoliod.Customer, error) {
	if err := ctx.Err(); err != nil {
		return portfoliod.Customer{}, err
	}
	var c portfoliod.Customer
	err := s.db.View(func(tx *bbolt.Tx) error {
		id := tx.Bucket(walletsBucket).Get(w[:])
		if id == nil {
			return portfoliod.ErrCustomerNotFound
		}
		err := loadCustomer(tx, string(id), &c)
		if errors.Is(err, portfoliod.ErrCustomerNotFound) {
			// The index names a customer that is gone: a broken store,
			// not a wallet without an owner.
			return fmt.Errorf("wallet index points to missing customer %s", id)
		}
		return err
	})
	return c, err
}

// VerifyIndex checks, in one read transaction, that the wallet index agrees
// with the customers: every wallet of every customer is indexed to it, and
// the index holds no other entry. It returns nil, or an error naming the
// first disagreements (a store written only through Store never has any).
func (s *Store) VerifyIndex(ctx context.Context) error {
	var problems []string
	add := func(format string, args ...any) {
		if len(problems) < 10 {
			problems = append(problems, fmt.Sprintf(format, args...))
		}
	}
	err := s.db.View(func(tx *bbolt.Tx) error {
		index := tx.Bucket(walletsBucket)
		linked := 0
		err := eachCustomer(ctx, tx, func(c portfoliod.Customer) error {
			linked += len(c.Wallets)
			for _, w := range c.Wallets {
				if owner := index.Get(w[:]); string(owner) != c.ID {
					add("wallet %s of %s is indexed to %q", w.Hex(), c.ID, owner)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if n := index.Stats().KeyN; n != linked {
			add("the wallet index holds %d entries, the customers %d wallets", n, linked)
		}
		return nil
	})
	if err == nil && len(problems) > 0 {
		err = fmt.Errorf("wallet index disagrees with the customers: %s", strings.Join(problems, "; "))
	}
	return err
}

// Count returns how many customers and linked wallets the store holds. It
// walks both buckets' pages, so it costs milliseconds on a large store.
func (s *Store) Count(ctx context.Context) (customers, wallets int, err error) {
	if err := ctx.Err(); err != nil {
		return 0, 0, err
	}
	err = s.db.View(func(tx *bbolt.Tx) error {
		customers = tx.Bucket(customersBucket).Stats().KeyN
		wallets = tx.Bucket(walletsBucket).Stats().KeyN
		return nil
	})
	return customers, wallets, err
}

// Import stores a batch of customers in one transaction, as Create would
// (ids are kept when set, generated when empty; defaults are filled). It
// returns one error per item, nil for each stored item; a rejected item
// (ErrInvalidID, ErrExists for an id in the store or earlier in the batch,
// ErrDuplicateWallet, ErrTooManyWallets, *WalletTakenError for a wallet
// owned in the store or by an earlier item) writes nothing. The second
// result is non-nil only if the transaction failed, including by ctx being
// cancelled; then nothing from the batch is stored. Batches of about 10,000
// keep memory bounded.
func (s *Store) Import(ctx context.Context, batch []portfoliod.Customer) ([]error, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(batch) == 0 {
		return nil, nil
	}
	errs := make([]error, len(batch))
	items := make([]portfoliod.Customer, len(batch))
	vals := make([][]byte, len(batch))
	generated := make([]bool, len(batch))
	nWallets := 0
	// Validate and encode before taking the writer slot.
	for i, c := range batch {
		if items[i], generated[i], errs[i] = s.prepare(c); errs[i] != nil {
			continue
		}
		val, err := encodeRecord(&items[i])
		if err != nil {
			return nil, err
		}
		vals[i] = val
		nWallets += len(items[i].Wallets)
	}
	// Decide every item first, then write in key order (see
	// walletClaims): random-order inserts of a large batch are quadratic
	// in bbolt.
	var (
		txErrs = make([]error, len(batch))
		stored []int
	)
	err := s.db.Update(func(tx *bbolt.Tx) error {
		clear(txErrs)
		stored = stored[:0]
		cb := tx.Bucket(customersBucket)
		claimedIDs := make(map[string]struct{}, len(items))
		taken := func(id string) bool {
			_, claimed := claimedIDs[id]
			return claimed || cb.Get([]byte(id)) != nil
		}
		claims := newWalletClaims(tx, nWallets)
		for i := range items {
			if i%importCtxEvery == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if errs[i] != nil {
				continue
			}
			c := &items[i]
			id, err := freeID(c.ID, generated[i], taken)
			if err == nil {
				_, err = claims.claim(id, c.Wallets)
			}
			if err != nil {
				txErrs[i] = err
				continue
			}
			c.ID = id
			claimedIDs[id] = struct{}{}
			stored = append(stored, i)
		}
		slices.SortFunc(stored, func(a, b int) int { return strings.Compare(items[a].ID, items[b].ID) })
		for _, i := range stored {
			if err := cb.Put([]byte(items[i].ID), vals[i]); err != nil {
				return err
			}
		}
		return claims.write()
	})
	if err != nil {
		return nil, fmt.Errorf("import customers: %w", err)
	}
	for i, e := range txErrs {
		if e != nil {
			errs[i] = e
		}
	}
	return errs, nil
}

// Backup writes a consistent snapshot of the whole store file to w and
// returns the bytes written; the output is itself a valid store file. It
// runs in a read transaction, so readers and writers carry on meanwhile.
// A cancelled ctx stops the copy at the next write.
func (s *Store) Backup(ctx context.Context, w io.Writer) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	var n int64
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		n, err = tx.WriteTo(ctxWriter{ctx: ctx, w: w})
		return err
	})
	if err != nil {
		return n, fmt.Errorf("backup store: %w", err)
	}
	return n, nil
}

// ctxWriter stops a long copy when its context ends.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (cw ctxWriter) Write(p []byte) (int, error) {
	if err := cw.ctx.Err(); err != nil {
		return 0, err
	}
	return cw.w.Write(p)
}

// walletString renders a wallet as the API shows it: lowercase hex.
func walletString(w common.Address) string {
	return "0x" + hex.EncodeToString(w[:])
}

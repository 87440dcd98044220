// Package storetest is the contract suite of portfoliod.CustomerStore:
// the behaviour every customer store must show, whatever it is built on
// (the wallet index, defaults, paging, idempotency records, import,
// backup). A store's own tests call Run with a Factory that opens a fresh
// store of that kind; what only one kind of store can show (its file
// format, its locking, reopening) stays in that store's tests.
//
// The suite speaks only the domain: it matches errors with errors.Is on
// the portfoliod sentinels and by portfoliod.ErrorCode, never by a store's
// own types or messages, and imports no store.
package storetest

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

	"github.com/portfoliod/portfoliod"
)

// Store is what the suite tests: the domain's CustomerStore plus the
// operations the CLI, the service and operators use on a store.
type Store interface {
	portfoliod.CustomerStore

	// Import stores a batch of customers as Create would. It returns one
	// error per item, nil for each stored item: a rejected item stores
	// nothing, and an item conflicts with earlier items of the batch as
	// with stored customers. The second result is non-nil only if the
	// batch as a whole failed (a cancelled ctx included); then none of
	// it is stored.
	Import(ctx context.Context, batch []portfoliod.Customer) ([]error, error)
	// ForEach calls fn for every customer in id order, from one
	// consistent snapshot, until fn returns an error, which ForEach
	// returns unchanged.
	ForEach(ctx context.Context, fn func(portfoliod.Customer) error) error
	// Count returns how many customers and linked wallets the store holds.
	Count(ctx context.Context) (customers, wallets int, err error)
	// VerifyIndex returns nil if the wallet index agrees with the
	// customers (each wallet of each customer is indexed to it, and the
	// index holds nothing else), else an error naming disagreements.
	VerifyIndex(ctx context.Context) error
	// PurgeIdempotent deletes expired idempotency records and returns
	// how many it deleted.
	PurgeIdempotent(ctx context.Context) (int, error)
	// Check returns nil if the store answers a read (for readiness
	// probes); a cancelled ctx is an error.
	Check(ctx context.Context) error
}

// IdempotencyTTL is the idempotency record lifetime a Factory's stores
// must have: the suite checks expiry at exactly this age.
const IdempotencyTTL = time.Hour

// Factory opens a fresh, empty store for one test and closes it through
// tb.Cleanup. now is the store's clock (nil means time.Now): it stamps
// CreatedAt and idempotency records and decides their expiry, which must
// be after IdempotencyTTL. A Factory fails tb rather than return nil.
type Factory func(tb testing.TB, now func() time.Time) Store

// Option adjusts what Run expects of a store, for what a kind of store
// leaves to other tools.
type Option func(*options)

type options struct {
	noBackup bool
}

// WithoutBackup says the store does not write backups itself (PostgreSQL's
// are pg_dump's): Backup must then fail with a domain error whose code is
// not EINTERNAL (its message, shown to operators, says what to use
// instead), write nothing, and leave the store working.
func WithoutBackup() Option { return func(o *options) { o.noBackup = true } }

// Run runs the contract suite against stores from open, one named
// subtest per behaviour. The subtests run one after another; each opens
// the stores it needs.
func Run(t *testing.T, open Factory, opts ...Option) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	tests := []struct {
		name string
		test func(*testing.T, Factory)
	}{
		{"Create", testCreate},
		{"CreateWalletTakenNamesWallet", testCreateWalletTakenNamesWallet},
		{"CreateDoesNotAliasInput", testCreateDoesNotAliasInput},
		{"Get", testGet},
		{"Update", testUpdate},
		{"Delete", testDelete},
		{"LinkWallet", testLinkWallet},
		{"UnlinkWallet", testUnlinkWallet},
		{"FindByWallet", testFindByWallet},
		{"List", testList},
		{"ForEach", testForEach},
		{"Count", testCount},
		{"ConcurrentCreate", testConcurrentCreate},
		{"ConcurrentMixed", testConcurrentMixed},
		{"ConcurrentSameWallet", testConcurrentSameWallet},
		{"ConcurrentIdempotentSave", testConcurrentIdempotentSave},
		{"Idempotency", testIdempotency},
		{"Import", testImport},
		{"ImportLarge", testImportLarge},
		{"VerifyIndex", testVerifyIndex},
		{"Backup", func(t *testing.T, open Factory) { testBackup(t, open, o) }},
		{"Check", testCheck},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.test(t, open) })
	}
}

// mustOpen opens a store on the real clock.
func mustOpen(tb testing.TB, open Factory) Store {
	tb.Helper()
	return mustOpenClock(tb, open, nil)
}

// mustOpenClock opens a store on clock now and fails tb if the Factory
// breaks its contract.
func mustOpenClock(tb testing.TB, open Factory, now func() time.Time) Store {
	tb.Helper()
	s := open(tb, now)
	if s == nil {
		tb.Fatal("Factory returned a nil Store")
	}
	return s
}

// mustCreate creates c and fails the test on error.
func mustCreate(tb testing.TB, s Store, c portfoliod.Customer) portfoliod.Customer {
	tb.Helper()
	got, err := s.Create(context.Background(), c)
	if err != nil {
		tb.Fatalf("Create(%+v): %v", c, err)
	}
	return got
}

// wallet returns a distinct, randomly distributed address for every n, so
// index inserts land all over the key space as real addresses do.
func wallet(n int) common.Address {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(n))
	h := sha256.Sum256(b[:])
	return common.BytesToAddress(h[:common.AddressLength])
}

// wallets returns wallet(from) .. wallet(to-1).
func wallets(from, to int) []common.Address {
	ws := make([]common.Address, 0, to-from)
	for i := from; i < to; i++ {
		ws = append(ws, wallet(i))
	}
	return ws
}

// walletString renders w as the API and the domain's messages do.
func walletString(w common.Address) string { return strings.ToLower(w.Hex()) }

// individual returns the smallest valid customer owning ws.
func individual(ws ...common.Address) portfoliod.Customer {
	return portfoliod.Customer{Type: portfoliod.Individual, CountryCode: "FR", Wallets: ws}
}

// clock is an adjustable clock for a Factory's now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// epoch has a fraction of a second, so the suite sees stores truncate
// CreatedAt to seconds.
var epoch = time.Date(2025, 3, 14, 9, 26, 53, 589_000_000, time.UTC)

func newClock() *clock { return &clock{t: epoch} }

// errMismatch returns "" if err matches want (errors.Is; a nil want
// wants nil) and, when want is a domain error, carries want's code; else
// it says how err differs. Checking the code too holds every store to
// the code the API maps, not only to the sentinel.
func errMismatch(err, want error) string {
	if !errors.Is(err, want) {
		return fmt.Sprintf("err = %v, want %v", err, want)
	}
	var de *portfoliod.Error
	if errors.As(want, &de) {
		if code := portfoliod.ErrorCode(err); code != de.Code {
			return fmt.Sprintf("err = %v has code %q, want %q", err, code, de.Code)
		}
	}
	return ""
}

// checkConsistent checks that the wallet index agrees with the customers
// and returns every customer by id.
func checkConsistent(tb testing.TB, s Store) map[string]portfoliod.Customer {
	tb.Helper()
	if err := s.VerifyIndex(context.Background()); err != nil {
		tb.Error(err)
	}
	all := map[string]portfoliod.Customer{}
	err := s.ForEach(context.Background(), func(c portfoliod.Customer) error {
		all[c.ID] = c
		return nil
	})
	if err != nil {
		tb.Fatalf("checkConsistent: %v", err)
	}
	return all
}

package customers

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

	"github.com/portfoliod/portfoliod"
)

// mustOpen opens a store in a fresh temporary directory and closes it when
// the test ends.
func mustOpen(tb testing.TB, opts ...Options) *Store {
	tb.Helper()
	return mustOpenAt(tb, filepath.Join(tb.TempDir(), "store.db"), opts...)
}

// mustOpenAt opens the store at path and closes it when the test ends.
func mustOpenAt(tb testing.TB, path string, opts ...Options) *Store {
	tb.Helper()
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	s, err := Open(path, o)
	if err != nil {
		tb.Fatalf("Open(%q): %v", path, err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return s
}

// mustCreate creates c and fails the test on error.
func mustCreate(tb testing.TB, s *Store, c Customer) Customer {
	tb.Helper()
	got, err := s.Create(context.Background(), c)
	if err != nil {
		tb.Fatalf("Create(%+v): %v", c, err)
	}
	return got
}

// wallet returns a distinct, randomly distributed address for every n.
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

// fixedClock is an adjustable clock for Options.Now.
type fixedClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fixedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fixedClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var epoch = time.Date(2025, 3, 14, 9, 26, 53, 589_000_000, time.UTC)

func newClock() *fixedClock { return &fixedClock{t: epoch} }

func individual(ws ...common.Address) Customer {
	return Customer{Type: Individual, CountryCode: "FR", Wallets: ws}
}

// checkConsistent verifies the invariants between the customers bucket and
// the wallet index: every listed wallet is indexed to its customer, every
// index entry points to a customer listing that wallet. It returns every
// customer by id.
func checkConsistent(tb testing.TB, s *Store) map[string]Customer {
	tb.Helper()
	if err := s.VerifyIndex(context.Background()); err != nil {
		tb.Error(err)
	}
	all := map[string]Customer{}
	err := s.ForEach(context.Background(), func(c Customer) error {
		all[c.ID] = c
		return nil
	})
	if err != nil {
		tb.Fatalf("checkConsistent: %v", err)
	}
	return all
}

func TestOpen(t *testing.T) {
	t.Run("creates parent directories", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "a", "b", "store.db")
		s := mustOpenAt(t, path)
		if got := s.Path(); got != path {
			t.Errorf("Path() = %q, want %q", got, path)
		}
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm != 0o600 {
			t.Errorf("file mode = %v, want 0600", perm)
		}
	})
	t.Run("writes schema version", func(t *testing.T) {
		s := mustOpen(t)
		err := s.db.View(func(tx *bolt.Tx) error {
			v := tx.Bucket(metaBucket).Get(schemaVersionKey)
			if got := binary.BigEndian.Uint64(v); got != schemaVersion {
				t.Errorf("schema version = %d, want %d", got, schemaVersion)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
	t.Run("refuses newer schema", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "store.db")
		s, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		err = s.db.Update(func(tx *bolt.Tx) error {
			var v [8]byte
			binary.BigEndian.PutUint64(v[:], schemaVersion+1)
			return tx.Bucket(metaBucket).Put(schemaVersionKey, v[:])
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		s, err = Open(path, Options{})
		if !errors.Is(err, ErrUnsupportedSchema) {
			s.Close()
			t.Fatalf("Open of a newer schema: err = %v, want ErrUnsupportedSchema", err)
		}
		// The failed Open must release the lock.
		db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 200 * time.Millisecond})
		if err != nil {
			t.Fatalf("lock not released after a refused Open: %v", err)
		}
		db.Close()
	})
	t.Run("rejects a file that is not a store", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "store.db")
		if err := os.WriteFile(path, bytes.Repeat([]byte("not bbolt "), 1000), 0o600); err != nil {
			t.Fatal(err)
		}
		if s, err := Open(path, Options{}); err == nil {
			s.Close()
			t.Fatal("Open of a garbage file succeeded")
		}
	})
}

func checkLocked(t *testing.T, path string) {
	t.Helper()
	const timeout = 200 * time.Millisecond
	start := time.Now()
	s, err := Open(path, Options{Timeout: timeout})
	elapsed := time.Since(start)
	if err == nil {
		s.Close()
		t.Fatal("second Open succeeded")
	}
	if !errors.Is(err, ErrLocked) {
		t.Errorf("second Open: err = %v, want ErrLocked", err)
	}
	if want := "store " + path + " is locked by another process"; err.Error() != want {
		t.Errorf("second Open: message = %q, want %q", err.Error(), want)
	}
	if elapsed < timeout/2 || elapsed > 10*timeout {
		t.Errorf("second Open took %v with a %v timeout", elapsed, timeout)
	}
}

func TestOpenLocked(t *testing.T) {
	t.Run("same process", func(t *testing.T) {
		// flock locks belong to the open file description, so a second
		// Open in the same process conflicts too (Linux, BSD).
		path := filepath.Join(t.TempDir(), "store.db")
		s, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		checkLocked(t, path)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		mustOpenAt(t, path, Options{Timeout: 200 * time.Millisecond})
	})
	t.Run("other process", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "store.db")
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHoldLock$")
		cmd.Env = append(os.Environ(), "CUSTOMERS_HOLD_LOCK="+path)
		stdin, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			stdin.Close()
			if err := cmd.Wait(); err != nil {
				t.Errorf("lock holder: %v", err)
			}
		})
		line, err := bufio.NewReader(stdout).ReadString('\n')
		if err != nil || line != "locked\n" {
			t.Fatalf("lock holder said %q, %v", line, err)
		}
		checkLocked(t, path)
	})
}

// TestHelperHoldLock is not a test: TestOpenLocked runs it in a child
// process to hold the store lock until its stdin closes.
func TestHelperHoldLock(t *testing.T) {
	path := os.Getenv("CUSTOMERS_HOLD_LOCK")
	if path == "" {
		t.Skip("helper process for TestOpenLocked")
	}
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fmt.Println("locked")
	_, _ = io.Copy(io.Discard, os.Stdin)
}

func TestIDs(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := NewID()
		if !ValidID(id) {
			t.Fatalf("NewID() = %q, not ValidID", id)
		}
		if seen[id] {
			t.Fatalf("NewID() repeated %q", id)
		}
		seen[id] = true
	}
	tests := []struct {
		id   string
		want bool
	}{
		{"customer_c7a968e665d9", true},
		{"customer_000000000000", true},
		{"customer_C7A968E665D9", false},
		{"customer_c7a968e665d", false},
		{"customer_c7a968e665d9a", false},
		{"customer_c7a968e665dg", false},
		{"client_c7a968e665d9ab", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := ValidID(tt.id); got != tt.want {
			t.Errorf("ValidID(%q) = %v, want %v", tt.id, got, tt.want)
		}
	}
}

func TestCreate(t *testing.T) {
	ctx := context.Background()
	cancelled, cancel := context.WithCancel(ctx)
	cancel()

	tests := []struct {
		name    string
		ctx     context.Context
		in      Customer
		wantErr error
	}{
		{name: "assigns id and defaults", in: individual(wallet(1), wallet(2))},
		{name: "no wallets", in: individual()},
		{
			name: "all fields and a fixed id",
			in: Customer{
				ID: "customer_c7a968e665d9", Type: Organization, CountryCode: "US",
				VerificationStatus: Completed, Name: "Acme", Username: "acme",
				Email: "ops@acme.test", Phone: "+14155550100",
				Metadata: map[string]string{"tier": "gold"},
				Address:  &PostalAddress{Line1: "1 Main St", City: "Springfield", CountryCode: "US"},
				Wallets:  []common.Address{wallet(3)},
				// A given creation time is kept (truncated to seconds).
				CreatedAt: epoch.Add(-time.Hour),
			},
		},
		{name: "fixed id exists", in: Customer{ID: "customer_000000000001", Type: Individual}, wantErr: ErrExists},
		{name: "invalid id", in: Customer{ID: "customer_XYZ", Type: Individual}, wantErr: ErrInvalidID},
		{name: "wallet taken", in: individual(wallet(4), wallet(100)), wantErr: ErrWalletTaken},
		{name: "duplicate wallet", in: individual(wallet(5), wallet(5)), wantErr: ErrDuplicateWallet},
		{name: "too many wallets", in: individual(wallets(1000, 1000+MaxWallets+1)...), wantErr: ErrTooManyWallets},
		{name: "max wallets", in: individual(wallets(5000, 5000+MaxWallets)...)},
		{name: "cancelled context", ctx: cancelled, in: individual(wallet(6)), wantErr: context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustOpen(t, Options{Now: newClock().Now})
			mustCreate(t, s, Customer{ID: "customer_000000000001", Type: Individual, Wallets: []common.Address{wallet(100)}})
			if tt.ctx == nil {
				tt.ctx = ctx
			}
			got, err := s.Create(tt.ctx, tt.in)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Create: err = %v, want %v", err, tt.wantErr)
				}
				if n, w, _ := s.Count(ctx); n != 1 || w != 1 {
					t.Errorf("after a failed Create: Count() = %d, %d, want 1, 1", n, w)
				}
				checkConsistent(t, s)
				return
			}
			if err != nil {
				t.Fatalf("Create: %v", err)
			}
			want := tt.in
			if want.ID == "" {
				want.ID = got.ID
			}
			if want.VerificationStatus == "" {
				want.VerificationStatus = InProgress
			}
			if want.CreatedAt.IsZero() {
				want.CreatedAt = epoch
			}
			want.CreatedAt = want.CreatedAt.Truncate(time.Second)
			if want.Wallets == nil {
				want.Wallets = []common.Address{}
			}
			if !ValidID(got.ID) {
				t.Errorf("Create gave id %q", got.ID)
			}
			if got.CreatedAt.Location() != time.UTC {
				t.Errorf("CreatedAt %v is not UTC", got.CreatedAt)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Create mismatch (-want +got):\n%s", diff)
			}
			stored, err := s.Get(ctx, got.ID)
			if err != nil {
				t.Fatalf("Get(%q): %v", got.ID, err)
			}
			if diff := cmp.Diff(got, stored); diff != "" {
				t.Errorf("Get(%q) mismatch (-want +got):\n%s", got.ID, diff)
			}
			for _, w := range tt.in.Wallets[:min(len(tt.in.Wallets), 10)] {
				owner, err := s.FindByWallet(ctx, w)
				if err != nil || owner.ID != got.ID {
					t.Errorf("FindByWallet(%s) = %q, %v, want %q", walletString(w), owner.ID, err, got.ID)
				}
			}
			checkConsistent(t, s)
		})
	}
}

func TestCreateWalletTakenNamesWallet(t *testing.T) {
	s := mustOpen(t)
	mustCreate(t, s, individual(wallet(1)))
	_, err := s.Create(context.Background(), individual(wallet(2), wallet(1)))
	var taken *WalletTakenError
	if !errors.As(err, &taken) || taken.Wallet != wallet(1) {
		t.Fatalf("Create: err = %v, want *WalletTakenError for %s", err, walletString(wallet(1)))
	}
	if want := "wallet " + walletString(wallet(1)) + " already belongs to another customer"; err.Error() != want {
		t.Errorf("message = %q, want %q", err.Error(), want)
	}
	if _, err := s.FindByWallet(context.Background(), wallet(2)); !errors.Is(err, ErrNotFound) {
		t.Errorf("FindByWallet of the rejected customer's other wallet: err = %v, want ErrNotFound", err)
	}
}

func TestCreateDoesNotAliasInput(t *testing.T) {
	s := mustOpen(t)
	in := individual(wallet(1))
	in.Metadata = map[string]string{"k": "v"}
	in.Address = &PostalAddress{City: "Lyon"}
	got := mustCreate(t, s, in)
	in.Wallets[0] = wallet(9)
	in.Metadata["k"] = "changed"
	in.Address.City = "Paris"
	stored, err := s.Get(context.Background(), got.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(stored, got); diff != "" {
		t.Errorf("Create result changed with its input (-stored +got):\n%s", diff)
	}
}

func TestGet(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	c := mustCreate(t, s, individual(wallet(1)))
	tests := []struct {
		name    string
		id      string
		want    Customer
		wantErr error
	}{
		{name: "found", id: c.ID, want: c},
		{name: "missing", id: "customer_000000000000", wantErr: ErrNotFound},
		{name: "malformed id", id: "../etc", wantErr: ErrNotFound},
		{name: "empty id", id: "", wantErr: ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Get(ctx, tt.id)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Get(%q): err = %v, want %v", tt.id, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Get(%q) mismatch (-want +got):\n%s", tt.id, diff)
			}
		})
	}
}

func TestUpdate(t *testing.T) {
	ctx := context.Background()
	errBoom := errors.New("boom")
	tests := []struct {
		name    string
		mutate  func(*Customer) error
		change  func(*Customer) // applied to the original to get the expected result
		wantErr error
	}{
		{
			name: "changes profile fields",
			mutate: func(c *Customer) error {
				c.Name = "Ada"
				c.VerificationStatus = Completed
				c.Metadata = map[string]string{"a": "b"}
				c.Address = &PostalAddress{City: "London"}
				return nil
			},
			change: func(c *Customer) {
				c.Name = "Ada"
				c.VerificationStatus = Completed
				c.Metadata = map[string]string{"a": "b"}
				c.Address = &PostalAddress{City: "London"}
			},
		},
		{
			name: "cannot change id, createdAt or wallets",
			mutate: func(c *Customer) error {
				c.Name = "Ada"
				c.ID = "customer_ffffffffffff"
				c.CreatedAt = time.Unix(0, 0)
				c.Wallets[0] = wallet(99)
				c.Wallets = append(c.Wallets, wallet(98))
				return nil
			},
			change: func(c *Customer) { c.Name = "Ada" },
		},
		{
			name: "mutate error writes nothing",
			mutate: func(c *Customer) error {
				c.Name = "Ada"
				return errBoom
			},
			wantErr: errBoom,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustOpen(t)
			orig := mustCreate(t, s, individual(wallet(1), wallet(2)))
			got, err := s.Update(ctx, orig.ID, tt.mutate)
			if err != tt.wantErr { // returned as is, not wrapped
				t.Fatalf("Update: err = %v, want %v", err, tt.wantErr)
			}
			want := orig
			if tt.change != nil {
				want.Wallets = slices.Clone(orig.Wallets)
				tt.change(&want)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("Update mismatch (-want +got):\n%s", diff)
				}
			}
			stored, err := s.Get(ctx, orig.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, stored); diff != "" {
				t.Errorf("Get after Update mismatch (-want +got):\n%s", diff)
			}
			if _, err := s.Get(ctx, "customer_ffffffffffff"); !errors.Is(err, ErrNotFound) {
				t.Errorf("Update created another id: err = %v", err)
			}
			checkConsistent(t, s)
		})
	}
	t.Run("missing customer", func(t *testing.T) {
		s := mustOpen(t)
		called := false
		_, err := s.Update(ctx, "customer_000000000000", func(*Customer) error { called = true; return nil })
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("Update: err = %v, want ErrNotFound", err)
		}
		if called {
			t.Error("mutate was called for a missing customer")
		}
	})
}

func TestDelete(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	a := mustCreate(t, s, individual(wallet(1), wallet(2)))
	b := mustCreate(t, s, individual(wallet(3)))

	if err := s.Delete(ctx, a.ID); err != nil {
		t.Fatalf("Delete(%q): %v", a.ID, err)
	}
	if _, err := s.Get(ctx, a.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get after Delete: err = %v, want ErrNotFound", err)
	}
	if _, err := s.FindByWallet(ctx, wallet(1)); !errors.Is(err, ErrNotFound) {
		t.Errorf("FindByWallet of a freed wallet: err = %v, want ErrNotFound", err)
	}
	if err := s.Delete(ctx, a.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second Delete: err = %v, want ErrNotFound", err)
	}
	// The freed wallets can be linked again.
	if _, err := s.LinkWallet(ctx, b.ID, wallet(1)); err != nil {
		t.Errorf("LinkWallet of a freed wallet: %v", err)
	}
	if n, w, _ := s.Count(ctx); n != 1 || w != 2 {
		t.Errorf("Count() = %d, %d, want 1, 2", n, w)
	}
	checkConsistent(t, s)
}

func TestLinkWallet(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name        string
		id          string // "" means the customer a
		wallet      common.Address
		wantWallets []common.Address
		wantErr     error
	}{
		{name: "links", wallet: wallet(10), wantWallets: []common.Address{wallet(1), wallet(10)}},
		{name: "already linked is a no-op", wallet: wallet(1), wantWallets: []common.Address{wallet(1)}},
		{name: "owned by another customer", wallet: wallet(2), wantErr: ErrWalletTaken},
		{name: "missing customer", id: "customer_000000000000", wallet: wallet(10), wantErr: ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustOpen(t)
			a := mustCreate(t, s, individual(wallet(1)))
			mustCreate(t, s, individual(wallet(2)))
			if tt.id == "" {
				tt.id = a.ID
			}
			got, err := s.LinkWallet(ctx, tt.id, tt.wallet)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("LinkWallet: err = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr == nil {
				want := a
				want.Wallets = tt.wantWallets
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("LinkWallet mismatch (-want +got):\n%s", diff)
				}
				if owner, err := s.FindByWallet(ctx, tt.wallet); err != nil || owner.ID != a.ID {
					t.Errorf("FindByWallet = %q, %v, want %q", owner.ID, err, a.ID)
				}
			}
			checkConsistent(t, s)
		})
	}
	t.Run("too many wallets", func(t *testing.T) {
		s := mustOpen(t)
		a := mustCreate(t, s, individual(wallets(1000, 1000+MaxWallets)...))
		if _, err := s.LinkWallet(ctx, a.ID, wallet(1)); !errors.Is(err, ErrTooManyWallets) {
			t.Errorf("LinkWallet: err = %v, want ErrTooManyWallets", err)
		}
		// Idempotent relinking still succeeds at the limit.
		if _, err := s.LinkWallet(ctx, a.ID, wallet(1000)); err != nil {
			t.Errorf("LinkWallet of an owned wallet at the limit: %v", err)
		}
		checkConsistent(t, s)
	})
}

func TestUnlinkWallet(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name        string
		id          string // "" means the customer a
		wallet      common.Address
		wantWallets []common.Address
		wantErr     error
	}{
		{name: "unlinks", wallet: wallet(1), wantWallets: []common.Address{wallet(3)}},
		{name: "not linked", wallet: wallet(10), wantErr: ErrWalletNotLinked},
		{name: "owned by another customer", wallet: wallet(2), wantErr: ErrWalletNotLinked},
		{name: "missing customer", id: "customer_000000000000", wallet: wallet(1), wantErr: ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustOpen(t)
			a := mustCreate(t, s, individual(wallet(1), wallet(3)))
			b := mustCreate(t, s, individual(wallet(2)))
			if tt.id == "" {
				tt.id = a.ID
			}
			got, err := s.UnlinkWallet(ctx, tt.id, tt.wallet)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("UnlinkWallet: err = %v, want %v", err, tt.wantErr)
			}
			if err != nil && portfoliod.ErrorCode(err) != portfoliod.ENOTFOUND {
				t.Errorf("UnlinkWallet: err = %v is not ENOTFOUND", err)
			}
			if tt.wantErr == nil {
				want := a
				want.Wallets = tt.wantWallets
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("UnlinkWallet mismatch (-want +got):\n%s", diff)
				}
				if _, err := s.FindByWallet(ctx, tt.wallet); !errors.Is(err, ErrNotFound) {
					t.Errorf("FindByWallet of an unlinked wallet: err = %v, want ErrNotFound", err)
				}
			}
			if owner, err := s.FindByWallet(ctx, wallet(2)); err != nil || owner.ID != b.ID {
				t.Errorf("FindByWallet(b's wallet) = %q, %v, want %q", owner.ID, err, b.ID)
			}
			checkConsistent(t, s)
		})
	}
}

func TestFindByWallet(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	a := mustCreate(t, s, individual(wallet(1), wallet(2)))
	b := mustCreate(t, s, individual(wallet(3)))
	tests := []struct {
		name    string
		wallet  common.Address
		want    Customer
		wantErr error
	}{
		{name: "first wallet", wallet: wallet(1), want: a},
		{name: "second wallet", wallet: wallet(2), want: a},
		{name: "other customer", wallet: wallet(3), want: b},
		{name: "unknown wallet", wallet: wallet(4), wantErr: ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.FindByWallet(ctx, tt.wallet)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("FindByWallet: err = %v, want %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("FindByWallet(%s) mismatch (-want +got):\n%s", walletString(tt.wallet), diff)
			}
		})
	}
}

func TestList(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	var ids []string
	for i := range 25 {
		ids = append(ids, mustCreate(t, s, individual(wallet(i))).ID)
	}
	slices.Sort(ids)

	t.Run("pages", func(t *testing.T) {
		var got []string
		var sizes []int
		var more []bool
		after := ""
		for range 10 {
			page, hasMore, err := s.List(ctx, ListOptions{Limit: 10, StartingAfter: after})
			if err != nil {
				t.Fatal(err)
			}
			sizes = append(sizes, len(page))
			more = append(more, hasMore)
			for _, c := range page {
				got = append(got, c.ID)
			}
			if !hasMore {
				break
			}
			after = page[len(page)-1].ID
		}
		if diff := cmp.Diff([]int{10, 10, 5}, sizes); diff != "" {
			t.Errorf("page sizes mismatch (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]bool{true, true, false}, more); diff != "" {
			t.Errorf("hasMore mismatch (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(ids, got); diff != "" {
			t.Errorf("listed ids mismatch (-want +got):\n%s", diff)
		}
	})

	tests := []struct {
		name     string
		opts     ListOptions
		want     []string
		wantMore bool
	}{
		{name: "default limit", opts: ListOptions{}, want: ids[:DefaultListLimit], wantMore: true},
		{name: "limit above max is clamped", opts: ListOptions{Limit: 1000}, want: ids},
		{name: "exact last page", opts: ListOptions{Limit: 5, StartingAfter: ids[19]}, want: ids[20:]},
		{name: "after the last id", opts: ListOptions{StartingAfter: ids[24]}, want: []string{}},
		{name: "unknown cursor continues from its position", opts: ListOptions{Limit: 2, StartingAfter: ids[3] + "0"}, want: ids[4:6], wantMore: true},
		{name: "cursor before every id", opts: ListOptions{Limit: 1, StartingAfter: "a"}, want: ids[:1], wantMore: true},
		{name: "cursor after every id", opts: ListOptions{StartingAfter: "z"}, want: []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, hasMore, err := s.List(ctx, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, c := range page {
				got = append(got, c.ID)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("List(%+v) mismatch (-want +got):\n%s", tt.opts, diff)
			}
			if hasMore != tt.wantMore {
				t.Errorf("List(%+v) hasMore = %v, want %v", tt.opts, hasMore, tt.wantMore)
			}
		})
	}

	t.Run("empty store", func(t *testing.T) {
		page, hasMore, err := mustOpen(t).List(ctx, ListOptions{})
		if err != nil || len(page) != 0 || hasMore {
			t.Errorf("List on an empty store = %v, %v, %v", page, hasMore, err)
		}
	})
}

func TestForEach(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	var want []string
	for i := range 5 {
		want = append(want, mustCreate(t, s, individual(wallet(i))).ID)
	}
	slices.Sort(want)
	var got []string
	if err := s.ForEach(ctx, func(c Customer) error { got = append(got, c.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ForEach ids mismatch (-want +got):\n%s", diff)
	}
	errStop := errors.New("stop")
	n := 0
	err := s.ForEach(ctx, func(Customer) error { n++; return errStop })
	if err != errStop || n != 1 {
		t.Errorf("ForEach with a failing fn = %v after %d calls, want errStop after 1", err, n)
	}
}

func TestCount(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	if n, w, err := s.Count(ctx); n != 0 || w != 0 || err != nil {
		t.Errorf("Count() on an empty store = %d, %d, %v", n, w, err)
	}
	mustCreate(t, s, individual(wallet(1), wallet(2)))
	mustCreate(t, s, individual())
	mustCreate(t, s, individual(wallet(3)))
	if n, w, err := s.Count(ctx); n != 3 || w != 3 || err != nil {
		t.Errorf("Count() = %d, %d, %v, want 3, 3, nil", n, w, err)
	}
}

// TestConcurrentCreate races 32 Creates over a pool of 16 wallets, each
// asking for 3 of them, then checks that every wallet has one owner and
// the index matches the records exactly.
func TestConcurrentCreate(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	const goroutines = 32
	var (
		wg      sync.WaitGroup
		results = make([]Customer, goroutines)
		errs    = make([]error, goroutines)
	)
	for i := range goroutines {
		wg.Go(func() {
			ws := []common.Address{wallet(i % 16), wallet((i + 3) % 16), wallet((i + 7) % 16)}
			results[i], errs[i] = s.Create(ctx, individual(ws...))
		})
	}
	wg.Wait()

	succeeded := map[string]Customer{}
	for i, err := range errs {
		switch {
		case err == nil:
			succeeded[results[i].ID] = results[i]
		case !errors.Is(err, ErrWalletTaken):
			t.Errorf("goroutine %d: unexpected error %v", i, err)
		}
	}
	if len(succeeded) == 0 {
		t.Fatal("no Create succeeded")
	}
	all := checkConsistent(t, s)
	if diff := cmp.Diff(succeeded, all); diff != "" {
		t.Errorf("stored customers differ from the successful Creates (-want +got):\n%s", diff)
	}
	owners := map[common.Address]string{}
	for _, c := range all {
		for _, w := range c.Wallets {
			if prev, ok := owners[w]; ok {
				t.Errorf("wallet %s owned by %s and %s", walletString(w), prev, c.ID)
			}
			owners[w] = c.ID
		}
	}
	t.Logf("%d of %d Creates succeeded", len(succeeded), goroutines)
}

// TestConcurrentMixed runs links, unlinks, deletes, updates and reads at
// once and checks that the index stays consistent.
func TestConcurrentMixed(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	var ids []string
	for i := range 8 {
		ids = append(ids, mustCreate(t, s, individual(wallet(i))).ID)
	}
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := range 40 {
				id := ids[(g+i)%len(ids)]
				w := wallet((g*7 + i) % 24)
				var err error
				switch i % 5 {
				case 0:
					_, err = s.LinkWallet(ctx, id, w)
				case 1:
					_, err = s.UnlinkWallet(ctx, id, w)
				case 2:
					_, err = s.Update(ctx, id, func(c *Customer) error { c.Name = fmt.Sprint(g); return nil })
				case 3:
					_, err = s.FindByWallet(ctx, w)
				case 4:
					if g == 0 && i == 4 {
						err = s.Delete(ctx, id)
					} else {
						_, err = s.Create(ctx, individual(w))
					}
				}
				if code := portfoliod.ErrorCode(err); err != nil && code != portfoliod.ENOTFOUND && !errors.Is(err, ErrWalletTaken) {
					t.Errorf("operation %d of goroutine %d: %v", i, g, err)
				}
			}
		})
	}
	wg.Wait()
	checkConsistent(t, s)
}

func TestReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := mustCreate(t, s, individual(wallet(1)))
	mustCreate(t, s, Customer{ID: "customer_c7a968e665d9", Type: Organization, CountryCode: "DE",
		Metadata: map[string]string{"k": "v"}, Wallets: []common.Address{wallet(2)}})
	if _, err := s.LinkWallet(ctx, a.ID, wallet(3)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update(ctx, a.ID, func(c *Customer) error { c.Email = "a@example.test"; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveIdempotent(ctx, "key", "k1", IdempotentResponse{Status: 200, Body: []byte("{}")}); err != nil {
		t.Fatal(err)
	}
	before := checkConsistent(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = mustOpenAt(t, path)
	if diff := cmp.Diff(before, checkConsistent(t, s)); diff != "" {
		t.Errorf("customers after reopen mismatch (-want +got):\n%s", diff)
	}
	if _, ok, err := s.LookupIdempotent(ctx, "key", "k1"); !ok || err != nil {
		t.Errorf("LookupIdempotent after reopen = %v, %v", ok, err)
	}
}

func TestIdempotency(t *testing.T) {
	ctx := context.Background()
	clock := newClock()
	s := mustOpen(t, Options{Now: clock.Now, IdempotencyTTL: time.Hour})
	first := IdempotentResponse{RequestHash: sha256.Sum256([]byte("body")), Status: 200, Body: []byte(`{"id":"x"}`),
		Header: map[string]string{"X-Block-Number": "7", "Warning": `199 portfoliod "balances unavailable"`}}

	if _, ok, err := s.LookupIdempotent(ctx, "scope", "k"); ok || err != nil {
		t.Fatalf("LookupIdempotent before Save = %v, %v", ok, err)
	}
	if err := s.SaveIdempotent(ctx, "scope", "k", first); err != nil {
		t.Fatal(err)
	}
	want := first
	want.CreatedAt = epoch
	got, ok, err := s.LookupIdempotent(ctx, "scope", "k")
	if !ok || err != nil {
		t.Fatalf("LookupIdempotent = %v, %v", ok, err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("LookupIdempotent mismatch (-want +got):\n%s", diff)
	}

	t.Run("first save wins", func(t *testing.T) {
		again := first
		again.Body = []byte("second")
		if err := s.SaveIdempotent(ctx, "scope", "k", again); err != nil {
			t.Fatalf("SaveIdempotent with the same hash: %v", err)
		}
		got, _, _ := s.LookupIdempotent(ctx, "scope", "k")
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("LookupIdempotent mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("different request conflicts", func(t *testing.T) {
		other := IdempotentResponse{RequestHash: sha256.Sum256([]byte("other")), Status: 200}
		if err := s.SaveIdempotent(ctx, "scope", "k", other); !errors.Is(err, ErrIdempotencyConflict) {
			t.Errorf("SaveIdempotent with another hash: err = %v, want ErrIdempotencyConflict", err)
		}
	})
	t.Run("scopes are separate", func(t *testing.T) {
		if _, ok, _ := s.LookupIdempotent(ctx, "other", "k"); ok {
			t.Error("key found under another scope")
		}
		// "scope\x00k" must not be reachable as scope "scope\x00" + "k" or similar.
		if _, ok, _ := s.LookupIdempotent(ctx, "scop", "e\x00k"); ok {
			t.Error("key found through a shifted scope")
		}
	})
	t.Run("version 1 records are read", func(t *testing.T) {
		// A record saved before headers were kept: no header section.
		v1 := make([]byte, idempotencyHeader)
		v1[0] = 1
		copy(v1[1:33], first.RequestHash[:])
		binary.BigEndian.PutUint64(v1[33:41], uint64(epoch.UnixNano()))
		binary.BigEndian.PutUint16(v1[41:43], 201)
		got, err := decodeIdempotent(append(v1, `{"v":1}`...))
		want := IdempotentResponse{RequestHash: first.RequestHash, Status: 201, Body: []byte(`{"v":1}`), CreatedAt: epoch}
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("decodeIdempotent(v1) mismatch (-want +got):\n%s", diff)
		}
		enc, err := encodeIdempotent(first)
		if err != nil {
			t.Fatal(err)
		}
		for n := idempotencyHeader; n < len(enc)-len(first.Body); n++ {
			if _, err := decodeIdempotent(enc[:n]); err == nil {
				t.Errorf("a record cut to %d bytes inside its headers decodes", n)
			}
		}
	})
	t.Run("invalid keys", func(t *testing.T) {
		for _, k := range []struct{ scope, key string }{
			{"", "k"}, {"s", ""}, {"a\x00b", "k"}, {"s", strings.Repeat("k", MaxIdempotencyKey)},
		} {
			if err := s.SaveIdempotent(ctx, k.scope, k.key, first); !errors.Is(err, ErrInvalidIdempotencyKey) {
				t.Errorf("SaveIdempotent(%q, %q): err = %v, want ErrInvalidIdempotencyKey", k.scope, k.key, err)
			}
		}
	})
	t.Run("expires", func(t *testing.T) {
		if err := s.SaveIdempotent(ctx, "scope", "later", first); err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Hour)
		if _, ok, _ := s.LookupIdempotent(ctx, "scope", "k"); !ok {
			t.Error("entry gone at exactly the TTL")
		}
		clock.Advance(time.Second)
		if _, ok, err := s.LookupIdempotent(ctx, "scope", "k"); ok || err != nil {
			t.Errorf("LookupIdempotent after the TTL = %v, %v, want absent", ok, err)
		}
		// An expired key can be used for a new request.
		other := IdempotentResponse{RequestHash: sha256.Sum256([]byte("other")), Status: 201, Body: []byte("new")}
		if err := s.SaveIdempotent(ctx, "scope", "k", other); err != nil {
			t.Fatalf("SaveIdempotent over an expired entry: %v", err)
		}
		got, ok, _ := s.LookupIdempotent(ctx, "scope", "k")
		other.CreatedAt = clock.Now()
		if diff := cmp.Diff(other, got); !ok || diff != "" {
			t.Errorf("LookupIdempotent mismatch (-want +got):\n%s", diff)
		}
		// "later" was saved at epoch too; purging removes only it.
		n, err := s.PurgeIdempotent(ctx)
		if n != 1 || err != nil {
			t.Errorf("PurgeIdempotent() = %d, %v, want 1, nil", n, err)
		}
		if n, err := s.PurgeIdempotent(ctx); n != 0 || err != nil {
			t.Errorf("second PurgeIdempotent() = %d, %v, want 0, nil", n, err)
		}
		if _, ok, _ := s.LookupIdempotent(ctx, "scope", "k"); !ok {
			t.Error("PurgeIdempotent removed a live entry")
		}
	})
}

func TestImport(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t, Options{Now: newClock().Now})
	existing := mustCreate(t, s, Customer{ID: "customer_000000000001", Type: Individual, Wallets: []common.Address{wallet(1)}})

	batch := []Customer{
		{ID: "customer_00000000000a", Type: Individual, Wallets: []common.Address{wallet(10), wallet(11)}}, // ok
		{ID: "customer_00000000000b", Type: Individual, Wallets: []common.Address{wallet(1)}},              // taken by existing
		{ID: "customer_00000000000c", Type: Individual, Wallets: []common.Address{wallet(11)}},             // taken by item 0
		{ID: "customer_00000000000a", Type: Individual, Wallets: []common.Address{wallet(12)}},             // duplicate id in batch
		{ID: existing.ID, Type: Individual}, // duplicate of stored id
		{ID: "customer_00000000000d", Type: Individual, Wallets: wallets(100, 100+MaxWallets+1)},           // too many wallets
		{ID: "customer_00000000000e", Type: Individual, Wallets: []common.Address{wallet(13), wallet(13)}}, // duplicate wallet
		{ID: "bad", Type: Individual}, // invalid id
		{Type: Organization, Wallets: []common.Address{wallet(14)}, CreatedAt: epoch.Add(-time.Hour)}, // ok, id generated
		{ID: "customer_00000000000f", Type: Individual, Wallets: []common.Address{wallet(12)}},        // ok: item 3 was rejected
	}
	wantErrs := []error{nil, ErrWalletTaken, ErrWalletTaken, ErrExists, ErrExists, ErrTooManyWallets, ErrDuplicateWallet, ErrInvalidID, nil, nil}

	errs, err := s.Import(ctx, batch)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	if len(errs) != len(batch) {
		t.Fatalf("Import gave %d errors for %d items", len(errs), len(batch))
	}
	for i, want := range wantErrs {
		if !errors.Is(errs[i], want) || (want == nil) != (errs[i] == nil) {
			t.Errorf("item %d: err = %v, want %v", i, errs[i], want)
		}
	}
	all := checkConsistent(t, s)
	if len(all) != 4 {
		t.Errorf("store holds %d customers, want 4", len(all))
	}
	for _, id := range []string{existing.ID, "customer_00000000000a", "customer_00000000000f"} {
		if _, ok := all[id]; !ok {
			t.Errorf("customer %s missing", id)
		}
	}
	gen, err := s.FindByWallet(ctx, wallet(14))
	if err != nil {
		t.Fatalf("FindByWallet of the generated-id item: %v", err)
	}
	want := Customer{ID: gen.ID, Type: Organization, VerificationStatus: InProgress,
		Wallets: []common.Address{wallet(14)}, CreatedAt: epoch.Add(-time.Hour).Truncate(time.Second)}
	if diff := cmp.Diff(want, gen); diff != "" {
		t.Errorf("imported customer mismatch (-want +got):\n%s", diff)
	}
	a, _ := s.Get(ctx, "customer_00000000000a")
	if diff := cmp.Diff([]common.Address{wallet(10), wallet(11)}, a.Wallets); diff != "" {
		t.Errorf("item 0 wallets mismatch (-want +got):\n%s", diff)
	}
	if a.VerificationStatus != InProgress || !a.CreatedAt.Equal(epoch.Truncate(time.Second)) {
		t.Errorf("item 0 defaults: status %q, createdAt %v", a.VerificationStatus, a.CreatedAt)
	}

	t.Run("cancelled context stores nothing", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		errs, err := s.Import(cctx, []Customer{individual(wallet(50))})
		if !errors.Is(err, context.Canceled) || errs != nil {
			t.Errorf("Import = %v, %v, want nil, context.Canceled", errs, err)
		}
		if _, err := s.FindByWallet(ctx, wallet(50)); !errors.Is(err, ErrNotFound) {
			t.Errorf("cancelled Import stored a customer: %v", err)
		}
	})
}

func TestImportLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 10,000 customers")
	}
	ctx := context.Background()
	s := mustOpen(t)
	const n = 10_000
	batch := make([]Customer, n)
	for i := range batch {
		batch[i] = individual(wallets(3*i, 3*i+3)...)
	}
	start := time.Now()
	errs, err := s.Import(ctx, batch)
	elapsed := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	for i, err := range errs {
		if err != nil {
			t.Fatalf("item %d: %v", i, err)
		}
	}
	t.Logf("imported %d customers with %d wallets in %v", n, 3*n, elapsed)
	// Generous: the race detector slows this several times.
	if elapsed > 30*time.Second {
		t.Errorf("Import of %d customers took %v", n, elapsed)
	}
	if c, w, err := s.Count(ctx); c != n || w != 3*n || err != nil {
		t.Errorf("Count() = %d, %d, %v, want %d, %d", c, w, err, n, 3*n)
	}
	if owner, err := s.FindByWallet(ctx, wallet(3*n-1)); err != nil || len(owner.Wallets) != 3 {
		t.Errorf("FindByWallet of the last wallet = %+v, %v", owner, err)
	}
}

func TestBackup(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	for i := range 50 {
		mustCreate(t, s, individual(wallet(2*i), wallet(2*i+1)))
	}
	if err := s.SaveIdempotent(ctx, "s", "k", IdempotentResponse{Status: 201, Body: []byte("b")}); err != nil {
		t.Fatal(err)
	}
	want := checkConsistent(t, s)

	path := filepath.Join(t.TempDir(), "backup.db")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.Backup(ctx, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() != n {
		t.Errorf("Backup reported %d bytes, file has %v (%v)", n, fi.Size(), err)
	}
	// The original keeps working while the copy is open.
	mustCreate(t, s, individual(wallet(1000)))

	restored := mustOpenAt(t, path)
	if diff := cmp.Diff(want, checkConsistent(t, restored)); diff != "" {
		t.Errorf("restored customers mismatch (-want +got):\n%s", diff)
	}
	if _, ok, err := restored.LookupIdempotent(ctx, "s", "k"); !ok || err != nil {
		t.Errorf("restored LookupIdempotent = %v, %v", ok, err)
	}

	t.Run("cancelled context", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := s.Backup(cctx, io.Discard); !errors.Is(err, context.Canceled) {
			t.Errorf("Backup: err = %v, want context.Canceled", err)
		}
	})
}

func TestCorruptRecord(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	err := s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(customersBucket).Put([]byte("customer_000000000000"), []byte(`{"v":99}`))
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, "customer_000000000000"); err == nil || errors.Is(err, ErrNotFound) {
		t.Errorf("Get of a record with an unknown version: err = %v, want a decode error", err)
	}
}

func TestCheck(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "check.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Check(context.Background()); err != nil {
		t.Errorf("Check on an open store: %v", err)
	}
	s.Close()
	if err := s.Check(context.Background()); err == nil {
		t.Error("Check on a closed store succeeded")
	}
}

// VerifyIndex finds an index entry pointing elsewhere and one no customer
// holds; a store written through Store has neither.
func TestVerifyIndex(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	a := mustCreate(t, s, individual(wallet(1), wallet(2)))
	mustCreate(t, s, individual(wallet(3)))
	if err := s.VerifyIndex(ctx); err != nil {
		t.Fatalf("VerifyIndex of a store written through Store: %v", err)
	}
	w2, stray := wallet(2), wallet(9)
	if err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(walletsBucket)
		if err := b.Put(w2[:], []byte("customer_000000000000")); err != nil {
			return err
		}
		return b.Put(stray[:], []byte(a.ID))
	}); err != nil {
		t.Fatal(err)
	}
	err := s.VerifyIndex(ctx)
	for _, want := range []string{w2.Hex() + " of " + a.ID + ` is indexed to "customer_000000000000"`, "holds 4 entries, the customers 3 wallets"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("VerifyIndex = %v, want it to say %q", err, want)
		}
	}
}

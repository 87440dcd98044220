package bolt

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
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/go-cmp/cmp"
	bbolt "go.etcd.io/bbolt"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/customers/storetest"
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
func mustCreate(tb testing.TB, s *Store, c portfoliod.Customer) portfoliod.Customer {
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

// epoch is a fixed time with a fraction of a second.
var epoch = time.Date(2025, 3, 14, 9, 26, 53, 589_000_000, time.UTC)

func individual(ws ...common.Address) portfoliod.Customer {
	return portfoliod.Customer{Type: portfoliod.Individual, CountryCode: "FR", Wallets: ws}
}

// checkConsistent verifies the invariants between the customers bucket and
// the wallet index: every listed wallet is indexed to its customer, every
// index entry points to a customer listing that wallet. It returns every
// customer by id.
func checkConsistent(tb testing.TB, s *Store) map[string]portfoliod.Customer {
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

// Store is a CustomerStore with everything the contract suite exercises.
var _ storetest.Store = (*Store)(nil)

// TestContract runs the behaviour every customer store shares against a
// real bbolt file; the tests below are what only this store shows.
func TestContract(t *testing.T) {
	storetest.Run(t, func(tb testing.TB, now func() time.Time) storetest.Store {
		return mustOpen(tb, Options{Now: now, IdempotencyTTL: storetest.IdempotencyTTL})
	})
}

func TestFollowerContract(t *testing.T) {
	storetest.RunFollower(t, func(tb testing.TB) portfoliod.FollowerStore {
		return mustOpen(tb, Options{RecentBlocks: storetest.RecentBlocks})
	})
}

var _ portfoliod.FollowerStore = (*Store)(nil)

func TestRegisterContract(t *testing.T) {
	storetest.RunRegister(t, func(tb testing.TB) storetest.RegisterStore { return mustOpen(tb) })
}

func TestKeepNewerContract(t *testing.T) {
	storetest.RunKeepNewer(t, func(tb testing.TB) portfoliod.FollowerStore {
		return mustOpen(tb, Options{RecentBlocks: storetest.RecentBlocks})
	})
}

func TestWebhookContract(t *testing.T) {
	storetest.RunWebhooks(t, func(tb testing.TB) storetest.WebhookStore { return mustOpen(tb) })
}

var _ portfoliod.WebhookStore = (*Store)(nil)

func TestFreedWalletsContract(t *testing.T) {
	storetest.RunFreedWallets(t, func(tb testing.TB) storetest.CustomerFollowerStore { return mustOpen(tb) })
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
		err := s.db.View(func(tx *bbolt.Tx) error {
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
		err = s.db.Update(func(tx *bbolt.Tx) error {
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
		db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: 200 * time.Millisecond})
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

func TestReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := mustCreate(t, s, individual(wallet(1)))
	mustCreate(t, s, portfoliod.Customer{ID: "customer_c7a968e665d9", Type: portfoliod.Organization, CountryCode: "DE",
		Metadata: map[string]string{"k": "v"}, Wallets: []common.Address{wallet(2)}})
	if _, err := s.LinkWallet(ctx, a.ID, wallet(3)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update(ctx, a.ID, func(c *portfoliod.Customer) error { c.Email = "a@example.test"; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveIdempotent(ctx, "key", "k1", portfoliod.IdempotentResponse{Status: 200, Body: []byte("{}")}); err != nil {
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

// TestIdempotentRecordVersions pins the stored format: records saved
// before headers were kept (version 1) still decode, and a record cut
// inside its header section does not.
func TestIdempotentRecordVersions(t *testing.T) {
	first := portfoliod.IdempotentResponse{RequestHash: sha256.Sum256([]byte("body")), Status: 200, Body: []byte(`{"id":"x"}`),
		Header: map[string]string{"X-Block-Number": "7", "Warning": `199 portfoliod "balances unavailable"`}}
	v1 := make([]byte, idempotencyHeader)
	v1[0] = 1
	copy(v1[1:33], first.RequestHash[:])
	binary.BigEndian.PutUint64(v1[33:41], uint64(epoch.UnixNano()))
	binary.BigEndian.PutUint16(v1[41:43], 201)
	got, err := decodeIdempotent(append(v1, `{"v":1}`...))
	want := portfoliod.IdempotentResponse{RequestHash: first.RequestHash, Status: 201, Body: []byte(`{"v":1}`), CreatedAt: epoch}
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
}

// TestBackup restores a backup: the snapshot is itself a store file
// holding the customers and idempotency records of its moment. The
// contract suite checks the size Backup reports and cancellation.
func TestBackup(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	for i := range 50 {
		mustCreate(t, s, individual(wallet(2*i), wallet(2*i+1)))
	}
	if err := s.SaveIdempotent(ctx, "s", "k", portfoliod.IdempotentResponse{Status: 201, Body: []byte("b")}); err != nil {
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
}

func TestCorruptRecord(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	err := s.db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(customersBucket).Put([]byte("customer_000000000000"), []byte(`{"v":99}`))
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, "customer_000000000000"); err == nil || errors.Is(err, portfoliod.ErrCustomerNotFound) {
		t.Errorf("Get of a record with an unknown version: err = %v, want a decode error", err)
	}
}

// TestCheck fails on a closed store; the contract suite checks an open one.
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
// holds, written around Store; the contract suite checks that a store
// written through Store has neither.
func TestVerifyIndex(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	a := mustCreate(t, s, individual(wallet(1), wallet(2)))
	mustCreate(t, s, individual(wallet(3)))
	if err := s.VerifyIndex(ctx); err != nil {
		t.Fatalf("VerifyIndex of a store written through Store: %v", err)
	}
	w2, stray := wallet(2), wallet(9)
	if err := s.db.Update(func(tx *bbolt.Tx) error {
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

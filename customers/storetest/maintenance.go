package storetest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"github.com/portfoliod/portfoliod"
)

// testVerifyIndex writes through every path that touches the wallet
// index and checks that VerifyIndex finds it consistent after each. A
// corrupted index can only be written around the store, so the cases
// VerifyIndex must catch belong to each store's own tests.
func testVerifyIndex(t *testing.T, open Factory) {
	ctx := context.Background()
	s := mustOpen(t, open)
	verify := func(after string) {
		t.Helper()
		if err := s.VerifyIndex(ctx); err != nil {
			t.Errorf("VerifyIndex after %s: %v", after, err)
		}
	}
	verify("nothing")
	a := mustCreate(t, s, individual(wallet(1), wallet(2)))
	b := mustCreate(t, s, individual(wallet(3)))
	verify("Create")
	if _, err := s.LinkWallet(ctx, a.ID, wallet(4)); err != nil {
		t.Fatal(err)
	}
	verify("LinkWallet")
	if _, err := s.UnlinkWallet(ctx, a.ID, wallet(1)); err != nil {
		t.Fatal(err)
	}
	verify("UnlinkWallet")
	if _, err := s.Update(ctx, b.ID, func(c *portfoliod.Customer) error { c.Name = "Bo"; return nil }); err != nil {
		t.Fatal(err)
	}
	verify("Update")
	if errs, err := s.Import(ctx, []portfoliod.Customer{individual(wallet(5), wallet(6)), individual(wallet(3))}); err != nil || errs[0] != nil || errs[1] == nil {
		t.Fatalf("Import = %v, %v, want the second item rejected", errs, err)
	}
	verify("Import")
	if err := s.Delete(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	verify("Delete")
	if n, w, err := s.Count(ctx); n != 2 || w != 3 || err != nil {
		t.Errorf("Count() = %d, %d, %v, want 2, 3, nil", n, w, err)
	}
}

// testBackup checks what every store's backup promises: a snapshot
// whose size Backup reports, taken without stopping the store. Whether
// the snapshot restores is a property of each store's format.
func testBackup(t *testing.T, open Factory, o options) {
	ctx := context.Background()
	s := mustOpen(t, open)
	for i := range 50 {
		mustCreate(t, s, individual(wallet(2*i), wallet(2*i+1)))
	}
	if err := s.SaveIdempotent(ctx, "s", "k", portfoliod.IdempotentResponse{Status: 201, Body: []byte("b")}); err != nil {
		t.Fatal(err)
	}
	if o.noBackup {
		var buf bytes.Buffer
		n, err := s.Backup(ctx, &buf)
		if err == nil || portfoliod.ErrorCode(err) == portfoliod.EINTERNAL || portfoliod.ErrorMessage(err) == "" {
			t.Errorf("Backup of a store without backups: err = %v (code %q), want a domain error saying what to use", err, portfoliod.ErrorCode(err))
		}
		if n != 0 || buf.Len() != 0 {
			t.Errorf("Backup of a store without backups reported %d bytes and wrote %d", n, buf.Len())
		}
		mustCreate(t, s, individual(wallet(1000)))
		if c, _, err := s.Count(ctx); c != 51 || err != nil {
			t.Errorf("Count() after Backup = %d, %v, want 51", c, err)
		}
		checkConsistent(t, s)
		return
	}
	var buf bytes.Buffer
	n, err := s.Backup(ctx, &buf)
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if n <= 0 || n != int64(buf.Len()) {
		t.Errorf("Backup reported %d bytes, wrote %d", n, buf.Len())
	}
	// The store keeps working after a backup.
	mustCreate(t, s, individual(wallet(1000)))
	checkConsistent(t, s)

	t.Run("cancelled context", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := s.Backup(cctx, io.Discard); !errors.Is(err, context.Canceled) {
			t.Errorf("Backup: err = %v, want context.Canceled", err)
		}
	})
}

func testCheck(t *testing.T, open Factory) {
	s := mustOpen(t, open)
	if err := s.Check(context.Background()); err != nil {
		t.Errorf("Check on an open store: %v", err)
	}
	cctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Check(cctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Check with a cancelled context: err = %v, want context.Canceled", err)
	}
}

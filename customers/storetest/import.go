package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod"
)

func testImport(t *testing.T, open Factory) {
	ctx := context.Background()
	s := mustOpenClock(t, open, newClock().Now)
	existing := mustCreate(t, s, portfoliod.Customer{ID: "customer_000000000001", Type: portfoliod.Individual, Wallets: []common.Address{wallet(1)}})

	batch := []portfoliod.Customer{
		{ID: "customer_00000000000a", Type: portfoliod.Individual, Wallets: []common.Address{wallet(10), wallet(11)}},  // ok
		{ID: "customer_00000000000b", Type: portfoliod.Individual, Wallets: []common.Address{wallet(1)}},               // taken by existing
		{ID: "customer_00000000000c", Type: portfoliod.Individual, Wallets: []common.Address{wallet(11)}},              // taken by item 0
		{ID: "customer_00000000000a", Type: portfoliod.Individual, Wallets: []common.Address{wallet(12)}},              // duplicate id in batch
		{ID: existing.ID, Type: portfoliod.Individual},                                                                 // duplicate of stored id
		{ID: "customer_00000000000d", Type: portfoliod.Individual, Wallets: wallets(100, 100+portfoliod.MaxWallets+1)}, // too many wallets
		{ID: "customer_00000000000e", Type: portfoliod.Individual, Wallets: []common.Address{wallet(13), wallet(13)}},  // duplicate wallet
		{ID: "bad", Type: portfoliod.Individual},                                                                       // invalid id
		{Type: portfoliod.Organization, Wallets: []common.Address{wallet(14)}, CreatedAt: epoch.Add(-time.Hour)},       // ok, id generated
		{ID: "customer_00000000000f", Type: portfoliod.Individual, Wallets: []common.Address{wallet(12)}},              // ok: item 3 was rejected
	}
	wantErrs := []error{nil, portfoliod.ErrWalletTaken, portfoliod.ErrWalletTaken, portfoliod.ErrCustomerExists,
		portfoliod.ErrCustomerExists, portfoliod.ErrTooManyWallets, portfoliod.ErrDuplicateWallet,
		portfoliod.ErrInvalidCustomerID, nil, nil}

	errs, err := s.Import(ctx, batch)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	if len(errs) != len(batch) {
		t.Fatalf("Import gave %d errors for %d items", len(errs), len(batch))
	}
	for i, want := range wantErrs {
		if msg := errMismatch(errs[i], want); msg != "" {
			t.Errorf("item %d: %s", i, msg)
		}
	}
	var taken *portfoliod.WalletTakenError
	if !errors.As(errs[2], &taken) || taken.Wallet != wallet(11) {
		t.Errorf("item 2: err = %v, want *WalletTakenError for %s", errs[2], walletString(wallet(11)))
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
	if !portfoliod.ValidCustomerID(gen.ID) {
		t.Errorf("Import gave id %q", gen.ID)
	}
	want := portfoliod.Customer{ID: gen.ID, Type: portfoliod.Organization, VerificationStatus: portfoliod.InProgress,
		Wallets: []common.Address{wallet(14)}, CreatedAt: epoch.Add(-time.Hour).Truncate(time.Second)}
	if diff := cmp.Diff(want, gen); diff != "" {
		t.Errorf("imported customer mismatch (-want +got):\n%s", diff)
	}
	a, _ := s.Get(ctx, "customer_00000000000a")
	if diff := cmp.Diff([]common.Address{wallet(10), wallet(11)}, a.Wallets); diff != "" {
		t.Errorf("item 0 wallets mismatch (-want +got):\n%s", diff)
	}
	if a.VerificationStatus != portfoliod.InProgress || !a.CreatedAt.Equal(epoch.Truncate(time.Second)) {
		t.Errorf("item 0 defaults: status %q, createdAt %v", a.VerificationStatus, a.CreatedAt)
	}

	t.Run("rejected item claims none of its wallets", func(t *testing.T) {
		n, w, _ := s.Count(ctx)
		// wallet(60) is free, wallet(1) is existing's.
		errs, err := s.Import(ctx, []portfoliod.Customer{individual(wallet(60), wallet(1))})
		if err != nil || len(errs) != 1 {
			t.Fatalf("Import = %v, %v", errs, err)
		}
		if msg := errMismatch(errs[0], portfoliod.ErrWalletTaken); msg != "" {
			t.Errorf("item 0: %s", msg)
		}
		if _, err := s.FindByWallet(ctx, wallet(60)); !errors.Is(err, portfoliod.ErrCustomerNotFound) {
			t.Errorf("FindByWallet of the rejected item's free wallet: err = %v, want ErrCustomerNotFound", err)
		}
		if n2, w2, _ := s.Count(ctx); n2 != n || w2 != w {
			t.Errorf("after a rejected item: Count() = %d, %d, want %d, %d", n2, w2, n, w)
		}
		checkConsistent(t, s)
	})
	t.Run("cancelled context stores nothing", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		errs, err := s.Import(cctx, []portfoliod.Customer{individual(wallet(50))})
		if !errors.Is(err, context.Canceled) || errs != nil {
			t.Errorf("Import = %v, %v, want nil, context.Canceled", errs, err)
		}
		if _, err := s.FindByWallet(ctx, wallet(50)); !errors.Is(err, portfoliod.ErrCustomerNotFound) {
			t.Errorf("cancelled Import stored a customer: %v", err)
		}
	})
}

// testImportLarge imports 10,000 customers in one batch: about a second
// on bbolt, several under the race detector.
func testImportLarge(t *testing.T, open Factory) {
	if testing.Short() {
		t.Skip("imports 10,000 customers")
	}
	ctx := context.Background()
	s := mustOpen(t, open)
	const n = 10_000
	batch := make([]portfoliod.Customer, n)
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
	checkConsistent(t, s)
}

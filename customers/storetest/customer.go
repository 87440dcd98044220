package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod"
)

func testCreate(t *testing.T, open Factory) {
	ctx := context.Background()
	cancelled, cancel := context.WithCancel(ctx)
	cancel()

	tests := []struct {
		name    string
		ctx     context.Context
		in      portfoliod.Customer
		wantErr error
	}{
		{name: "assigns id and defaults", in: individual(wallet(1), wallet(2))},
		{name: "no wallets", in: individual()},
		{
			name: "all fields and a fixed id",
			in: portfoliod.Customer{
				ID: "customer_c7a968e665d9", Type: portfoliod.Organization, CountryCode: "US",
				VerificationStatus: portfoliod.Completed, Name: "Acme", Username: "acme",
				Email: "ops@acme.test", Phone: "+14155550100",
				Metadata: map[string]string{"tier": "gold"},
				Address:  &portfoliod.PostalAddress{Line1: "1 Main St", City: "Springfield", CountryCode: "US"},
				Wallets:  []common.Address{wallet(3)},
				// A given creation time is kept (truncated to seconds).
				CreatedAt: epoch.Add(-time.Hour),
			},
		},
		{name: "fixed id exists", in: portfoliod.Customer{ID: "customer_000000000001", Type: portfoliod.Individual}, wantErr: portfoliod.ErrCustomerExists},
		{name: "invalid id", in: portfoliod.Customer{ID: "customer_XYZ", Type: portfoliod.Individual}, wantErr: portfoliod.ErrInvalidCustomerID},
		{name: "wallet taken", in: individual(wallet(4), wallet(100)), wantErr: portfoliod.ErrWalletTaken},
		{name: "duplicate wallet", in: individual(wallet(5), wallet(5)), wantErr: portfoliod.ErrDuplicateWallet},
		{name: "too many wallets", in: individual(wallets(1000, 1000+portfoliod.MaxWallets+1)...), wantErr: portfoliod.ErrTooManyWallets},
		{name: "max wallets", in: individual(wallets(5000, 5000+portfoliod.MaxWallets)...)},
		{name: "cancelled context", ctx: cancelled, in: individual(wallet(6)), wantErr: context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustOpenClock(t, open, newClock().Now)
			mustCreate(t, s, portfoliod.Customer{ID: "customer_000000000001", Type: portfoliod.Individual, Wallets: []common.Address{wallet(100)}})
			if tt.ctx == nil {
				tt.ctx = ctx
			}
			got, err := s.Create(tt.ctx, tt.in)
			if tt.wantErr != nil {
				if msg := errMismatch(err, tt.wantErr); msg != "" {
					t.Fatalf("Create: %s", msg)
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
				want.VerificationStatus = portfoliod.InProgress
			}
			if want.CreatedAt.IsZero() {
				want.CreatedAt = epoch
			}
			want.CreatedAt = want.CreatedAt.Truncate(time.Second)
			if want.Wallets == nil {
				want.Wallets = []common.Address{}
			}
			if !portfoliod.ValidCustomerID(got.ID) {
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

// The conflict names the wallet (so a caller can fix the request) and
// stores none of the request's other wallets.
func testCreateWalletTakenNamesWallet(t *testing.T, open Factory) {
	s := mustOpen(t, open)
	mustCreate(t, s, individual(wallet(1)))
	_, err := s.Create(context.Background(), individual(wallet(2), wallet(1)))
	var taken *portfoliod.WalletTakenError
	if !errors.As(err, &taken) || taken.Wallet != wallet(1) {
		t.Fatalf("Create: err = %v, want *WalletTakenError for %s", err, walletString(wallet(1)))
	}
	if msg := errMismatch(err, portfoliod.ErrWalletTaken); msg != "" {
		t.Errorf("Create: %s", msg)
	}
	if want := "wallet " + walletString(wallet(1)) + " already belongs to another customer"; err.Error() != want {
		t.Errorf("message = %q, want %q", err.Error(), want)
	}
	if _, err := s.FindByWallet(context.Background(), wallet(2)); !errors.Is(err, portfoliod.ErrCustomerNotFound) {
		t.Errorf("FindByWallet of the rejected customer's other wallet: err = %v, want ErrCustomerNotFound", err)
	}
}

// What Create returns shares nothing with its argument.
func testCreateDoesNotAliasInput(t *testing.T, open Factory) {
	s := mustOpen(t, open)
	in := individual(wallet(1))
	in.Metadata = map[string]string{"k": "v"}
	in.Address = &portfoliod.PostalAddress{City: "Lyon"}
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

func testGet(t *testing.T, open Factory) {
	ctx := context.Background()
	s := mustOpen(t, open)
	c := mustCreate(t, s, individual(wallet(1)))
	tests := []struct {
		name    string
		id      string
		want    portfoliod.Customer
		wantErr error
	}{
		{name: "found", id: c.ID, want: c},
		{name: "missing", id: "customer_000000000000", wantErr: portfoliod.ErrCustomerNotFound},
		{name: "malformed id", id: "../etc", wantErr: portfoliod.ErrCustomerNotFound},
		{name: "empty id", id: "", wantErr: portfoliod.ErrCustomerNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Get(ctx, tt.id)
			if msg := errMismatch(err, tt.wantErr); msg != "" {
				t.Fatalf("Get(%q): %s", tt.id, msg)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Get(%q) mismatch (-want +got):\n%s", tt.id, diff)
			}
		})
	}
}

func testUpdate(t *testing.T, open Factory) {
	ctx := context.Background()
	errBoom := errors.New("boom")
	tests := []struct {
		name    string
		mutate  func(*portfoliod.Customer) error
		change  func(*portfoliod.Customer) // applied to the original to get the expected result
		wantErr error
	}{
		{
			name: "changes profile fields",
			mutate: func(c *portfoliod.Customer) error {
				c.Name = "Ada"
				c.VerificationStatus = portfoliod.Completed
				c.Metadata = map[string]string{"a": "b"}
				c.Address = &portfoliod.PostalAddress{City: "London"}
				return nil
			},
			change: func(c *portfoliod.Customer) {
				c.Name = "Ada"
				c.VerificationStatus = portfoliod.Completed
				c.Metadata = map[string]string{"a": "b"}
				c.Address = &portfoliod.PostalAddress{City: "London"}
			},
		},
		{
			name: "cannot change id, createdAt or wallets",
			mutate: func(c *portfoliod.Customer) error {
				c.Name = "Ada"
				c.ID = "customer_ffffffffffff"
				c.CreatedAt = time.Unix(0, 0)
				c.Wallets[0] = wallet(99)
				c.Wallets = append(c.Wallets, wallet(98))
				return nil
			},
			change: func(c *portfoliod.Customer) { c.Name = "Ada" },
		},
		{
			name: "mutate error writes nothing",
			mutate: func(c *portfoliod.Customer) error {
				c.Name = "Ada"
				return errBoom
			},
			wantErr: errBoom,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustOpen(t, open)
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
			if _, err := s.Get(ctx, "customer_ffffffffffff"); !errors.Is(err, portfoliod.ErrCustomerNotFound) {
				t.Errorf("Update created another id: err = %v", err)
			}
			checkConsistent(t, s)
		})
	}
	t.Run("missing customer", func(t *testing.T) {
		s := mustOpen(t, open)
		called := false
		_, err := s.Update(ctx, "customer_000000000000", func(*portfoliod.Customer) error { called = true; return nil })
		if msg := errMismatch(err, portfoliod.ErrCustomerNotFound); msg != "" {
			t.Errorf("Update: %s", msg)
		}
		if called {
			t.Error("mutate was called for a missing customer")
		}
	})
}

func testDelete(t *testing.T, open Factory) {
	ctx := context.Background()
	s := mustOpen(t, open)
	a := mustCreate(t, s, individual(wallet(1), wallet(2)))
	b := mustCreate(t, s, individual(wallet(3)))

	if err := s.Delete(ctx, a.ID); err != nil {
		t.Fatalf("Delete(%q): %v", a.ID, err)
	}
	if _, err := s.Get(ctx, a.ID); !errors.Is(err, portfoliod.ErrCustomerNotFound) {
		t.Errorf("Get after Delete: err = %v, want ErrCustomerNotFound", err)
	}
	if _, err := s.FindByWallet(ctx, wallet(1)); !errors.Is(err, portfoliod.ErrCustomerNotFound) {
		t.Errorf("FindByWallet of a freed wallet: err = %v, want ErrCustomerNotFound", err)
	}
	if msg := errMismatch(s.Delete(ctx, a.ID), portfoliod.ErrCustomerNotFound); msg != "" {
		t.Errorf("second Delete: %s", msg)
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

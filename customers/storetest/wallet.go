package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod"
)

func testLinkWallet(t *testing.T, open Factory) {
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
		{name: "owned by another customer", wallet: wallet(2), wantErr: portfoliod.ErrWalletTaken},
		{name: "missing customer", id: "customer_000000000000", wallet: wallet(10), wantErr: portfoliod.ErrCustomerNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustOpen(t, open)
			a := mustCreate(t, s, individual(wallet(1)))
			mustCreate(t, s, individual(wallet(2)))
			if tt.id == "" {
				tt.id = a.ID
			}
			got, err := s.LinkWallet(ctx, tt.id, tt.wallet)
			if msg := errMismatch(err, tt.wantErr); msg != "" {
				t.Fatalf("LinkWallet: %s", msg)
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
		s := mustOpen(t, open)
		a := mustCreate(t, s, individual(wallets(1000, 1000+portfoliod.MaxWallets)...))
		_, err := s.LinkWallet(ctx, a.ID, wallet(1))
		if msg := errMismatch(err, portfoliod.ErrTooManyWallets); msg != "" {
			t.Errorf("LinkWallet: %s", msg)
		}
		// Idempotent relinking still succeeds at the limit.
		if _, err := s.LinkWallet(ctx, a.ID, wallet(1000)); err != nil {
			t.Errorf("LinkWallet of an owned wallet at the limit: %v", err)
		}
		checkConsistent(t, s)
	})
}

func testUnlinkWallet(t *testing.T, open Factory) {
	ctx := context.Background()
	tests := []struct {
		name        string
		id          string // "" means the customer a
		wallet      common.Address
		wantWallets []common.Address
		wantErr     error
	}{
		{name: "unlinks", wallet: wallet(1), wantWallets: []common.Address{wallet(3)}},
		{name: "not linked", wallet: wallet(10), wantErr: portfoliod.ErrWalletNotLinked},
		{name: "owned by another customer", wallet: wallet(2), wantErr: portfoliod.ErrWalletNotLinked},
		{name: "missing customer", id: "customer_000000000000", wallet: wallet(1), wantErr: portfoliod.ErrCustomerNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustOpen(t, open)
			a := mustCreate(t, s, individual(wallet(1), wallet(3)))
			b := mustCreate(t, s, individual(wallet(2)))
			if tt.id == "" {
				tt.id = a.ID
			}
			got, err := s.UnlinkWallet(ctx, tt.id, tt.wallet)
			if msg := errMismatch(err, tt.wantErr); msg != "" {
				t.Fatalf("UnlinkWallet: %s", msg)
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
				if _, err := s.FindByWallet(ctx, tt.wallet); !errors.Is(err, portfoliod.ErrCustomerNotFound) {
					t.Errorf("FindByWallet of an unlinked wallet: err = %v, want ErrCustomerNotFound", err)
				}
			}
			if owner, err := s.FindByWallet(ctx, wallet(2)); err != nil || owner.ID != b.ID {
				t.Errorf("FindByWallet(b's wallet) = %q, %v, want %q", owner.ID, err, b.ID)
			}
			checkConsistent(t, s)
		})
	}
}

func testFindByWallet(t *testing.T, open Factory) {
	ctx := context.Background()
	s := mustOpen(t, open)
	a := mustCreate(t, s, individual(wallet(1), wallet(2)))
	b := mustCreate(t, s, individual(wallet(3)))
	tests := []struct {
		name    string
		wallet  common.Address
		want    portfoliod.Customer
		wantErr error
	}{
		{name: "first wallet", wallet: wallet(1), want: a},
		{name: "second wallet", wallet: wallet(2), want: a},
		{name: "other customer", wallet: wallet(3), want: b},
		{name: "unknown wallet", wallet: wallet(4), wantErr: portfoliod.ErrCustomerNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.FindByWallet(ctx, tt.wallet)
			if msg := errMismatch(err, tt.wantErr); msg != "" {
				t.Fatalf("FindByWallet: %s", msg)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("FindByWallet(%s) mismatch (-want +got):\n%s", walletString(tt.wallet), diff)
			}
		})
	}
}

package storetest

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod"
)

// testConcurrentCreate races 32 Creates over a pool of 16 wallets, each
// asking for 3 of them, then checks that every wallet has one owner and
// the index matches the records exactly.
func testConcurrentCreate(t *testing.T, open Factory) {
	ctx := context.Background()
	s := mustOpen(t, open)
	const goroutines = 32
	var (
		wg      sync.WaitGroup
		results = make([]portfoliod.Customer, goroutines)
		errs    = make([]error, goroutines)
	)
	for i := range goroutines {
		wg.Go(func() {
			ws := []common.Address{wallet(i % 16), wallet((i + 3) % 16), wallet((i + 7) % 16)}
			results[i], errs[i] = s.Create(ctx, individual(ws...))
		})
	}
	wg.Wait()

	succeeded := map[string]portfoliod.Customer{}
	for i, err := range errs {
		switch {
		case err == nil:
			succeeded[results[i].ID] = results[i]
		case errMismatch(err, portfoliod.ErrWalletTaken) != "":
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

// testConcurrentMixed runs links, unlinks, deletes, updates and reads at
// once and checks that the index stays consistent.
func testConcurrentMixed(t *testing.T, open Factory) {
	ctx := context.Background()
	s := mustOpen(t, open)
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
					_, err = s.Update(ctx, id, func(c *portfoliod.Customer) error { c.Name = fmt.Sprint(g); return nil })
				case 3:
					_, err = s.FindByWallet(ctx, w)
				case 4:
					if g == 0 && i == 4 {
						err = s.Delete(ctx, id)
					} else {
						_, err = s.Create(ctx, individual(w))
					}
				}
				if code := portfoliod.ErrorCode(err); err != nil && code != portfoliod.ENOTFOUND && !errors.Is(err, portfoliod.ErrWalletTaken) {
					t.Errorf("operation %d of goroutine %d: %v", i, g, err)
				}
			}
		})
	}
	wg.Wait()
	checkConsistent(t, s)
}

// testConcurrentSameWallet onboards one wallet from many goroutines at
// once, round after round: exactly one Create wins each round, every other
// gets a *WalletTakenError naming the wallet, and the loser's other wallet
// stays free. On a store with a connection pool the goroutines race on
// separate connections.
func testConcurrentSameWallet(t *testing.T, open Factory) {
	ctx := context.Background()
	s := mustOpen(t, open)
	const rounds, racers = 20, 8
	for r := range rounds {
		contested := wallet(1_000_000 + r)
		var (
			wg    sync.WaitGroup
			start = make(chan struct{})
			errs  = make([]error, racers)
			ids   = make([]string, racers)
		)
		for g := range racers {
			wg.Go(func() {
				<-start
				c, err := s.Create(ctx, individual(wallet(2_000_000+r*racers+g), contested))
				ids[g], errs[g] = c.ID, err
			})
		}
		close(start)
		wg.Wait()
		winner := -1
		for g, err := range errs {
			var taken *portfoliod.WalletTakenError
			switch {
			case err == nil && winner >= 0:
				t.Errorf("round %d: racers %d and %d both onboarded wallet %s", r, winner, g, walletString(contested))
			case err == nil:
				winner = g
			case !errors.As(err, &taken) || taken.Wallet != contested || errMismatch(err, portfoliod.ErrWalletTaken) != "":
				t.Errorf("round %d racer %d: err = %v, want *WalletTakenError for %s", r, g, err, walletString(contested))
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: no racer onboarded wallet %s", r, walletString(contested))
		}
		if owner, err := s.FindByWallet(ctx, contested); err != nil || owner.ID != ids[winner] {
			t.Errorf("round %d: FindByWallet = %q, %v, want the winner %q", r, owner.ID, err, ids[winner])
		}
		for g := range racers {
			if g == winner {
				continue
			}
			if _, err := s.FindByWallet(ctx, wallet(2_000_000+r*racers+g)); !errors.Is(err, portfoliod.ErrCustomerNotFound) {
				t.Errorf("round %d: the loser %d's other wallet: err = %v, want ErrCustomerNotFound", r, g, err)
			}
		}
	}
	if n, w, err := s.Count(ctx); n != rounds || w != 2*rounds || err != nil {
		t.Errorf("Count() = %d, %d, %v, want %d, %d", n, w, err, rounds, 2*rounds)
	}
	checkConsistent(t, s)
}

// testConcurrentIdempotentSave saves one key from many goroutines at once,
// half with one request hash and half with another: the first save wins,
// so every save with the winner's hash succeeds, every other conflicts,
// and the stored response is one of the winner's.
func testConcurrentIdempotentSave(t *testing.T, open Factory) {
	ctx := context.Background()
	s := mustOpen(t, open)
	const racers = 16
	hashes := [2][32]byte{sha256.Sum256([]byte("a")), sha256.Sum256([]byte("b"))}
	for r := range 10 {
		key := fmt.Sprint("key-", r)
		var (
			wg    sync.WaitGroup
			start = make(chan struct{})
			errs  = make([]error, racers)
		)
		for g := range racers {
			wg.Go(func() {
				<-start
				errs[g] = s.SaveIdempotent(ctx, "scope", key, portfoliod.IdempotentResponse{RequestHash: hashes[g%2], Status: 200, Body: []byte{byte(g % 2)}})
			})
		}
		close(start)
		wg.Wait()
		got, ok, err := s.LookupIdempotent(ctx, "scope", key)
		if !ok || err != nil {
			t.Fatalf("round %d: LookupIdempotent = %v, %v", r, ok, err)
		}
		win := 0
		if got.RequestHash == hashes[1] {
			win = 1
		}
		if len(got.Body) != 1 || int(got.Body[0]) != win {
			t.Errorf("round %d: stored body %v is not the winning request's", r, got.Body)
		}
		for g, err := range errs {
			want := error(nil)
			if g%2 != win {
				want = portfoliod.ErrIdempotencyConflict
			}
			if msg := errMismatch(err, want); msg != "" {
				t.Errorf("round %d racer %d: %s", r, g, msg)
			}
		}
	}
}

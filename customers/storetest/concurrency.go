package storetest

import (
	"context"
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

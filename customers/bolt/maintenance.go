package bolt

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	bbolt "go.etcd.io/bbolt"

	"github.com/portfoliod/portfoliod"
)

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
// cancelled; then nothing from the batch is stored. Memory grows with the
// batch's wallets (about a dirty page each on a large store, held until
// the commit), so bound them: the import command commits every 6,000.
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
		if items[i], generated[i], errs[i] = portfoliod.PrepareNew(c, s.now()); errs[i] != nil {
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

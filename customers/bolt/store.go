package bolt

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	bbolt "go.etcd.io/bbolt"

	"github.com/portfoliod/portfoliod"
)

// Create stores a new customer and indexes its wallets, in one transaction.
// It assigns a random ID unless c.ID is set (the set ID must pass ValidID,
// else ErrInvalidID, and must be new, else ErrExists); it sets CreatedAt to
// now unless given, in UTC truncated to seconds, and VerificationStatus to
// InProgress if empty. A wallet listed twice gives ErrDuplicateWallet, more
// than MaxWallets gives ErrTooManyWallets, a wallet already owned gives a
// *WalletTakenError; then nothing is stored. It returns the customer as
// stored, equal to what Get returns.
//
// Concurrent Creates share commits (bbolt's Batch), so their fsyncs are
// amortised; each still sees the others' wallets.
func (s *Store) Create(ctx context.Context, c portfoliod.Customer) (portfoliod.Customer, error) {
	if err := ctx.Err(); err != nil {
		return portfoliod.Customer{}, err
	}
	c, generated, err := portfoliod.PrepareNew(c, s.now())
	if err != nil {
		return portfoliod.Customer{}, err
	}
	val, err := encodeRecord(&c)
	if err != nil {
		return portfoliod.Customer{}, err
	}

	// Batch may run fn several times, and an error returned from fn makes
	// bbolt roll back and retry everyone else's work in the batch. So a
	// rejected Create writes nothing and reports through rejected instead,
	// and every run starts from scratch.
	var (
		id       string
		rejected error
	)
	err = s.db.Batch(func(tx *bbolt.Tx) error {
		cb := tx.Bucket(customersBucket)
		taken := func(id string) bool { return cb.Get([]byte(id)) != nil }
		if id, rejected = freeID(c.ID, generated, taken); rejected != nil {
			return nil
		}
		claims := newWalletClaims(tx, len(c.Wallets))
		if _, rejected = claims.claim(id, c.Wallets); rejected != nil {
			return nil
		}
		if err := cb.Put([]byte(id), val); err != nil {
			return err
		}
		return claims.write()
	})
	if err != nil {
		return portfoliod.Customer{}, fmt.Errorf("create customer: %w", err)
	}
	if rejected != nil {
		return portfoliod.Customer{}, rejected
	}
	c.ID = id
	return c, nil
}

// freeID returns id if taken says no customer has it. A taken id is
// ErrExists, unless it was generated: then freeID draws new ones until
// one is free.
func freeID(id string, generated bool, taken func(id string) bool) (string, error) {
	for taken(id) {
		if !generated {
			return "", fmt.Errorf("%w: %s", portfoliod.ErrCustomerExists, id)
		}
		id = portfoliod.NewCustomerID()
	}
	return id, nil
}

// Get returns the customer with the given id, or ErrNotFound.
func (s *Store) Get(ctx context.Context, id string) (portfoliod.Customer, error) {
	if err := ctx.Err(); err != nil {
		return portfoliod.Customer{}, err
	}
	var c portfoliod.Customer
	err := s.db.View(func(tx *bbolt.Tx) error { return loadCustomer(tx, id, &c) })
	return c, err
}

// Update reads the customer, applies mutate to it and writes the result,
// in one transaction that holds the store's single writer slot: mutate must
// be quick and do no I/O. Changes mutate makes to ID, CreatedAt or Wallets
// are discarded (wallets change through LinkWallet and UnlinkWallet); an
// empty VerificationStatus becomes InProgress. If mutate returns an error,
// nothing is written and Update returns that error unchanged. A missing
// customer gives ErrNotFound without calling mutate.
func (s *Store) Update(ctx context.Context, id string, mutate func(*portfoliod.Customer) error) (portfoliod.Customer, error) {
	if err := ctx.Err(); err != nil {
		return portfoliod.Customer{}, err
	}
	var c portfoliod.Customer
	err := s.db.Update(func(tx *bbolt.Tx) error {
		if err := loadCustomer(tx, id, &c); err != nil {
			return err
		}
		createdAt, wallets := c.CreatedAt, slices.Clone(c.Wallets)
		if err := mutate(&c); err != nil {
			return err
		}
		c.ID, c.CreatedAt, c.Wallets = id, createdAt, wallets
		c = c.Normalize(s.now())
		return saveCustomer(tx, &c)
	})
	if err != nil {
		return portfoliod.Customer{}, err
	}
	return c, nil
}

// Delete removes the customer and frees its wallets, in one transaction.
// A missing customer gives ErrNotFound.
func (s *Store) Delete(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.Update(func(tx *bbolt.Tx) error {
		var c portfoliod.Customer
		if err := loadCustomer(tx, id, &c); err != nil {
			return err
		}
		wb := tx.Bucket(walletsBucket)
		for _, w := range c.Wallets {
			if err := wb.Delete(w[:]); err != nil {
				return err
			}
			if err := forgetFigures(tx, w); err != nil {
				return err
			}
		}
		return tx.Bucket(customersBucket).Delete([]byte(id))
	})
}

// LinkWallet gives wallet w to the customer and returns the updated
// customer. Linking a wallet the customer already owns changes nothing and
// succeeds. Errors: ErrNotFound (no such customer), *WalletTakenError
// (another customer owns w), ErrTooManyWallets (already MaxWallets).
func (s *Store) LinkWallet(ctx context.Context, id string, w common.Address) (portfoliod.Customer, error) {
	if err := ctx.Err(); err != nil {
		return portfoliod.Customer{}, err
	}
	var c portfoliod.Customer
	err := s.db.Update(func(tx *bbolt.Tx) error {
		if err := loadCustomer(tx, id, &c); err != nil {
			return err
		}
		claims := newWalletClaims(tx, 1)
		n, err := claims.claim(id, []common.Address{w})
		switch {
		case err != nil:
			return err
		case n == 0: // already the customer's
			return errNoChange
		case len(c.Wallets) >= portfoliod.MaxWallets:
			return fmt.Errorf("%w: customer has %d wallets, at most %d", portfoliod.ErrTooManyWallets, len(c.Wallets), portfoliod.MaxWallets)
		}
		c.Wallets = append(c.Wallets, w)
		if err := saveCustomer(tx, &c); err != nil {
			return err
		}
		return claims.write()
	})
	if err != nil && !errors.Is(err, errNoChange) {
		return portfoliod.Customer{}, err
	}
	return c, nil
}

// UnlinkWallet takes wallet w from the customer and returns the updated
// customer. Errors: ErrNotFound (no such customer), ErrWalletNotLinked
// (which also matches ErrNotFound) when the customer does not own w.
func (s *Store) UnlinkWallet(ctx context.Context, id string, w common.Address) (portfoliod.Customer, error) {
	if err := ctx.Err(); err != nil {
		return portfoliod.Customer{}, err
	}
	var c portfoliod.Customer
	err := s.db.Update(func(tx *bbolt.Tx) error {
		if err := loadCustomer(tx, id, &c); err != nil {
			return err
		}
		i := slices.Index(c.Wallets, w)
		if i < 0 {
			return portfoliod.ErrWalletNotLinked
		}
		c.Wallets = slices.Delete(c.Wallets, i, i+1)
		if err := saveCustomer(tx, &c); err != nil {
			return err
		}
		if err := forgetFigures(tx, w); err != nil {
			return err
		}
		return tx.Bucket(walletsBucket).Delete(w[:])
	})
	if err != nil {
		return portfoliod.Customer{}, err
	}
	return c, nil
}

// List returns customers in id order, one page at a time, and whether more
// follow the page.
func (s *Store) List(ctx context.Context, opts portfoliod.ListOptions) (page []portfoliod.Customer, hasMore bool, err error) {
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	limit := opts.Size()
	page = make([]portfoliod.Customer, 0, limit)
	prefix := strings.ToLower(opts.NamePrefix)
	err = s.db.View(func(tx *bbolt.Tx) error {
		cur := tx.Bucket(customersBucket).Cursor()
		var k, v []byte
		if opts.StartingAfter == "" {
			k, v = cur.First()
		} else {
			k, v = cur.Seek([]byte(opts.StartingAfter))
			if k != nil && string(k) == opts.StartingAfter {
				k, v = cur.Next()
			}
		}
		for ; k != nil; k, v = cur.Next() {
			var c portfoliod.Customer
			if err := decodeRecord(string(k), v, &c); err != nil {
				return err
			}
			if prefix != "" && !strings.HasPrefix(strings.ToLower(c.Name), prefix) {
				continue
			}
			if len(page) == limit {
				hasMore = true
				return nil
			}
			page = append(page, c)
		}
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return page, hasMore, nil
}

// ForEach calls fn for every customer in id order, from one consistent
// snapshot, until fn returns an error, which ForEach returns. It holds a
// read transaction throughout (it does not block other readers or
// writers, but keeps the pages it sees from being reused), so fn should be
// quick; exporting to a file is fine.
func (s *Store) ForEach(ctx context.Context, fn func(portfoliod.Customer) error) error {
	return s.db.View(func(tx *bbolt.Tx) error { return eachCustomer(ctx, tx, fn) })
}

// eachCustomer calls fn with every customer of tx in id order, until fn
// returns an error or ctx ends.
func eachCustomer(ctx context.Context, tx *bbolt.Tx, fn func(portfoliod.Customer) error) error {
	cur := tx.Bucket(customersBucket).Cursor()
	for k, v := cur.First(); k != nil; k, v = cur.Next() {
		if err := ctx.Err(); err != nil {
			return err
		}
		var c portfoliod.Customer
		if err := decodeRecord(string(k), v, &c); err != nil {
			return err
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	return nil
}

// FindByWallet returns the customer that owns wallet w, or ErrNotFound.
func (s *Store) FindByWallet(ctx context.Context, w common.Address) (portfoliod.Customer, error) {
	if err := ctx.Err(); err != nil {
		return portfoliod.Customer{}, err
	}
	var c portfoliod.Customer
	err := s.db.View(func(tx *bbolt.Tx) error {
		id := tx.Bucket(walletsBucket).Get(w[:])
		if id == nil {
			return portfoliod.ErrCustomerNotFound
		}
		err := loadCustomer(tx, string(id), &c)
		if errors.Is(err, portfoliod.ErrCustomerNotFound) {
			// The index names a customer that is gone: a broken store,
			// not a wallet without an owner.
			return fmt.Errorf("wallet index points to missing customer %s", id)
		}
		return err
	})
	return c, err
}

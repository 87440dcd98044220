package postgres

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/jackc/pgx/v5"

	"github.com/portfoliod/portfoliod"
)

// Import stores a batch of customers in one transaction, as Create would.
// It returns one error per item, nil for each stored item; a rejected item
// (ErrInvalidCustomerID, ErrCustomerExists for an id stored or earlier in
// the batch, ErrDuplicateWallet, ErrTooManyWallets, *WalletTakenError for
// a wallet stored or claimed by an earlier item) writes nothing. The
// second result is non-nil only if the batch as a whole failed (a
// cancelled ctx included); then none of it is stored.
//
// The batch is decided against what the database holds, then written with
// COPY; a concurrent writer taking an id or wallet in between makes the
// COPY fail on the key, and the batch is decided again.
func (s *Store) Import(ctx context.Context, batch []portfoliod.Customer) ([]error, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(batch) == 0 {
		return nil, nil
	}
	errs := make([]error, len(batch))
	items := make([]portfoliod.Customer, len(batch))
	args := make([][]any, len(batch))
	generated := make([]bool, len(batch))
	var ids []string
	var addrs [][]byte
	for i, c := range batch {
		if items[i], generated[i], errs[i] = portfoliod.PrepareNew(c, s.now()); errs[i] != nil {
			continue
		}
		a, err := profileArgs(&items[i])
		if err != nil {
			return nil, err
		}
		args[i] = a
		ids = append(ids, items[i].ID)
		for _, w := range items[i].Wallets {
			addrs = append(addrs, w[:])
		}
	}
	txErrs := make([]error, len(batch))
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		clear(txErrs)
		rows, err := tx.Query(ctx, `SELECT id FROM customers WHERE id = ANY($1)`, ids)
		if err != nil {
			return err
		}
		storedIDs, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT address FROM wallets WHERE address = ANY($1)`, addrs)
		if err != nil {
			return err
		}
		storedWallets, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
		if err != nil {
			return err
		}
		takenIDs := make(map[string]bool, len(items))
		for _, id := range storedIDs {
			takenIDs[id] = true
		}
		owned := make(map[common.Address]bool, len(addrs))
		for _, a := range storedWallets {
			owned[common.Address(a)] = true
		}
		var customerRows, walletRows [][]any
		for i := range items {
			if errs[i] != nil {
				continue
			}
			c := &items[i]
			id := c.ID
			for takenIDs[id] {
				if !generated[i] {
					txErrs[i] = fmt.Errorf("%w: %s", portfoliod.ErrCustomerExists, id)
					break
				}
				id = portfoliod.NewCustomerID()
			}
			if txErrs[i] != nil {
				continue
			}
			for _, w := range c.Wallets {
				if owned[w] {
					txErrs[i] = &portfoliod.WalletTakenError{Wallet: w}
					break
				}
			}
			if txErrs[i] != nil {
				continue
			}
			c.ID = id
			takenIDs[id] = true
			customerRows = append(customerRows, append([]any{id}, args[i]...))
			for pos, w := range c.Wallets {
				owned[w] = true
				walletRows = append(walletRows, []any{w[:], id, int64(pos)})
			}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"customers"},
			[]string{"id", "type", "country_code", "verification_status", "name", "username", "email", "phone", "metadata", "address", "created_at"},
			pgx.CopyFromRows(customerRows)); err != nil {
			return err
		}
		_, err = tx.CopyFrom(ctx, pgx.Identifier{"wallets"}, []string{"address", "customer_id", "position"}, pgx.CopyFromRows(walletRows))
		return err
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("import customers: %w", err)
	}
	for i, e := range txErrs {
		if e != nil {
			errs[i] = e
		}
	}
	return errs, nil
}

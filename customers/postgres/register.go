package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/jackc/pgx/v5"

	"github.com/portfoliod/portfoliod"
)

// The frozen-funds register (portfoliod.RegisterStore) over known_figures:
// the rows with frozen > 0, in the order of migration 0004's index
// known_figures_frozen, and their since columns.

var _ portfoliod.RegisterStore = (*Store)(nil)

// registerColumns are the columns scanRegisterRow reads, of known_figures
// k and wallets w.
const registerColumns = `k.wallet, coalesce(w.customer_id, ''), k.total::text, k.frozen::text, k.available::text,
	k.block_number, k.block_hash, k.block_time, k.since_block_number, k.since_block_hash, k.since_block_time, k.since_tx, k.address_frozen`

// registerFirstSQL is the first page of token $1's register, $2 rows.
const registerFirstSQL = `SELECT ` + registerColumns + `
	FROM (SELECT * FROM known_figures WHERE token = $1 AND frozen > 0 ORDER BY frozen DESC, wallet LIMIT $2) k
	LEFT JOIN wallets w ON w.address = k.wallet
	ORDER BY k.frozen DESC, k.wallet`

// registerAfterSQL is the page of token $1's register after the place of
// ($3 frozen, $4 wallet), $2 rows: the rest of its amount by wallet, then
// the lower amounts, each branch a seek in known_figures_frozen (however
// many wallets share an amount).
const registerAfterSQL = `SELECT ` + registerColumns + `
	FROM ((SELECT * FROM known_figures WHERE token = $1 AND frozen = $3::numeric AND wallet > $4 ORDER BY wallet LIMIT $2)
		UNION ALL
		(SELECT * FROM known_figures WHERE token = $1 AND frozen > 0 AND frozen < $3::numeric ORDER BY frozen DESC, wallet LIMIT $2)) k
	LEFT JOIN wallets w ON w.address = k.wallet
	ORDER BY k.frozen DESC, k.wallet
	LIMIT $2`

// registerTotalsSQL are the totals of token $1's register.
const registerTotalsSQL = `SELECT count(*), count(DISTINCT w.customer_id), coalesce(sum(k.frozen), 0)::text
	FROM known_figures k LEFT JOIN wallets w ON w.address = k.wallet
	WHERE k.token = $1 AND k.frozen > 0`

// Frozen returns a page of q.Token's frozen-funds register, by frozen
// amount descending then wallet (as bytes), and the register's totals,
// all from one snapshot. q.After must be in the register: its place is
// its frozen amount now.
func (s *Store) Frozen(ctx context.Context, q portfoliod.FrozenQuery) (portfoliod.FrozenPage, error) {
	if err := ctx.Err(); err != nil {
		return portfoliod.FrozenPage{}, err
	}
	limit := q.Limit
	switch {
	case limit <= 0:
		limit = portfoliod.DefaultListLimit
	case limit > portfoliod.MaxListLimit:
		limit = portfoliod.MaxListLimit
	}
	var page portfoliod.FrozenPage
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		page = portfoliod.FrozenPage{FrozenTotal: new(big.Int)}
		var total string
		if err := tx.QueryRow(ctx, registerTotalsSQL, q.Token.Bytes()).Scan(&page.Wallets, &page.Customers, &total); err != nil {
			return err
		}
		if _, ok := page.FrozenTotal.SetString(total, 10); !ok {
			return fmt.Errorf("register of %s: corrupt frozen total %q", q.Token.Hex(), total)
		}
		var rows pgx.Rows
		var err error
		if q.After == (common.Address{}) {
			rows, err = tx.Query(ctx, registerFirstSQL, q.Token.Bytes(), limit+1)
		} else {
			var frozen string
			err = tx.QueryRow(ctx, `SELECT frozen::text FROM known_figures WHERE token = $1 AND wallet = $2 AND frozen > 0`,
				q.Token.Bytes(), q.After.Bytes()).Scan(&frozen)
			if errors.Is(err, pgx.ErrNoRows) {
				return portfoliod.Invalidf("startingAfter", "wallet 0x%x is not in the register", q.After[:])
			}
			if err != nil {
				return err
			}
			rows, err = tx.Query(ctx, registerAfterSQL, q.Token.Bytes(), limit+1, frozen, q.After.Bytes())
		}
		if err != nil {
			return err
		}
		entries, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (portfoliod.FrozenEntry, error) {
			return scanRegisterRow(r, q.Token)
		})
		if err != nil {
			return err
		}
		if len(entries) > limit {
			entries, page.HasMore = entries[:limit], true
		}
		page.Entries = entries
		return nil
	})
	if err != nil {
		return portfoliod.FrozenPage{}, err
	}
	return page, nil
}

// scanRegisterRow reads a row of registerColumns.
func scanRegisterRow(r pgx.CollectableRow, token common.Address) (portfoliod.FrozenEntry, error) {
	var (
		w, hash, sinceHash, sinceTx []byte
		total, frozen, available    string
		number                      int64
		at                          time.Time
		sinceNumber                 *int64
		sinceAt                     *time.Time
		flagged                     bool
	)
	e := portfoliod.FrozenEntry{Token: token}
	if err := r.Scan(&w, &e.CustomerID, &total, &frozen, &available, &number, &hash, &at, &sinceNumber, &sinceHash, &sinceAt, &sinceTx, &flagged); err != nil {
		return e, err
	}
	e.Wallet = common.BytesToAddress(w)
	f, err := parseFigures(total, frozen, available)
	if err != nil {
		return e, fmt.Errorf("figures of %s: %w", e.Wallet.Hex(), err)
	}
	f.AddressFrozen = flagged
	e.Known = portfoliod.KnownFigures{Figures: f, Block: portfoliod.Block{Number: uint64(number), Hash: common.BytesToHash(hash), Time: at.UTC()}}
	// A NULL since (figures frozen by a replica older than migration
	// 0004) is a zero FrozenSince.
	if sinceNumber != nil && sinceAt != nil {
		e.Since.Block = portfoliod.Block{Number: uint64(*sinceNumber), Hash: common.BytesToHash(sinceHash), Time: sinceAt.UTC()}
		e.Since.Transaction = common.BytesToHash(sinceTx)
	}
	return e, nil
}

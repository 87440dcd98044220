package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/jackc/pgx/v5"

	"github.com/portfoliod/portfoliod"
)

// customerColumns selects a customer row c with its wallets in link
// order; scanCustomer reads them.
const customerColumns = `c.id, c.type, c.country_code, c.verification_status, c.name, c.username, c.email, c.phone,
	c.metadata, c.address, c.created_at,
	coalesce((SELECT array_agg(w.address ORDER BY w.position) FROM wallets w WHERE w.customer_id = c.id), '{}')`

// address is the stored form of a postal address.
type address struct {
	Line1       string `json:"line1,omitempty"`
	Line2       string `json:"line2,omitempty"`
	City        string `json:"city,omitempty"`
	State       string `json:"state,omitempty"`
	PostalCode  string `json:"postal_code,omitempty"`
	CountryCode string `json:"country_code,omitempty"`
}

// scanCustomer reads a row of customerColumns.
func scanCustomer(row pgx.Row) (portfoliod.Customer, error) {
	var (
		c              portfoliod.Customer
		metadata, addr []byte
		wallets        [][]byte
		typ, status    string
	)
	err := row.Scan(&c.ID, &typ, &c.CountryCode, &status, &c.Name, &c.Username, &c.Email, &c.Phone,
		&metadata, &addr, &c.CreatedAt, &wallets)
	if err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return portfoliod.Customer{}, portfoliod.ErrCustomerNotFound
		}
		return portfoliod.Customer{}, err
	}
	c.Type, c.VerificationStatus = portfoliod.Type(typ), portfoliod.VerificationStatus(status)
	c.CreatedAt = c.CreatedAt.UTC()
	if metadata != nil {
		if err := json.Unmarshal(metadata, &c.Metadata); err != nil {
			return portfoliod.Customer{}, fmt.Errorf("decode customer %s metadata: %w", c.ID, err)
		}
		if len(c.Metadata) == 0 {
			c.Metadata = nil
		}
	}
	if addr != nil {
		var a address
		if err := json.Unmarshal(addr, &a); err != nil {
			return portfoliod.Customer{}, fmt.Errorf("decode customer %s address: %w", c.ID, err)
		}
		c.Address = &portfoliod.PostalAddress{Line1: a.Line1, Line2: a.Line2, City: a.City, State: a.State, PostalCode: a.PostalCode, CountryCode: a.CountryCode}
	}
	c.Wallets = make([]common.Address, len(wallets))
	for i, w := range wallets {
		if len(w) != common.AddressLength {
			return portfoliod.Customer{}, fmt.Errorf("customer %s has a wallet of %d bytes", c.ID, len(w))
		}
		c.Wallets[i] = common.Address(w)
	}
	return c, nil
}

// profileArgs are the values of a customer's profile columns, type to
// created_at, in customerColumns order.
func profileArgs(c *portfoliod.Customer) ([]any, error) {
	var metadata, addr []byte
	var err error
	if len(c.Metadata) > 0 {
		if metadata, err = json.Marshal(c.Metadata); err != nil {
			return nil, err
		}
	}
	if a := c.Address; a != nil {
		if addr, err = json.Marshal(address{a.Line1, a.Line2, a.City, a.State, a.PostalCode, a.CountryCode}); err != nil {
			return nil, err
		}
	}
	// []byte(nil) is NULL; jsonb takes the bytes as JSON text.
	return []any{string(c.Type), c.CountryCode, string(c.VerificationStatus), c.Name, c.Username, c.Email, c.Phone,
		jsonb(metadata), jsonb(addr), c.CreatedAt}, nil
}

// jsonb passes JSON text to a jsonb column, nil as NULL.
func jsonb(b []byte) any {
	if b == nil {
		return nil
	}
	return string(b)
}

// Create stores a new customer and its wallets in one transaction, with
// the bbolt store's rules (see portfoliod.CustomerStore): a random id
// unless c.ID is set (ErrInvalidCustomerID, ErrCustomerExists), CreatedAt
// now unless given (UTC, whole seconds), VerificationStatus InProgress if
// empty; ErrDuplicateWallet, ErrTooManyWallets, or a *WalletTakenError for
// a wallet another customer owns, in which case nothing is stored. Two
// Creates claiming one wallet at once, on any replicas, cannot both
// succeed: the wallets table's primary key decides.
func (s *Store) Create(ctx context.Context, c portfoliod.Customer) (portfoliod.Customer, error) {
	if err := ctx.Err(); err != nil {
		return portfoliod.Customer{}, err
	}
	c, generated, err := portfoliod.PrepareNew(c, s.now())
	if err != nil {
		return portfoliod.Customer{}, err
	}
	args, err := profileArgs(&c)
	if err != nil {
		return portfoliod.Customer{}, err
	}
	want := c.ID
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		c.ID = want
		for {
			tag, err := tx.Exec(ctx, `INSERT INTO customers (id, type, country_code, verification_status, name, username, email, phone, metadata, address, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO NOTHING`, append([]any{c.ID}, args...)...)
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 1 {
				break
			}
			if !generated {
				return fmt.Errorf("%w: %s", portfoliod.ErrCustomerExists, c.ID)
			}
			c.ID = portfoliod.NewCustomerID()
		}
		return claimWallets(ctx, tx, c.ID, c.Wallets, 0)
	})
	if err != nil {
		return portfoliod.Customer{}, err
	}
	return c, nil
}

// claimWallets indexes ws to customer id at positions first, first+1...,
// or returns a *WalletTakenError naming the first of ws (in their order)
// that another customer owns; the caller then rolls back. Rows are
// inserted in address order, so that concurrent claims wait for each
// other's index entries in one order and cannot deadlock.
func claimWallets(ctx context.Context, tx pgx.Tx, id string, ws []common.Address, first int64) error {
	if len(ws) == 0 {
		return nil
	}
	addrs := make([][]byte, len(ws))
	positions := make([]int64, len(ws))
	for i := range ws {
		addrs[i], positions[i] = ws[i][:], first+int64(i)
	}
	rows, err := tx.Query(ctx, `INSERT INTO wallets (address, customer_id, position)
		SELECT a, $2, p FROM unnest($1::bytea[], $3::bigint[]) AS u(a, p) ORDER BY a
		ON CONFLICT (address) DO NOTHING RETURNING address`, addrs, id, positions)
	if err != nil {
		return err
	}
	inserted, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	if err != nil {
		return err
	}
	if len(inserted) == len(ws) {
		return nil
	}
	got := make(map[common.Address]bool, len(inserted))
	for _, a := range inserted {
		got[common.Address(a)] = true
	}
	for _, w := range ws {
		if !got[w] {
			return &portfoliod.WalletTakenError{Wallet: w}
		}
	}
	return errors.New("wallet claim: inserted rows do not match the request")
}

// Get returns the customer with id, or ErrCustomerNotFound.
func (s *Store) Get(ctx context.Context, id string) (portfoliod.Customer, error) {
	if err := ctx.Err(); err != nil {
		return portfoliod.Customer{}, err
	}
	return scanCustomer(s.pool.QueryRow(ctx, `SELECT `+customerColumns+` FROM customers c WHERE c.id = $1`, id))
}

// lockCustomer reads customer id in tx and locks its row until tx ends, so
// writes to one customer (and its wallet positions) take turns.
func lockCustomer(ctx context.Context, tx pgx.Tx, id string) (portfoliod.Customer, error) {
	return scanCustomer(tx.QueryRow(ctx, `SELECT `+customerColumns+` FROM customers c WHERE c.id = $1 FOR UPDATE OF c`, id))
}

// Update applies mutate to the customer and stores the result, in one
// transaction holding the customer's row lock (mutate must be quick).
// Changes to ID, CreatedAt or Wallets are discarded; an empty
// VerificationStatus becomes InProgress. A mutate error is returned
// unchanged and writes nothing; a missing customer is ErrCustomerNotFound
// without calling mutate.
func (s *Store) Update(ctx context.Context, id string, mutate func(*portfoliod.Customer) error) (portfoliod.Customer, error) {
	if err := ctx.Err(); err != nil {
		return portfoliod.Customer{}, err
	}
	var c portfoliod.Customer
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		if c, err = lockCustomer(ctx, tx, id); err != nil {
			return err
		}
		createdAt, ws := c.CreatedAt, slices.Clone(c.Wallets)
		if err := mutate(&c); err != nil {
			return err
		}
		c.ID, c.CreatedAt, c.Wallets = id, createdAt, ws
		c = c.Normalize(s.now())
		args, err := profileArgs(&c)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE customers SET type = $2, country_code = $3, verification_status = $4, name = $5,
			username = $6, email = $7, phone = $8, metadata = $9, address = $10 WHERE id = $1`, append([]any{id}, args[:9]...)...)
		return err
	})
	if err != nil {
		return portfoliod.Customer{}, err
	}
	return c, nil
}

// Delete removes the customer and frees its wallets. A missing customer
// gives ErrCustomerNotFound.
func (s *Store) Delete(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		// The freed wallets forget their known figures: they may change
		// unseen before they are linked again (see UnlinkWallet).
		if _, err := tx.Exec(ctx, `DELETE FROM known_figures WHERE wallet IN (SELECT address FROM wallets WHERE customer_id = $1)`, id); err != nil {
			return err
		}
		// The wallets go with the customer (ON DELETE CASCADE).
		tag, err := tx.Exec(ctx, `DELETE FROM customers WHERE id = $1`, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return portfoliod.ErrCustomerNotFound
		}
		return nil
	})
}

// LinkWallet gives wallet w to the customer and returns the updated
// customer; linking a wallet the customer owns changes nothing. Errors:
// ErrCustomerNotFound, *WalletTakenError, ErrTooManyWallets.
func (s *Store) LinkWallet(ctx context.Context, id string, w common.Address) (portfoliod.Customer, error) {
	if err := ctx.Err(); err != nil {
		return portfoliod.Customer{}, err
	}
	var c portfoliod.Customer
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		if c, err = lockCustomer(ctx, tx, id); err != nil {
			return err
		}
		if slices.Contains(c.Wallets, w) {
			return nil
		}
		if len(c.Wallets) >= portfoliod.MaxWallets {
			return fmt.Errorf("%w: customer has %d wallets, at most %d", portfoliod.ErrTooManyWallets, len(c.Wallets), portfoliod.MaxWallets)
		}
		var next int64
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(position) + 1, 0) FROM wallets WHERE customer_id = $1`, id).Scan(&next); err != nil {
			return err
		}
		if err := claimWallets(ctx, tx, id, []common.Address{w}, next); err != nil {
			return err
		}
		c.Wallets = append(c.Wallets, w)
		return nil
	})
	if err != nil {
		return portfoliod.Customer{}, err
	}
	return c, nil
}

// UnlinkWallet takes wallet w from the customer and returns the updated
// customer. Errors: ErrCustomerNotFound, ErrWalletNotLinked.
func (s *Store) UnlinkWallet(ctx context.Context, id string, w common.Address) (portfoliod.Customer, error) {
	if err := ctx.Err(); err != nil {
		return portfoliod.Customer{}, err
	}
	var c portfoliod.Customer
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		if c, err = lockCustomer(ctx, tx, id); err != nil {
			return err
		}
		i := slices.Index(c.Wallets, w)
		if i < 0 {
			return portfoliod.ErrWalletNotLinked
		}
		if _, err := tx.Exec(ctx, `DELETE FROM wallets WHERE address = $1 AND customer_id = $2`, w[:], id); err != nil {
			return err
		}
		// A wallet that belongs to nobody changes unseen by the
		// follower: figures kept from before would be wrong as the
		// previous figures of its next owner's first event, and as a
		// figure served across blocks.
		if _, err := tx.Exec(ctx, `DELETE FROM known_figures WHERE wallet = $1`, w[:]); err != nil {
			return err
		}
		c.Wallets = slices.Delete(c.Wallets, i, i+1)
		return nil
	})
	if err != nil {
		return portfoliod.Customer{}, err
	}
	return c, nil
}

// List returns a page of customers in id order and whether more follow.
func (s *Store) List(ctx context.Context, opts portfoliod.ListOptions) ([]portfoliod.Customer, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	limit := opts.Size()
	// COLLATE "C": ids compare bytewise, as bbolt's keys do, whatever the
	// database's collation.
	rows, err := s.pool.Query(ctx, `SELECT `+customerColumns+` FROM customers c
		WHERE c.id COLLATE "C" > $1 AND ($3 = '' OR starts_with(lower(c.name), lower($3)))
		ORDER BY c.id COLLATE "C" LIMIT $2`, opts.StartingAfter, limit+1, opts.NamePrefix)
	if err != nil {
		return nil, false, err
	}
	page, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (portfoliod.Customer, error) { return scanCustomer(r) })
	if err != nil {
		return nil, false, err
	}
	if len(page) > limit {
		return page[:limit], true, nil
	}
	return page, false, nil
}

// ForEach calls fn for every customer in id order, from one snapshot (a
// repeatable-read transaction), until fn returns an error, which ForEach
// returns unchanged. It holds a connection throughout.
func (s *Store) ForEach(ctx context.Context, fn func(portfoliod.Customer) error) error {
	return forEachRow(ctx, s, `SELECT `+customerColumns+` FROM customers c ORDER BY c.id COLLATE "C"`,
		func(r pgx.CollectableRow) (portfoliod.Customer, error) { return scanCustomer(r) }, fn)
}

// forEachRow calls fn with each row of query, scanned by scan, from one
// snapshot (a read-only repeatable-read transaction holding a connection
// throughout), until fn returns an error, which it returns unchanged.
func forEachRow[T any](ctx context.Context, s *Store, query string, scan func(pgx.CollectableRow) (T, error), fn func(T) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	rows, err := tx.Query(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return err
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	return rows.Err()
}

// FindByWallet returns the customer that owns w, or ErrCustomerNotFound.
func (s *Store) FindByWallet(ctx context.Context, w common.Address) (portfoliod.Customer, error) {
	if err := ctx.Err(); err != nil {
		return portfoliod.Customer{}, err
	}
	return scanCustomer(s.pool.QueryRow(ctx, `SELECT `+customerColumns+` FROM wallets x JOIN customers c ON c.id = x.customer_id WHERE x.address = $1`, w[:]))
}

// Count returns how many customers and linked wallets the store holds.
func (s *Store) Count(ctx context.Context) (customers, wallets int, err error) {
	if err := ctx.Err(); err != nil {
		return 0, 0, err
	}
	err = s.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM wallets)`).Scan(&customers, &wallets)
	return customers, wallets, err
}

// VerifyIndex checks, in one snapshot, what keeps the wallet index sound:
// the wallets table's primary key (the index) and its reference to
// customers exist and are valid, every indexed wallet belongs to an
// existing customer, no customer has two wallets at one position or more
// than MaxWallets. It returns nil, or an error naming the first problems
// (a database written only through Store never has any).
func (s *Store) VerifyIndex(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var problems []string
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		checks := []struct{ what, sql string }{
			{"the wallet index (the primary key of wallets) is missing or invalid",
				`SELECT 'missing' WHERE NOT EXISTS (SELECT 1 FROM pg_index i JOIN pg_constraint k ON k.conindid = i.indexrelid
					WHERE k.conrelid = 'wallets'::regclass AND k.contype = 'p' AND i.indisunique AND i.indisvalid)`},
			{"the wallets' reference to customers is missing or not validated",
				`SELECT 'missing' WHERE NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'wallets'::regclass
					AND contype = 'f' AND confrelid = 'customers'::regclass AND convalidated)`},
			{"wallet indexed to a missing customer",
				`SELECT '0x' || encode(w.address, 'hex') || ' -> ' || w.customer_id FROM wallets w
					LEFT JOIN customers c ON c.id = w.customer_id WHERE c.id IS NULL LIMIT 10`},
			{"two wallets at one position",
				`SELECT customer_id || ' position ' || position FROM wallets GROUP BY customer_id, position HAVING count(*) > 1 LIMIT 10`},
			{"more than the allowed wallets",
				fmt.Sprintf(`SELECT customer_id || ' has ' || count(*) FROM wallets GROUP BY customer_id HAVING count(*) > %d LIMIT 10`, portfoliod.MaxWallets)},
			{"malformed wallet address",
				`SELECT customer_id || ' has ' || length(address) || ' bytes' FROM wallets WHERE length(address) <> 20 LIMIT 10`},
		}
		for _, c := range checks {
			rows, err := tx.Query(ctx, c.sql)
			if err != nil {
				return fmt.Errorf("verify index (%s): %w", c.what, err)
			}
			found, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				return fmt.Errorf("verify index (%s): %w", c.what, err)
			}
			for _, f := range found {
				if f == "missing" {
					problems = append(problems, c.what)
				} else {
					problems = append(problems, c.what+": "+f)
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("wallet index disagrees with the customers: %s", strings.Join(problems, "; "))
	}
	return nil
}

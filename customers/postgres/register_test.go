package postgres

import (
	"bytes"
	"context"
	"math/big"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/internal/pgtest"
)

// frozenFigures are figures of total with frozen of it frozen.
func frozenFigures(total, frozen *big.Int) portfoliod.Figures {
	return portfoliod.Figures{Total: total, Frozen: frozen, Available: new(big.Int).Sub(total, frozen)}
}

func setFigures(tb testing.TB, s *Store, n uint64, figs map[common.Address]portfoliod.Figures) {
	tb.Helper()
	var fs []portfoliod.TokenWalletFigures
	for w, f := range figs {
		fs = append(fs, portfoliod.TokenWalletFigures{TokenWallet: portfoliod.TokenWallet{Token: testToken, Wallet: w},
			Known: portfoliod.KnownFigures{Figures: f, Block: testBlock(n)}})
	}
	if err := s.SetKnownFigures(context.Background(), fs); err != nil {
		tb.Fatal(err)
	}
}

// Pages of one wallet at a time walk the whole register in order, however
// many wallets share an amount, and the total of amounts above 2^64 is
// exact.
func TestRegisterPagesThroughTies(t *testing.T) {
	s := mustOpen(t, Options{})
	ctx := context.Background()
	big1 := new(big.Int).Lsh(big.NewInt(1), 200)
	amounts := []*big.Int{big1, big1, big1, big.NewInt(5), big.NewInt(5), new(big.Int).Add(big1, big.NewInt(1)), big.NewInt(1)}
	var ws []common.Address
	figs := map[common.Address]portfoliod.Figures{wallet(100): frozenFigures(big1, new(big.Int))} // not frozen
	sum := new(big.Int)
	for i, a := range amounts {
		w := wallet(i + 1)
		ws = append(ws, w)
		figs[w] = frozenFigures(new(big.Int).Lsh(big1, 1), a)
		sum.Add(sum, a)
	}
	if _, err := s.Create(ctx, individual(ws[:4]...)); err != nil {
		t.Fatal(err)
	}
	setFigures(t, s, 1, figs)
	want := slices.Clone(ws)
	slices.SortFunc(want, func(a, b common.Address) int {
		if c := figs[b].Frozen.Cmp(figs[a].Frozen); c != 0 {
			return c
		}
		return bytes.Compare(a[:], b[:])
	})
	var got []common.Address
	var after common.Address
	for range len(ws) + 1 {
		p, err := s.Frozen(ctx, portfoliod.FrozenQuery{Token: testToken, Limit: 1, After: after})
		if err != nil {
			t.Fatal(err)
		}
		if p.Wallets != len(ws) || p.Customers != 1 || p.FrozenTotal.Cmp(sum) != 0 {
			t.Fatalf("totals %d wallets, %d customers, %s; want %d, 1, %s", p.Wallets, p.Customers, p.FrozenTotal, len(ws), sum)
		}
		if len(p.Entries) == 0 {
			break
		}
		got = append(got, p.Entries[0].Wallet)
		after = p.Entries[0].Wallet
		if p.HasMore != (len(got) < len(ws)) {
			t.Fatalf("page %d: more %v", len(got), p.HasMore)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("paged register %v, want %v", got, want)
	}
	for _, w := range []common.Address{wallet(100), wallet(200)} {
		_, err := s.Frozen(ctx, portfoliod.FrozenQuery{Token: testToken, After: w})
		if portfoliod.ErrorCode(err) != portfoliod.EINVALID {
			t.Errorf("after %s, not in the register: %v, want %s", w.Hex(), err, portfoliod.EINVALID)
		}
	}
	if p, err := s.Frozen(ctx, portfoliod.FrozenQuery{Token: testToken, Limit: portfoliod.MaxListLimit + 1}); err != nil || len(p.Entries) != len(ws) || p.HasMore {
		t.Errorf("a limit above the maximum: %d entries, more %v, err %v", len(p.Entries), p.HasMore, err)
	}
}

// A freeze read when linked is since its block with no transaction; an
// unfreeze clears since, and the next freeze starts a new one.
func TestRegisterSinceAcrossFreezes(t *testing.T) {
	s := mustOpen(t, Options{})
	ctx := context.Background()
	w := wallet(1)
	entry := func() (portfoliod.FrozenEntry, bool) {
		t.Helper()
		p, err := s.Frozen(ctx, portfoliod.FrozenQuery{Token: testToken})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Entries) == 0 {
			return portfoliod.FrozenEntry{}, false
		}
		return p.Entries[0], true
	}
	sinceNull := func() bool {
		t.Helper()
		var null bool
		if err := s.pool.QueryRow(ctx, `SELECT since_block_number IS NULL AND since_block_hash IS NULL AND since_block_time IS NULL AND since_tx IS NULL
			FROM known_figures WHERE token = $1 AND wallet = $2`, testToken.Bytes(), w.Bytes()).Scan(&null); err != nil {
			t.Fatal(err)
		}
		return null
	}
	setFigures(t, s, 1, map[common.Address]portfoliod.Figures{w: frozenFigures(big.NewInt(10), big.NewInt(3))})
	if e, ok := entry(); !ok || e.Since != (portfoliod.FrozenSince{Block: testBlock(1)}) || e.CustomerID != "" {
		t.Errorf("after a first read: %+v, %v; want since block 1, no transaction, no customer", e, ok)
	}
	setFigures(t, s, 2, map[common.Address]portfoliod.Figures{w: frozenFigures(big.NewInt(10), big.NewInt(4))})
	if e, _ := entry(); e.Since.Block != testBlock(1) || e.Known.Block != testBlock(2) {
		t.Errorf("still frozen: since %v, figures of %v; want since block 1, figures of block 2", e.Since.Block, e.Known.Block)
	}
	tw := portfoliod.TokenWallet{Token: testToken, Wallet: w}
	commit := func(n uint64, frozen int64, tx common.Hash) {
		t.Helper()
		c := portfoliod.BlockCommit{Block: testBlock(n), Parent: testBlock(n - 1).Hash,
			Figures: []portfoliod.TokenWalletFigures{{TokenWallet: tw, Known: portfoliod.KnownFigures{Figures: frozenFigures(big.NewInt(10), big.NewInt(frozen)), Block: testBlock(n)}}},
			Events: []portfoliod.Event{{ID: portfoliod.EventID(testBlock(n).Hash, testToken, w), Type: portfoliod.EventBalanceUpdated, CreatedAt: testBlock(n).Time,
				Data: portfoliod.BalanceChange{Wallet: w, Token: testToken, Block: testBlock(n), Previous: testFigures(10), Balances: testFigures(10),
					Transactions: []common.Hash{tx, common.HexToHash("0xff")}}}}}
		if err := s.CommitBlock(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	commit(3, 0, common.HexToHash("0x03"))
	if e, ok := entry(); ok || !sinceNull() {
		t.Errorf("after an unfreeze: in the register %v (%+v), since cleared %v", ok, e, sinceNull())
	}
	commit(4, 2, common.HexToHash("0x04"))
	commit(5, 1, common.HexToHash("0x05"))
	if e, _ := entry(); e.Since != (portfoliod.FrozenSince{Block: testBlock(4), Transaction: common.HexToHash("0x04")}) {
		t.Errorf("frozen again: since %+v; want block 4 by its event's first transaction", e.Since)
	}
}

// Figures frozen before migration 0004 are frozen since the block they
// were read at.
func TestRegisterMigrationBackfillsSince(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	exec(t, dsn, `CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`)
	for _, m := range ms[:3] {
		exec(t, dsn, m.sql)
		exec(t, dsn, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.version, m.name)
	}
	b := testBlock(7)
	for i, frozen := range []string{"6", "0"} {
		exec(t, dsn, `INSERT INTO known_figures (token, wallet, total, frozen, available, block_number, block_hash, block_time)
			VALUES ($1, $2, 10, $3::numeric, 10 - $3::numeric, $4, $5, $6)`, testToken.Bytes(), wallet(i+1).Bytes(), frozen, int64(b.Number), b.Hash.Bytes(), b.Time)
	}
	s := mustOpenDSN(t, dsn, Options{})
	p, err := s.Frozen(ctx, portfoliod.FrozenQuery{Token: testToken})
	if err != nil || len(p.Entries) != 1 || p.Entries[0].Since != (portfoliod.FrozenSince{Block: b}) {
		t.Fatalf("register after migrating: %+v, %v; want wallet 1 frozen since block 7", p, err)
	}
}

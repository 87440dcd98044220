package storetest

import (
	"bytes"
	"context"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/portfoliod/portfoliod"
)

// RegisterStore is a store that keeps customers, the follower's state and
// the frozen-funds register over it.
type RegisterStore interface {
	CustomerFollowerStore
	portfoliod.RegisterStore
}

// RunRegister is the contract of the frozen-funds register: the customer
// wallets whose known frozen amount is above zero, by frozen amount
// descending then wallet, with totals and since when each is frozen.
func RunRegister(t *testing.T, open func(tb testing.TB) RegisterStore) {
	ctx := context.Background()
	s := open(t)
	token := common.HexToAddress("0xa1")
	mustCreate := func(c portfoliod.Customer) portfoliod.Customer {
		t.Helper()
		got, err := s.Create(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	a := mustCreate(individual(wallet(1), wallet(2), wallet(3)))
	b := mustCreate(individual(wallet(4)))
	block := func(n uint64) portfoliod.Block {
		return portfoliod.Block{Number: n, Hash: common.BigToHash(big.NewInt(int64(900 + n))), Time: time.Unix(int64(1700000000+n), 0).UTC()}
	}
	figs := func(total, frozen int64) portfoliod.Figures {
		return portfoliod.Figures{Total: big.NewInt(total), Frozen: big.NewInt(frozen), Available: big.NewInt(total - frozen)}
	}
	commit := func(n uint64, changes map[common.Address][2]int64, txs map[common.Address]common.Hash) {
		t.Helper()
		c := portfoliod.BlockCommit{Block: block(n), Parent: block(n - 1).Hash}
		for w, ch := range changes {
			f := figs(ch[0], ch[1])
			c.Figures = append(c.Figures, portfoliod.TokenWalletFigures{TokenWallet: portfoliod.TokenWallet{Token: token, Wallet: w},
				Known: portfoliod.KnownFigures{Figures: f, Block: block(n)}})
			if tx, ok := txs[w]; ok {
				c.Events = append(c.Events, portfoliod.Event{ID: portfoliod.EventID(block(n).Hash, token, w), Type: portfoliod.EventBalanceUpdated,
					CreatedAt: block(n).Time, Data: portfoliod.BalanceChange{CustomerID: "x", Wallet: w, Token: token, Block: block(n),
						Previous: figs(ch[0], 0), Balances: f, Changed: []string{"frozen", "available"}, Transactions: []common.Hash{tx}}})
			}
		}
		if err := s.CommitBlock(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	wallets := func(p portfoliod.FrozenPage) []common.Address {
		var out []common.Address
		for _, e := range p.Entries {
			out = append(out, e.Wallet)
		}
		return out
	}
	txA, txB := common.HexToHash("0xaa"), common.HexToHash("0xbb")
	commit(1, map[common.Address][2]int64{wallet(1): {100, 50}, wallet(2): {100, 70}, wallet(3): {100, 0}, wallet(4): {80, 50}},
		map[common.Address]common.Hash{wallet(1): txA, wallet(2): txB})

	p, err := s.Frozen(ctx, portfoliod.FrozenQuery{Token: token})
	if err != nil {
		t.Fatal(err)
	}
	// Equal amounts go by wallet, as bytes.
	second, third := wallet(1), wallet(4)
	if bytes.Compare(second[:], third[:]) > 0 {
		second, third = third, second
	}
	if got, want := wallets(p), []common.Address{wallet(2), second, third}; !slices.Equal(got, want) {
		t.Fatalf("register = %v, want %v (frozen descending, then wallet)", got, want)
	}
	if p.Wallets != 3 || p.Customers != 2 || p.FrozenTotal.Int64() != 170 || p.HasMore {
		t.Errorf("totals: %d wallets, %d customers, %s frozen, more %v; want 3, 2, 170, false", p.Wallets, p.Customers, p.FrozenTotal, p.HasMore)
	}
	top := p.Entries[0]
	if top.CustomerID != a.ID || top.Known.Frozen.Int64() != 70 || top.Since.Block != block(1) || top.Since.Transaction != txB {
		t.Errorf("top entry %+v; want customer %s, 70 frozen since block 1 by %s", top, a.ID, txB)
	}
	if owner := map[common.Address]string{wallet(1): a.ID, wallet(4): b.ID}; p.Entries[2].CustomerID != owner[third] {
		t.Errorf("third entry's customer %s, want %s", p.Entries[2].CustomerID, owner[third])
	}
	page, err := s.Frozen(ctx, portfoliod.FrozenQuery{Token: token, Limit: 1, After: wallet(2)})
	if err != nil || !slices.Equal(wallets(page), []common.Address{second}) || !page.HasMore || page.Wallets != 3 {
		t.Errorf("page after %s: %v, more %v, %d wallets, err %v", wallet(2), wallets(page), page.HasMore, page.Wallets, err)
	}
	if _, err := s.Frozen(ctx, portfoliod.FrozenQuery{Token: token, After: wallet(3)}); portfoliod.ErrorCode(err) != portfoliod.EINVALID {
		t.Errorf("a page after a wallet not in the register (frozen 0): err %v, want EINVALID", err)
	}
	if other, err := s.Frozen(ctx, portfoliod.FrozenQuery{Token: common.HexToAddress("0xb2")}); err != nil || len(other.Entries) != 0 || other.Wallets != 0 {
		t.Errorf("another token's register: %+v, %v", other, err)
	}

	// Still frozen keeps its since; unfrozen leaves the register.
	commit(2, map[common.Address][2]int64{wallet(2): {100, 10}, wallet(1): {100, 0}}, nil)
	p, err = s.Frozen(ctx, portfoliod.FrozenQuery{Token: token})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := wallets(p), []common.Address{wallet(4), wallet(2)}; !slices.Equal(got, want) || p.FrozenTotal.Int64() != 60 {
		t.Fatalf("after block 2: %v, %s frozen; want %v, 60", got, p.FrozenTotal, want)
	}
	if e := p.Entries[1]; e.Since.Block != block(1) || e.Known.Block != block(2) {
		t.Errorf("wallet 2 frozen since %v at %v; want since block 1, figures of block 2", e.Since.Block, e.Known.Block)
	}
	// A freed wallet leaves the register.
	if err := s.Delete(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	p, err = s.Frozen(ctx, portfoliod.FrozenQuery{Token: token})
	if err != nil || !slices.Equal(wallets(p), []common.Address{wallet(2)}) || p.Customers != 1 {
		t.Errorf("after deleting %s: %v, %d customers, err %v", b.ID, wallets(p), p.Customers, err)
	}
	// Figures set without an event (a wallet read when linked) never
	// replace newer ones.
	if err := s.SetKnownFigures(ctx, []portfoliod.TokenWalletFigures{{TokenWallet: portfoliod.TokenWallet{Token: token, Wallet: wallet(2)},
		Known: portfoliod.KnownFigures{Figures: figs(100, 99), Block: block(1)}}}); err != nil {
		t.Fatal(err)
	}
	if k, _ := s.KnownFigures(ctx, token, []common.Address{wallet(2)}); k[wallet(2)].Frozen.Int64() != 10 {
		t.Errorf("older figures replaced newer: frozen %s, want 10", k[wallet(2)].Frozen)
	}
	// An address freeze (a flag of the freeze model) is kept with the
	// figures and shown by the register; lifted, it reads false again.
	flagged := figs(100, 100)
	flagged.AddressFrozen = true
	if err := s.CommitBlock(ctx, portfoliod.BlockCommit{Block: block(3), Parent: block(2).Hash, Figures: []portfoliod.TokenWalletFigures{
		{TokenWallet: portfoliod.TokenWallet{Token: token, Wallet: wallet(2)}, Known: portfoliod.KnownFigures{Figures: flagged, Block: block(3)}}}}); err != nil {
		t.Fatal(err)
	}
	if k, _ := s.KnownFigures(ctx, token, []common.Address{wallet(2)}); !k[wallet(2)].AddressFrozen {
		t.Errorf("KnownFigures lost the address freeze: %+v", k[wallet(2)])
	}
	if p, err := s.Frozen(ctx, portfoliod.FrozenQuery{Token: token}); err != nil || len(p.Entries) != 1 || !p.Entries[0].Known.AddressFrozen {
		t.Errorf("the register does not show the address freeze: %+v, %v", p.Entries, err)
	}
	if err := s.CommitBlock(ctx, portfoliod.BlockCommit{Block: block(4), Parent: block(3).Hash, Figures: []portfoliod.TokenWalletFigures{
		{TokenWallet: portfoliod.TokenWallet{Token: token, Wallet: wallet(2)}, Known: portfoliod.KnownFigures{Figures: figs(100, 100), Block: block(4)}}}}); err != nil {
		t.Fatal(err)
	}
	if k, _ := s.KnownFigures(ctx, token, []common.Address{wallet(2)}); k[wallet(2)].AddressFrozen {
		t.Errorf("the lifted address freeze is still kept: %+v", k[wallet(2)])
	}
}

package storetest

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod"
)

// RecentBlocks is the number of processed blocks a FollowerFactory's
// stores must keep: the suite checks that exactly so many are.
const RecentBlocks = 8

// FollowerFactory opens a fresh, empty follower store that keeps
// RecentBlocks processed blocks, closed by tb.Cleanup.
type FollowerFactory func(tb testing.TB) portfoliod.FollowerStore

// RunFollower runs the contract of portfoliod.FollowerStore: the event
// log, the last known figures and the recent blocks.
func RunFollower(t *testing.T, open FollowerFactory) {
	tokenA := common.HexToAddress("0x00000000000000000000000000000000000000a1")
	tokenB := common.HexToAddress("0x00000000000000000000000000000000000000b2")
	w1, w2 := wallet(1), wallet(2)
	block := func(n uint64) portfoliod.Block {
		return portfoliod.Block{Number: n, Hash: common.BigToHash(big.NewInt(int64(1000 + n))), Time: time.Unix(int64(1700000000+n), 0).UTC()}
	}
	figs := func(total, frozen int64) portfoliod.Figures {
		return portfoliod.Figures{Total: big.NewInt(total), Frozen: big.NewInt(frozen), Available: big.NewInt(total - frozen)}
	}
	event := func(b portfoliod.Block, customer string, token, w common.Address, prev, cur portfoliod.Figures) portfoliod.Event {
		return portfoliod.Event{ID: portfoliod.EventID(b.Hash, token, w), Type: portfoliod.EventBalanceUpdated,
			CreatedAt: b.Time, Data: portfoliod.BalanceChange{CustomerID: customer, Wallet: w, Token: token, Block: b,
				Previous: prev, Balances: cur, Changed: prev.Changed(cur), Transactions: []common.Hash{common.BigToHash(big.NewInt(7))}}}
	}
	ctx := context.Background()
	cmpBig := cmp.Comparer(func(a, b *big.Int) bool { return a.Cmp(b) == 0 })

	t.Run("empty", func(t *testing.T) {
		s := open(t)
		if bs, err := s.RecentBlocks(ctx); err != nil || len(bs) != 0 {
			t.Errorf("RecentBlocks = %v, %v; want none", bs, err)
		}
		if evs, more, err := s.Events(ctx, portfoliod.EventQuery{}); err != nil || len(evs) != 0 || more {
			t.Errorf("Events = %v, %v, %v; want none", evs, more, err)
		}
		if k, err := s.KnownFigures(ctx, tokenA, []common.Address{w1}); err != nil || len(k) != 0 {
			t.Errorf("KnownFigures = %v, %v; want none", k, err)
		}
	})

	t.Run("commit, read back, deduplicate", func(t *testing.T) {
		s := open(t)
		b1 := block(1)
		// The largest uint256 round-trips exactly.
		maxU256 := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
		huge := portfoliod.Figures{Total: maxU256, Frozen: big.NewInt(1), Available: new(big.Int).Sub(maxU256, big.NewInt(1))}
		e1 := event(b1, "customer_000000000001", tokenA, w1, figs(0, 0), huge)
		e2 := event(b1, "customer_000000000002", tokenB, w2, figs(5, 0), figs(5, 5))
		commit := portfoliod.BlockCommit{Block: b1, Parent: common.HexToHash("0x01"),
			Events: []portfoliod.Event{e1, e2},
			Figures: []portfoliod.TokenWalletFigures{
				{TokenWallet: portfoliod.TokenWallet{Token: tokenA, Wallet: w1}, Known: portfoliod.KnownFigures{Figures: huge, Block: b1}},
				{TokenWallet: portfoliod.TokenWallet{Token: tokenB, Wallet: w2}, Known: portfoliod.KnownFigures{Figures: figs(5, 5), Block: b1}},
			},
			Touched: []portfoliod.TokenWallet{{Token: tokenA, Wallet: w1}, {Token: tokenB, Wallet: w2}},
		}
		for range 2 { // the same block committed twice stores its events once
			if err := s.CommitBlock(ctx, commit); err != nil {
				t.Fatal(err)
			}
		}
		evs, more, err := s.Events(ctx, portfoliod.EventQuery{})
		if err != nil || more {
			t.Fatalf("Events: more %v, err %v", more, err)
		}
		if diff := cmp.Diff([]portfoliod.Event{e1, e2}, evs, cmpBig); diff != "" {
			t.Errorf("Events mismatch (-want +got):\n%s", diff)
		}
		known, err := s.KnownFigures(ctx, tokenA, []common.Address{w1, w2})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(map[common.Address]portfoliod.KnownFigures{w1: {Figures: huge, Block: b1}}, known, cmpBig); diff != "" {
			t.Errorf("KnownFigures mismatch (-want +got):\n%s", diff)
		}
		bs, err := s.RecentBlocks(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := []portfoliod.FollowedBlock{{Block: b1, Parent: commit.Parent, Touched: commit.Touched}}
		if diff := cmp.Diff(want, bs); diff != "" {
			t.Errorf("RecentBlocks mismatch (-want +got):\n%s", diff)
		}
	})

	t.Run("pages, resume and filters", func(t *testing.T) {
		s := open(t)
		var all []portfoliod.Event
		for n := uint64(1); n <= 5; n++ {
			b := block(n)
			token, w, cust := tokenA, w1, "customer_000000000001"
			if n%2 == 0 {
				token, w, cust = tokenB, w2, "customer_000000000002"
			}
			e := event(b, cust, token, w, figs(int64(n-1), 0), figs(int64(n), 0))
			all = append(all, e)
			if err := s.CommitBlock(ctx, portfoliod.BlockCommit{Block: b, Parent: block(n - 1).Hash, Events: []portfoliod.Event{e}}); err != nil {
				t.Fatal(err)
			}
		}
		page, more, err := s.Events(ctx, portfoliod.EventQuery{Limit: 2})
		if err != nil || !more || len(page) != 2 || page[0].ID != all[0].ID || page[1].ID != all[1].ID {
			t.Fatalf("first page = %d events, more %v, err %v", len(page), more, err)
		}
		rest, more, err := s.Events(ctx, portfoliod.EventQuery{After: page[1].ID})
		if err != nil || more || len(rest) != 3 || rest[0].ID != all[2].ID {
			t.Fatalf("after %s = %d events, more %v, err %v", page[1].ID, len(rest), more, err)
		}
		for _, q := range []portfoliod.EventQuery{{CustomerID: "customer_000000000002"}, {Token: tokenB}} {
			got, _, err := s.Events(ctx, q)
			if err != nil || len(got) != 2 || got[0].ID != all[1].ID || got[1].ID != all[3].ID {
				t.Errorf("Events(%+v) = %d events, err %v; want blocks 2 and 4", q, len(got), err)
			}
		}
		// Newest first, paged back from the newest.
		newest, more, err := s.Events(ctx, portfoliod.EventQuery{Newest: true, Limit: 2})
		if err != nil || !more || len(newest) != 2 || newest[0].ID != all[4].ID || newest[1].ID != all[3].ID {
			t.Fatalf("newest page = %d events, more %v, err %v; want blocks 5 and 4", len(newest), more, err)
		}
		older, more, err := s.Events(ctx, portfoliod.EventQuery{Newest: true, After: newest[1].ID})
		if err != nil || more || len(older) != 3 || older[0].ID != all[2].ID || older[2].ID != all[0].ID {
			t.Fatalf("older page = %d events, more %v, err %v; want blocks 3 to 1", len(older), more, err)
		}
		mine, _, err := s.Events(ctx, portfoliod.EventQuery{Newest: true, CustomerID: "customer_000000000001"})
		if err != nil || len(mine) != 3 || mine[0].ID != all[4].ID || mine[2].ID != all[0].ID {
			t.Errorf("a customer's newest first = %d events, err %v; want blocks 5, 3, 1", len(mine), err)
		}
		if got, _, err := s.Events(ctx, portfoliod.EventQuery{Type: "other.type"}); err != nil || len(got) != 0 {
			t.Errorf("Events of another type = %d, %v", len(got), err)
		}
		unknown := portfoliod.EventID(common.HexToHash("0xdead"), tokenA, w1)
		if _, _, err := s.Events(ctx, portfoliod.EventQuery{After: unknown}); !errors.Is(err, portfoliod.ErrEventNotFound) {
			t.Errorf("Events after an unknown id: err = %v, want ErrEventNotFound", err)
		}

		// Retention: events before a time go, with their ids.
		n, err := s.PurgeEvents(ctx, block(3).Time)
		if err != nil || n != 2 {
			t.Fatalf("PurgeEvents = %d, %v; want 2", n, err)
		}
		left, _, err := s.Events(ctx, portfoliod.EventQuery{})
		if err != nil || len(left) != 3 || left[0].ID != all[2].ID {
			t.Errorf("after purge: %d events, err %v; want blocks 3 to 5", len(left), err)
		}
		if _, _, err := s.Events(ctx, portfoliod.EventQuery{After: all[0].ID}); !errors.Is(err, portfoliod.ErrEventNotFound) {
			t.Errorf("Events after a purged id: err = %v, want ErrEventNotFound", err)
		}
	})

	t.Run("depth and reorg", func(t *testing.T) {
		s := open(t)
		for n := uint64(1); n <= RecentBlocks+5; n++ {
			if err := s.CommitBlock(ctx, portfoliod.BlockCommit{Block: block(n), Parent: block(n - 1).Hash}); err != nil {
				t.Fatal(err)
			}
		}
		bs, err := s.RecentBlocks(ctx)
		if err != nil || len(bs) != RecentBlocks || bs[0].Block.Number != RecentBlocks+5 || bs[len(bs)-1].Block.Number != 6 {
			t.Fatalf("RecentBlocks = %d blocks (newest %v), err %v; want %d ending at %d", len(bs), bs, err, RecentBlocks, RecentBlocks+5)
		}
		// A reorg's new block 9 forgets the orphaned 9 to 13.
		reorged := portfoliod.Block{Number: 9, Hash: common.HexToHash("0x99"), Time: block(9).Time}
		if err := s.CommitBlock(ctx, portfoliod.BlockCommit{Block: reorged, Parent: block(8).Hash}); err != nil {
			t.Fatal(err)
		}
		bs, err = s.RecentBlocks(ctx)
		if err != nil || len(bs) != 4 || bs[0].Block != reorged || bs[1].Block != block(8) {
			t.Fatalf("after a reorg at 9: %d blocks, newest %v, err %v; want 9 (new), 8, 7, 6", len(bs), bs, err)
		}
	})

	t.Run("figures without an event", func(t *testing.T) {
		s := open(t)
		f := portfoliod.TokenWalletFigures{TokenWallet: portfoliod.TokenWallet{Token: tokenA, Wallet: w2},
			Known: portfoliod.KnownFigures{Figures: figs(9, 3), Block: block(4)}}
		if err := s.SetKnownFigures(ctx, []portfoliod.TokenWalletFigures{f}); err != nil {
			t.Fatal(err)
		}
		known, err := s.KnownFigures(ctx, tokenA, []common.Address{w2})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(f.Known, known[w2], cmpBig); diff != "" {
			t.Errorf("KnownFigures mismatch (-want +got):\n%s", diff)
		}
		if evs, _, _ := s.Events(ctx, portfoliod.EventQuery{}); len(evs) != 0 {
			t.Errorf("SetKnownFigures logged %d events", len(evs))
		}
	})
}

// CustomerFollowerStore is a store that keeps both the customers and the
// follower's state, as the bbolt and PostgreSQL stores do.
type CustomerFollowerStore interface {
	portfoliod.CustomerStore
	portfoliod.FollowerStore
}

// RunFreedWallets checks that a wallet that leaves its customer (unlinked,
// or its customer deleted) loses its known figures in every token: it may
// change unseen before it is linked again, and its next owner's first
// event, or a figure served across blocks, must not start from them.
func RunFreedWallets(t *testing.T, open func(tb testing.TB) CustomerFollowerStore) {
	ctx := context.Background()
	s := open(t)
	tokens := []common.Address{common.HexToAddress("0xa1"), common.HexToAddress("0xb2")}
	mustCreate := func(c portfoliod.Customer) portfoliod.Customer {
		t.Helper()
		got, err := s.Create(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	a := mustCreate(individual(wallet(1), wallet(2)))
	b := mustCreate(individual(wallet(3)))
	var figs []portfoliod.TokenWalletFigures
	blk := portfoliod.Block{Number: 3, Hash: common.HexToHash("0x03"), Time: time.Unix(1700000000, 0).UTC()}
	for _, tok := range tokens {
		for _, w := range []common.Address{wallet(1), wallet(2), wallet(3)} {
			figs = append(figs, portfoliod.TokenWalletFigures{TokenWallet: portfoliod.TokenWallet{Token: tok, Wallet: w},
				Known: portfoliod.KnownFigures{Figures: portfoliod.Figures{Total: big.NewInt(5), Frozen: new(big.Int), Available: big.NewInt(5)}, Block: blk}})
		}
	}
	if err := s.SetKnownFigures(ctx, figs); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UnlinkWallet(ctx, a.ID, wallet(1)); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	for _, tok := range tokens {
		known, err := s.KnownFigures(ctx, tok, []common.Address{wallet(1), wallet(2), wallet(3)})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := known[wallet(2)]; !ok || len(known) != 1 {
			t.Errorf("token %s: known figures for %v; want only the still linked wallet %s", tok, known, wallet(2))
		}
	}
}

// RunKeepNewer checks that figures set without an event (a wallet read
// when linked) never replace figures read at a higher block.
func RunKeepNewer(t *testing.T, open FollowerFactory) {
	ctx := context.Background()
	s := open(t)
	tw := portfoliod.TokenWallet{Token: common.HexToAddress("0xa1"), Wallet: wallet(1)}
	at := func(n uint64, total int64) portfoliod.TokenWalletFigures {
		return portfoliod.TokenWalletFigures{TokenWallet: tw, Known: portfoliod.KnownFigures{
			Figures: portfoliod.Figures{Total: big.NewInt(total), Frozen: new(big.Int), Available: big.NewInt(total)},
			Block:   portfoliod.Block{Number: n, Hash: common.BigToHash(big.NewInt(int64(n))), Time: time.Unix(1700000000, 0).UTC()}}}
	}
	if err := s.CommitBlock(ctx, portfoliod.BlockCommit{Block: at(5, 0).Known.Block, Figures: []portfoliod.TokenWalletFigures{at(5, 50)}}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetKnownFigures(ctx, []portfoliod.TokenWalletFigures{at(4, 40)}); err != nil {
		t.Fatal(err)
	}
	k, err := s.KnownFigures(ctx, tw.Token, []common.Address{tw.Wallet})
	if err != nil || k[tw.Wallet].Total.Int64() != 50 {
		t.Errorf("figures of block 4 replaced those of block 5: %v, %v", k, err)
	}
	if err := s.SetKnownFigures(ctx, []portfoliod.TokenWalletFigures{at(6, 60)}); err != nil {
		t.Fatal(err)
	}
	if k, _ := s.KnownFigures(ctx, tw.Token, []common.Address{tw.Wallet}); k[tw.Wallet].Total.Int64() != 60 {
		t.Errorf("figures of block 6 did not replace those of block 5: %v", k)
	}
}

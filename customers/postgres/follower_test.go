package postgres

import (
	"context"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/customers/storetest"
	"github.com/portfoliod/portfoliod/internal/pgtest"
	"github.com/portfoliod/portfoliod/live"
)

// The live layer runs on this store (internal/service's liveStore).
var (
	_ portfoliod.FollowerStore = (*Store)(nil)
	_ portfoliod.RegisterStore = (*Store)(nil)
	_ live.Owners              = (*Store)(nil)
)

// TestFollowerContract runs the follower's store contract against a real
// PostgreSQL server.
func TestFollowerContract(t *testing.T) {
	storetest.RunFollower(t, func(tb testing.TB) portfoliod.FollowerStore {
		return mustOpen(tb, Options{RecentBlocks: storetest.RecentBlocks})
	})
}

func TestKeepNewerContract(t *testing.T) {
	storetest.RunKeepNewer(t, func(tb testing.TB) portfoliod.FollowerStore {
		return mustOpen(tb, Options{RecentBlocks: storetest.RecentBlocks})
	})
}

func TestFreedWalletsContract(t *testing.T) {
	storetest.RunFreedWallets(t, func(tb testing.TB) storetest.CustomerFollowerStore { return mustOpen(tb, Options{}) })
}

var (
	testToken = common.HexToAddress("0x00000000000000000000000000000000000000a1")
	// testBlockTime is where test blocks start, in whole seconds.
	testBlockTime = time.Unix(1700000000, 0).UTC()
)

func testBlock(n uint64) portfoliod.Block {
	return portfoliod.Block{Number: n, Hash: common.BigToHash(big.NewInt(int64(1000 + n))), Time: testBlockTime.Add(time.Duration(n) * time.Second)}
}

func testFigures(total int64) portfoliod.Figures {
	return portfoliod.Figures{Total: big.NewInt(total), Frozen: big.NewInt(0), Available: big.NewInt(total)}
}

// testCommit is block n changing wallets w(n*10) to w(n*10+k-1) from
// n-1 to n.
func testCommit(n uint64, k int) portfoliod.BlockCommit {
	b := testBlock(n)
	c := portfoliod.BlockCommit{Block: b, Parent: testBlock(n - 1).Hash}
	for i := range k {
		w := wallet(int(n)*10 + i)
		e := portfoliod.Event{ID: portfoliod.EventID(b.Hash, testToken, w), Type: portfoliod.EventBalanceUpdated, CreatedAt: b.Time,
			Data: portfoliod.BalanceChange{CustomerID: "customer_000000000001", Wallet: w, Token: testToken, Block: b,
				Previous: testFigures(int64(n - 1)), Balances: testFigures(int64(n)), Changed: []string{"total", "available"}}}
		c.Events = append(c.Events, e)
		tw := portfoliod.TokenWallet{Token: testToken, Wallet: w}
		c.Touched = append(c.Touched, tw)
		c.Figures = append(c.Figures, portfoliod.TokenWalletFigures{TokenWallet: tw, Known: portfoliod.KnownFigures{Figures: testFigures(int64(n)), Block: b}})
	}
	return c
}

// countEvents is how many rows the event log holds.
func countEvents(tb testing.TB, s *Store) int {
	tb.Helper()
	var n int
	if err := s.pool.QueryRow(context.Background(), `SELECT count(*) FROM events`).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}

// Two replicas on one database follow the same chain: both commit each
// block at once, both succeed, and the log holds each event once, in
// block order.
func TestTwoReplicasCommitTheSameBlock(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	a, b := mustOpenDSN(t, dsn, Options{}), mustOpenDSN(t, dsn, Options{})
	ctx := context.Background()
	const blocks, perBlock = 30, 5
	var want []string
	for n := uint64(1); n <= blocks; n++ {
		c := testCommit(n, perBlock)
		for _, e := range c.Events {
			want = append(want, e.ID)
		}
		var (
			wg    sync.WaitGroup
			start = make(chan struct{})
			errs  [2]error
		)
		for i, s := range []*Store{a, b} {
			wg.Go(func() {
				<-start
				errs[i] = s.CommitBlock(ctx, c)
			})
		}
		close(start)
		wg.Wait()
		if errs[0] != nil || errs[1] != nil {
			t.Fatalf("block %d: CommitBlock = %v, %v; want both nil", n, errs[0], errs[1])
		}
	}
	if got := countEvents(t, a); got != blocks*perBlock {
		t.Errorf("the log holds %d events, want %d", got, blocks*perBlock)
	}
	for _, s := range []*Store{a, b} {
		evs, more, err := s.Events(ctx, portfoliod.EventQuery{Limit: portfoliod.MaxEventPage})
		if err != nil || more || len(evs) != len(want) {
			t.Fatalf("Events = %d, more %v, err %v; want %d", len(evs), more, err, len(want))
		}
		for i, e := range evs {
			if e.ID != want[i] {
				t.Fatalf("event %d is %s, want %s: the log is out of block order", i, e.ID, want[i])
			}
		}
		bs, err := s.RecentBlocks(ctx)
		if err != nil || len(bs) != blocks || bs[0].Block != testBlock(blocks) {
			t.Errorf("RecentBlocks = %d blocks, err %v; want %d up to %d", len(bs), err, blocks, blocks)
		}
	}
}

// A replica that processed an old block late (another replica committed
// it and more since) changes nothing: the cursor stays, and so do the
// newer figures.
func TestReplayedBlockChangesNothing(t *testing.T) {
	s := mustOpen(t, Options{})
	ctx := context.Background()
	for n := uint64(1); n <= 5; n++ {
		if err := s.CommitBlock(ctx, testCommit(n, 1)); err != nil {
			t.Fatal(err)
		}
	}
	// Block 3 touched wallet(30); make it change again at 5.
	late := testCommit(3, 1)
	tw := late.Figures[0].TokenWallet
	newer := portfoliod.TokenWalletFigures{TokenWallet: tw, Known: portfoliod.KnownFigures{Figures: testFigures(99), Block: testBlock(5)}}
	if err := s.SetKnownFigures(ctx, []portfoliod.TokenWalletFigures{newer}); err != nil {
		t.Fatal(err)
	}
	if err := s.CommitBlock(ctx, late); err != nil {
		t.Fatal(err)
	}
	bs, err := s.RecentBlocks(ctx)
	if err != nil || len(bs) != 5 || bs[0].Block != testBlock(5) {
		t.Fatalf("after a replay of block 3: %d blocks, err %v; want 5 up to block 5", len(bs), err)
	}
	known, err := s.KnownFigures(ctx, tw.Token, []common.Address{tw.Wallet})
	if err != nil || known[tw.Wallet].Total.Int64() != 99 || known[tw.Wallet].Block != testBlock(5) {
		t.Errorf("figures after a replay = %v, %v; want those set at block 5", known, err)
	}
	if got := countEvents(t, s); got != 5 {
		t.Errorf("the log holds %d events, want 5", got)
	}

	// A block at a kept height with another hash is a reorg: it
	// replaces the kept blocks from there, and its event (another block
	// hash, so another id) is appended, while one whose id is in the log
	// already is skipped.
	reorged := testCommit(3, 1)
	reorged.Block.Hash = common.HexToHash("0x33")
	fresh := reorged.Events[0]
	fresh.ID, fresh.Data.Block, fresh.Data.Reorg = portfoliod.EventID(reorged.Block.Hash, testToken, tw.Wallet), reorged.Block, true
	reorged.Events = []portfoliod.Event{fresh, late.Events[0]}
	if err := s.CommitBlock(ctx, reorged); err != nil {
		t.Fatal(err)
	}
	if bs, err := s.RecentBlocks(ctx); err != nil || len(bs) != 3 || bs[0].Block != reorged.Block {
		t.Errorf("after a reorg at 3: %d blocks, err %v; want 3 up to the new block 3", len(bs), err)
	}
	evs, _, err := s.Events(ctx, portfoliod.EventQuery{})
	if err != nil || len(evs) != 6 || evs[5].ID != fresh.ID || !evs[5].Data.Reorg || evs[2].ID != late.Events[0].ID {
		t.Errorf("after a reorg at 3: %d events, err %v; want the 5 and the correction last", len(evs), err)
	}
}

// Amounts and times round-trip exactly as the tables keep them; an event
// created at a sub-microsecond time comes back at the microsecond.
func TestEventRoundTripsAndPurgeBounds(t *testing.T) {
	s := mustOpen(t, Options{})
	ctx := context.Background()
	c := testCommit(1, 1)
	c.Events[0].CreatedAt = testBlockTime.Add(1500 * time.Nanosecond)
	c.Events[0].Data.Reorg = true
	c.Events[0].Data.Transactions = []common.Hash{common.HexToHash("0x07")}
	if err := s.CommitBlock(ctx, c); err != nil {
		t.Fatal(err)
	}
	evs, _, err := s.Events(ctx, portfoliod.EventQuery{Token: testToken, CustomerID: c.Events[0].Data.CustomerID, Type: portfoliod.EventBalanceUpdated})
	if err != nil || len(evs) != 1 {
		t.Fatalf("Events = %d, %v", len(evs), err)
	}
	got := evs[0]
	if !got.CreatedAt.Equal(testBlockTime.Add(time.Microsecond)) || !got.Data.Reorg || len(got.Data.Transactions) != 1 ||
		got.Data.Transactions[0] != common.HexToHash("0x07") || got.Data.Wallet != c.Events[0].Data.Wallet {
		t.Errorf("event read back = %+v", got)
	}
	if n, err := s.PurgeEvents(ctx, testBlockTime.Add(time.Microsecond)); err != nil || n != 0 {
		t.Errorf("PurgeEvents at its creation = %d, %v; want 0", n, err)
	}
	if n, err := s.PurgeEvents(ctx, testBlockTime.Add(2*time.Microsecond)); err != nil || n != 1 {
		t.Errorf("PurgeEvents after its creation = %d, %v; want 1", n, err)
	}
}

// Store's default keeps DefaultRecentBlocks blocks.
func TestDefaultRecentBlocks(t *testing.T) {
	s := mustOpen(t, Options{})
	ctx := context.Background()
	for n := uint64(1); n <= DefaultRecentBlocks+3; n++ {
		if err := s.CommitBlock(ctx, portfoliod.BlockCommit{Block: testBlock(n), Parent: testBlock(n - 1).Hash}); err != nil {
			t.Fatal(err)
		}
	}
	bs, err := s.RecentBlocks(ctx)
	if err != nil || len(bs) != DefaultRecentBlocks || bs[len(bs)-1].Block.Number != 4 {
		t.Errorf("RecentBlocks = %d blocks, err %v; want %d from block 4", len(bs), err, DefaultRecentBlocks)
	}
}

// TestRegisterContract runs the frozen-funds register's contract against
// a real PostgreSQL server.
func TestRegisterContract(t *testing.T) {
	storetest.RunRegister(t, func(tb testing.TB) storetest.RegisterStore { return mustOpen(tb, Options{}) })
}

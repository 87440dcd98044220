package live

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/customers/bolt"
	"github.com/portfoliod/portfoliod/internal/anviltest"
)

// blockByBlock hides the reader's ranged queries: a follower of it
// catches up block by block, a header and a logs query each, the
// reference a ranged catch-up is compared with.
type blockByBlock struct{ Chain }

// backfillEnv follows one anvil chain twice, on two bbolt stores holding
// the same customer: ranged reads through a proxy that counts (and may
// refuse) the logs queries, and block by block.
type backfillEnv struct {
	*followEnv
	proxy *anviltest.Proxy
	// ranged reads through proxy.
	ranged *chain.Reader
	obs    *countObserver

	mu     sync.Mutex
	widths []uint64 // of the ranged logs queries, in order
	byHash int      // logs queries by block hash
	limit  uint64   // a ranged query wider than this is refused; 0: none
	// tooMany: every logs query is refused, by hash too, as returning
	// more results than the node's limit.
	tooMany bool

	rounds int // of mutate

	ref *Follower
	// refStore is the block-by-block follower's store.
	refStore *bolt.Store
}

func mustBackfillEnv(t *testing.T, chunk uint64) *backfillEnv {
	t.Helper()
	e := &backfillEnv{followEnv: mustFollowEnv(t), obs: &countObserver{}}
	e.proxy = anviltest.NewProxy(t, e.node.URL)
	e.proxy.Refuse(e.refuse(t))
	ctx := context.Background()
	r, err := chain.Dial(ctx, chain.Config{ChainID: e.node.ChainID, RPCURLs: []string{e.proxy.URL},
		Tokens: []chain.TokenConfig{{Address: e.tok.Address, Freeze: "erc3643"}}, HeadPollInterval: -1,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	e.ranged = r
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	e.f = NewFollower(r, e.store, e.store, e.pub, FollowerConfig{Logger: quiet, BackfillChunk: chunk, Metrics: e.obs})
	e.refStore, err = bolt.Open(filepath.Join(t.TempDir(), "reference.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.refStore.Close() })
	if _, err := e.refStore.Create(ctx, portfoliod.Customer{Type: portfoliod.Individual, CountryCode: "US", Wallets: e.cust.Wallets}); err != nil {
		t.Fatal(err)
	}
	e.ref = NewFollower(blockByBlock{e.r}, e.refStore, e.refStore, nil, FollowerConfig{Logger: quiet})
	return e
}

// refuse counts the logs queries and refuses the ranged ones wider than
// limit as Infura does (faked: anvil has no such limit).
func (e *backfillEnv) refuse(t *testing.T) func(string, json.RawMessage) *anviltest.RPCError {
	return func(method string, params json.RawMessage) *anviltest.RPCError {
		if method != "eth_getLogs" {
			return nil
		}
		var q []struct {
			BlockHash *common.Hash   `json:"blockHash"`
			From      hexutil.Uint64 `json:"fromBlock"`
			To        hexutil.Uint64 `json:"toBlock"`
		}
		if err := json.Unmarshal(params, &q); err != nil || len(q) != 1 {
			t.Errorf("eth_getLogs params %s: %v", params, err)
			return nil
		}
		e.mu.Lock()
		defer e.mu.Unlock()
		tooMany := &anviltest.RPCError{Code: -32005, Message: "query returned more than 10000 results"}
		if q[0].BlockHash != nil {
			e.byHash++
			if e.tooMany {
				return tooMany
			}
			return nil
		}
		w := uint64(q[0].To - q[0].From + 1)
		e.widths = append(e.widths, w)
		if e.tooMany || e.limit > 0 && w > e.limit {
			return tooMany
		}
		return nil
	}
}

// takeQueries returns the ranged widths and by-hash count since the last
// call.
func (e *backfillEnv) takeQueries() ([]uint64, int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	w, n := e.widths, e.byHash
	e.widths, e.byHash = nil, 0
	return w, n
}

// catchUpBoth catches up both followers.
func (e *backfillEnv) catchUpBoth(t *testing.T) {
	t.Helper()
	e.catchUp(t)
	for range 2000 {
		advanced, err := e.ref.Step(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !advanced {
			return
		}
	}
	t.Fatal("the block-by-block follower did not catch up")
}

// sameLogs checks that both followers stored the same events, in the same
// order, each for its store's customer.
func (e *backfillEnv) sameLogs(t *testing.T) []portfoliod.Event {
	t.Helper()
	return e.sameFigureLogs(t, true)
}

// sameFigureLogs is sameLogs, comparing the events' transactions only if
// txs.
func (e *backfillEnv) sameFigureLogs(t *testing.T, txs bool) []portfoliod.Event {
	t.Helper()
	got := e.events(t)
	want, _, err := e.refStore.Events(context.Background(), portfoliod.EventQuery{Limit: portfoliod.MaxEventPage})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("ranged catch-up stored %d events, block by block %d", len(got), len(want))
	}
	for i := range got {
		g, w := got[i].Data, want[i].Data
		if got[i].ID != want[i].ID || g.Wallet != w.Wallet || g.Block != w.Block || g.Reorg != w.Reorg ||
			!sameFigures(g.Balances, w.Balances) || !sameFigures(g.Previous, w.Previous) ||
			txs && len(g.Transactions) != len(w.Transactions) || g.CustomerID != e.cust.ID {
			t.Errorf("event %d: ranged %+v, block by block %+v", i, got[i], want[i])
		}
	}
	return got
}

// mutate makes changes of the customer's wallet and of nobody's, spread
// over about blocks blocks with empty ones between, and returns the
// number of changes of the customer's wallet.
func (e *backfillEnv) mutate(t *testing.T, blocks int) int {
	t.Helper()
	gap := max(blocks/6-1, 0)
	e.rounds++
	ops := []func(){
		func() { e.tok.Mint(t, walletA, big.NewInt(100)) },
		func() { e.tok.Mint(t, walletB, big.NewInt(5)) }, // nobody's: no event
		func() { e.tok.SetFrozen(t, walletA, big.NewInt(int64(10*e.rounds))) },
		func() { e.tok.Transfer(t, anviltest.DevKey(1), walletB, big.NewInt(10)) },
		func() { e.tok.SetFrozenFlag(t, walletA, true) },
		func() { e.tok.SetFrozenFlag(t, walletA, false) },
	}
	for _, op := range ops {
		op()
		e.node.Mine(t, gap)
	}
	return len(ops) - 1
}

// Catching up 250 blocks takes one ranged logs query per 100 blocks, and
// one per block only for the last rangeTipGap below the head, and stores
// exactly the events the block-by-block follower does; a node refusing
// ranges wider than 30 blocks is asked for half until it answers, for the
// rest of that catch-up.
func TestBackfillWithRangedLogs(t *testing.T) {
	e := mustBackfillEnv(t, 100)
	e.catchUpBoth(t) // the first start: a sweep, no event
	e.takeQueries()

	start := e.f.cursor.Load().Number
	changes := e.mutate(t, 250)
	behind := latest(t, e.r).Number - start
	e.catchUpBoth(t)
	evs := e.sameLogs(t)
	if len(evs) != changes {
		t.Errorf("%d events for %d changes of the customer's wallet", len(evs), changes)
	}
	widths, byHash := e.takeQueries()
	want := (behind - rangeTipGap + 99) / 100
	if uint64(len(widths)) != want || byHash != rangeTipGap {
		t.Errorf("%d blocks behind: ranged logs queries %v and %d by hash, want %d ranged and %d by hash", behind, widths, byHash, want, rangeTipGap)
	}
	if len(e.obs.backfills) != int(want) {
		t.Errorf("OnBackfill told %v, want %d runs", e.obs.backfills, want)
	}

	e.mu.Lock()
	e.limit = 30
	e.mu.Unlock()
	changes = e.mutate(t, 100)
	behind = latest(t, e.r).Number - e.f.cursor.Load().Number
	e.catchUpBoth(t)
	if got := len(e.sameLogs(t)) - len(evs); got != changes {
		t.Errorf("%d events for %d changes of the customer's wallet", got, changes)
	}
	widths, byHash = e.takeQueries()
	if wantWidths := rangeWidths(behind-rangeTipGap, 100, 30); !slices.Equal(widths, wantWidths) || byHash != rangeTipGap {
		t.Errorf("%d blocks behind, ranges over 30 refused: widths %v and %d by hash, want %v and %d", behind, widths, byHash, wantWidths, rangeTipGap)
	}

	// Caught up, the next catch-up starts wide again.
	e.tok.Mint(t, walletA, big.NewInt(1))
	e.node.Mine(t, 79)
	e.catchUpBoth(t)
	e.sameLogs(t)
	if widths, _ := e.takeQueries(); !slices.Equal(widths, rangeWidths(80-rangeTipGap, 100, 30)) {
		t.Errorf("80 blocks behind after catching up: widths %v, want %v", widths, rangeWidths(80-rangeTipGap, 100, 30))
	}
}

// rangeWidths is what a catch-up of behind blocks asks, in ranges of at
// most chunk blocks, of a node refusing ranges wider than limit: the
// first range halved until it fits, then ranges that wide (fewer than
// spanGrowAfter of them here).
func rangeWidths(behind, chunk, limit uint64) []uint64 {
	var out []uint64
	w := min(behind, chunk)
	for ; w > limit; w = (w + 1) / 2 {
		out = append(out, w)
	}
	for left := behind; left > 0; left -= min(left, w) {
		out = append(out, min(left, w))
	}
	return out
}

func latest(t *testing.T, r *chain.Reader) portfoliod.Block {
	t.Helper()
	b, err := r.ResolveBlock(context.Background(), chain.LatestBlock)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A reorg under the cursor found while catching up (the first block of the
// run does not link to it) is walked back over, with corrections, as
// block by block.
func TestBackfillAfterAReorg(t *testing.T) {
	e := mustBackfillEnv(t, 100)
	e.tok.Mint(t, walletA, big.NewInt(100))
	e.catchUpBoth(t)
	revert := e.node.Snapshot(t)
	e.tok.Mint(t, walletA, big.NewInt(50)) // to be orphaned
	e.catchUpBoth(t)
	revert()
	e.tok.Mint(t, walletB, big.NewInt(1))
	e.node.Mine(t, 10)
	e.tok.SetFrozen(t, walletA, big.NewInt(20))
	e.node.Mine(t, 10)
	e.takeQueries()
	e.catchUpBoth(t)
	evs := e.sameLogs(t)
	if widths, _ := e.takeQueries(); len(widths) == 0 {
		t.Error("no ranged logs query after the reorg")
	}
	var sawReorg bool
	for _, ev := range evs {
		sawReorg = sawReorg || ev.Data.Reorg
	}
	last := evs[len(evs)-1].Data
	if !sawReorg || last.Balances.Total.Int64() != 100 || last.Balances.Frozen.Int64() != 20 {
		t.Errorf("after the reorg: last event %+v (a reorg event seen: %v), want total 100 frozen 20", last, sawReorg)
	}
	if got := e.tok.BalanceOf(t, walletA); got.Int64() != 100 {
		t.Errorf("canonical balance %s", got)
	}
}

// movedChain is the reader with a chain that moves between a ranged logs
// query and its headers, once: how depends on the case. A fake, since a
// real node's chain cannot be made to move between two requests on cue.
type movedChain struct {
	*chain.Reader
	move  func(rt *portfoliod.RangeTouches, hdrs []portfoliod.LinkedBlock)
	moved bool
	rt    portfoliod.RangeTouches
}

func (m *movedChain) RangeTouches(ctx context.Context, from, to uint64) (portfoliod.RangeTouches, error) {
	rt, err := m.Reader.RangeTouches(ctx, from, to)
	m.rt = rt
	return rt, err
}

func (m *movedChain) Headers(ctx context.Context, from, to uint64) ([]portfoliod.LinkedBlock, error) {
	hdrs, err := m.Reader.Headers(ctx, from, to)
	if err == nil && !m.moved && len(hdrs) > 2 {
		m.moved = true
		m.move(&m.rt, hdrs)
	}
	return hdrs, err
}

// A run is not used when its headers do not end at the block the logs
// query ended at, or do not link, or the logs name a block off the
// headers' chain: the next block is processed alone, and the log is still
// the block-by-block follower's.
func TestBackfillWhenTheChainMoved(t *testing.T) {
	cases := map[string]func(rt *portfoliod.RangeTouches, hdrs []portfoliod.LinkedBlock){
		"another last block": func(_ *portfoliod.RangeTouches, hdrs []portfoliod.LinkedBlock) {
			hdrs[len(hdrs)-1].Block.Hash = common.HexToHash("0x0badb10c")
		},
		"a broken link": func(_ *portfoliod.RangeTouches, hdrs []portfoliod.LinkedBlock) {
			hdrs[len(hdrs)/2].Parent = common.HexToHash("0x0badb10c")
		},
		"logs of a block off the chain": func(rt *portfoliod.RangeTouches, _ []portfoliod.LinkedBlock) {
			rt.ByBlock[common.HexToHash("0x0badb10c")] = []portfoliod.Touch{{Token: common.Address{1}, Wallet: walletA}}
		},
	}
	for name, move := range cases {
		t.Run(name, func(t *testing.T) {
			e := mustBackfillEnv(t, 100)
			moved := &movedChain{Reader: e.ranged, move: move}
			e.f = NewFollower(moved, e.store, e.store, e.pub, FollowerConfig{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
			e.catchUpBoth(t)
			changes := e.mutate(t, 30)
			e.takeQueries()
			e.catchUpBoth(t)
			if evs := e.sameLogs(t); len(evs) != changes || !moved.moved {
				t.Errorf("%d events for %d changes (the chain moved: %v)", len(evs), changes, moved.moved)
			}
			// The moved run, the next block alone, then the rest in one
			// run, and the blocks near the head alone.
			if widths, byHash := e.takeQueries(); len(widths) != 2 || byHash != 1+rangeTipGap {
				t.Errorf("ranged queries %v and %d by hash, want 2 and %d", widths, byHash, 1+rangeTipGap)
			}
		})
	}
}

// failingHeaders is the reader whose Headers fails once: a node whose
// batch limit refuses the batch, or that times out (a fake: a real node
// cannot be made to fail one request on cue).
type failingHeaders struct {
	*chain.Reader
	failed bool
}

func (f *failingHeaders) Headers(ctx context.Context, from, to uint64) ([]portfoliod.LinkedBlock, error) {
	if !f.failed {
		f.failed = true
		return nil, fmt.Errorf("%w: batch refused", chain.ErrUnavailable)
	}
	return f.Reader.Headers(ctx, from, to)
}

// A run whose headers fail is not a stall: the next block is processed
// alone, the next range is half as wide, and the log is the block-by-block
// follower's.
func TestBackfillWhenHeadersFail(t *testing.T) {
	e := mustBackfillEnv(t, 100)
	fh := &failingHeaders{Reader: e.ranged}
	e.f = NewFollower(fh, e.store, e.store, e.pub, FollowerConfig{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BackfillChunk: 100})
	e.catchUpBoth(t)
	changes := e.mutate(t, 60)
	behind := latest(t, e.r).Number - e.f.cursor.Load().Number
	e.takeQueries()
	e.catchUpBoth(t)
	if evs := e.sameLogs(t); len(evs) != changes || !fh.failed {
		t.Errorf("%d events for %d changes (headers failed: %v)", len(evs), changes, fh.failed)
	}
	widths, byHash := e.takeQueries()
	if want := []uint64{behind - rangeTipGap, min(50, behind-rangeTipGap-1)}; len(widths) < 2 || !slices.Equal(widths[:2], want) || byHash != 1+rangeTipGap {
		t.Errorf("%d behind: ranged queries %v and %d by hash, want %v first and %d by hash", behind, widths, byHash, want, 1+rangeTipGap)
	}
}

// With confirmations the catch-up stops that deep below the head, and
// stores what the block-by-block follower with the same confirmations
// does.
func TestBackfillWithConfirmations(t *testing.T) {
	e := mustBackfillEnv(t, 100)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	e.f = NewFollower(e.ranged, e.store, e.store, e.pub, FollowerConfig{Logger: quiet, Confirmations: 6})
	e.ref = NewFollower(blockByBlock{e.r}, e.refStore, e.refStore, nil, FollowerConfig{Logger: quiet, Confirmations: 6})
	e.node.Mine(t, 10) // a chain deeper than the confirmations: the first start
	e.catchUpBoth(t)
	changes := e.mutate(t, 60)
	e.catchUpBoth(t)
	head := latest(t, e.r).Number
	if c := e.f.cursor.Load().Number; c != head-6 {
		t.Errorf("cursor %d at head %d, want 6 below", c, head)
	}
	if evs := e.sameLogs(t); len(evs) == 0 || len(evs) > changes {
		t.Errorf("%d events for %d changes, some within 6 blocks of the head", len(evs), changes)
	}
	e.node.Mine(t, 6)
	e.catchUpBoth(t)
	if evs := e.sameLogs(t); len(evs) != changes {
		t.Errorf("%d events for %d changes once all are 6 deep", len(evs), changes)
	}
}

// A block whose logs the node refuses to list even alone (more than its
// result limit, as Infura's "query returned more than 10000 results") does
// not stall the follower: it sweeps that block, reading every customer
// wallet there. Its events are the block-by-block follower's, without
// their transactions. The proxy refuses: anvil has no result limit.
func TestFollowerSweepsABlockWithTooManyLogs(t *testing.T) {
	e := mustBackfillEnv(t, 100)
	e.catchUpBoth(t)
	sweeps := e.obs.sweeps
	e.mu.Lock()
	e.tooMany = true
	e.mu.Unlock()
	from := e.f.cursor.Load().Number
	changes := e.mutate(t, 12)
	blocks := latest(t, e.r).Number - from
	e.catchUpBoth(t)
	evs := e.sameFigureLogs(t, false)
	if len(evs) != changes {
		t.Errorf("%d events for %d changes of the customer's wallet", len(evs), changes)
	}
	for _, ev := range evs {
		if len(ev.Data.Transactions) != 0 {
			t.Errorf("event of swept block %d names transactions %v", ev.Data.Block.Number, ev.Data.Transactions)
		}
	}
	if got := e.obs.sweeps - sweeps; uint64(got) != blocks {
		t.Errorf("%d sweeps for %d blocks whose logs were refused", got, blocks)
	}

	// Listed again, a block's events name their transactions.
	e.mu.Lock()
	e.tooMany = false
	e.mu.Unlock()
	e.tok.Mint(t, walletA, big.NewInt(1))
	e.catchUpBoth(t)
	evs = e.sameFigureLogs(t, false)
	if last := evs[len(evs)-1].Data; len(evs) != changes+1 || len(last.Transactions) != 1 || last.Balances.Total.Cmp(e.tok.BalanceOf(t, walletA)) != 0 {
		t.Errorf("%d events; the last %+v, want %d and one transaction", len(evs), last, changes+1)
	}

	// A reorg whose first canonical block is swept corrects the orphaned
	// change there.
	revert := e.node.Snapshot(t)
	e.tok.Mint(t, walletA, big.NewInt(50)) // to be orphaned
	e.catchUpBoth(t)
	revert()
	e.mu.Lock()
	e.tooMany = true
	e.mu.Unlock()
	e.tok.Mint(t, walletB, big.NewInt(1))
	e.node.Mine(t, 3)
	e.catchUpBoth(t)
	evs = e.sameFigureLogs(t, false)
	if last := evs[len(evs)-1].Data; !last.Reorg || last.Balances.Total.Cmp(e.tok.BalanceOf(t, walletA)) != 0 {
		t.Errorf("after a reorg onto swept blocks, the last event %+v; want a correction to the canonical %s", last, e.tok.BalanceOf(t, walletA))
	}

	// A customer wallet without known figures (linked in the store
	// behind the follower's back, as an import does) gets its first event
	// in a swept block too: its previous figures read at the parent. (Last:
	// the block-by-block follower has no such customer.)
	walletC := common.HexToAddress("0x00000000000000000000000000000000000c0ffe")
	other, err := e.store.Create(context.Background(), portfoliod.Customer{Type: portfoliod.Individual, CountryCode: "US", Wallets: []common.Address{walletC}})
	if err != nil {
		t.Fatal(err)
	}
	e.tok.Mint(t, walletC, big.NewInt(7))
	e.catchUp(t)
	last := e.events(t)
	if ev := last[len(last)-1].Data; ev.Wallet != walletC || ev.CustomerID != other.ID || ev.Previous.Total.Sign() != 0 || ev.Balances.Total.Int64() != 7 {
		t.Errorf("the first change of a wallet without known figures, in a swept block: last event %+v, want %s from 0 to 7", ev, walletC)
	}
}

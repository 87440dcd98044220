package live

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/customers/bolt"
	"github.com/portfoliod/portfoliod/internal/anviltest"
)

// followEnv is a real anvil node with a T-REX-style token, a chain reader,
// a real bbolt store holding one customer, and a follower stepped by hand.
type followEnv struct {
	node  *anviltest.Node
	tok   *anviltest.Token
	r     *chain.Reader
	store *bolt.Store
	f     *Follower
	cust  portfoliod.Customer
	pub   *recorder
}

type recorder struct{ events []portfoliod.Event }

func (r *recorder) Publish(evs []portfoliod.Event) { r.events = append(r.events, evs...) }

var (
	walletA = anviltest.DevAddress(1) // the customer's
	walletB = anviltest.DevAddress(2) // nobody's
)

func mustFollowEnv(t *testing.T) *followEnv {
	t.Helper()
	return mustFollowEnvOf(t, anviltest.TREX, func(token common.Address) chain.TokenConfig {
		return chain.TokenConfig{Address: token, Freeze: "erc3643"}
	})
}

// mustFollowEnvOf is mustFollowEnv on a token of kind (unpaused if it is
// the T-REX-style one), configured by config.
func mustFollowEnvOf(t *testing.T, kind anviltest.Kind, config func(token common.Address) chain.TokenConfig) *followEnv {
	t.Helper()
	node := anviltest.Start(t)
	anviltest.PlaceMulticall3(t, node.URL)
	tok := node.Chain(t).DeployToken(t, kind, "T", "T", 0)
	if kind == anviltest.TREX {
		tok.Unpause(t)
	}
	ctx := context.Background()
	r, err := chain.Dial(ctx, chain.Config{ChainID: node.ChainID, RPCURLs: []string{node.URL},
		Tokens: []chain.TokenConfig{config(tok.Address)}, HeadPollInterval: -1,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	store, err := bolt.Open(filepath.Join(t.TempDir(), "live.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	cust, err := store.Create(ctx, portfoliod.Customer{Type: portfoliod.Individual, CountryCode: "US", Wallets: []common.Address{walletA}})
	if err != nil {
		t.Fatal(err)
	}
	e := &followEnv{node: node, tok: tok, r: r, store: store, cust: cust, pub: &recorder{}}
	e.f = NewFollower(r, store, store, e.pub, FollowerConfig{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	return e
}

// catchUp steps the follower until it reaches the node's head.
func (e *followEnv) catchUp(t *testing.T) {
	t.Helper()
	for range 100 {
		advanced, err := e.f.Step(context.Background())
		if err != nil {
			t.Fatalf("Step: %v", err)
		}
		if !advanced {
			return
		}
	}
	t.Fatal("the follower did not catch up in 100 steps")
}

// events returns the stored log.
func (e *followEnv) events(t *testing.T) []portfoliod.Event {
	t.Helper()
	evs, _, err := e.store.Events(context.Background(), portfoliod.EventQuery{Limit: portfoliod.MaxEventPage})
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func fig(total, frozen int64) portfoliod.Figures {
	return portfoliod.Figures{Total: big.NewInt(total), Frozen: big.NewInt(frozen), Available: big.NewInt(total - frozen)}
}

func sameFigures(a, b portfoliod.Figures) bool {
	return a.Total.Cmp(b.Total) == 0 && a.Frozen.Cmp(b.Frozen) == 0 && a.Available.Cmp(b.Available) == 0
}

// Each change of the customer's wallet is one event with the figures read
// at its block; a change of nobody's wallet, or a block without one, is
// none.
func TestFollowerEmitsStateEvents(t *testing.T) {
	e := mustFollowEnv(t)
	e.catchUp(t) // the first start: no event for the past
	if evs := e.events(t); len(evs) != 0 {
		t.Fatalf("%d events at start", len(evs))
	}
	type step struct {
		name     string
		op       func()
		previous portfoliod.Figures
		balances portfoliod.Figures
		changed  []string
	}
	steps := []step{
		{"mint", func() { e.tok.Mint(t, walletA, big.NewInt(100)) }, fig(0, 0), fig(100, 0), []string{"total", "available"}},
		{"partial freeze", func() { e.tok.SetFrozen(t, walletA, big.NewInt(30)) }, fig(100, 0), fig(100, 30), []string{"frozen", "available"}},
		{"transfer out", func() { e.tok.Transfer(t, anviltest.DevKey(1), walletB, big.NewInt(10)) }, fig(100, 30), fig(90, 30), []string{"total", "available"}},
		{"address freeze", func() { e.tok.SetFrozenFlag(t, walletA, true) }, fig(90, 30), fig(90, 90), []string{"frozen", "available"}},
	}
	for i, s := range steps {
		s.op()
		e.catchUp(t)
		evs := e.events(t)
		if len(evs) != i+1 {
			t.Fatalf("%s: %d events, want %d", s.name, len(evs), i+1)
		}
		ev := evs[i]
		d := ev.Data
		head, err := e.r.ResolveBlock(context.Background(), chain.LatestBlock)
		if err != nil {
			t.Fatal(err)
		}
		if ev.Type != portfoliod.EventBalanceUpdated || d.CustomerID != e.cust.ID || d.Wallet != walletA || d.Token != e.tok.Address ||
			d.Block.Hash != head.Hash || ev.ID != portfoliod.EventID(head.Hash, e.tok.Address, walletA) || d.Reorg || len(d.Transactions) != 1 {
			t.Errorf("%s: event %+v", s.name, ev)
		}
		if !sameFigures(d.Previous, s.previous) || !sameFigures(d.Balances, s.balances) || !slices.Equal(d.Changed, s.changed) {
			t.Errorf("%s: previous %v balances %v changed %v; want %v %v %v", s.name, d.Previous, d.Balances, d.Changed, s.previous, s.balances, s.changed)
		}
		// The event's figures are the chain's at that block, read
		// independently.
		if got := e.tok.BalanceOf(t, walletA); got.Cmp(d.Balances.Total) != 0 {
			t.Errorf("%s: event total %s, balanceOf %s", s.name, d.Balances.Total, got)
		}
	}
	// A block without a change of a customer wallet: no event.
	e.tok.Mint(t, walletB, big.NewInt(5))
	e.node.Mine(t, 2)
	e.catchUp(t)
	if evs := e.events(t); len(evs) != len(steps) {
		t.Errorf("%d events after changes of nobody's wallet, want %d", len(evs), len(steps))
	}
	if len(e.pub.events) != len(steps) {
		t.Errorf("published %d events, want %d", len(e.pub.events), len(steps))
	}
}

// A reorg that orphans a block with an event yields a corrected event, so
// the last event of the wallet is its state on the canonical chain.
func TestFollowerCorrectsAReorg(t *testing.T) {
	e := mustFollowEnv(t)
	e.tok.Mint(t, walletA, big.NewInt(100))
	e.catchUp(t)
	revert := e.node.Snapshot(t)
	e.tok.Mint(t, walletA, big.NewInt(50)) // to be orphaned
	e.catchUp(t)
	orphaned := e.events(t)
	if len(orphaned) != 1 || orphaned[0].Data.Balances.Total.Int64() != 150 {
		t.Fatalf("before the reorg: events %v", orphaned)
	}
	revert()
	// The canonical chain: another block at the orphan's height, then
	// one more.
	e.tok.Mint(t, walletB, big.NewInt(1))
	e.node.Mine(t, 1)
	e.catchUp(t)
	evs := e.events(t)
	last := evs[len(evs)-1]
	if !last.Data.Reorg || last.Data.Balances.Total.Int64() != 100 || last.Data.Previous.Total.Int64() != 150 {
		t.Fatalf("after the reorg: last event %+v, want a reorg correction from 150 to 100", last.Data)
	}
	if got := e.tok.BalanceOf(t, walletA); got.Int64() != 100 {
		t.Errorf("canonical balance %s", got)
	}
}

// A follower started again on the same store resumes at its cursor: the
// changes made while it was stopped all arrive, none twice.
func TestFollowerResumes(t *testing.T) {
	e := mustFollowEnv(t)
	e.catchUp(t)
	for i := range 3 {
		e.tok.Mint(t, walletA, big.NewInt(int64(10*(i+1))))
	}
	again := NewFollower(e.r, e.store, e.store, nil, FollowerConfig{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	e.f = again
	e.catchUp(t)
	evs := e.events(t)
	var totals []int64
	for _, ev := range evs {
		totals = append(totals, ev.Data.Balances.Total.Int64())
	}
	if !slices.Equal(totals, []int64{10, 30, 60}) {
		t.Errorf("totals after resume = %v, want [10 30 60]", totals)
	}
}

// Run follows in the background until its context ends.
func TestFollowerRun(t *testing.T) {
	e := mustFollowEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); e.f.Run(ctx) }()
	defer func() { cancel(); <-done }()
	time.Sleep(200 * time.Millisecond)
	e.tok.Mint(t, walletA, big.NewInt(42))
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if evs, _, _ := e.store.Events(context.Background(), portfoliod.EventQuery{}); len(evs) == 1 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("no event within 10 s")
}

// A change no decoded event announces (here a balance rewritten in
// storage, as a rebasing token would) is found by the sweep: one event,
// read from the chain, with no transaction.
func TestSweepFindsSilentChanges(t *testing.T) {
	e := mustFollowEnvOf(t, anviltest.Plain, func(token common.Address) chain.TokenConfig {
		return chain.TokenConfig{Address: token, Freeze: "none"}
	})
	node, tok, ctx := e.node, e.tok, context.Background()
	e.catchUp(t)
	tok.Mint(t, walletA, big.NewInt(100))
	e.catchUp(t)

	// balanceOf is slot 5 of contracts/ERC20.sol: rewrite walletA's.
	rc, err := rpc.DialContext(ctx, node.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	slot := crypto.Keccak256Hash(common.LeftPadBytes(walletA[:], 32), common.LeftPadBytes([]byte{5}, 32))
	if err := rc.CallContext(ctx, nil, "anvil_setStorageAt", tok.Address, slot, common.BigToHash(big.NewInt(777))); err != nil {
		t.Fatal(err)
	}
	node.Mine(t, 1)
	e.catchUp(t)
	if evs := e.events(t); len(evs) != 1 {
		t.Fatalf("%d events before the sweep, want the mint's only", len(evs))
	}
	if err := e.f.SweepNow(ctx); err != nil {
		t.Fatal(err)
	}
	evs := e.events(t)
	if len(evs) != 2 {
		t.Fatalf("%d events after the sweep, want 2", len(evs))
	}
	d := evs[1].Data
	if d.Previous.Total.Int64() != 100 || d.Balances.Total.Int64() != 777 || len(d.Transactions) != 0 {
		t.Errorf("sweep event: previous %s, balances %s, transactions %v; want 100, 777, none", d.Previous.Total, d.Balances.Total, d.Transactions)
	}
	if got := tok.BalanceOf(t, walletA); got.Cmp(d.Balances.Total) != 0 {
		t.Errorf("sweep read %s, the chain holds %s", d.Balances.Total, got)
	}
	// A second sweep finds nothing new.
	if err := e.f.SweepNow(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(e.events(t)); n != 2 {
		t.Errorf("%d events after a second sweep, want 2", n)
	}
}

// The frozen total over time is walked back from the register through the
// log: on anvil, freezes and an unfreeze at known block times give the
// totals at points between them.
func TestFrozenSeries(t *testing.T) {
	e := mustFollowEnv(t)
	e.tok.Mint(t, walletA, big.NewInt(1000))
	e.catchUp(t)
	ctx := context.Background()
	var times []time.Time
	for _, frozen := range []int64{100, 300, 50} {
		e.tok.SetFrozen(t, walletA, big.NewInt(frozen))
		e.catchUp(t)
		evs := e.events(t)
		times = append(times, evs[len(evs)-1].Data.Block.Time)
		e.node.Mine(t, 1)
		// anvil's block times are seconds apart at most; force a gap.
		rc, err := rpc.DialContext(ctx, e.node.URL)
		if err != nil {
			t.Fatal(err)
		}
		rc.CallContext(ctx, nil, "evm_increaseTime", 100)
		rc.Close()
	}
	e.node.Mine(t, 1)
	e.catchUp(t)
	from := times[0].Add(-10 * time.Second)
	points, err := FrozenSeries(ctx, e.store, e.tok.Address, from, times[2].Add(10*time.Second), 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	want := func(at time.Time) int64 {
		switch {
		case at.Before(times[0]):
			return 0
		case at.Before(times[1]):
			return 100
		case at.Before(times[2]):
			return 300
		}
		return 50
	}
	for _, p := range points {
		if p.FrozenTotal.Int64() != want(p.Time) {
			t.Errorf("frozen total at %s = %s, want %d", p.Time, p.FrozenTotal, want(p.Time))
		}
	}
	if _, err := FrozenSeries(ctx, e.store, e.tok.Address, from, from.Add(-time.Second), time.Second); portfoliod.ErrorCode(err) != portfoliod.EINVALID {
		t.Errorf("from after to: err %v", err)
	}
	if _, err := FrozenSeries(ctx, e.store, e.tok.Address, from, from.Add(time.Hour), time.Millisecond); portfoliod.ErrorCode(err) != portfoliod.EINVALID {
		t.Errorf("too many points: err %v", err)
	}
}

// A first start over thousands of customer wallets sweeps them in reads a
// node accepts: one read of all of them would be one JSON-RPC request past
// anvil's 2 MB limit, and the follower would never start.
func TestSweepOfManyWalletsStarts(t *testing.T) {
	e := mustFollowEnv(t)
	ctx := context.Background()
	batch := make([]portfoliod.Customer, 2000)
	for i := range batch {
		batch[i] = portfoliod.Customer{Type: portfoliod.Individual, CountryCode: "US", Wallets: []common.Address{
			common.BigToAddress(big.NewInt(int64(3*i + 100))), common.BigToAddress(big.NewInt(int64(3*i + 101))), common.BigToAddress(big.NewInt(int64(3*i + 102)))}}
	}
	if _, err := e.store.Import(ctx, batch); err != nil {
		t.Fatal(err)
	}
	if _, err := e.f.Step(ctx); err != nil {
		t.Fatalf("first start over %d wallets: %v", 3*len(batch), err)
	}
	known, err := e.store.KnownFigures(ctx, e.tok.Address, []common.Address{common.BigToAddress(big.NewInt(100)), common.BigToAddress(big.NewInt(6099))})
	if err != nil || len(known) != 2 {
		t.Errorf("after the sweep: figures for %d of 2 wallets, err %v", len(known), err)
	}
}

// The follower wakes at a new head the chain reader learns (here its
// tracker's 20 ms poll) rather than only at its own poll, set to an hour
// here: the mint's event is stored within seconds.
func TestFollowerWakesOnNewHead(t *testing.T) {
	e := mustFollowEnv(t)
	r, err := chain.Dial(context.Background(), chain.Config{ChainID: e.node.ChainID, RPCURLs: []string{e.node.URL},
		Tokens: []chain.TokenConfig{{Address: e.tok.Address, Freeze: "erc3643"}}, HeadPollInterval: 20 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	f := NewFollower(r, e.store, e.store, nil, FollowerConfig{PollInterval: time.Hour, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); f.Run(ctx) }()
	defer func() { cancel(); <-done }()
	// The first step (the start's sweep) is done.
	deadline := time.Now().Add(10 * time.Second)
	for _, ok := f.Head(); !ok; _, ok = f.Head() {
		if time.Now().After(deadline) {
			t.Fatal("the follower did not start")
		}
		time.Sleep(10 * time.Millisecond)
	}
	e.tok.Mint(t, walletA, big.NewInt(42))
	deadline = time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if evs, _, _ := e.store.Events(context.Background(), portfoliod.EventQuery{}); len(evs) == 1 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("no event within 5 s of the mint: the follower waits for its hourly poll")
}

// countObserver counts the follower's reorgs, sweeps and backfills.
type countObserver struct {
	reorgs    []int
	sweeps    int
	backfills []int
}

func (o *countObserver) OnResume(uint64)       {}
func (o *countObserver) OnBlock(uint64)        {}
func (o *countObserver) OnEvents(int)          {}
func (o *countObserver) OnReorg(depth int)     { o.reorgs = append(o.reorgs, depth) }
func (o *countObserver) OnSweep()              { o.sweeps++ }
func (o *countObserver) OnBackfill(blocks int) { o.backfills = append(o.backfills, blocks) }

// A reorg orphaning two blocks is walked back over with MaxReorgDepth 2
// (a correction with reorg set) and swept with MaxReorgDepth 1; either
// way the wallet's last event is its canonical state.
func TestMaxReorgDepth(t *testing.T) {
	for _, tc := range []struct {
		depth      int
		wantReorgs []int
		wantSweeps int
	}{{depth: 2, wantReorgs: []int{2}}, {depth: 1, wantSweeps: 1}} {
		t.Run(fmt.Sprint(tc.depth), func(t *testing.T) {
			e := mustFollowEnv(t)
			obs := &countObserver{}
			e.f = NewFollower(e.r, e.store, e.store, e.pub, FollowerConfig{MaxReorgDepth: tc.depth, Metrics: obs,
				Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
			e.tok.Mint(t, walletA, big.NewInt(100))
			e.catchUp(t)
			obs.sweeps = 0 // the first start's
			revert := e.node.Snapshot(t)
			e.tok.Mint(t, walletA, big.NewInt(50)) // two blocks to be orphaned
			e.tok.Mint(t, walletA, big.NewInt(25))
			e.catchUp(t)
			revert()
			e.tok.Mint(t, walletB, big.NewInt(1))
			e.node.Mine(t, 2)
			e.catchUp(t)
			if !slices.Equal(obs.reorgs, tc.wantReorgs) || obs.sweeps != tc.wantSweeps {
				t.Errorf("MaxReorgDepth %d: reorgs followed %v, sweeps %d; want %v and %d", tc.depth, obs.reorgs, obs.sweeps, tc.wantReorgs, tc.wantSweeps)
			}
			evs := e.events(t)
			if last := evs[len(evs)-1]; last.Data.Balances.Total.Int64() != 100 || last.Data.Reorg != (tc.wantSweeps == 0) {
				t.Errorf("last event %+v, want total 100 (reorg %v)", last.Data, tc.wantSweeps == 0)
			}
		})
	}
}

// A custom token's change events make the follower read the wallets they
// name: the ERC-3643 demo token configured as custom, with TokensFrozen
// declared, gives a partial freeze (no Transfer) its balance.updated at
// that block, with the frozen amount read from the chain.
func TestFollowerCustomChangeEvents(t *testing.T) {
	e := mustFollowEnvOf(t, anviltest.TREX, func(token common.Address) chain.TokenConfig {
		return chain.TokenConfig{Address: token, Freeze: chain.FreezeCustom,
			AmountFns: []string{"getFrozenTokens(address)"}, FlagFns: []string{"isFrozen(address)"},
			ChangeEvents: []string{"TokensFrozen(address indexed account, uint256)"}}
	})
	tok := e.tok
	e.catchUp(t)
	tok.Mint(t, walletA, big.NewInt(100))
	e.catchUp(t)
	tok.SetFrozen(t, walletA, big.NewInt(30))
	e.catchUp(t)
	evs := e.events(t)
	if len(evs) != 2 {
		t.Fatalf("%d events, want 2 (the mint, the partial freeze)", len(evs))
	}
	last := evs[1].Data
	if !sameFigures(last.Balances, fig(100, 30)) || !slices.Equal(last.Changed, []string{"frozen", "available"}) || len(last.Transactions) != 1 {
		t.Errorf("freeze event %+v, want total 100, frozen 30, one transaction", last)
	}
	if got := tok.Frozen(t, walletA); got.Int64() != 30 {
		t.Errorf("the chain's frozen amount %s", got)
	}
}

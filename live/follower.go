// Package live is portfoliod's live layer (SPEC section 9): the follower,
// which turns the chain's blocks into balance.updated events read from the
// chain, and the hub that fans events out to stream clients. It imports
// the domain only; the node, the store and the customer lookup are
// interfaces it is given.
package live

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"slices"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/portfoliod/portfoliod"
)

// Chain is the node access the follower needs. *chain.Reader implements
// it.
type Chain interface {
	ResolveBlock(ctx context.Context, at portfoliod.BlockRef) (portfoliod.Block, error)
	// Header returns the block numbered n and its parent's hash.
	Header(ctx context.Context, n uint64) (portfoliod.Block, common.Hash, error)
	// Touches returns the wallets block b's logs name in the tokens.
	Touches(ctx context.Context, b portfoliod.Block) ([]portfoliod.Touch, error)
	BalancesAt(ctx context.Context, b portfoliod.Block, token common.Address, wallets []common.Address) (portfoliod.Snapshot, error)
	Tokens() []portfoliod.Token
}

// HeadNotifier is implemented by a Chain that learns new heads as they
// come (*chain.Reader: its head tracker, a newHeads subscription, or a
// latest read that learnt one): NewHead returns a channel closed at the
// next new head. The follower then steps at once instead of at its next
// poll, which remains the fallback.
type HeadNotifier interface {
	NewHead() <-chan struct{}
}

// RangeChain is implemented by a Chain that reads the logs of a run of
// blocks in one ranged query and their headers in batches
// (*chain.Reader). The follower then catches up with one logs query per
// run of blocks, where block by block it costs a header and a logs query
// each (SPEC section 9, "No gap").
type RangeChain interface {
	// RangeTouches returns the touches of blocks from to to by block
	// hash, and the block the answer ends at: to, or an earlier one when
	// the node refused so wide a range.
	RangeTouches(ctx context.Context, from, to uint64) (portfoliod.RangeTouches, error)
	// Headers returns blocks from to to, each with its parent's hash.
	Headers(ctx context.Context, from, to uint64) ([]portfoliod.LinkedBlock, error)
}

// Owners finds the customer owning a wallet, and lists every customer for
// a sweep. The customer stores implement it.
type Owners interface {
	FindByWallet(ctx context.Context, w common.Address) (portfoliod.Customer, error)
	ForEach(ctx context.Context, fn func(portfoliod.Customer) error) error
}

// Publisher receives the events of each committed block, in log order.
type Publisher interface {
	Publish(events []portfoliod.Event)
}

// Defaults of FollowerConfig.
const (
	DefaultPollInterval = 100 * time.Millisecond
	DefaultMaxBackfill  = 1000
	// DefaultBackfillChunk is the widest range one logs query asks for
	// while catching up.
	DefaultBackfillChunk = 1000
	DefaultSweepInterval = time.Hour
	// DefaultMaxReorgDepth is how many orphaned blocks a reorg may have
	// for the follower to walk back over it (SPEC section 9).
	DefaultMaxReorgDepth = 64
)

// FollowerConfig configures a Follower.
type FollowerConfig struct {
	// Confirmations delays a block's events until it is that deep (0:
	// at the head).
	Confirmations uint64
	// MaxBackfill is how far behind the head the follower catches up the
	// blocks it missed (with ranged logs queries, see BackfillChunk);
	// further behind it sweeps (reads every customer wallet at the head)
	// instead. 0 means DefaultMaxBackfill.
	MaxBackfill uint64
	// BackfillChunk is the most blocks one ranged logs query asks for
	// while catching up (with a RangeChain). A node that refuses a range
	// as too wide is asked for half; the narrower width is kept, and
	// doubles again after spanGrowAfter ranges that wide came back
	// whole, until the follower has caught up. 0 means
	// DefaultBackfillChunk.
	BackfillChunk uint64
	// MaxReorgDepth is the deepest reorg (orphaned blocks) the follower
	// walks back over to the fork; a deeper one is swept instead. The
	// store must keep MaxReorgDepth+1 processed blocks (the fork block
	// too). 0 means DefaultMaxReorgDepth.
	MaxReorgDepth int
	// PollInterval is how often the follower looks for a new head; with
	// the chain reader's head tracking a look costs no node request. A
	// Chain that is a HeadNotifier wakes it at a new head sooner.
	PollInterval time.Duration
	Logger       *slog.Logger
	// Now stamps events; nil means time.Now.
	Now func() time.Time
	// Metrics, when set, observes the follower.
	Metrics Observer
	// SweepInterval is how often the follower, when caught up, re-reads
	// every customer wallet and emits what differs: the safety net for
	// changes no decoded event announced (a custom model, a rebasing
	// token). 0 means no periodic sweep.
	SweepInterval time.Duration
	// CacheAcrossBlocks lists the tokens whose every change emits an
	// event the follower decodes, so that a figure it holds stays right
	// until one does (see Current).
	CacheAcrossBlocks []common.Address
}

// Observer is told what the follower does, for metrics.
type Observer interface {
	// OnResume is told the persisted cursor found at start, the block
	// the follower's figures are at until it processes the next one.
	OnResume(number uint64)
	OnBlock(number uint64)
	OnEvents(n int)
	OnReorg(depth int)
	OnSweep()
	// OnBackfill is told of a run of blocks caught up with one ranged
	// logs query.
	OnBackfill(blocks int)
}

// Follower follows the canonical chain block by block and stores, for
// every change of a customer wallet's figures in a configured token, a
// balance.updated event whose figures were read from the chain at that
// block. It is safe to run one Follower per store.
type Follower struct {
	chain  Chain
	store  portfoliod.FollowerStore
	owners Owners
	pub    Publisher
	cfg    FollowerConfig
	log    *slog.Logger
	// cursor is the last block committed (or found committed), for
	// Current; nil until the first step.
	cursor atomic.Pointer[portfoliod.Block]
	// span is the width of the next ranged logs query (see
	// FollowerConfig.BackfillChunk); spanOK counts the ranges that wide
	// answered whole since it last changed.
	span   atomic.Uint64
	spanOK atomic.Int32
}

// rangeTipGap is how far below the node's head ranged logs queries end:
// the blocks above are processed one by one, by hash, which a node
// lacking one refuses, where a load balancer that spreads a ranged query's
// batch over nodes could hide a lagging node's shorter answer (see
// chain.Reader.RangeTouches).
const rangeTipGap = 4

// spanGrowAfter is how many ranges of a narrowed width must come back
// whole for the width to double again: a node refusing wide ranges for
// their number of results accepts wider ones where the chain is quieter,
// and a node with a fixed range limit costs one refusal in this many
// ranges.
const spanGrowAfter = 8

// NewFollower returns a follower of c storing into s; pub (may be nil) is
// given every committed block's events.
func NewFollower(c Chain, s portfoliod.FollowerStore, owners Owners, pub Publisher, cfg FollowerConfig) *Follower {
	if cfg.MaxBackfill == 0 {
		cfg.MaxBackfill = DefaultMaxBackfill
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	if cfg.MaxReorgDepth <= 0 {
		cfg.MaxReorgDepth = DefaultMaxReorgDepth
	}
	if cfg.BackfillChunk == 0 {
		cfg.BackfillChunk = DefaultBackfillChunk
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	f := &Follower{chain: c, store: s, owners: owners, pub: pub, cfg: cfg, log: cfg.Logger}
	f.span.Store(cfg.BackfillChunk)
	return f
}

// Run follows the chain until ctx ends. A failing step (the node down) is
// logged and retried, backing off to 5 s; the blocks missed meanwhile are
// processed when it works again, so no event is lost.
func (f *Follower) Run(ctx context.Context) {
	f.resume(ctx)
	wait := f.cfg.PollInterval
	failing := false
	lastSweep := time.Now()
	notifier, _ := f.chain.(HeadNotifier)
	for {
		// Taken before the step, so that a head arriving during it
		// wakes the next wait at once.
		var newHead <-chan struct{}
		if notifier != nil {
			newHead = notifier.NewHead()
		}
		advanced, err := f.Step(ctx)
		if err == nil && !advanced && f.cfg.SweepInterval > 0 && time.Since(lastSweep) >= f.cfg.SweepInterval {
			lastSweep = time.Now()
			err = f.SweepNow(ctx)
		}
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			if !failing {
				f.log.Warn("follower step failed; retrying", "err", err.Error())
			}
			failing = true
			wait = min(max(2*wait, f.cfg.PollInterval), 5*time.Second)
		default:
			if failing {
				f.log.Info("follower works again")
			}
			failing = false
			wait = f.cfg.PollInterval
			if advanced {
				continue // catch up without waiting
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		case <-newHead:
		}
	}
}

// resume takes the persisted cursor as the follower's head, so that its
// metrics and Head name it from the start rather than only once the next
// block is processed. A store that fails here fails the first Step too,
// which logs it.
func (f *Follower) resume(ctx context.Context) {
	recent, err := f.store.RecentBlocks(ctx)
	if err != nil || len(recent) == 0 {
		return
	}
	cur := recent[0].Block
	f.cursor.Store(&cur)
	if f.cfg.Metrics != nil {
		f.cfg.Metrics.OnResume(cur.Number)
	}
}

// Step processes the block after the cursor, or a run of blocks caught up
// with one ranged logs query, or a sweep, and reports whether it moved the
// cursor.
func (f *Follower) Step(ctx context.Context) (bool, error) {
	head, err := f.chain.ResolveBlock(ctx, portfoliod.LatestBlock)
	if err != nil {
		return false, err
	}
	if head.Number < f.cfg.Confirmations {
		return false, nil
	}
	target := head.Number - f.cfg.Confirmations
	recent, err := f.store.RecentBlocks(ctx)
	if err != nil {
		return false, err
	}
	if len(recent) == 0 {
		// A first start follows from the target on: the past is no
		// event. A sweep reads every customer wallet there, so the
		// register and the cache know them all.
		f.log.Info("follower starts", "block", target)
		return true, f.sweep(ctx, target)
	}
	cur := recent[0].Block
	f.cursor.Store(&cur)
	if target <= cur.Number+1 && f.span.Load() != f.cfg.BackfillChunk {
		f.narrow(f.cfg.BackfillChunk) // caught up: the next catch-up starts wide
	}
	switch {
	case target > cur.Number+f.cfg.MaxBackfill:
		return true, f.sweep(ctx, target)
	case target > cur.Number:
		if rc, ok := f.chain.(RangeChain); ok {
			if end := min(target, head.Number-min(head.Number, rangeTipGap)); end > cur.Number+1 {
				return f.backfill(ctx, rc, recent, end, target)
			}
		}
		return f.next(ctx, recent, target)
	case target < cur.Number || (f.cfg.Confirmations == 0 && head.Hash != cur.Hash):
		// The chain went back, or another block stands at the cursor's
		// height.
		return f.reorg(ctx, recent, target)
	}
	return false, nil
}

// next processes the block after the cursor, with a logs query of its
// own; a parent other than the cursor is a reorg.
func (f *Follower) next(ctx context.Context, recent []portfoliod.FollowedBlock, target uint64) (bool, error) {
	cur := recent[0].Block
	hdr, parent, err := f.chain.Header(ctx, cur.Number+1)
	if err != nil {
		return false, err
	}
	if parent != cur.Hash {
		return f.reorg(ctx, recent, target)
	}
	return true, f.process(ctx, hdr, parent, nil)
}

// backfill catches up a run of blocks after the cursor (at most the span
// wide, up to end) with one ranged logs query and batched headers, and
// processes and commits each block of it as next does, so a crash midway
// keeps every block before it. The run is used only when its headers link
// from the cursor to the block the logs query ended at, and every block
// the logs name is on that walk; otherwise the chain moved in between and
// the next block is processed on its own. So is it when the ranged query
// or the headers fail, and the span is halved: a range too slow for the
// node's timeout becomes narrower, and a node that fails altogether fails
// the next block's own queries too, which the caller retries.
func (f *Follower) backfill(ctx context.Context, rc RangeChain, recent []portfoliod.FollowedBlock, end, target uint64) (bool, error) {
	cur := recent[0].Block
	span := f.span.Load()
	to := min(end, cur.Number+span)
	rt, err := rc.RangeTouches(ctx, cur.Number+1, to)
	var hdrs []portfoliod.LinkedBlock
	if err == nil {
		hdrs, err = rc.Headers(ctx, cur.Number+1, rt.To.Number)
	}
	if err != nil {
		if ctx.Err() != nil {
			return false, err
		}
		f.narrow(max(span/2, 1))
		f.log.Info("ranged catch-up failed; processing the next block alone", "from", cur.Number+1, "to", to, "err", err.Error())
		return f.next(ctx, recent, target)
	}
	switch got := rt.To.Number - cur.Number; {
	case got < to-cur.Number:
		f.narrow(max(got, 1)) // the node's limit
	case got == span && span < f.cfg.BackfillChunk && f.spanOK.Add(1) >= spanGrowAfter:
		f.narrow(min(2*span, f.cfg.BackfillChunk))
	}
	if len(hdrs) == 0 || hdrs[0].Parent != cur.Hash {
		return f.reorg(ctx, recent, target)
	}
	linked := hdrs[len(hdrs)-1].Block.Hash == rt.To.Hash
	onWalk := make(map[common.Hash]bool, len(hdrs))
	for i, h := range hdrs {
		if i > 0 && h.Parent != hdrs[i-1].Block.Hash {
			linked = false
		}
		onWalk[h.Block.Hash] = true
	}
	for h := range rt.ByBlock {
		linked = linked && onWalk[h]
	}
	if !linked {
		f.log.Info("chain moved during a ranged logs query; processing the next block alone", "from", cur.Number+1, "to", rt.To.Number)
		return f.next(ctx, recent, target)
	}
	events := 0
	for _, h := range hdrs {
		n, err := f.processTouches(ctx, h.Block, h.Parent, rt.ByBlock[h.Block.Hash], nil)
		if err != nil {
			return true, err
		}
		events += n
	}
	f.log.Info("backfilled", "from", cur.Number+1, "to", rt.To.Number, "blocks", len(hdrs), "events", events, "target", target)
	if f.cfg.Metrics != nil {
		f.cfg.Metrics.OnBackfill(len(hdrs))
	}
	return true, nil
}

// narrow sets the width of the next ranged logs queries.
func (f *Follower) narrow(span uint64) {
	f.span.Store(span)
	f.spanOK.Store(0)
}

// reorg finds the newest kept block still canonical and processes the
// block after it, re-reading every pair the orphaned blocks touched, so
// the last event of every wallet is its canonical state. Without such a
// block within the kept blocks and MaxReorgDepth orphaned blocks, it
// sweeps.
func (f *Follower) reorg(ctx context.Context, recent []portfoliod.FollowedBlock, target uint64) (bool, error) {
	var orphaned []portfoliod.TokenWallet
	for i, fb := range recent {
		if i > f.cfg.MaxReorgDepth {
			break
		}
		if fb.Block.Number > target {
			orphaned = append(orphaned, fb.Touched...)
			continue
		}
		hdr, _, err := f.chain.Header(ctx, fb.Block.Number)
		if err != nil {
			return false, err
		}
		if hdr.Hash != fb.Block.Hash {
			orphaned = append(orphaned, fb.Touched...)
			continue
		}
		if fb.Block.Number == target {
			// The canonical chain ends at the fork: wait for a block
			// after it, which will carry the corrections.
			return false, nil
		}
		next, parent, err := f.chain.Header(ctx, fb.Block.Number+1)
		if err != nil {
			return false, err
		}
		if parent != fb.Block.Hash {
			return false, fmt.Errorf("block %d moved again while following a reorg", fb.Block.Number+1)
		}
		f.log.Warn("reorg followed", "depth", i, "fork_block", fb.Block.Number, "orphaned_pairs", len(orphaned))
		if f.cfg.Metrics != nil {
			f.cfg.Metrics.OnReorg(i)
		}
		return true, f.process(ctx, next, parent, orphaned)
	}
	f.log.Warn("reorg deeper than the kept blocks or live.max_reorg_depth: sweeping", "kept", len(recent), "max_reorg_depth", f.cfg.MaxReorgDepth)
	return true, f.sweep(ctx, target)
}

// pairRead is what process reads for one (token, wallet).
type pairRead struct {
	customerID string
	txs        []common.Hash
	reorg      bool
	// sweep: without known figures the wallet's past is unknown, so its
	// figures are set without an event.
	sweep bool
}

// process reads the pairs block b touched (plus the orphaned ones of a
// reorg), compares them with their last known figures and commits the
// differences as events, the new figures and b as the cursor, in one
// store transaction.
//
// A block whose logs the node refuses to list, as more than it returns in
// one answer, would stop the follower there for good: b is swept instead
// (every customer wallet read at b), so its events carry no transactions.
func (f *Follower) process(ctx context.Context, b portfoliod.Block, parent common.Hash, orphaned []portfoliod.TokenWallet) error {
	touches, err := f.chain.Touches(ctx, b)
	if errors.Is(err, portfoliod.ErrTooManyLogs) {
		f.log.Warn("the node refuses to list this block's logs: sweeping it", "block", b.Number, "err", err.Error())
		return f.sweepAt(ctx, b, parent, orphaned, true)
	}
	if err != nil {
		return err
	}
	_, err = f.processTouches(ctx, b, parent, touches, orphaned)
	return err
}

// processTouches is process with block b's touches at hand; it returns
// the number of events committed.
func (f *Follower) processTouches(ctx context.Context, b portfoliod.Block, parent common.Hash, touches []portfoliod.Touch, orphaned []portfoliod.TokenWallet) (int, error) {
	commit := portfoliod.BlockCommit{Block: b, Parent: parent}
	byToken := map[common.Address]map[common.Address]*pairRead{}
	owners := map[common.Address]string{}
	add := func(token, w common.Address) (*pairRead, error) {
		id, ok := owners[w]
		if !ok {
			c, err := f.owners.FindByWallet(ctx, w)
			switch {
			case err == nil:
				id = c.ID
			case portfoliod.ErrorCode(err) != portfoliod.ENOTFOUND:
				return nil, err
			}
			owners[w] = id
		}
		if id == "" {
			return nil, nil // nobody's wallet: no event
		}
		m := byToken[token]
		if m == nil {
			m = map[common.Address]*pairRead{}
			byToken[token] = m
		}
		p := m[w]
		if p == nil {
			p = &pairRead{customerID: id}
			m[w] = p
		}
		return p, nil
	}
	for _, t := range touches {
		commit.Touched = append(commit.Touched, portfoliod.TokenWallet{Token: t.Token, Wallet: t.Wallet})
		p, err := add(t.Token, t.Wallet)
		if err != nil {
			return 0, err
		}
		if p != nil {
			p.txs = append(p.txs, t.Tx)
		}
	}
	for _, o := range orphaned {
		p, err := add(o.Token, o.Wallet)
		if err != nil {
			return 0, err
		}
		if p != nil {
			p.reorg = true
		}
	}
	for token, pairs := range byToken {
		evs, figs, err := f.readPairs(ctx, b, parent, token, pairs)
		if err != nil {
			return 0, err
		}
		commit.Events = append(commit.Events, evs...)
		commit.Figures = append(commit.Figures, figs...)
	}
	if err := f.store.CommitBlock(ctx, commit); err != nil {
		return 0, err
	}
	f.cursor.Store(&b)
	f.observe(b, commit.Events)
	return len(commit.Events), nil
}

// readPairs reads pairs in token at b in one snapshot (and, for wallets
// with no known figures yet, at b's parent, for their previous figures).
func (f *Follower) readPairs(ctx context.Context, b portfoliod.Block, parent common.Hash, token common.Address, pairs map[common.Address]*pairRead) ([]portfoliod.Event, []portfoliod.TokenWalletFigures, error) {
	wallets := make([]common.Address, 0, len(pairs))
	for w := range pairs {
		wallets = append(wallets, w)
	}
	known, err := f.store.KnownFigures(ctx, token, wallets)
	if err != nil {
		return nil, nil, err
	}
	var unknown []common.Address
	for _, w := range wallets {
		if _, ok := known[w]; !ok && !pairs[w].sweep {
			unknown = append(unknown, w)
		}
	}
	if len(unknown) > 0 && b.Number > 0 {
		prev, err := f.readBatched(ctx, portfoliod.Block{Number: b.Number - 1, Hash: parent}, token, unknown)
		if err != nil {
			return nil, nil, err
		}
		for _, bal := range prev.Balances {
			known[bal.Wallet] = portfoliod.KnownFigures{Figures: portfoliod.FiguresOf(bal)}
		}
	}
	snap, err := f.readBatched(ctx, b, token, wallets)
	if err != nil {
		return nil, nil, err
	}
	var events []portfoliod.Event
	var figs []portfoliod.TokenWalletFigures
	for _, bal := range snap.Balances {
		p := pairs[bal.Wallet]
		cur := portfoliod.FiguresOf(bal)
		figs = append(figs, portfoliod.TokenWalletFigures{TokenWallet: portfoliod.TokenWallet{Token: token, Wallet: bal.Wallet},
			Known: portfoliod.KnownFigures{Figures: cur, Block: snap.Block}})
		prev, ok := known[bal.Wallet]
		switch {
		case !ok && p.sweep:
			continue
		case !ok: // the genesis block: nothing before it
			prev.Figures = portfoliod.Figures{Total: new(big.Int), Frozen: new(big.Int), Available: new(big.Int)}
		}
		changed := prev.Changed(cur)
		if len(changed) == 0 {
			continue
		}
		events = append(events, portfoliod.Event{
			ID: portfoliod.EventID(snap.Block.Hash, token, bal.Wallet), Type: portfoliod.EventBalanceUpdated, CreatedAt: f.cfg.Now().UTC(),
			Data: portfoliod.BalanceChange{CustomerID: p.customerID, Wallet: bal.Wallet, Token: token, Block: snap.Block,
				Previous: prev.Figures, Balances: cur, Changed: changed, Transactions: p.txs, Reorg: p.reorg},
		})
	}
	return events, figs, nil
}

// Current returns the figures the follower holds for wallets in token
// that are the chain's at head, by wallet: those of a cache-across-blocks
// token, when the follower has processed every block up to head (its
// cursor is head, by hash) and read the figures at or below it. Since
// every change of such a token emits an event that makes the follower
// read the wallet again, a figure read at block N is the figure at head
// when no event touched it in between (SPEC section 9, "Cache across
// blocks"). Wallets it holds no such figure for are left out: the caller
// reads them from the chain at head.
func (f *Follower) Current(ctx context.Context, head portfoliod.Block, token common.Address, wallets []common.Address) (map[common.Address]portfoliod.Figures, error) {
	if !slices.Contains(f.cfg.CacheAcrossBlocks, token) {
		return nil, nil
	}
	if c := f.cursor.Load(); c == nil || c.Hash != head.Hash {
		return nil, nil
	}
	known, err := f.store.KnownFigures(ctx, token, wallets)
	if err != nil {
		return nil, err
	}
	out := make(map[common.Address]portfoliod.Figures, len(known))
	for w, k := range known {
		// A block committed since the cursor check may have read the
		// wallet again, above head: that figure is not head's.
		if k.Block.Number <= head.Number && k.Block.Hash != (common.Hash{}) {
			out[w] = k.Figures
		}
	}
	// The head may have been orphaned meanwhile; the figures are still
	// head's, which the answer names.
	return out, nil
}

// Head returns the last block the follower processed, the block its
// figures are the chain's at; false before its first step.
func (f *Follower) Head() (portfoliod.Block, bool) {
	c := f.cursor.Load()
	if c == nil {
		return portfoliod.Block{}, false
	}
	return *c, true
}

// Linked reads wallets just linked to a customer at the chain's head and
// sets their known figures, without an event (their past is none): so the
// register and the cache know them before they first change. It reads at
// the head rather than at the follower's cursor, so that a block the
// follower processed before the link (the wallet then belonged to nobody)
// is in the figures; only a block whose processing spans the link itself
// can still be missed, until the wallet next changes or the next sweep.
// Figures the follower meanwhile read at a later block are kept.
func (f *Follower) Linked(ctx context.Context, wallets []common.Address) error {
	if f.cursor.Load() == nil || len(wallets) == 0 {
		return nil
	}
	head, err := f.chain.ResolveBlock(ctx, portfoliod.LatestBlock)
	if err != nil {
		return err
	}
	c := &head
	var figs []portfoliod.TokenWalletFigures
	for _, t := range f.chain.Tokens() {
		snap, err := f.chain.BalancesAt(ctx, *c, t.Address, wallets)
		if err != nil {
			return err
		}
		for _, b := range snap.Balances {
			figs = append(figs, portfoliod.TokenWalletFigures{TokenWallet: portfoliod.TokenWallet{Token: t.Address, Wallet: b.Wallet},
				Known: portfoliod.KnownFigures{Figures: portfoliod.FiguresOf(b), Block: snap.Block}})
		}
	}
	return f.store.SetKnownFigures(ctx, figs)
}

// SweepNow sweeps at the cursor block: every customer wallet is read there
// and each difference from its known figures is an event. The follower
// must have started (a first Step).
func (f *Follower) SweepNow(ctx context.Context) error {
	c := f.cursor.Load()
	if c == nil {
		return nil
	}
	return f.sweep(ctx, c.Number)
}

// readBatch bounds the wallets of one read: a sweep of every customer
// wallet in one read would be one JSON-RPC request of many megabytes,
// which nodes refuse (anvil at 2 MB, geth at 5 MB).
const readBatch = 1000

// readBatched reads wallets at b in reads of at most readBatch wallets,
// all pinned to b.
func (f *Follower) readBatched(ctx context.Context, b portfoliod.Block, token common.Address, wallets []common.Address) (portfoliod.Snapshot, error) {
	var out portfoliod.Snapshot
	for chunk := range slices.Chunk(wallets, readBatch) {
		snap, err := f.chain.BalancesAt(ctx, b, token, chunk)
		if err != nil {
			return portfoliod.Snapshot{}, err
		}
		out.Block, out.Token = snap.Block, snap.Token
		out.Balances = append(out.Balances, snap.Balances...)
	}
	if len(wallets) == 0 {
		out.Block, out.Token = b, token
	}
	return out, nil
}

// sweep reads every customer wallet in every token at the target block
// and commits what differs from the known figures: the fallback when the
// follower is too far behind, or a reorg is too deep, to go block by block.
func (f *Follower) sweep(ctx context.Context, target uint64) error {
	hdr, parent, err := f.chain.Header(ctx, target)
	if err != nil {
		return err
	}
	return f.sweepAt(ctx, hdr, parent, nil, false)
}

// sweepAt is sweep at block hdr, whose parent is parent; the orphaned
// pairs of a reorg that are customer wallets (all of which are read) have
// their events marked as corrections. next says that hdr is the block
// the follower takes next, after its cursor or a reorg's fork block
// (parent): a wallet without known figures is then read at parent too,
// for its event's previous figures, as a touched one is, instead of
// having its figures set without an event.
func (f *Follower) sweepAt(ctx context.Context, hdr portfoliod.Block, parent common.Hash, orphaned []portfoliod.TokenWallet, next bool) error {
	owner := map[common.Address]string{}
	err := f.owners.ForEach(ctx, func(c portfoliod.Customer) error {
		for _, w := range c.Wallets {
			owner[w] = c.ID
		}
		return nil
	})
	if err != nil {
		return err
	}
	commit := portfoliod.BlockCommit{Block: hdr, Parent: parent}
	// Re-committing a kept block (a periodic sweep at the cursor) keeps
	// the pairs it touched, for a reorg that orphans it.
	if recent, err := f.store.RecentBlocks(ctx); err == nil && len(recent) > 0 && recent[0].Block.Hash == hdr.Hash {
		commit.Touched = recent[0].Touched
	} else if err != nil {
		return err
	}
	if len(owner) > 0 {
		for _, t := range f.chain.Tokens() {
			pairs := make(map[common.Address]*pairRead, len(owner))
			for w, id := range owner {
				pairs[w] = &pairRead{customerID: id, sweep: !next}
			}
			for _, o := range orphaned {
				if p := pairs[o.Wallet]; p != nil && o.Token == t.Address {
					p.reorg = true
				}
			}
			evs, figs, err := f.readPairs(ctx, hdr, parent, t.Address, pairs)
			if err != nil {
				return err
			}
			commit.Events = append(commit.Events, evs...)
			commit.Figures = append(commit.Figures, figs...)
			for _, e := range evs {
				commit.Touched = append(commit.Touched, portfoliod.TokenWallet{Token: t.Address, Wallet: e.Data.Wallet})
			}
		}
	}
	if err := f.store.CommitBlock(ctx, commit); err != nil {
		return err
	}
	f.cursor.Store(&hdr)
	f.log.Info("sweep done", "block", hdr.Number, "wallets", len(owner), "events", len(commit.Events))
	if f.cfg.Metrics != nil {
		f.cfg.Metrics.OnSweep()
	}
	f.observe(hdr, commit.Events)
	return nil
}

func (f *Follower) observe(b portfoliod.Block, events []portfoliod.Event) {
	if f.cfg.Metrics != nil {
		f.cfg.Metrics.OnBlock(b.Number)
		f.cfg.Metrics.OnEvents(len(events))
	}
	if f.pub != nil && len(events) > 0 {
		f.pub.Publish(events)
	}
}

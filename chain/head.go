package chain

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
)

// Head tracking defaults (Config.HeadPollInterval, Config.HeadStaleAfter,
// Config.MaxHeadAge).
const (
	DefaultHeadPollInterval = time.Second
	DefaultHeadStaleAfter   = 30 * time.Second
	DefaultMaxHeadAge       = 100 * time.Millisecond
)

// ErrHeadStale means the head tracker has not updated the head within
// Config.HeadStaleAfter (see Reader.Check).
var ErrHeadStale = errors.New("chain head is stale")

// The tracker.
//
// From Dial to Close one goroutine follows the head: it polls the latest
// header over HTTP every HeadPollInterval or, with Config.WSURL, follows a
// newHeads subscription (polling while the subscription is down). Each
// successful poll or notification refreshes the head's update time, and
// that is what "fresh" means: the tracker reached the node recently, not
// that a new block arrived recently. A chain that produces no blocks while
// idle (anvil in automine mode) keeps a fresh head as long as the node
// answers; a node that answers but is stuck is visible in the head's block
// time (Head, the portfoliod_head_age_seconds metric), not in freshness.

// Head returns the tracked head, when the tracker last updated it
// successfully, and whether a head was ever tracked (false with head
// tracking disabled or before the first successful poll). The head is the
// highest block this Reader has taken as latest: it never goes back because
// an endpoint lags, only when the chain itself does (see noteHead).
func (r *Reader) Head() (Block, time.Time, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.headAt.IsZero() {
		return Block{}, time.Time{}, false
	}
	return r.highest[Latest], r.headAt, true
}

// freshHead returns the tracked head if the tracker updated it within
// HeadStaleAfter.
func (r *Reader) freshHead() (Block, bool) {
	if !r.trackHead {
		return Block{}, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.headAt.IsZero() || time.Since(r.headAt) > r.staleAfter {
		return Block{}, false
	}
	return r.highest[Latest], true
}

// currentHead returns the tracked head if a latest read may answer from
// it: the newHeads subscription is up (a new block would have been
// reported), or the head was confirmed within MaxHeadAge.
func (r *Reader) currentHead() (Block, bool) {
	if !r.trackHead {
		return Block{}, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.headAt.IsZero() {
		return Block{}, false
	}
	age := time.Since(r.headAt)
	if age > r.staleAfter || (age > r.maxHeadAge && !r.subscribed.Load()) {
		return Block{}, false
	}
	return r.highest[Latest], true
}

// refreshHead polls the latest header once for all concurrent callers
// (each still returns when its own context ends).
func (r *Reader) refreshHead(ctx context.Context) error {
	_, err := r.coalesce(ctx, "head\x00", func(ctx context.Context) (any, error) {
		return nil, r.pollHead(ctx)
	})
	return err
}

// currentLatest returns the head a latest read answers from: the tracked
// head while current (see currentHead), else the head refreshed once for
// all concurrent callers. When the refresh finds no endpoint answering,
// the tracked head is used while fresh (the caller says since when the
// node has been unreachable); without head tracking, latest is asked for
// (one request).
func (r *Reader) currentLatest(ctx context.Context) (Block, error) {
	if b, ok := r.currentHead(); ok {
		return b, nil
	}
	if r.trackHead {
		err := r.refreshHead(ctx)
		if b, ok := r.freshHead(); ok && (err == nil || (errors.Is(err, ErrUnavailable) && ctx.Err() == nil)) {
			return b, nil
		}
		if err != nil {
			return Block{}, err
		}
	}
	b, _, err := r.resolve(ctx, LatestBlock)
	return b, err
}

// NewHead returns a channel closed when the tracked head next changes (a
// higher block, another block at the head's number, or the chain going
// back), whoever learnt it: the tracker's poll or subscription, or a
// latest read (see Config.MaxHeadAge). Take it before looking at the head
// so that no change is missed in between.
func (r *Reader) NewHead() <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.headCh == nil {
		r.headCh = make(chan struct{})
	}
	return r.headCh
}

// headChanged wakes the waiters of NewHead; r.mu must be held.
func (r *Reader) headChanged() {
	if r.headCh != nil {
		close(r.headCh)
		r.headCh = nil // the next NewHead makes another
	}
}

// headProblem reports a head that is not fresh, for Check.
func (r *Reader) headProblem() error {
	if !r.trackHead {
		return nil
	}
	r.mu.Lock()
	at := r.headAt
	r.mu.Unlock()
	if at.IsZero() {
		return fmt.Errorf("%w: no head tracked since start-up at %s (%s ago)", ErrHeadStale,
			r.started.UTC().Format(time.RFC3339), time.Since(r.started).Round(time.Second))
	}
	if age := time.Since(at); age > r.staleAfter {
		return fmt.Errorf("%w: last updated at %s (%s ago, stale after %s); reads resolve their block per request",
			ErrHeadStale, at.UTC().Format(time.RFC3339), age.Round(time.Second), r.staleAfter)
	}
	return nil
}

// rewindPolls is how many reports of a lower head in a row it takes before
// the tracker asks whether the chain went back (see noteHead).
const rewindPolls = 3

// noteHead considers b, the latest block an endpoint or the subscription
// reported, and marks the head fresh as of now (see noteHeadAsOf).
func (r *Reader) noteHead(ctx context.Context, b Block) {
	r.noteHeadAsOf(ctx, b, time.Now())
}

// noteHeadAsOf is noteHead for a b asked for at asOf: the head is known
// fresh as of when the request was sent, not when its slow answer came
// (the node may have mined meanwhile), so a latest read's MaxHeadAge
// counts from there. A fresher mark is never moved back.
//
// A higher block, or another block at the head's number (a reorg), becomes
// the head. A lower block is normally an endpoint lagging behind and is
// ignored, so that the block number clients see never goes backwards. But
// the chain itself can go back (a dev chain restarted or reset, a reorg to
// a shorter chain), and then every read pinned to the tracked head fails.
// So after rewindPolls lower reports in a row, the tracker asks every
// endpoint for the head's hash: if all of them answer and none has it, the
// chain went back and b becomes the head. A lagging endpoint is told apart
// by the others still having the head; while any endpoint does not answer,
// the head is kept (reads then fail over to the endpoints that have it).
// ctx bounds those questions.
func (r *Reader) noteHeadAsOf(ctx context.Context, b Block, asOf time.Time) {
	r.mu.Lock()
	prev, had := r.highest[Latest]
	if asOf.After(r.headAt) {
		r.headAt = asOf
	}
	r.unreachableSince = time.Time{}
	if !had || b.Number > prev.Number || (b.Number == prev.Number && b.Hash != prev.Hash) {
		r.highest[Latest] = b
		r.lowStreak = 0
		r.headChanged()
		r.mu.Unlock()
		if r.obs != nil {
			r.obs.OnHead(b.Number, b.Time)
		}
		return
	}
	if b.Number == prev.Number {
		r.lowStreak = 0
		r.mu.Unlock()
		return
	}
	r.lowStreak++
	ask := r.lowStreak >= rewindPolls
	if ask {
		r.lowStreak = 0 // ask again only after rewindPolls more
	}
	r.mu.Unlock()
	if !ask || r.headKnownSomewhere(ctx, prev.Hash) {
		return
	}
	r.mu.Lock()
	if r.highest[Latest] != prev { // another report moved the head meanwhile
		r.mu.Unlock()
		return
	}
	r.highest = map[BlockTag]Block{Latest: b}
	r.tags = map[BlockTag]tagEntry{}
	r.numbers.Purge()
	r.headChanged()
	r.mu.Unlock()
	r.log.Warn("the chain went back: following the node's lower head (a restarted or reset dev chain, or a reorg)",
		"from_block", prev.Number, "to_block", b.Number)
	if r.obs != nil {
		r.obs.OnHead(b.Number, b.Time)
	}
}

// headKnownSomewhere asks every endpoint (except those serving another
// chain), and the subscription's node, for the block with hash h. It reports false only when all of them
// answered and none has it; an endpoint that fails to answer counts as
// possibly having it.
func (r *Reader) headKnownSomewhere(ctx context.Context, h common.Hash) bool {
	for _, ep := range r.eps {
		ep.mu.Lock()
		wrong := ep.wrongChain != nil
		ep.mu.Unlock()
		if wrong {
			continue
		}
		var hdr *rpcHeader
		if err := r.callOne(ctx, ep, &hdr, "eth_getBlockByHash", h, false); err != nil || hdr != nil {
			return true
		}
	}
	if r.wsURL != "" {
		// The head may have come over the subscription, from a node not
		// among the endpoints: ask it too.
		callCtx, cancel := context.WithTimeout(ctx, r.callTimeout)
		defer cancel()
		client, err := rpc.DialContext(callCtx, r.wsURL)
		if err != nil {
			return true
		}
		defer client.Close()
		var hdr *rpcHeader
		if err := client.CallContext(callCtx, &hdr, "eth_getBlockByHash", h, false); err != nil || hdr != nil {
			return true
		}
	}
	return false
}

// pollHead reads the latest header (one request, with failover) and notes
// it. Polling the header rather than eth_blockNumber costs the same one
// request and also sees a head replaced at the same number (a reorg, or a
// restarted dev chain).
func (r *Reader) pollHead(ctx context.Context) error {
	var got Block
	var asOf time.Time
	err := r.do(ctx, "eth_getBlockByNumber", func(ctx context.Context, ep *endpoint) error {
		asOf = time.Now() // this attempt's, after any failed endpoint
		var h *rpcHeader
		if err := ep.client.CallContext(ctx, &h, "eth_getBlockByNumber", string(Latest), false); err != nil {
			return err
		}
		if h == nil {
			return errors.New("the node returned no latest block")
		}
		got = h.block()
		return nil
	})
	if err != nil {
		if ctx.Err() == nil {
			r.mu.Lock()
			if r.unreachableSince.IsZero() {
				r.unreachableSince = time.Now()
			}
			r.mu.Unlock()
		}
		return err
	}
	r.noteHeadAsOf(ctx, got, asOf)
	return nil
}

// staleSince is when the head tracker last found every endpoint failing,
// zero while the node answers (see Snapshot.StaleSince).
func (r *Reader) staleSince() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.unreachableSince
}

// track runs the head tracker until ctx ends.
func (r *Reader) track(ctx context.Context) {
	defer close(r.trackerDone)
	if r.wsURL == "" {
		r.pollFor(ctx, -1)
		return
	}
	label := RedactURL(r.wsURL)
	backoff := r.backoff
	for {
		start := time.Now()
		err := r.followWS(ctx, label)
		if ctx.Err() != nil {
			return
		}
		if time.Since(start) > r.maxBackoff {
			backoff = r.backoff // it had been working: retry soon
		}
		r.log.Warn("head subscription down, polling until it is back", "endpoint", label,
			"err", describe(err), "retry_in", backoff.String())
		if !r.pollFor(ctx, backoff) {
			return
		}
		backoff = min(2*backoff, r.maxBackoff)
	}
}

// pollFor polls the head every HeadPollInterval for d (forever when d is
// negative), the first time after one interval. It returns false when ctx
// ended.
func (r *Reader) pollFor(ctx context.Context, d time.Duration) bool {
	var deadline <-chan time.Time
	if d >= 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		deadline = t.C
	}
	tick := time.NewTicker(r.pollEvery)
	defer tick.Stop()
	failing := false
	for {
		select {
		case <-ctx.Done():
			return false
		case <-deadline:
			return true
		case <-tick.C:
		}
		err := r.pollHead(ctx)
		switch {
		case err != nil && !failing && ctx.Err() == nil:
			failing = true
			r.log.Warn("head poll failed", "err", err.Error())
		case err == nil && failing:
			failing = false
			r.log.Info("head poll works again")
		}
	}
}

// followWS subscribes to newHeads at Config.WSURL and notes every head
// until the subscription fails or ctx ends. When no head arrives for half
// of HeadStaleAfter (an idle dev chain) it polls over HTTP, which keeps the
// head fresh and proves the node answers.
func (r *Reader) followWS(ctx context.Context, label string) error {
	setup, cancel := context.WithTimeout(ctx, r.callTimeout)
	defer cancel()
	client, err := rpc.DialOptions(setup, r.wsURL)
	if err != nil {
		return err
	}
	defer client.Close()
	var id hexutil.Uint64
	if err := client.CallContext(setup, &id, "eth_chainId"); err != nil {
		return err
	}
	if uint64(id) != r.chainID {
		return fmt.Errorf("%w: ws endpoint %s serves chain id %d, configured %d", ErrChainIDMismatch, label, id, r.chainID)
	}
	heads := make(chan *rpcHeader, 64)
	sub, err := client.EthSubscribe(setup, heads, "newHeads")
	if err != nil {
		return err
	}
	// Close the client first: unsubscribing over a dead connection would
	// wait for a timeout, and Close must not.
	defer func() {
		client.Close()
		sub.Unsubscribe()
	}()
	r.log.Info("following the chain head", "endpoint", label)
	// The subscription reports only the heads to come.
	if err := r.pollHead(ctx); err != nil && ctx.Err() == nil {
		r.log.Warn("head poll failed", "err", err.Error())
	}
	// From here a new block is reported as it comes: the tracked head is
	// current whatever its age (see currentHead).
	r.subscribed.Store(true)
	defer r.subscribed.Store(false)
	idle := max(r.staleAfter/2, r.pollEvery)
	watchdog := time.NewTimer(idle)
	defer watchdog.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-sub.Err():
			if err == nil {
				err = errors.New("subscription closed")
			}
			return err
		case h := <-heads:
			if h != nil {
				r.noteHead(ctx, h.block())
			}
		case <-watchdog.C:
			if err := r.pollHead(ctx); err != nil && ctx.Err() == nil {
				r.log.Warn("head poll failed", "err", err.Error())
			}
		}
		// Since Go 1.23 no stale tick survives a Reset. While lower heads
		// are being reported (the chain may have gone back, and no new
		// head will come over the subscription), poll at the poll rate.
		next := idle
		r.mu.Lock()
		if r.lowStreak > 0 {
			next = r.pollEvery
		}
		r.mu.Unlock()
		watchdog.Reset(next)
	}
}

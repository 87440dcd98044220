// Package aggregator is the core use case: one profile read, then one
// block-pinned balance snapshot for all of the customer's wallets, merged
// into a checked portfolio (every wallet paired with its balance by
// address). It imports the domain only; the store and the chain reader
// are interfaces it is given.
package aggregator

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"golang.org/x/sync/semaphore"

	"github.com/portfoliod/portfoliod"
)

// CustomerFinder loads a customer profile. Every portfoliod.CustomerStore
// implements it.
type CustomerFinder interface {
	Get(ctx context.Context, id string) (portfoliod.Customer, error)
}

// Known gives the figures a chain follower holds that are the chain's at
// head (live.Follower implements it).
type Known interface {
	Current(ctx context.Context, head portfoliod.Block, token common.Address, wallets []common.Address) (map[common.Address]portfoliod.Figures, error)
}

// HeadReader is the part of the balance reader a read served partly from
// Known needs: the latest block, and reads pinned to it. chain.Reader
// implements it.
type HeadReader interface {
	LatestHead(ctx context.Context) (portfoliod.Block, time.Time, error)
	BalancesAt(ctx context.Context, b portfoliod.Block, token common.Address, wallets []common.Address) (portfoliod.Snapshot, error)
}

// Service answers portfolio questions. It is safe for concurrent use.
type Service struct {
	customers CustomerFinder
	balances  portfoliod.BalanceReader
	inflight  *semaphore.Weighted // nil: unlimited
	queueWait time.Duration
	known     Known
	heads     HeadReader
}

// WithKnown serves latest reads from the figures k holds at the head where
// it has them, reading only the other wallets from the chain (SPEC
// section 9, "Cache across blocks"). It needs a balance reader that is a
// HeadReader; with another it does nothing.
func WithKnown(k Known) Option {
	return func(s *Service) { s.known = k }
}

// Option configures a Service.
type Option func(*Service)

// WithMaxInFlight bounds the chain reads running at once to n. A read over
// the bound waits up to wait for a slot (or its context), then fails with
// portfoliod.ErrOverloaded, so a burst queues briefly and then sheds instead of piling
// onto the node.
func WithMaxInFlight(n int, wait time.Duration) Option {
	return func(s *Service) {
		if n > 0 {
			s.inflight, s.queueWait = semaphore.NewWeighted(int64(n)), wait
		}
	}
}

// New returns a Service reading profiles from c and balances from b.
func New(c CustomerFinder, b portfoliod.BalanceReader, opts ...Option) *Service {
	s := &Service{customers: c, balances: b}
	for _, o := range opts {
		o(s)
	}
	if h, ok := b.(HeadReader); ok && s.known != nil {
		s.heads = h
	} else {
		s.known = nil
	}
	return s
}

// Options select the block and the token of a read.
type Options = portfoliod.ReadOptions

// Tokens lists the configured tokens, the default first.
func (s *Service) Tokens() []portfoliod.Token { return s.balances.Tokens() }

// token is the token a read of opts uses: opts.Token, or the default. The
// reader itself rejects a token that is not configured.
func (s *Service) token(opts Options) (common.Address, error) {
	if opts.Token != (common.Address{}) {
		return opts.Token, nil
	}
	tokens := s.balances.Tokens()
	if len(tokens) == 0 {
		return common.Address{}, fmt.Errorf("no token configured: %w", portfoliod.ErrUnknownToken)
	}
	return tokens[0].Address, nil
}

// Portfolio loads customer id and reads every wallet's balance at one
// block. It returns portfoliod.ErrCustomerNotFound for an unknown id, and
// the read errors (EUNAVAILABLE, EBADREAD, ErrBlockNotFound,
// ErrUnknownToken, context errors) when the balances cannot be read; it
// never returns a portfolio with balances that were not read.
func (s *Service) Portfolio(ctx context.Context, id string, opts Options) (portfoliod.Portfolio, error) {
	// The store read finishes (its transaction closed) before any node call.
	c, err := s.customers.Get(ctx, id)
	if err != nil {
		return portfoliod.Portfolio{}, err
	}
	return s.PortfolioOf(ctx, c, opts)
}

// PortfolioOf reads the balances of c's wallets at one block and pairs
// each wallet with its balance, checking that the reader answered for
// exactly those wallets, in order. Onboarding uses it on the customer it
// has just stored.
func (s *Service) PortfolioOf(ctx context.Context, c portfoliod.Customer, opts Options) (portfoliod.Portfolio, error) {
	snap, err := s.Balances(ctx, c.Wallets, opts)
	if err != nil {
		return portfoliod.Portfolio{}, err
	}
	return portfoliod.Portfolio{Customer: c, Block: snap.Block, Token: snap.Token, Balances: snap.Balances, StaleSince: snap.StaleSince}, nil
}

// Balances reads the balances of wallets at one block, in wallet order. A
// reader answer that does not name exactly the wallets asked for, in
// order, is an error: it is never passed on.
func (s *Service) Balances(ctx context.Context, wallets []common.Address, opts Options) (portfoliod.Snapshot, error) {
	token, err := s.token(opts)
	if err != nil {
		return portfoliod.Snapshot{}, err
	}
	if opts.Block == nil && s.known != nil {
		snap, ok, err := s.fromKnown(ctx, token, wallets)
		if ok || err != nil {
			return snap, err
		}
	}
	at := portfoliod.LatestBlock
	if opts.Block != nil {
		at = *opts.Block
	}
	if s.inflight != nil {
		if err := s.acquire(ctx); err != nil {
			return portfoliod.Snapshot{}, err
		}
		defer s.inflight.Release(1)
	}
	snap, err := s.balances.Balances(ctx, at, token, wallets)
	if err != nil {
		return portfoliod.Snapshot{}, err
	}
	if len(snap.Balances) != len(wallets) {
		return portfoliod.Snapshot{}, fmt.Errorf("chain returned %d balances for %d wallets", len(snap.Balances), len(wallets))
	}
	for i, w := range wallets {
		if b := snap.Balances[i]; b.Wallet != w || b.Total == nil || b.Frozen == nil || b.Available == nil {
			return portfoliod.Snapshot{}, fmt.Errorf("chain answered balance %d for wallet %s, asked for %s, or without figures", i, b.Wallet.Hex(), w.Hex())
		}
	}
	return snap, nil
}

// fromKnown serves a latest read at the head from the known figures, and
// reads the wallets without one from the chain at that same head. ok is
// false when none is known: the caller reads them all as usual.
func (s *Service) fromKnown(ctx context.Context, token common.Address, wallets []common.Address) (portfoliod.Snapshot, bool, error) {
	head, staleSince, err := s.heads.LatestHead(ctx)
	if err != nil {
		return portfoliod.Snapshot{}, false, err
	}
	known, err := s.known.Current(ctx, head, token, wallets)
	if err != nil || len(known) == 0 {
		return portfoliod.Snapshot{}, false, err
	}
	var missing []common.Address
	for _, w := range wallets {
		if _, ok := known[w]; !ok {
			missing = append(missing, w)
		}
	}
	read := map[common.Address]portfoliod.Balance{}
	if len(missing) > 0 {
		if s.inflight != nil {
			if err := s.acquire(ctx); err != nil {
				return portfoliod.Snapshot{}, false, err
			}
			defer s.inflight.Release(1)
		}
		snap, err := s.heads.BalancesAt(ctx, head, token, missing)
		if err != nil {
			return portfoliod.Snapshot{}, false, err
		}
		for _, b := range snap.Balances {
			read[b.Wallet] = b
		}
	}
	out := portfoliod.Snapshot{Block: head, Token: token, Balances: make([]portfoliod.Balance, len(wallets)), StaleSince: staleSince}
	for i, w := range wallets {
		if f, ok := known[w]; ok {
			// Copies: the caller owns the returned amounts.
			out.Balances[i] = portfoliod.Balance{Wallet: w, Total: new(big.Int).Set(f.Total),
				Frozen: new(big.Int).Set(f.Frozen), Available: new(big.Int).Set(f.Available), AddressFrozen: f.AddressFrozen}
			continue
		}
		b, ok := read[w]
		if !ok {
			return portfoliod.Snapshot{}, false, fmt.Errorf("chain returned no balance for wallet %s", w.Hex())
		}
		out.Balances[i] = b
	}
	return out, true, nil
}

// acquire takes an in-flight slot, waiting at most queueWait.
func (s *Service) acquire(ctx context.Context) error {
	if s.inflight.TryAcquire(1) {
		return nil
	}
	wctx, cancel := context.WithTimeout(ctx, s.queueWait)
	defer cancel()
	if err := s.inflight.Acquire(wctx, 1); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return portfoliod.ErrOverloaded
	}
	return nil
}

// Wallet reads one wallet's balance, whether or not a customer owns it.
func (s *Service) Wallet(ctx context.Context, wallet common.Address, opts Options) (portfoliod.Snapshot, error) {
	return s.Balances(ctx, []common.Address{wallet}, opts)
}

// Package aggregator merges stored customer profiles with live on-chain
// balances: one profile read, then one block-pinned chain snapshot for all of
// the customer's wallets.
package aggregator

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"golang.org/x/sync/semaphore"

	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/customers"
)

// CustomerFinder loads a customer profile. customers.Store implements it.
type CustomerFinder interface {
	Get(ctx context.Context, id string) (customers.Customer, error)
}

// BalanceReader reads a block-consistent snapshot. chain.Reader implements
// it. Balances returns an error wrapping chain.ErrUnknownToken, before any
// node call, for a token that is not configured.
type BalanceReader interface {
	Balances(ctx context.Context, at chain.BlockRef, token common.Address, wallets []common.Address) (chain.Snapshot, error)
	Tokens() []chain.Token
}

// Service answers portfolio questions. It is safe for concurrent use.
type Service struct {
	customers CustomerFinder
	balances  BalanceReader
	inflight  *semaphore.Weighted // nil: unlimited
	queueWait time.Duration
}

// ErrOverloaded means too many chain reads were in flight and this one
// could not start within the queue wait; the caller should retry shortly.
var ErrOverloaded = errors.New("too many chain reads in flight")

// Option configures a Service.
type Option func(*Service)

// WithMaxInFlight bounds the chain reads running at once to n. A read over
// the bound waits up to wait for a slot (or its context), then fails with
// ErrOverloaded, so a burst queues briefly and then sheds instead of piling
// onto the node.
func WithMaxInFlight(n int, wait time.Duration) Option {
	return func(s *Service) {
		if n > 0 {
			s.inflight, s.queueWait = semaphore.NewWeighted(int64(n)), wait
		}
	}
}

// New returns a Service reading profiles from c and balances from b.
func New(c CustomerFinder, b BalanceReader, opts ...Option) *Service {
	s := &Service{customers: c, balances: b}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Options select the block and the token of a read.
type Options struct {
	// Block is the block to read at; nil means latest. (A pointer because
	// the zero BlockRef is block 0, the genesis block.)
	Block *chain.BlockRef
	// Token is a configured token; the zero address means the default
	// (first configured) token.
	Token common.Address
}

// Portfolio is a customer with the balances of all its wallets, read at one
// block. Snapshot.Balances[i] belongs to Customer.Wallets[i].
type Portfolio struct {
	Customer customers.Customer
	Snapshot chain.Snapshot
}

// Tokens lists the configured tokens, the default first.
func (s *Service) Tokens() []chain.Token { return s.balances.Tokens() }

// token is the token a read of opts uses: opts.Token, or the default. The
// reader itself rejects a token that is not configured.
func (s *Service) token(opts Options) (common.Address, error) {
	if opts.Token != (common.Address{}) {
		return opts.Token, nil
	}
	tokens := s.balances.Tokens()
	if len(tokens) == 0 {
		return common.Address{}, fmt.Errorf("no token configured: %w", chain.ErrUnknownToken)
	}
	return tokens[0].Address, nil
}

// Portfolio loads customer id and reads every wallet's balance at one block.
// It returns customers.ErrNotFound for an unknown id, and the chain errors
// (chain.ErrUnavailable, *chain.ReadError, chain.ErrBlockNotFound,
// chain.ErrUnknownToken, context errors) when the balances cannot be read;
// it never returns a portfolio with balances that were not read.
func (s *Service) Portfolio(ctx context.Context, id string, opts Options) (Portfolio, error) {
	// The store read finishes (its transaction closed) before any node call.
	c, err := s.customers.Get(ctx, id)
	if err != nil {
		return Portfolio{}, err
	}
	snap, err := s.Balances(ctx, c.Wallets, opts)
	if err != nil {
		return Portfolio{}, err
	}
	return Portfolio{Customer: c, Snapshot: snap}, nil
}

// Balances reads the balances of wallets at one block, in wallet order.
func (s *Service) Balances(ctx context.Context, wallets []common.Address, opts Options) (chain.Snapshot, error) {
	token, err := s.token(opts)
	if err != nil {
		return chain.Snapshot{}, err
	}
	at := chain.LatestBlock
	if opts.Block != nil {
		at = *opts.Block
	}
	if s.inflight != nil {
		if err := s.acquire(ctx); err != nil {
			return chain.Snapshot{}, err
		}
		defer s.inflight.Release(1)
	}
	snap, err := s.balances.Balances(ctx, at, token, wallets)
	if err != nil {
		return chain.Snapshot{}, err
	}
	if len(snap.Balances) != len(wallets) {
		return chain.Snapshot{}, fmt.Errorf("chain returned %d balances for %d wallets", len(snap.Balances), len(wallets))
	}
	return snap, nil
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
		return ErrOverloaded
	}
	return nil
}

// Wallet reads one wallet's balance, whether or not a customer owns it.
func (s *Service) Wallet(ctx context.Context, wallet common.Address, opts Options) (chain.Snapshot, error) {
	return s.Balances(ctx, []common.Address{wallet}, opts)
}

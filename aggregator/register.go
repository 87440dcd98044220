package aggregator

import (
	"context"
	"fmt"
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"golang.org/x/sync/semaphore"

	"github.com/portfoliod/portfoliod"
)

// CustomerLister pages through customers in id order. Every
// portfoliod.CustomerStore implements it.
type CustomerLister interface {
	List(ctx context.Context, opts portfoliod.ListOptions) ([]portfoliod.Customer, bool, error)
}

// BlockReader resolves a block once and reads balances pinned to it.
// chain.Reader implements it.
type BlockReader interface {
	ResolveBlock(ctx context.Context, at portfoliod.BlockRef) (portfoliod.Block, error)
	BalancesAt(ctx context.Context, b portfoliod.Block, token common.Address, wallets []common.Address) (portfoliod.Snapshot, error)
	Tokens() []portfoliod.Token
}

// Defaults of a Register.
const (
	// DefaultRegisterBatch is how many wallets one node read of a register
	// asks for; the reader splits it into chunks of max_calls_per_batch.
	DefaultRegisterBatch = 1000
	// DefaultRegisterParallel is how many of those reads run at once.
	DefaultRegisterParallel = 4
)

// Register reads holder registers: every customer wallet's position in
// one token at one block (SPEC section 10). It is safe for concurrent use.
type Register struct {
	customers CustomerLister
	chain     BlockReader
	batch     int
	parallel  int
	inflight  *semaphore.Weighted // nil: no shared bound
}

// RegisterOption configures a Register.
type RegisterOption func(*Register)

// WithBatches sets the wallets per node read and the reads in flight at
// once; values below 1 keep the defaults.
func WithBatches(wallets, parallel int) RegisterOption {
	return func(r *Register) {
		if wallets > 0 {
			r.batch = wallets
		}
		if parallel > 0 {
			r.parallel = parallel
		}
	}
}

// SharingInFlight makes every node read of the register take a slot of
// s's in-flight bound (WithMaxInFlight), so an export and the portfolio
// reads together stay within it. A register read waits for its slot
// rather than being shed: an export is patient, a portfolio is not.
func SharingInFlight(s *Service) RegisterOption {
	return func(r *Register) { r.inflight = s.inflight }
}

// NewRegister returns a Register listing customers from c and reading
// balances from b.
func NewRegister(c CustomerLister, b BlockReader, opts ...RegisterOption) *Register {
	r := &Register{customers: c, chain: b, batch: DefaultRegisterBatch, parallel: DefaultRegisterParallel}
	for _, o := range opts {
		o(r)
	}
	return r
}

// OpenPositions fixes the token (opts.Token, or the default) and resolves
// the block (opts.Block, or latest) once. An unconfigured token is
// portfoliod.ErrUnknownToken and a block the node does not have
// portfoliod.ErrBlockNotFound, both before any balance read; otherwise the
// reader's errors (EUNAVAILABLE, context errors).
func (r *Register) OpenPositions(ctx context.Context, opts portfoliod.ReadOptions) (portfoliod.PositionReport, error) {
	tokens := r.chain.Tokens()
	if len(tokens) == 0 {
		return portfoliod.PositionReport{}, fmt.Errorf("no token configured: %w", portfoliod.ErrUnknownToken)
	}
	tok := tokens[0]
	if opts.Token != (common.Address{}) {
		found := false
		for _, t := range tokens {
			if t.Address == opts.Token {
				tok, found = t, true
				break
			}
		}
		if !found {
			return portfoliod.PositionReport{}, portfoliod.ErrUnknownToken
		}
	}
	at := portfoliod.LatestBlock
	if opts.Block != nil {
		at = *opts.Block
	}
	b, err := r.chain.ResolveBlock(ctx, at)
	if err != nil {
		return portfoliod.PositionReport{}, err
	}
	return portfoliod.PositionReport{Token: tok, Block: b}, nil
}

// positionBatch is the wallets of one node read, each with its owner, and
// the read's outcome once done is closed.
type positionBatch struct {
	owners  []*portfoliod.Customer
	wallets []common.Address
	done    chan struct{}
	snap    portfoliod.Snapshot
	err     error
}

// EachPosition calls fn with every customer wallet's position at rep's
// block, customers in id order and each customer's wallets in its order,
// until fn returns an error, which EachPosition returns. Customers are
// listed page by page (no store transaction is held across node calls);
// the balances are read in batches pinned to rep.Block.Hash, several at
// once, while fn consumes the earlier ones in order, so memory holds a few
// batches whatever the number of wallets. A failed read or listing stops
// it with that error after the positions before it; a cancelled ctx stops
// the reads in flight. No goroutine outlives the call.
func (r *Register) EachPosition(ctx context.Context, rep portfoliod.PositionReport, fn func(portfoliod.Position) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	queue := make(chan *positionBatch, r.parallel)
	slots := make(chan struct{}, r.parallel)
	var wg sync.WaitGroup
	var listErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(queue)
		listErr = r.batches(ctx, func(b *positionBatch) bool {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return false
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer close(b.done)
				defer func() { <-slots }()
				b.snap, b.err = r.read(ctx, rep, b.wallets)
			}()
			select {
			case queue <- b:
				return true
			case <-ctx.Done():
				return false
			}
		})
	}()
	err := r.emit(ctx, queue, fn)
	cancel()
	for range queue { // lets the lister end
	}
	wg.Wait()
	if err == nil {
		err = listErr
	}
	return err
}

// batches lists every customer and sends their wallets in batches of
// r.batch, in order, until send returns false.
func (r *Register) batches(ctx context.Context, send func(*positionBatch) bool) error {
	next := func() *positionBatch {
		return &positionBatch{owners: make([]*portfoliod.Customer, 0, r.batch),
			wallets: make([]common.Address, 0, r.batch), done: make(chan struct{})}
	}
	cur := next()
	after := ""
	for {
		page, more, err := r.customers.List(ctx, portfoliod.ListOptions{Limit: portfoliod.MaxListLimit, StartingAfter: after})
		if err != nil {
			return fmt.Errorf("listing customers after %q: %w", after, err)
		}
		for i := range page {
			c := &page[i]
			for _, w := range c.Wallets {
				cur.owners = append(cur.owners, c)
				cur.wallets = append(cur.wallets, w)
				if len(cur.wallets) == r.batch {
					if !send(cur) {
						return ctx.Err()
					}
					cur = next()
				}
			}
		}
		if !more || len(page) == 0 {
			break
		}
		after = page[len(page)-1].ID
	}
	if len(cur.wallets) > 0 && !send(cur) {
		return ctx.Err()
	}
	return nil
}

// read reads one batch at rep's block, within the shared in-flight bound.
func (r *Register) read(ctx context.Context, rep portfoliod.PositionReport, wallets []common.Address) (portfoliod.Snapshot, error) {
	if r.inflight != nil {
		if err := r.inflight.Acquire(ctx, 1); err != nil {
			return portfoliod.Snapshot{}, err
		}
		defer r.inflight.Release(1)
	}
	snap, err := r.chain.BalancesAt(ctx, rep.Block, rep.Token.Address, wallets)
	if err != nil {
		return portfoliod.Snapshot{}, err
	}
	if snap.Block.Hash != rep.Block.Hash {
		return portfoliod.Snapshot{}, fmt.Errorf("chain answered at block %s, asked for %s", snap.Block.Hash.Hex(), rep.Block.Hash.Hex())
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

// emit hands the positions of each batch to fn, in order.
func (r *Register) emit(ctx context.Context, queue <-chan *positionBatch, fn func(portfoliod.Position) error) error {
	for b := range queue {
		select {
		case <-b.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		if b.err != nil {
			return b.err
		}
		for i := range b.wallets {
			if err := fn(portfoliod.Position{Customer: b.owners[i], Balance: b.snap.Balances[i]}); err != nil {
				return err
			}
		}
	}
	return ctx.Err()
}

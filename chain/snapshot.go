package chain

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
)

// blockParam pins a call to a block by hash (EIP-1898). requireCanonical is
// false so that every chunk of a snapshot reads the same block even if it
// is reorged out meanwhile; an endpoint that does not know the hash fails
// the call instead of answering from another block.
type blockParam struct {
	BlockHash        common.Hash `json:"blockHash"`
	RequireCanonical bool        `json:"requireCanonical"`
}

// callArgs is the transaction object of eth_call.
type callArgs struct {
	To   common.Address `json:"to"`
	Data hexutil.Bytes  `json:"data"`
	Gas  hexutil.Uint64 `json:"gas"`
}

// overrideAccount is an eth_call state override entry.
type overrideAccount struct {
	Code hexutil.Bytes `json:"code"`
}

// Balances reads total, frozen and available of every wallet in token, all
// at the block at resolves to (see ResolveBlock). Balances[i] belongs to
// wallets[i]; duplicates are allowed. A value that cannot be read (revert,
// empty or malformed return data) fails the whole call with a *ReadError
// naming token, wallet and function: a snapshot is never partially right.
// A block whose state no endpoint keeps any more (a full node's pruning) is
// a *StatePrunedError. Other errors wrap ErrUnknownToken, ErrBlockNotFound,
// ErrUnavailable or the context's error. A block number resolved from the
// cache to a hash no endpoint knows any more (a restarted dev chain) is
// resolved afresh and read once more before any error.
//
// With a fresh tracked head and nothing cached, a latest read costs one
// HTTP request in the multicall modes (up to maxChunksPerRequest chunks of
// MaxCallsPerBatch calls) and one per chunk in batch mode; see BalancesAt
// for the cache and the sharing of concurrent reads.
func (r *Reader) Balances(ctx context.Context, at BlockRef, token common.Address, wallets []common.Address) (Snapshot, error) {
	if _, ok := r.plans[token]; !ok {
		return Snapshot{}, fmt.Errorf("%w: %s", ErrUnknownToken, hexAddr(token))
	}
	if at.Tag == Latest && r.trackHead {
		if _, ok := r.currentHead(); !ok {
			snap, err := r.balancesLatest(ctx, r.plans[token], wallets)
			var pruned *StatePrunedError
			if errors.Is(err, ErrBlockNotFound) && !errors.As(err, &pruned) {
				return Snapshot{}, fmt.Errorf("%w: no endpoint has the latest block any more (the chain went back?): %s",
					ErrUnavailable, err.Error())
			}
			if err == nil {
				snap.StaleSince = r.staleSince()
			}
			return snap, err
		}
	}
	block, cached, err := r.resolve(ctx, at)
	if err != nil {
		return Snapshot{}, err
	}
	snap, err := r.BalancesAt(ctx, block, token, wallets)
	var pruned *StatePrunedError
	if cached && errors.Is(err, ErrBlockNotFound) && !errors.As(err, &pruned) {
		// No endpoint knows the hash cached for the number any more: the
		// chain was replaced under it (a dev chain restarted or reset), so
		// the number may well name another block now. Ask once more.
		r.numbers.Remove(at.Number)
		if block, err = r.resolveNumber(ctx, at.Number); err != nil {
			return Snapshot{}, err
		}
		snap, err = r.BalancesAt(ctx, block, token, wallets)
	}
	if err == nil && at.Tag == Latest {
		// Served at the tracked head while the node does not answer: say
		// since when, so the client can tell.
		snap.StaleSince = r.staleSince()
	}
	switch {
	case errors.As(err, &pruned):
		// The block is known, only its state is gone: its cached hash
		// is still right.
	case at.Tag == "" && errors.Is(err, ErrBlockNotFound):
		// No endpoint knows the block's hash: resolve the number again
		// next time.
		r.numbers.Remove(at.Number)
	case errors.Is(err, ErrBlockNotFound):
		// The client named no block: the tag resolved to a block no
		// endpoint has any more, which the head tracker will notice.
		return Snapshot{}, fmt.Errorf("%w: no endpoint has the %s block %d any more (the chain went back?): %s",
			ErrUnavailable, at.Tag, block.Number, err.Error())
	}
	return snap, err
}

// BalancesAt is Balances at an already resolved block; every call is
// pinned to block.Hash.
//
// Values are cached by (block hash, token, wallet) when Config.CacheSize
// is set: only the wallets missing from the cache are read, and a read
// whose wallets are all cached sends no request. The returned big.Ints are
// the caller's own: they are built anew from the cache for every read.
// Concurrent reads of the same missing wallets at the same block share one
// node read; each caller still returns when its own context ends.
func (r *Reader) BalancesAt(ctx context.Context, block Block, token common.Address, wallets []common.Address) (Snapshot, error) {
	p, ok := r.plans[token]
	if !ok {
		return Snapshot{}, fmt.Errorf("%w: %s", ErrUnknownToken, hexAddr(token))
	}
	found, missing := r.lookup(block.Hash, token, wallets)
	if len(missing) > 0 {
		v, err := r.coalesce(ctx, flightKey(block.Hash, token, missing), func(ctx context.Context) (any, error) {
			vals, err := r.readWallets(ctx, block, p, missing)
			if err == nil && r.cache != nil {
				for i, w := range missing {
					r.cache.Add(cacheKey{block: block.Hash, token: token, wallet: w}, vals[i])
				}
			}
			return vals, err
		})
		if err != nil {
			if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
				return Snapshot{}, fmt.Errorf("balances at block %d: %w", block.Number, err)
			}
			if errors.Is(err, errStatePruned) {
				// Not err's text: it names the node endpoints tried.
				return Snapshot{}, &StatePrunedError{Number: block.Number}
			}
			return Snapshot{}, err
		}
		for i, a := range v.([]amounts) { // shared with other callers: read only
			found[missing[i]] = a
		}
	}
	return Snapshot{Block: block, Token: token, Balances: balancesOf(wallets, found)}, nil
}

// balancesOf returns the Balances of wallets, in order, from their
// amounts, with big.Ints of their own.
func balancesOf(wallets []common.Address, found map[common.Address]amounts) []Balance {
	out := make([]Balance, len(wallets))
	ints := newIntSlab(len(wallets))
	for i, w := range wallets {
		a := found[w]
		out[i] = ints.balance(w, &a)
	}
	return out
}

// call is one token call of a chunk.
type call struct {
	wallet common.Address
	fn     function
	data   []byte
	// target is where the call goes instead of the token when set (the
	// probes of a latest read call Multicall3 itself).
	target common.Address
}

// chunk is a run of wallets whose calls go in one aggregate3 eth_call
// (multicall modes) or one JSON-RPC batch (batch mode); out receives their
// amounts.
type chunk struct {
	wallets []common.Address
	out     []amounts
}

func (c chunk) calls(p *tokenPlan) []call {
	calls := make([]call, 0, len(c.wallets)*len(p.fns))
	for _, w := range c.wallets {
		for _, fn := range p.fns {
			calls = append(calls, call{wallet: w, fn: fn, data: callData(fn.sel, w)})
		}
	}
	return calls
}

// readWallets reads the amounts of wallets at block: chunks of at most
// MaxCallsPerBatch calls (a wallet's calls never split), sent in as few
// HTTP requests as the mode allows, up to MaxConcurrency at once.
func (r *Reader) readWallets(ctx context.Context, block Block, p *tokenPlan, wallets []common.Address) ([]amounts, error) {
	out := make([]amounts, len(wallets))
	perRequest, room := maxChunksPerRequest, max(1, r.maxCalls-1) // a multicall leads with pinnedProbe
	if r.mode == ModeBatch {
		perRequest, room = 1, r.maxCalls
	}
	chunks := splitChunks(p, wallets, out, room)
	g, gctx := errgroupWithLimit(ctx, r.concurrency)
	for lo := 0; lo < len(chunks); lo += perRequest {
		group := chunks[lo:min(lo+perRequest, len(chunks))]
		g.Go(func() error {
			if r.mode == ModeBatch {
				return r.readBatchChunk(gctx, block, p, group[0])
			}
			return r.readMulticallChunks(gctx, block, p, group)
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

// splitChunks splits wallets into chunks of at most maxCalls calls (at
// least one wallet each: a wallet's calls never split), whose amounts go
// to the matching part of out.
func splitChunks(p *tokenPlan, wallets []common.Address, out []amounts, maxCalls int) []chunk {
	perChunk := max(1, maxCalls/len(p.fns))
	var chunks []chunk
	for lo := 0; lo < len(wallets); lo += perChunk {
		hi := min(lo+perChunk, len(wallets))
		chunks = append(chunks, chunk{wallets: wallets[lo:hi], out: out[lo:hi]})
	}
	return chunks
}

// readBatchChunk reads one chunk as a JSON-RPC batch of single eth_calls.
func (r *Reader) readBatchChunk(ctx context.Context, block Block, p *tokenPlan, c chunk) error {
	calls := c.calls(p)
	if r.obs != nil {
		r.obs.OnBatch(len(calls))
	}
	results, err := r.execBatch(ctx, block, p.token.Address, calls)
	if err != nil {
		return err
	}
	n := len(p.fns)
	for i, w := range c.wallets {
		if c.out[i], err = decodeAmounts(p, w, results[i*n:(i+1)*n]); err != nil {
			return err
		}
	}
	return nil
}

// pinnedProbe leads every pinned aggregate3: Multicall3's
// getBlockNumber says which block the call ran on. A node must run a call
// pinned by block hash at that block (EIP-1898), but anvil 1.7.1 now and
// then runs one pinned to its head at the next block, which would give
// one block's figures the other's name; such a read is made again, up to
// pinnedAttempts times.
var pinnedProbe = latestProbes[0]

const pinnedAttempts = 3

// readMulticallChunks reads chunks as aggregate3 eth_calls in one HTTP
// request (a JSON-RPC batch when there are several), each led by
// pinnedProbe, and decodes them (see decodeChunks).
func (r *Reader) readMulticallChunks(ctx context.Context, block Block, p *tokenPlan, chunks []chunk) error {
	calls := make([][]call, len(chunks))
	sent := make([][]call, len(chunks))
	for i, c := range chunks {
		calls[i] = c.calls(p)
		sent[i] = append([]call{{fn: pinnedProbe, data: pinnedProbe.sel[:], target: r.mcAddr}}, calls[i]...)
		if r.obs != nil {
			r.obs.OnBatch(len(calls[i]))
		}
	}
	// The results alias resp: everything kept is copied out (amounts,
	// reasons) before it goes back to the pool.
	resp := getBuffer()
	defer putBuffer(resp)
	override := r.mode == ModeOverride
	for attempt := 1; ; attempt++ {
		results, err := r.execMulticalls(ctx, block, p.token.Address, sent, resp, override)
		if errors.Is(err, errNoMulticallCode) && r.overrideFallback {
			override = true
			results, err = r.execMulticalls(ctx, block, p.token.Address, sent, resp, true)
		}
		if err != nil {
			return err
		}
		ran, ok := ranAt(results, block.Number)
		if ok {
			for i := range results {
				results[i] = results[i][1:]
			}
			return decodeChunks(p, chunks, calls, results)
		}
		if attempt == pinnedAttempts {
			return &ReadError{Token: p.token.Address, Function: "aggregate3 (Multicall3 " + hexAddr(r.mcAddr) + ")",
				Reason: fmt.Sprintf("the node ran a read pinned to block %d (%s) at block %s, %d times", block.Number, block.Hash.Hex(), ran, pinnedAttempts)}
		}
		r.log.Warn("the node ran a read pinned by block hash at another block; reading again",
			"block", block.Number, "ran_at", ran, "attempt", attempt)
	}
}

// ranAt checks that every chunk's pinnedProbe names block n, and says
// which block one ran at when not.
func ranAt(results [][]callResult, n uint64) (string, bool) {
	for _, res := range results {
		if len(res) == 0 || !res[0].ok || len(res[0].data) != 32 {
			return "unknown (the block number probe failed)", false
		}
		got := new(big.Int).SetBytes(res[0].data)
		if !got.IsUint64() || got.Uint64() != n {
			return got.String(), false
		}
	}
	return "", true
}

// decodeChunks decodes the aggregate3 results of chunks (results[i] of
// the calls calls[i] of chunks[i]) into their amounts, in order, so that
// the first unreadable value reported is the same whatever the timing: a
// failed sub-call is a *ReadError with its revert reason, a value that is
// not well formed one from decodeAmounts.
func decodeChunks(p *tokenPlan, chunks []chunk, calls [][]call, results [][]callResult) error {
	n := len(p.fns)
	raw := make([][]byte, n)
	var err error
	for ci, c := range chunks {
		res := results[ci]
		for i, rr := range res {
			if !rr.ok {
				cl := calls[ci][i]
				return &ReadError{Token: p.token.Address, Wallet: cl.wallet, Function: cl.fn.sig, Reason: revertReason(rr.data)}
			}
		}
		for i, w := range c.wallets {
			for j := range raw {
				raw[j] = res[i*n+j].data
			}
			if c.out[i], err = decodeAmounts(p, w, raw); err != nil {
				return err
			}
		}
	}
	return nil
}

// execMulticalls runs each element of chunks as one aggregate3 eth_call
// (allowFailure on every sub-call, so one revert does not hide the others'
// results), all in one HTTP request: a single call, or a JSON-RPC batch of
// them. It returns each call's sub-call results, which alias resp. An
// element answered with an error fails the whole request the way a single
// call would (a revert or a rejected request is final, an unknown block
// moves to the next endpoint); a missing element counts as a transport
// failure.
//
// With override set, Multicall3's code is placed by state override.
//
// An error the node gives as its answer to the call (say it ran out of
// gas or time executing it) or malformed return data is a token-level
// *ReadError, as a failed single call is in batch mode; except that empty
// return data, meaning Multicall3 has no code at the block, wraps
// errNoMulticallCode so the caller can retry with the override.
//
// The request is sent with postJSON rather than ep.client (see rawrpc.go)
// but reads the answer exactly as ep.client's CallContext (one chunk) or
// BatchCallContext (several) did.
func (r *Reader) execMulticalls(ctx context.Context, block Block, token common.Address, chunks [][]call, resp *[]byte, override bool) ([][]callResult, error) {
	body := r.multicallBody(block.Hash, token, chunks, override)
	defer body.release()
	rets := make([][]byte, len(chunks))
	batch := len(chunks) > 1
	method := "eth_call"
	if batch {
		method = "batch:eth_call"
	}
	err := r.do(ctx, method, func(ctx context.Context, ep *endpoint) error {
		clear(rets)
		replies, err := ep.postJSON(ctx, body, resp, batch)
		if err != nil {
			return err
		}
		return multicallRets(replies, rets, batch)
	})
	// A failure of the batched call as a whole is the token's read error.
	readErr := func(format string, args ...any) error {
		return &ReadError{Token: token, Function: "aggregate3 (Multicall3 " + hexAddr(r.mcAddr) + ")",
			Reason: fmt.Sprintf(format, args...)}
	}
	switch {
	case err == nil:
	case errors.Is(err, ErrUnavailable), errors.Is(err, ErrBlockNotFound), ctx.Err() != nil:
		return nil, fmt.Errorf("multicall at block %d: %w", block.Number, err)
	default:
		return nil, readErr("the node could not execute the batched read at block %d: %s", block.Number, describe(err))
	}
	out := make([][]callResult, len(chunks))
	for i, ret := range rets {
		out[i], err = decodeAggregate3(ret, len(chunks[i]))
		switch {
		case errors.Is(err, errNoMulticallCode) && !override && r.overrideFallback:
			return nil, err
		case errors.Is(err, errNoMulticallCode) && !override:
			return nil, readErr("Multicall3 has no code at block %d (deployed later?); chain.multicall.mode auto or override reads such blocks", block.Number)
		case err != nil:
			return nil, readErr("at block %d: %v", block.Number, err)
		}
	}
	return out, nil
}

// revertReason describes revert data the same way for every strategy.
func revertReason(data []byte) string {
	if msg, err := abi.UnpackRevert(data); err == nil {
		return "reverted: " + msg
	}
	return "reverted"
}

// execBatch runs calls as one JSON-RPC batch of single eth_calls.
func (r *Reader) execBatch(ctx context.Context, block Block, token common.Address, calls []call) ([][]byte, error) {
	out := make([][]byte, len(calls))
	bp := blockParam{BlockHash: block.Hash}
	err := r.do(ctx, "batch:eth_call", func(ctx context.Context, ep *endpoint) error {
		elems := make([]rpc.BatchElem, len(calls))
		rets := make([]hexutil.Bytes, len(calls))
		for i, c := range calls {
			elems[i] = rpc.BatchElem{
				Method: "eth_call",
				Args:   []any{callArgs{To: token, Data: c.data, Gas: r.gas}, bp},
				Result: &rets[i],
			}
		}
		if err := ep.client.BatchCallContext(ctx, elems); err != nil {
			return err
		}
		if err := requestProblem(outcomes(elems), true); err != nil {
			return err
		}
		for i, el := range elems {
			if el.Error != nil {
				return &ReadError{Token: token, Wallet: calls[i].wallet, Function: calls[i].fn.sig, Reason: batchReason(el.Error)}
			}
		}
		for i := range rets {
			out[i] = rets[i]
		}
		return nil
	})
	if err != nil {
		var readErr *ReadError
		if errors.As(err, &readErr) {
			return nil, err
		}
		return nil, fmt.Errorf("batch at block %d: %w", block.Number, err)
	}
	return out, nil
}

// batchReason describes a single eth_call's error like revertReason does a
// failed aggregate3 sub-call.
func batchReason(err error) string {
	var rpcErr rpc.Error
	if errors.As(err, &rpcErr) && rpcErr.ErrorCode() == 3 {
		var dataErr rpc.DataError
		if errors.As(err, &dataErr) {
			if s, ok := dataErr.ErrorData().(string); ok {
				if data, err := hexutil.Decode(s); err == nil {
					return revertReason(data)
				}
			}
		}
		return "reverted"
	}
	if errors.As(err, &rpcErr) && strings.Contains(strings.ToLower(rpcErr.Error()), "revert") {
		return "reverted"
	}
	return "call failed: " + err.Error()
}

// LatestHead resolves the latest block as a latest Balances read does
// (free while the tracked head is current, else one header request shared
// by concurrent callers; see Config.MaxHeadAge) and says since when the
// node has been unreachable (zero while it answers), for a read assembled
// elsewhere at that block (see BalancesAt).
func (r *Reader) LatestHead(ctx context.Context) (Block, time.Time, error) {
	b, err := r.currentLatest(ctx)
	if err != nil {
		return Block{}, time.Time{}, err
	}
	return b, r.staleSince(), nil
}

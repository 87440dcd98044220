package chain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/portfoliod/portfoliod"
)

// The follower's catch-up (SPEC section 9, "No gap"): the logs of a run of
// blocks in one ranged eth_getLogs and their headers in JSON-RPC batches,
// where following block by block costs a header and an eth_getLogs per
// block.

// headerBatch bounds the headers asked in one JSON-RPC batch: well under
// the batch limits of nodes (geth's default is 1,000 calls) and of hosted
// providers, and about 150 KB of answer. In batch mode
// Config.MaxCallsPerBatch, the node's batch limit, bounds it too.
const headerBatch = 100

// headersPerBatch is the headers Headers asks in one JSON-RPC batch.
func (r *Reader) headersPerBatch() uint64 {
	if r.mode == ModeBatch {
		return uint64(max(min(headerBatch, r.maxCalls), 1))
	}
	return headerBatch
}

// linkedHeader is a header as eth_getBlockByNumber answers it, with its
// parent's hash.
type linkedHeader struct {
	rpcHeader
	Parent common.Hash `json:"parentHash"`
}

func (h *linkedHeader) linked() portfoliod.LinkedBlock {
	return portfoliod.LinkedBlock{Block: h.block(), Parent: h.Parent}
}

// RangeTouches returns the wallets the logs of blocks from to to name in
// the configured tokens, by block hash, as Touches does for one block, with
// one ranged eth_getLogs for all of them.
//
// One endpoint is asked, in one JSON-RPC batch, for block to's header, the
// logs, and block to's header again. A node that runs a batch's calls in
// order (geth does) and answers both headers alike had block to, at that
// hash, throughout the logs query, so its answer is complete up to there,
// and To names the chain it describes. A node that lacks some of the
// range says so (geth: "block range extends beyond current head block"),
// and another endpoint is asked. A load balancer that spreads one batch
// over several nodes escapes the bracket; the caller keeps ranged queries
// a few blocks below the head, where every node of a healthy fleet has
// the blocks. A caller walks the headers from from to To (see Headers) and
// uses ByBlock for the blocks on that walk; a walk that does not end at To
// means the chain moved in between.
//
// When the node refuses the range as too wide (too many results, too
// large an answer, too many blocks: the limits of nodes and providers), it
// asks for the first half, down to a single block, and To says where the
// answer ends. A block refused alone is an error wrapping ErrTooManyLogs.
func (r *Reader) RangeTouches(ctx context.Context, from, to uint64) (portfoliod.RangeTouches, error) {
	if from > to {
		return portfoliod.RangeTouches{}, fmt.Errorf("chain: empty block range %d-%d", from, to)
	}
	for {
		end, logs, err := r.rangeLogs(ctx, from, to)
		if errors.Is(err, ErrTooManyLogs) && to > from {
			r.log.Debug("logs query too wide; halving the range", "from", from, "to", to, "err", err.Error())
			to = from + (to-from)/2
			continue
		}
		if err != nil {
			return portfoliod.RangeTouches{}, err
		}
		byBlock, err := r.decodeLogs(ctx, logs)
		if err != nil {
			return portfoliod.RangeTouches{}, err
		}
		return portfoliod.RangeTouches{To: end, ByBlock: byBlock}, nil
	}
}

// rangeLogs asks one endpoint for the logs of the tokens in blocks from to
// to, bracketed by block to's header (see RangeTouches).
func (r *Reader) rangeLogs(ctx context.Context, from, to uint64) (portfoliod.Block, []rpcLog, error) {
	var (
		end  portfoliod.Block
		logs []rpcLog
	)
	err := r.do(ctx, "batch:eth_getLogs_range", func(ctx context.Context, ep *endpoint) error {
		var before, after *rpcHeader
		var got []rpcLog
		number := hexutil.EncodeUint64(to)
		elems := []rpc.BatchElem{
			{Method: "eth_getBlockByNumber", Args: []any{number, false}, Result: &before},
			{Method: "eth_getLogs", Args: []any{map[string]any{
				"fromBlock": hexutil.EncodeUint64(from), "toBlock": number, "address": r.logAddresses}}, Result: &got},
			{Method: "eth_getBlockByNumber", Args: []any{number, false}, Result: &after},
		}
		if err := ep.client.BatchCallContext(ctx, elems); err != nil {
			return err
		}
		// Before requestProblem, which takes Infura's -32005 "more than
		// 10000 results" for a rate limit of the endpoint.
		if err := elems[1].Error; err != nil && isLogLimit(err) {
			return final(fmt.Errorf("%w: blocks %d-%d: %w", ErrTooManyLogs, from, to, err))
		}
		if err := elems[1].Error; err != nil && isBeyondHead(err) {
			return fmt.Errorf("%w: %w", errUnknownBlock, err)
		}
		if err := requestProblem(outcomes(elems), true); err != nil {
			return err
		}
		for _, el := range elems {
			if el.Error != nil {
				return el.Error
			}
		}
		if before == nil || after == nil {
			return fmt.Errorf("%w: block %d", errUnknownBlock, to)
		}
		if before.Hash != after.Hash {
			return final(fmt.Errorf("chain: block %d changed during the logs query (%s, then %s)", to, before.Hash, after.Hash))
		}
		end, logs = before.block(), got
		return nil
	})
	return end, logs, err
}

// Headers returns blocks from to to, each with its parent's hash, in
// JSON-RPC batches of at most headerBatch headers (one request each). A
// number the endpoint lacks fails over, as in Header; a number no
// endpoint has is ErrBlockNotFound. The headers of one batch come from one
// endpoint, but consecutive batches may not: the caller checks the parent
// links.
func (r *Reader) Headers(ctx context.Context, from, to uint64) ([]portfoliod.LinkedBlock, error) {
	if from > to {
		return nil, nil
	}
	out := make([]portfoliod.LinkedBlock, 0, to-from+1)
	per := r.headersPerBatch()
	for start := from; start <= to; start += per {
		n := min(to-start+1, per)
		var got []portfoliod.LinkedBlock
		err := r.do(ctx, "batch:eth_getBlockByNumber", func(ctx context.Context, ep *endpoint) error {
			hs := make([]*linkedHeader, n)
			elems := make([]rpc.BatchElem, n)
			for i := range elems {
				elems[i] = rpc.BatchElem{Method: "eth_getBlockByNumber", Args: []any{hexutil.EncodeUint64(start + uint64(i)), false}, Result: &hs[i]}
			}
			if err := ep.client.BatchCallContext(ctx, elems); err != nil {
				return err
			}
			if err := requestProblem(outcomes(elems), true); err != nil {
				return err
			}
			got = make([]portfoliod.LinkedBlock, n)
			for i, el := range elems {
				if el.Error != nil {
					return el.Error
				}
				if hs[i] == nil {
					return fmt.Errorf("%w: block %d", errUnknownBlock, start+uint64(i))
				}
				got[i] = hs[i].linked()
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	return out, nil
}

// isLogLimit recognises a node's refusal of a logs query as too wide, by
// the words nodes and providers use: "query returned more than 10000
// results" (geth, Infura), "query exceeds max results 20000" (reth),
// "exceed maximum block range 5000" (geth's --rpc.rangelimit), "range
// 1000000 exceeds limit of 10000" (Infura), "Log response size exceeded"
// (Alchemy), "eth_getLogs is limited to a 10,000 range" (QuickNode),
// "range 9009594 is bigger than range limit 2000" (in the error's data,
// Tenderly), "block range is too wide", "too many logs". Rate limits and
// quotas are not ("limit exceeded", "request rate exceeded", "compute
// units", "capacity"): a narrower query would not help.
func isLogLimit(err error) bool {
	m, ok := rpcErrorText(err)
	if !ok {
		return false
	}
	for _, s := range []string{"rate limit", "request rate", "rate exceeded", "too many requests",
		"capacity", "quota", "compute unit", "batch"} {
		if strings.Contains(m, s) {
			return false
		}
	}
	for _, s := range []string{"returned more than", "exceed max", "exceeds max", "exceeds limit", "exceeds the limit",
		"limited to", "range limit", "too many results", "too many logs", "too wide", "response size"} {
		if strings.Contains(m, s) {
			return true
		}
	}
	return false
}

// isBeyondHead recognises a node saying it lacks the end of a logs
// query's range (geth: "block range extends beyond current head block"):
// it lags, and another endpoint may have the blocks.
func isBeyondHead(err error) bool {
	m, ok := rpcErrorText(err)
	return ok && (strings.Contains(m, "beyond current head") || strings.Contains(m, "into the future"))
}

// rpcErrorText is a JSON-RPC error's message and data, lower-cased; false
// for another error or a revert.
func rpcErrorText(err error) (string, bool) {
	var rpcErr rpc.Error
	if !errors.As(err, &rpcErr) || rpcErr.ErrorCode() == 3 {
		return "", false
	}
	text := rpcErr.Error()
	var dataErr rpc.DataError
	if errors.As(err, &dataErr) && dataErr.ErrorData() != nil {
		if data, err := json.Marshal(dataErr.ErrorData()); err == nil {
			text += " " + string(data)
		}
	}
	return strings.ToLower(text), true
}

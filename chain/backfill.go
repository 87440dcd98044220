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
// providers, and about 150 KB of answer.
const headerBatch = 100

// errLogLimit marks a node's refusal of a logs query as too wide.
var errLogLimit = errors.New("logs query too wide for the node")

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
// logs, and block to's header again. Nodes run a batch's calls in order
// (geth does), so an endpoint that answers both headers alike had block
// to, at that hash, throughout the logs query: its answer is complete up
// to there (a lagging endpoint cannot quietly answer with fewer blocks),
// and To names the chain it describes. A caller walks the headers from
// from to To (see Headers) and uses ByBlock for the blocks on that walk;
// a walk that does not end at To means the chain moved in between.
//
// When the node refuses the range as too wide (too many results, too
// large an answer, too many blocks: the limits of nodes and providers), it
// asks for the first half, down to a single block, and To says where the
// answer ends. A block refused alone is an error wrapping errLogLimit.
func (r *Reader) RangeTouches(ctx context.Context, from, to uint64) (portfoliod.RangeTouches, error) {
	if from > to {
		return portfoliod.RangeTouches{}, fmt.Errorf("chain: empty block range %d-%d", from, to)
	}
	for {
		end, logs, err := r.rangeLogs(ctx, from, to)
		if errors.Is(err, errLogLimit) && to > from {
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
				"fromBlock": hexutil.EncodeUint64(from), "toBlock": number, "address": r.tokenAddresses()}}, Result: &got},
			{Method: "eth_getBlockByNumber", Args: []any{number, false}, Result: &after},
		}
		if err := ep.client.BatchCallContext(ctx, elems); err != nil {
			return err
		}
		// Before requestProblem, which takes Infura's -32005 "more than
		// 10000 results" for a rate limit of the endpoint.
		if err := elems[1].Error; err != nil && isLogLimit(err) {
			return final(fmt.Errorf("%w: blocks %d-%d: %w", errLogLimit, from, to, err))
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
	for start := from; start <= to; start += headerBatch {
		n := min(to-start+1, headerBatch)
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
// "range 1000000 exceeds limit of 10000" (Infura), "Log response size
// exceeded" (Alchemy), "eth_getLogs is limited to a 10,000 range"
// (QuickNode), "range 9009594 is bigger than range limit 2000" (in the
// error's data, Tenderly), "block range is too wide", "too many logs". A
// rate limit is not one: a narrower query would not help.
func isLogLimit(err error) bool {
	var rpcErr rpc.Error
	if !errors.As(err, &rpcErr) || rpcErr.ErrorCode() == 3 {
		return false
	}
	text := rpcErr.Error()
	var dataErr rpc.DataError
	if errors.As(err, &dataErr) && dataErr.ErrorData() != nil {
		if data, err := json.Marshal(dataErr.ErrorData()); err == nil {
			text += " " + string(data)
		}
	}
	m := strings.ToLower(text)
	for _, s := range []string{"rate limit", "request rate", "rate exceeded", "too many requests"} {
		if strings.Contains(m, s) {
			return false
		}
	}
	for _, s := range []string{"more than", "exceed", "limited to", "range limit", "block range",
		"too many results", "too many logs", "too large", "too wide", "response size"} {
		if strings.Contains(m, s) {
			return true
		}
	}
	return false
}

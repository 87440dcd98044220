package chain

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"
)

// Fresh latest reads (SPEC section 9, "Freshness of latest").
//
// A latest read whose tracked head is older than Config.MaxHeadAge (and
// no newHeads subscription is up) must learn the head, and over plain
// HTTP it does so in the request it sends anyway: one JSON-RPC batch of
// the aggregate3 eth_calls at "latest" and eth_getBlockByNumber("latest").
// Each aggregate3 starts with three sub-calls to Multicall3 itself,
// getBlockNumber, getLastBlockHash and getCurrentBlockTimestamp, which
// say which block the call executed on: when number, parent hash and
// timestamp all equal the header's, the figures are that block's (a
// sibling at the same height with the same parent and timestamp, which
// proof of stake rules out within a slot, is the one case not told
// apart). Otherwise (a block arrived between the two answers) the read is
// repeated pinned to the header's hash. Either way the header becomes the
// tracked head, so the reads of the next MaxHeadAge use it (and the cache)
// with no request. Concurrent latest reads of the same wallets share one
// such request. A read whose figures are all cached at the tracked head
// is sent the same way rather than as a header request followed, when the
// head moved, by a pinned read: one round trip instead of two, so that a
// new block reaches a polling client within MaxHeadAge and one round trip.

// latestProbes are the leading sub-calls of a latest aggregate3.
var latestProbes = []function{
	{sig: "getBlockNumber()", sel: selector("getBlockNumber()")},
	{sig: "getLastBlockHash()", sel: selector("getLastBlockHash()")},
	{sig: "getCurrentBlockTimestamp()", sel: selector("getCurrentBlockTimestamp()")},
}

// latestHeader is the header of the latest block with its parent.
type latestHeader struct {
	rpcHeader
	Parent common.Hash `json:"parentHash"`
}

// balancesLatest is Balances at latest when the tracked head is not
// current (see currentHead); head tracking is on.
func (r *Reader) balancesLatest(ctx context.Context, p *tokenPlan, wallets []common.Address) (Snapshot, error) {
	distinct := uniqueSorted(wallets)
	out := make([]amounts, len(distinct))
	chunks := splitChunks(p, distinct, out, max(1, r.maxCalls-len(latestProbes)))
	if r.mode == ModeBatch || len(chunks) > maxChunksPerRequest {
		// No aggregate3 to carry the header, or more than one request's
		// worth of chunks: learn the head first.
		b, err := r.currentLatest(ctx)
		if err != nil {
			return Snapshot{}, err
		}
		return r.BalancesAt(ctx, b, p.token.Address, wallets)
	}
	v, err := r.coalesce(ctx, "latest\x00"+flightKey(common.Hash{}, p.token.Address, distinct), func(ctx context.Context) (any, error) {
		hdr, asOf, same, err := r.readLatestChunks(ctx, p, chunks)
		if err == nil {
			// Before the flight ends: a read arriving after it finds the
			// head current instead of starting another.
			r.noteHeadAsOf(ctx, hdr.block(), asOf)
		}
		return latestRead{hdr: hdr, same: same, vals: out}, err
	})
	if errors.Is(err, errNoMulticallCode) {
		b, err := r.currentLatest(ctx)
		if err != nil {
			return Snapshot{}, err
		}
		return r.BalancesAt(ctx, b, p.token.Address, wallets)
	}
	if err != nil {
		return Snapshot{}, err
	}
	lr := v.(latestRead)
	b := lr.hdr.block()
	if head, ok := r.freshHead(); ok && head.Number > b.Number {
		// This endpoint lags behind a head already answered: the block
		// number a client sees never goes back.
		return r.BalancesAt(ctx, head, p.token.Address, wallets)
	}
	if !lr.same {
		return r.BalancesAt(ctx, b, p.token.Address, wallets)
	}
	// lr.vals is shared with the other callers of the flight: read only.
	found := make(map[common.Address]amounts, len(distinct))
	for i, w := range distinct {
		// The flight's distinct wallets are these: the key names them.
		found[w] = lr.vals[i]
		if r.cache != nil {
			r.cache.Add(cacheKey{block: b.Hash, token: p.token.Address, wallet: w}, lr.vals[i])
		}
	}
	return Snapshot{Block: b, Token: p.token.Address, Balances: balancesOf(wallets, found)}, nil
}

// latestRead is the shared outcome of a latest read's request.
type latestRead struct {
	hdr  latestHeader
	same bool
	vals []amounts // of the distinct wallets, in order
}

// uniqueSorted returns the distinct wallets, sorted (a flight key's order).
func uniqueSorted(wallets []common.Address) []common.Address {
	out := slices.Clone(wallets)
	slices.SortFunc(out, common.Address.Cmp)
	return slices.Compact(out)
}

// readLatestChunks sends chunks' aggregate3 calls at latest with the
// latest header in one request and decodes the amounts into the chunks.
// asOf is when the request that answered was sent; same reports whether
// every call executed on the header's block.
func (r *Reader) readLatestChunks(ctx context.Context, p *tokenPlan, chunks []chunk) (hdr latestHeader, asOf time.Time, same bool, err error) {
	calls := make([][]call, len(chunks))
	sent := make([][]call, len(chunks))
	for i, c := range chunks {
		calls[i] = c.calls(p)
		probes := make([]call, len(latestProbes), len(latestProbes)+len(calls[i]))
		for j, fn := range latestProbes {
			probes[j] = call{fn: fn, data: fn.sel[:], target: r.mcAddr}
		}
		sent[i] = append(probes, calls[i]...)
		if r.obs != nil {
			r.obs.OnBatch(len(sent[i]))
		}
	}
	resp := getBuffer()
	defer putBuffer(resp)
	body := r.multicallBodyAt(nil, p.token.Address, sent, r.mode == ModeOverride)
	defer body.release()
	rets := make([][]byte, len(sent))
	err = r.do(ctx, "batch:eth_call", func(ctx context.Context, ep *endpoint) error {
		clear(rets)
		asOf = time.Now()
		replies, err := ep.postJSON(ctx, body, resp, true)
		if err != nil {
			return err
		}
		if err := multicallRets(replies, rets, true); err != nil {
			return err
		}
		hdr, err = headerReply(replies, len(sent)+1)
		return err
	})
	readErr := func(format string, args ...any) error {
		return &ReadError{Token: p.token.Address, Function: "aggregate3 (Multicall3 " + hexAddr(r.mcAddr) + ")",
			Reason: fmt.Sprintf(format, args...)}
	}
	switch {
	case err == nil:
	case errors.Is(err, ErrUnavailable), errors.Is(err, ErrBlockNotFound), ctx.Err() != nil:
		return latestHeader{}, time.Time{}, false, fmt.Errorf("multicall at latest: %w", err)
	default:
		return latestHeader{}, time.Time{}, false, readErr("the node could not execute the batched read at latest: %s", describe(err))
	}
	results := make([][]callResult, len(sent))
	same = true
	for i, ret := range rets {
		res, err := decodeAggregate3(ret, len(sent[i]))
		switch {
		case errors.Is(err, errNoMulticallCode):
			return latestHeader{}, time.Time{}, false, err
		case err != nil:
			return latestHeader{}, time.Time{}, false, readErr("at latest: %v", err)
		}
		same = same && probesMatch(res[:len(latestProbes)], hdr)
		results[i] = res[len(latestProbes):]
	}
	if err := decodeChunks(p, chunks, calls, results); err != nil {
		return latestHeader{}, time.Time{}, false, err
	}
	return hdr, asOf, same, nil
}

// probesMatch reports whether the probe results name hdr's block: its
// number, parent hash and timestamp.
func probesMatch(res []callResult, hdr latestHeader) bool {
	for _, rr := range res {
		if !rr.ok || len(rr.data) != 32 {
			return false
		}
	}
	word := func(b []byte) (uint64, bool) {
		for _, c := range b[:24] {
			if c != 0 {
				return 0, false
			}
		}
		return binary.BigEndian.Uint64(b[24:]), true
	}
	n, ok1 := word(res[0].data)
	ts, ok2 := word(res[2].data)
	return ok1 && ok2 && n == uint64(hdr.Number) && ts == uint64(hdr.Timestamp) &&
		common.BytesToHash(res[1].data) == hdr.Parent
}

// headerReply decodes the eth_getBlockByNumber reply of id among replies.
// A missing reply is a transport failure, as a missing batch element is.
func headerReply(replies []reply, id int) (latestHeader, error) {
	want := strconv.Itoa(id)
	for _, rep := range replies {
		if string(rep.id) != want {
			continue
		}
		if rep.err != nil {
			e := new(rpcError)
			json.Unmarshal(rep.err, e)
			return latestHeader{}, e
		}
		var h *latestHeader
		if err := json.Unmarshal(rep.result, &h); err != nil {
			return latestHeader{}, err
		}
		if h == nil {
			return latestHeader{}, errors.New("the node returned no latest block")
		}
		return *h, nil
	}
	return latestHeader{}, rpc.ErrMissingBatchResponse
}

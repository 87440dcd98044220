package chain

import (
	"context"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
)

// immutableDepth is how far below the highest head seen a block number must
// be for its number→hash resolution to be cached. Ethereum finalizes blocks
// after two epochs (64 slots); above that a reorg can put another block at
// the same number, so nearer numbers are resolved per request (one
// eth_getBlockByNumber) and only their balances are cached, by hash.
const immutableDepth = 64

// numberCacheSize bounds the cached number→block resolutions.
const numberCacheSize = 4096

// rpcHeader is the part of a block we need; decoding no more keeps us
// compatible with nodes whose headers carry other fields.
type rpcHeader struct {
	Number    hexutil.Uint64 `json:"number"`
	Hash      common.Hash    `json:"hash"`
	Timestamp hexutil.Uint64 `json:"timestamp"`
}

func (h *rpcHeader) block() Block {
	return Block{Number: uint64(h.Number), Hash: h.Hash, Time: time.Unix(int64(h.Timestamp), 0).UTC()}
}

// ResolveBlock returns the number, hash and time of the block at selects.
// With a fresh tracked head (see Head), latest is the head with no request,
// and safe and finalized are asked once per head; otherwise a tag costs one
// request. A number costs one request unless it is at least 64 blocks below
// the head, whose resolution is cached. A tag never resolves below a block
// this Reader already returned for the same tag: if an endpoint lags
// behind, the remembered block is returned (and later reads pinned to its
// hash go to an endpoint that has it). A number beyond the head is an error
// *BeyondHeadError, which matches ErrBlockNotFound; node failures
// wrap ErrUnavailable.
func (r *Reader) ResolveBlock(ctx context.Context, at BlockRef) (Block, error) {
	b, _, err := r.resolve(ctx, at)
	return b, err
}

// resolve is ResolveBlock, and tells whether a number's block came from
// the cache of final numbers (see Balances).
func (r *Reader) resolve(ctx context.Context, at BlockRef) (Block, bool, error) {
	switch at.Tag {
	case Latest:
		if head, ok := r.freshHead(); ok {
			return head, false, nil
		}
	case Safe, Finalized:
		if head, ok := r.freshHead(); ok {
			b, err := r.resolveTag(ctx, at.Tag, head)
			return b, false, err
		}
	case "":
		if b, ok := r.numbers.Get(at.Number); ok {
			return b, true, nil
		}
		b, err := r.resolveNumber(ctx, at.Number)
		return b, false, err
	}
	b, err := r.resolveRemote(ctx, at)
	return b, false, err
}

// resolveRemote asks the node for the block at selects (one request).
func (r *Reader) resolveRemote(ctx context.Context, at BlockRef) (Block, error) {
	param := string(at.Tag)
	if at.Tag == "" {
		param = hexutil.EncodeUint64(at.Number)
	}
	var got Block
	err := r.do(ctx, "eth_getBlockByNumber", func(ctx context.Context, ep *endpoint) error {
		var h *rpcHeader
		if err := ep.client.CallContext(ctx, &h, "eth_getBlockByNumber", param, false); err != nil {
			return err
		}
		if h != nil {
			got = h.block()
			return nil
		}
		if at.Tag != "" {
			return final(fmt.Errorf("%w: the node has no %s block", ErrBlockNotFound, at.Tag))
		}
		var head hexutil.Uint64
		if err := ep.client.CallContext(ctx, &head, "eth_blockNumber"); err != nil {
			return err
		}
		if at.Number <= r.highestNumber() {
			// Another endpoint returned this block already.
			return fmt.Errorf("%w: block %d (its head is %d)", errUnknownBlock, at.Number, head)
		}
		if at.Number > uint64(head) {
			return &BeyondHeadError{Number: at.Number, Head: uint64(head)}
		}
		return fmt.Errorf("%w: block %d", ErrBlockNotFound, at.Number)
	})
	if err != nil {
		return Block{}, err
	}
	if at.Tag == "" {
		r.remember(Latest, got)
		return got, nil
	}
	return r.remember(at.Tag, got), nil
}

func (r *Reader) highestNumber() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.highest[Latest].Number
}

// remember records b as returned for tag and returns the block to use: b,
// or the higher block returned before.
func (r *Reader) remember(tag BlockTag, b Block) Block {
	r.mu.Lock()
	defer r.mu.Unlock()
	if prev, ok := r.highest[tag]; ok && prev.Number > b.Number {
		return prev
	}
	if tag != Latest || b.Number > r.highest[Latest].Number {
		r.highest[tag] = b
	}
	return b
}

// tagEntry is a safe or finalized block resolved while head was the head.
type tagEntry struct {
	head  common.Hash
	block Block
}

// resolveTag resolves safe or finalized once per head: the first read
// after a new head asks the node (concurrent reads share that request),
// later reads at the same head reuse the answer.
func (r *Reader) resolveTag(ctx context.Context, tag BlockTag, head Block) (Block, error) {
	r.mu.Lock()
	e, ok := r.tags[tag]
	r.mu.Unlock()
	if ok && e.head == head.Hash {
		return e.block, nil
	}
	v, err := r.coalesce(ctx, "tag\x00"+string(tag)+"\x00"+string(head.Hash[:]), func(ctx context.Context) (any, error) {
		b, err := r.resolveRemote(ctx, BlockRef{Tag: tag})
		if err != nil {
			return nil, err
		}
		r.mu.Lock()
		r.tags[tag] = tagEntry{head: head.Hash, block: b}
		r.mu.Unlock()
		return b, nil
	})
	if err != nil {
		return Block{}, err
	}
	return v.(Block), nil
}

// resolveNumber asks the node for the block at an explicit number and
// caches the answer when the block is deep enough below the head to be
// final (see immutableDepth).
func (r *Reader) resolveNumber(ctx context.Context, n uint64) (Block, error) {
	b, err := r.resolveRemote(ctx, BlockRef{Number: n})
	if err != nil {
		return Block{}, err
	}
	if n+immutableDepth <= r.highestNumber() {
		r.numbers.Add(n, b)
	}
	return b, nil
}

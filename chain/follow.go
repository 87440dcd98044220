package chain

import (
	"context"
	"fmt"
	"slices"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/portfoliod/portfoliod"
)

// The follower's node access (SPEC section 9): block headers by number,
// and the wallets a block's logs touch in the configured tokens, decoded
// by each token's freeze model.

// Header returns the block at number n and its parent's hash (one
// eth_getBlockByNumber). A number the node does not have is
// ErrBlockNotFound.
func (r *Reader) Header(ctx context.Context, n uint64) (portfoliod.Block, common.Hash, error) {
	var got linkedHeader
	err := r.do(ctx, "eth_getBlockByNumber", func(ctx context.Context, ep *endpoint) error {
		var h *linkedHeader
		if err := ep.client.CallContext(ctx, &h, "eth_getBlockByNumber", hexutil.EncodeUint64(n), false); err != nil {
			return err
		}
		if h == nil {
			return fmt.Errorf("%w: block %d", errUnknownBlock, n)
		}
		got = *h
		return nil
	})
	if err != nil {
		// errUnknownBlock from every endpoint is ErrBlockNotFound (do).
		return portfoliod.Block{}, common.Hash{}, err
	}
	return got.block(), got.Parent, nil
}

// Touch is a wallet a block's log named in a token (portfoliod.Touch).
type Touch = portfoliod.Touch

// changeEvent decodes the wallets one event names.
type changeEvent struct {
	sig     string
	wallets func(l *rpcLog) []common.Address
}

// topicAddrs takes the addresses of indexed address parameters at the
// given topic positions.
func topicAddrs(pos ...int) func(l *rpcLog) []common.Address {
	return func(l *rpcLog) []common.Address {
		var out []common.Address
		for _, p := range pos {
			if p < len(l.Topics) {
				out = append(out, common.BytesToAddress(l.Topics[p][12:]))
			}
		}
		return out
	}
}

// dataAddr takes an address parameter that is not indexed: the first
// 32-byte word of the data (USDT's blacklist events).
func dataAddr(l *rpcLog) []common.Address {
	if len(l.Data) < 32 {
		return nil
	}
	return []common.Address{common.BytesToAddress(l.Data[12:32])}
}

// ownerTouch marks an event that changes the token owner's balance (USDT's
// Issue and Redeem name no address): the owner is read at the block.
func ownerTouch(*rpcLog) []common.Address { return []common.Address{ownerMarker} }

// ownerMarker stands for "the token's owner" until it is read.
var ownerMarker = common.HexToAddress("0x00000000000000000000000000000000000000ff")

// changeEvents lists, per freeze model, the events whose emission changes a
// wallet's figures (SPEC section 9's table); Transfer applies to all.
var changeEvents = map[string][]changeEvent{
	FreezeERC3643: {
		{"TokensFrozen(address,uint256)", topicAddrs(1)},
		{"TokensUnfrozen(address,uint256)", topicAddrs(1)},
		{"AddressFrozen(address,bool,address)", topicAddrs(1)},
		{"RecoverySuccess(address,address,address)", topicAddrs(1, 2)},
	},
	FreezeERC7943: {
		{"Frozen(address,uint256)", topicAddrs(1)},
		{"ForcedTransfer(address,address,uint256)", topicAddrs(1, 2)},
	},
	FreezeOZFreezable: {{"Frozen(address,uint256)", topicAddrs(1)}},
	FreezeUSDC: {
		{"Blacklisted(address)", topicAddrs(1)},
		{"UnBlacklisted(address)", topicAddrs(1)},
	},
	FreezeUSDT: {
		{"AddedBlackList(address)", dataAddr},
		{"RemovedBlackList(address)", dataAddr},
		{"DestroyedBlackFunds(address,uint256)", dataAddr},
		{"Issue(uint256)", ownerTouch},
		{"Redeem(uint256)", ownerTouch},
	},
}

var transferEvent = changeEvent{"Transfer(address,address,uint256)", topicAddrs(1, 2)}

// FollowsEvents reports whether every change of the model's figures emits
// an event the follower decodes by the model alone: true for every preset,
// false for custom, whose change events are configured per token
// (TokenConfig.ChangeEvents) and which the periodic sweep backs up.
func FollowsEvents(model FreezeModel) bool {
	_, ok := changeEvents[model.Name]
	return ok || model.Name == FreezeNone
}

// decoders maps an event's topic 0 to its decoder, per token: Transfer,
// the preset's events, and a custom model's configured change events.
func (r *Reader) decoders() map[common.Address]map[common.Hash]changeEvent {
	out := make(map[common.Address]map[common.Hash]changeEvent, len(r.tokens))
	for _, t := range r.tokens {
		m := map[common.Hash]changeEvent{crypto.Keccak256Hash([]byte(transferEvent.sig)): transferEvent}
		for _, ev := range slices.Concat(changeEvents[t.Freeze.Name], r.plans[t.Address].events) {
			m[crypto.Keccak256Hash([]byte(ev.sig))] = ev
		}
		out[t.Address] = m
	}
	return out
}

// rpcLog is the part of a log the follower needs.
type rpcLog struct {
	Address common.Address `json:"address"`
	// BlockHash groups a ranged query's logs by block.
	BlockHash common.Hash   `json:"blockHash"`
	Topics    []common.Hash `json:"topics"`
	Data      hexutil.Bytes `json:"data"`
	TxHash    common.Hash   `json:"transactionHash"`
	Removed   bool          `json:"removed"`
}

// Touches returns the wallets the logs of block b name in the configured
// tokens, in log order without repeats (one eth_getLogs by block hash,
// EIP-234, for all tokens; one eth_call more per token whose owner an
// event names). The zero address (a mint's or burn's other side) is left
// out.
func (r *Reader) Touches(ctx context.Context, b portfoliod.Block) ([]Touch, error) {
	var logs []rpcLog
	err := r.do(ctx, "eth_getLogs", func(ctx context.Context, ep *endpoint) error {
		err := ep.client.CallContext(ctx, &logs, "eth_getLogs", map[string]any{"blockHash": b.Hash, "address": r.logAddresses})
		if err != nil && isLogLimit(err) {
			// Not the endpoint's failure (Infura's is a -32005, which
			// would pass for a rate limit): every endpoint answers so.
			return final(fmt.Errorf("%w: block %d: %w", ErrTooManyLogs, b.Number, err))
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	byBlock, err := r.decodeLogs(ctx, logs)
	if err != nil {
		return nil, err
	}
	return byBlock[b.Hash], nil
}

// decodeLogs decodes logs by the tokens' freeze models into the wallets
// each block's logs touch, by block hash, in log order without repeats
// within a block; the zero address is left out. An event naming a token's
// owner reads owner() at the log's block.
func (r *Reader) decodeLogs(ctx context.Context, logs []rpcLog) (map[common.Hash][]Touch, error) {
	dec := r.decode
	out := map[common.Hash][]Touch{}
	type blockTouch struct {
		block common.Hash
		Touch
	}
	seen := map[blockTouch]bool{}
	type blockToken struct {
		block common.Hash
		token common.Address
	}
	owners := map[blockToken]common.Address{}
	for i := range logs {
		l := &logs[i]
		if l.Removed || len(l.Topics) == 0 {
			continue
		}
		ev, ok := dec[l.Address][l.Topics[0]]
		if !ok {
			continue
		}
		for _, w := range ev.wallets(l) {
			if w == ownerMarker {
				key := blockToken{l.BlockHash, l.Address}
				o, ok := owners[key]
				if !ok {
					var err error
					if o, err = r.owner(ctx, l.BlockHash, l.Address); err != nil {
						return nil, err
					}
					owners[key] = o
				}
				w = o
			}
			t := Touch{Token: l.Address, Wallet: w, Tx: l.TxHash}
			if w == (common.Address{}) || seen[blockTouch{l.BlockHash, t}] {
				continue
			}
			seen[blockTouch{l.BlockHash, t}] = true
			out[l.BlockHash] = append(out[l.BlockHash], t)
		}
	}
	return out, nil
}

// owner reads token's owner() at the block of hash block.
func (r *Reader) owner(ctx context.Context, block common.Hash, token common.Address) (common.Address, error) {
	var ret hexutil.Bytes
	sel := selector("owner()")
	err := r.do(ctx, "eth_call", func(ctx context.Context, ep *endpoint) error {
		return ep.client.CallContext(ctx, &ret, "eth_call",
			map[string]any{"to": token, "data": hexutil.Bytes(sel[:])}, map[string]any{"blockHash": block})
	})
	if err != nil {
		return common.Address{}, err
	}
	if len(ret) < 32 {
		return common.Address{}, &ReadError{Token: token, Function: "owner()", Reason: "empty or short return data"}
	}
	return common.BytesToAddress(ret[12:32]), nil
}

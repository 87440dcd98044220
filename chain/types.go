// Package chain reads token balances and frozen amounts from an EVM node.
//
// It is the only package that imports go-ethereum's ethclient and rpc. A
// Reader resolves one block per read and pins every call of a snapshot to it,
// batches calls through Multicall3 (deployed, or placed with a state
// override) or a JSON-RPC batch, and fails over between endpoints.
//
// The floor for an uncached snapshot is one HTTP request: a head tracker
// (polling, or a newHeads subscription) makes resolving latest free, and
// all the aggregate3 chunks of a snapshot travel in one JSON-RPC batch.
// Values are cached by (block hash, token, wallet), so a repeat within the
// block costs no request, and concurrent identical reads share one.
package chain

import (
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// BlockTag names a block relative to the head.
type BlockTag string

// Block tags accepted by ParseBlockRef.
const (
	Latest    BlockTag = "latest"
	Safe      BlockTag = "safe"
	Finalized BlockTag = "finalized"
)

// BlockRef selects the block a read is pinned to: a tag, or a number when
// Tag is empty.
type BlockRef struct {
	Tag    BlockTag
	Number uint64
}

// LatestBlock is the default BlockRef.
var LatestBlock = BlockRef{Tag: Latest}

// ParseBlockRef parses "latest", "safe", "finalized", a decimal block number
// or a 0x-prefixed hex block number. An empty string means latest.
func ParseBlockRef(s string) (BlockRef, error) {
	switch BlockTag(s) {
	case "", Latest:
		return LatestBlock, nil
	case Safe, Finalized:
		return BlockRef{Tag: BlockTag(s)}, nil
	}
	var (
		n   uint64
		err error
	)
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		n, err = strconv.ParseUint(s[2:], 16, 63)
	} else {
		n, err = strconv.ParseUint(s, 10, 63)
	}
	if err != nil {
		return BlockRef{}, fmt.Errorf("block must be latest, safe, finalized or a block number, got %q", s)
	}
	return BlockRef{Number: n}, nil
}

// String returns the tag or the decimal number.
func (b BlockRef) String() string {
	if b.Tag != "" {
		return string(b.Tag)
	}
	return strconv.FormatUint(b.Number, 10)
}

// Block identifies the block a snapshot was read at.
type Block struct {
	Number uint64
	Hash   common.Hash
	// Time is the block's timestamp (UTC), e.g. to tell how fresh the
	// head is.
	Time time.Time
}

// Balance is one wallet's position in one token at one block. Total, Frozen
// and Available are never nil in a returned Snapshot, and
// Available = Total - Frozen with 0 <= Frozen <= Total.
type Balance struct {
	Wallet    common.Address
	Total     *big.Int
	Frozen    *big.Int
	Available *big.Int
}

// Snapshot holds the balances of several wallets, all read at Block.
// Balances[i] belongs to the i-th wallet that was asked for.
type Snapshot struct {
	Block    Block
	Token    common.Address
	Balances []Balance
}

// Errors callers tell apart.
var (
	// ErrUnavailable means no node endpoint could be reached (transport
	// error, HTTP 5xx or timeout on every endpoint).
	ErrUnavailable = errors.New("chain node unavailable")
	// ErrBlockNotFound means the requested block is beyond the head or
	// unknown to the node (for example finalized on a chain without it).
	ErrBlockNotFound = errors.New("block not found")
	// ErrUnknownToken means the token is not configured.
	ErrUnknownToken = errors.New("token not configured")
	// ErrChainIDMismatch means the node serves another chain than configured.
	ErrChainIDMismatch = errors.New("chain id mismatch")
)

// BeyondHeadError is a block number above the node's head. It matches
// ErrBlockNotFound.
type BeyondHeadError struct {
	Number, Head uint64
}

func (e *BeyondHeadError) Error() string {
	return fmt.Sprintf("block %d is beyond the head %d", e.Number, e.Head)
}

// Is makes a *BeyondHeadError match ErrBlockNotFound.
func (e *BeyondHeadError) Is(target error) bool { return target == ErrBlockNotFound }

// StatePrunedError is a block the node still has but whose state it no
// longer keeps: a full node prunes the state of all but its recent blocks
// (geth keeps about the last 128), an archive node keeps every block's.
// Every endpoint was asked. It matches ErrBlockNotFound.
type StatePrunedError struct {
	Number uint64
}

func (e *StatePrunedError) Error() string {
	return fmt.Sprintf("the node no longer has state for block %d; a full node keeps about the last 128 blocks (an archive node keeps all)", e.Number)
}

// Is makes a *StatePrunedError match ErrBlockNotFound.
func (e *StatePrunedError) Is(target error) bool { return target == ErrBlockNotFound }

// ReadError reports a value that could not be read: the call reverted,
// returned empty or malformed data, or the token has no code. It never
// stands for a zero.
type ReadError struct {
	Token    common.Address
	Wallet   common.Address // zero for token-level calls (code, symbol)
	Function string         // e.g. "balanceOf(address)"
	Reason   string         // e.g. "reverted", "empty return data", "no contract code"
}

func (e *ReadError) Error() string {
	if e.Wallet == (common.Address{}) {
		return fmt.Sprintf("token %s: %s: %s", strings.ToLower(e.Token.Hex()), e.Function, e.Reason)
	}
	return fmt.Sprintf("token %s: %s for wallet %s: %s",
		strings.ToLower(e.Token.Hex()), e.Function, strings.ToLower(e.Wallet.Hex()), e.Reason)
}

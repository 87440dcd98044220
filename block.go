package portfoliod

import (
	"fmt"
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
// Tag is empty. The zero BlockRef is block 0, the genesis block.
type BlockRef struct {
	Tag    BlockTag
	Number uint64
}

// LatestBlock is the default BlockRef.
var LatestBlock = BlockRef{Tag: Latest}

// ParseBlockRef parses "latest", "safe", "finalized", a decimal block number
// or a 0x-prefixed hex block number. An empty string means latest. A
// failure is an EINVALID error about "block".
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
		return BlockRef{}, Invalidf("block", "block must be latest, safe, finalized or a block number, got %q", Truncate(s, 32))
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

// Block identifies the block a read was pinned to.
type Block struct {
	Number uint64
	Hash   common.Hash
	// Time is the block's timestamp (UTC), e.g. to tell how fresh the
	// head is.
	Time time.Time
}

// Errors of block resolution.
var (
	// ErrBlockNotFound: the requested block is beyond the head or unknown
	// to the node (for example finalized on a chain without it).
	ErrBlockNotFound = &Error{Code: EINVALID, Param: "block",
		Message: "the node does not have this block: it is beyond the head, or its state is not kept (an archive node keeps it)"}
)

// BeyondHeadError is a block number above the node's head. It matches
// ErrBlockNotFound.
type BeyondHeadError struct {
	Number, Head uint64
}

func (e *BeyondHeadError) Error() string {
	return fmt.Sprintf("block %d is beyond the chain head %d", e.Number, e.Head)
}

// Unwrap gives the error its code.
func (e *BeyondHeadError) Unwrap() error {
	return &Error{Code: EINVALID, Param: "block", Message: e.Error()}
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

// Unwrap gives the error its code.
func (e *StatePrunedError) Unwrap() error {
	return &Error{Code: EINVALID, Param: "block", Message: e.Error()}
}

// Is makes a *StatePrunedError match ErrBlockNotFound.
func (e *StatePrunedError) Is(target error) bool { return target == ErrBlockNotFound }

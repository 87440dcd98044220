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

	"github.com/portfoliod/portfoliod"
)

// The block, balance and error types are the domain's (package
// portfoliod); chain produces them.
type (
	BlockTag         = portfoliod.BlockTag
	BlockRef         = portfoliod.BlockRef
	Block            = portfoliod.Block
	Balance          = portfoliod.Balance
	Snapshot         = portfoliod.Snapshot
	Token            = portfoliod.Token
	FreezeModel      = portfoliod.FreezeModel
	BeyondHeadError  = portfoliod.BeyondHeadError
	StatePrunedError = portfoliod.StatePrunedError
	ReadError        = portfoliod.ReadError
)

// Block tags accepted by ParseBlockRef.
const (
	Latest    = portfoliod.Latest
	Safe      = portfoliod.Safe
	Finalized = portfoliod.Finalized
)

// LatestBlock is the default BlockRef.
var LatestBlock = portfoliod.LatestBlock

// ParseBlockRef is portfoliod.ParseBlockRef.
func ParseBlockRef(s string) (BlockRef, error) { return portfoliod.ParseBlockRef(s) }

// Errors callers tell apart. Those a client can meet are the domain's.
var (
	// ErrUnavailable means no node endpoint could be reached (transport
	// error, HTTP 5xx or timeout on every endpoint).
	ErrUnavailable = portfoliod.ErrChainUnavailable
	// ErrBlockNotFound means the requested block is beyond the head or
	// unknown to the node (for example finalized on a chain without it).
	ErrBlockNotFound = portfoliod.ErrBlockNotFound
	// ErrUnknownToken means the token is not configured.
	ErrUnknownToken = portfoliod.ErrUnknownToken
	// ErrTooManyLogs means the node refused a logs query as too wide,
	// even for a single block.
	ErrTooManyLogs = portfoliod.ErrTooManyLogs
	// ErrChainIDMismatch means the node serves another chain than configured.
	ErrChainIDMismatch = errors.New("chain id mismatch")
)

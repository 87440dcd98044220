package portfoliod

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// FreezeModel says how a token's frozen amount is read (SPEC section 2):
// the uint256 f(address) views giving a partly frozen amount, and the bool
// f(address) views meaning the whole balance is frozen. frozen = any flag
// true ? total : min(total, sum of amounts).
type FreezeModel struct {
	Name      string
	AmountFns []string
	FlagFns   []string
}

// Token is a configured token, as read from the chain at start-up.
type Token struct {
	Address  common.Address
	Symbol   string
	Decimals uint8
	Freeze   FreezeModel
}

// Balance is one wallet's position in one token at one block. In a
// returned Snapshot or Portfolio, Total, Frozen and Available are never
// nil, and Available = Total - Frozen with 0 <= Frozen <= Total.
type Balance struct {
	Wallet    common.Address
	Total     *big.Int
	Frozen    *big.Int
	Available *big.Int
	// AddressFrozen says a flag of the freeze model (FlagFns: an address
	// freeze, a blacklist) is set, which freezes the whole total;
	// always false for a model without flags.
	AddressFrozen bool
}

// Snapshot holds the balances of several wallets in one token, all read at
// Block. Balances[i] belongs to the i-th wallet asked for, and names it.
type Snapshot struct {
	Block    Block
	Token    common.Address
	Balances []Balance
	// StaleSince, when not zero, says the figures were read before the
	// node became unreachable at that time: a latest read answered from
	// figures already read at the last head the node gave (SPEC section
	// 9, "Freshness of latest").
	StaleSince time.Time
}

// Portfolio is a customer with the balance of every wallet it owns in one
// token, all read at one block. Balances[i] is the balance of
// Customer.Wallets[i] and names that wallet: the aggregator checks the
// pairing by address, so a renderer never pairs by position.
type Portfolio struct {
	Customer Customer
	Block    Block
	Token    common.Address
	Balances []Balance
	// StaleSince is the Snapshot's: when not zero, the node has been
	// unreachable since then and the figures are the last read.
	StaleSince time.Time
}

// BalanceReader reads block-consistent balances from the chain. Balances
// returns ErrUnknownToken, before any node call, for a token that is not
// configured.
type BalanceReader interface {
	Balances(ctx context.Context, at BlockRef, token common.Address, wallets []common.Address) (Snapshot, error)
	Tokens() []Token
}

// Errors of balance reads.
var (
	// ErrChainUnavailable: no node endpoint could answer (transport
	// error, HTTP 5xx, timeout) or the reads in flight are at their bound.
	ErrChainUnavailable = &Error{Code: EUNAVAILABLE, Message: "the chain node is unavailable; try again shortly"}
	// ErrUnknownToken: the token is not configured.
	ErrUnknownToken = &Error{Code: EINVALID, Param: "token", Message: "token is not configured; GET /tokens lists the configured tokens"}
	// ErrOverloaded: too many balance reads were in flight and this one
	// could not start within its queue wait; retry shortly.
	ErrOverloaded = &Error{Code: EUNAVAILABLE, Message: "too many balance reads in flight; retry shortly"}
)

// ReadError reports a value that could not be read: the call reverted,
// returned empty or malformed data, or the token has no code. It never
// stands for a zero. Its code is EBADREAD.
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

// Unwrap gives the error its code and a message for the caller.
func (e *ReadError) Unwrap() error {
	return &Error{Code: EBADREAD, Message: "could not read " + e.Error()}
}

// Redacted is the error's text without the wallet, for logs, which carry
// no personal data.
func (e *ReadError) Redacted() string {
	anon := *e
	anon.Wallet = common.Address{}
	if e.Wallet == (common.Address{}) {
		return anon.Error()
	}
	return anon.Error() + " (for a wallet of the request)"
}

// ReadOptions select the block and the token of a balance read.
type ReadOptions struct {
	// Block is the block to read at; nil means latest. (A pointer because
	// the zero BlockRef is block 0, the genesis block.)
	Block *BlockRef
	// Token is a configured token; the zero address means the default
	// (first configured) token.
	Token common.Address
}

package portfoliod

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// Event types.
const (
	// EventBalanceUpdated: a customer wallet's figures in a token differ
	// from its last known ones (SPEC section 9).
	EventBalanceUpdated = "balance.updated"
)

// Figures are a wallet's amounts in one token at one block, as read from
// the chain. Available = Total - Frozen, 0 <= Frozen <= Total.
type Figures struct {
	Total     *big.Int
	Frozen    *big.Int
	Available *big.Int
	// AddressFrozen is Balance.AddressFrozen: kept with the figures for
	// the frozen-funds register, but no amount, so no change of its own.
	AddressFrozen bool
}

// FiguresOf returns b's amounts.
func FiguresOf(b Balance) Figures {
	return Figures{Total: b.Total, Frozen: b.Frozen, Available: b.Available, AddressFrozen: b.AddressFrozen}
}

// Changed lists the amounts that differ between f and g, in the order
// "total", "frozen", "available"; nil when none does. A flag that changes
// while the amounts stay is no change (a wallet holding nothing
// blacklisted, or one frozen in full by amount then by address).
func (f Figures) Changed(g Figures) []string {
	var out []string
	for _, a := range []struct {
		name string
		x, y *big.Int
	}{{"total", f.Total, g.Total}, {"frozen", f.Frozen, g.Frozen}, {"available", f.Available, g.Available}} {
		if a.x.Cmp(a.y) != 0 {
			out = append(out, a.name)
		}
	}
	return out
}

// KnownFigures are the last figures the follower read for a (token,
// wallet), and the block it read them at.
type KnownFigures struct {
	Figures
	Block Block
}

// BalanceChange is the data of a balance.updated event: what a customer
// wallet holds in a token at a block, read from the chain there, and what
// it held before. It is state, never computed from event amounts.
type BalanceChange struct {
	CustomerID string
	Wallet     common.Address
	Token      common.Address
	Block      Block
	Previous   Figures
	Balances   Figures
	// Changed names the amounts that differ from Previous.
	Changed []string
	// Transactions are the block's transactions that touched the wallet
	// in the token (none for a sweep or a reorg correction).
	Transactions []common.Hash
	// Reorg marks a correction: the block the previous figures were read
	// at is no longer canonical.
	Reorg bool
}

// Event is one entry of the event log.
type Event struct {
	// ID is derived from (block hash, token, wallet): the same change is
	// one event however often it is computed.
	ID        string
	Type      string
	CreatedAt time.Time
	Data      BalanceChange
}

// eventIDPrefix starts every event id.
const eventIDPrefix = "evt_"

// EventID returns the id of the event for a change of wallet in token at
// the block with hash blockHash: "evt_" and 32 lowercase hex digits of
// the SHA-256 of the three.
func EventID(blockHash common.Hash, token, wallet common.Address) string {
	h := sha256.New()
	h.Write(blockHash[:])
	h.Write(token[:])
	h.Write(wallet[:])
	return eventIDPrefix + hex.EncodeToString(h.Sum(nil)[:16])
}

// ValidEventID reports whether id has the form EventID produces.
func ValidEventID(id string) bool {
	rest, ok := strings.CutPrefix(id, eventIDPrefix)
	if !ok || len(rest) != 32 {
		return false
	}
	_, err := hex.DecodeString(rest)
	return err == nil && strings.ToLower(rest) == rest
}

// ErrEventNotFound: no event in the log has the id (it was never stored,
// or retention removed it).
var ErrEventNotFound = &Error{Code: ENOTFOUND, Param: "Last-Event-ID", Message: "no such event in the event log (it may be older than the retention)"}

// ErrTooManyLogs: the node refused to list a block's logs in the
// configured tokens, even for that block alone, because there are more
// than it returns in one answer (Infura's 10,000 results). The follower
// then reads every customer wallet at that block instead of the wallets
// its logs name.
var ErrTooManyLogs = &Error{Code: EBADREAD, Message: "the node refuses a logs query this wide (too many results or blocks)"}

// BlockCommit is what the follower stores for one processed block, in one
// transaction: the events it found, the new last known figures, and the
// block as the new cursor.
type BlockCommit struct {
	// Block is the processed block; it becomes the cursor.
	Block Block
	// Parent is Block's parent hash, kept to detect a reorg on restart.
	Parent common.Hash
	// Events are appended in order; an event whose id is in the log
	// already is skipped.
	Events []Event
	// Figures are the last known figures to set, by token and wallet.
	Figures []TokenWalletFigures
	// Touched are the (token, wallet) pairs the block's logs named, kept
	// with the block so a reorg that orphans it can re-read them.
	Touched []TokenWallet
}

// Touch is a wallet a block's log named in a token, and the transaction
// that emitted it.
type Touch struct {
	Token  common.Address
	Wallet common.Address
	Tx     common.Hash
}

// RangeTouches are the touches of a run of consecutive blocks, found by
// one ranged logs query.
type RangeTouches struct {
	// To is the run's last block: the one asked for, or an earlier one
	// when the node refused a range that wide.
	To Block
	// ByBlock holds each block's touches in log order, by block hash; a
	// block of the run whose logs touch nothing is absent.
	ByBlock map[common.Hash][]Touch
}

// LinkedBlock is a block and its parent's hash.
type LinkedBlock struct {
	Block  Block
	Parent common.Hash
}

// TokenWallet is a wallet in a token.
type TokenWallet struct {
	Token  common.Address
	Wallet common.Address
}

// TokenWalletFigures are the known figures of a wallet in a token.
type TokenWalletFigures struct {
	TokenWallet
	Known KnownFigures
}

// FollowedBlock is a block the follower processed, as its store keeps it.
type FollowedBlock struct {
	Block   Block
	Parent  common.Hash
	Touched []TokenWallet
}

// MaxEventPage is the largest page of the event log one query returns.
const MaxEventPage = 1000

// EventQuery selects a page of the event log, in log order.
type EventQuery struct {
	// After is the id of the last event already seen; "" starts at the
	// oldest (the newest with Newest). An id not in the log is
	// ErrEventNotFound.
	After string
	// Limit bounds the page; 0 means DefaultListLimit, more than
	// MaxEventPage means MaxEventPage.
	Limit int
	// CustomerID, Token and Type filter; zero values match all.
	CustomerID string
	Token      common.Address
	Type       string
	// Newest pages from the newest event back; After is then the last
	// (oldest) event of the previous page.
	Newest bool
}

// FollowerStore keeps the follower's state: the event log, the last known
// figures per (token, wallet) and the recent blocks it processed (the
// cursor is the newest). Implementations are safe for concurrent use; a
// CommitBlock that returned nil survives a crash, and one that did not
// left nothing behind.
type FollowerStore interface {
	// CommitBlock stores c in one transaction. Kept blocks numbered at
	// or above c.Block's are replaced by it: the new block of a reorg
	// forgets the orphaned ones.
	CommitBlock(ctx context.Context, c BlockCommit) error
	// RecentBlocks returns the processed blocks still kept (up to the
	// reorg depth the store was given), newest first; none before the
	// first commit.
	RecentBlocks(ctx context.Context) ([]FollowedBlock, error)
	// KnownFigures returns the last known figures of the wallets in
	// token that have any.
	KnownFigures(ctx context.Context, token common.Address, wallets []common.Address) (map[common.Address]KnownFigures, error)
	// SetKnownFigures sets figures without an event (a wallet just
	// linked: its past is no event).
	SetKnownFigures(ctx context.Context, figures []TokenWalletFigures) error
	// Events returns a page of the log matching q, and whether more
	// follow.
	Events(ctx context.Context, q EventQuery) ([]Event, bool, error)
	// PurgeEvents deletes events created before t and returns how many.
	PurgeEvents(ctx context.Context, before time.Time) (int, error)
	// ImportEvents appends events to the log in order, in one
	// transaction, skipping ids in the log already, and writes no webhook
	// delivery (a store move copies the deliveries as they were).
	ImportEvents(ctx context.Context, events []Event) error
}

// FrozenSince says when a wallet's frozen amount in a token last went
// from zero to above it: the block, and the transaction of the event that
// froze it (zero for a freeze found by a sweep or a first read).
type FrozenSince struct {
	Block       Block
	Transaction common.Hash
}

// FrozenEntry is one wallet of the frozen-funds register.
type FrozenEntry struct {
	CustomerID string
	Token      common.Address
	Wallet     common.Address
	Known      KnownFigures
	Since      FrozenSince
}

// FrozenQuery selects a page of the frozen-funds register of a token,
// ordered by frozen amount descending, then wallet.
type FrozenQuery struct {
	Token common.Address
	// Limit bounds the page; 0 means DefaultListLimit.
	Limit int
	// After is the last wallet of the previous page; zero starts at the
	// top. The page goes on after that wallet's place in the order.
	After common.Address
}

// FrozenPage is a page of the register and the register's totals.
type FrozenPage struct {
	Entries     []FrozenEntry
	HasMore     bool
	Wallets     int
	Customers   int
	FrozenTotal *big.Int
}

// RegisterStore serves the frozen-funds register from the follower's last
// known figures: every customer wallet with a frozen amount above zero.
type RegisterStore interface {
	Frozen(ctx context.Context, q FrozenQuery) (FrozenPage, error)
}

// FrozenPoint is the frozen total of a token's register at a time (a point
// of GET /frozen/series).
type FrozenPoint struct {
	Time        time.Time
	FrozenTotal *big.Int
}

package portfoliod

import (
	"context"
	"fmt"
	"io"
	"maps"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// Errors a CustomerStore returns, each with its code, so every store
// fails the same way. A store may wrap them with detail; callers match
// them with errors.Is or read their code with ErrorCode.
var (
	// ErrCustomerNotFound: no customer has the id (or owns the wallet).
	ErrCustomerNotFound = &Error{Code: ENOTFOUND, Param: "id", Message: "no such customer"}
	// ErrWalletNotLinked: the customer exists but does not own the wallet.
	ErrWalletNotLinked = &Error{Code: ENOTFOUND, Param: "address", Message: "the customer does not own this wallet"}
	// ErrWalletTaken: a wallet of the write belongs to another customer.
	// The concrete error is a *WalletTakenError, which matches it.
	ErrWalletTaken = &Error{Code: ECONFLICT, Param: "wallets", Message: "a wallet already belongs to another customer"}
	// ErrCustomerExists: a customer with the caller-chosen id exists.
	ErrCustomerExists = &Error{Code: ECONFLICT, Param: "id", Message: "a customer with this id already exists"}
	// ErrInvalidCustomerID: a caller-chosen id does not have the form
	// NewCustomerID produces.
	ErrInvalidCustomerID = &Error{Code: EINVALID, Param: "id", Message: "customer id must look like customer_ followed by 12 lowercase hex characters"}
	// ErrDuplicateWallet: one write lists the same wallet twice.
	ErrDuplicateWallet = &Error{Code: EINVALID, Param: "wallets", Message: "a wallet is listed more than once"}
	// ErrTooManyWallets: the write would give a customer more than
	// MaxWallets wallets.
	ErrTooManyWallets = &Error{Code: EINVALID, Param: "wallets", Message: fmt.Sprintf("a customer may own at most %d wallets", MaxWallets)}
	// ErrIdempotencyConflict: an idempotency key was reused with a
	// different request.
	ErrIdempotencyConflict = &Error{Code: ECONFLICT, Param: "Idempotency-Key", Message: "this Idempotency-Key was used with a different request"}
	// ErrInvalidIdempotencyKey: a scope or key is empty, too long, or has
	// a NUL byte in the scope.
	ErrInvalidIdempotencyKey = &Error{Code: EINVALID, Param: "Idempotency-Key", Message: "invalid idempotency key"}
)

// WalletTakenError is the ECONFLICT of a write naming a wallet that
// another customer owns. It names the wallet, never the owner: the caller
// may not be allowed to read that customer.
type WalletTakenError struct {
	Wallet common.Address
}

func (e *WalletTakenError) Error() string {
	// Lowercase, as the API shows addresses; the message reaches clients.
	return fmt.Sprintf("wallet %s already belongs to another customer", strings.ToLower(e.Wallet.Hex()))
}

// Unwrap gives the error its code and a message naming the wallet.
func (e *WalletTakenError) Unwrap() error {
	return &Error{Code: ECONFLICT, Param: "wallets", Message: e.Error()}
}

// Is makes errors.Is(err, ErrWalletTaken) true.
func (e *WalletTakenError) Is(target error) bool { return target == ErrWalletTaken }

// List limits every store applies.
const (
	DefaultListLimit = 10
	MaxListLimit     = 100
)

// ListOptions select a page of CustomerStore.List.
type ListOptions struct {
	// Limit is the page size: 0 means DefaultListLimit, larger than
	// MaxListLimit means MaxListLimit. Callers validate user input.
	Limit int
	// StartingAfter is the last id of the previous page; the page starts
	// at the first id after it, whether or not it exists.
	StartingAfter string
	// NamePrefix, when set, keeps only the customers whose name begins
	// with it, compared in lower case (strings.ToLower; PostgreSQL's
	// lower()); still in id order. Stores scan for it: it is for the
	// console's search, not for bulk reads.
	NamePrefix string
}

// Size is the page size o asks for, within [1, MaxListLimit].
func (o ListOptions) Size() int {
	switch {
	case o.Limit <= 0:
		return DefaultListLimit
	case o.Limit > MaxListLimit:
		return MaxListLimit
	}
	return o.Limit
}

// IdempotentResponse is the first response the API gave to a POST carrying
// an Idempotency-Key, replayed for later requests with the same key.
type IdempotentResponse struct {
	// RequestHash identifies the request body; a later request with the
	// same key and a different hash is a conflict.
	RequestHash [32]byte
	// Status is the HTTP status code.
	Status int
	// Header holds the response headers to replay (say the block a
	// balance was read at), by canonical name; nil when none.
	Header map[string]string
	// Body is the response body.
	Body []byte
	// CreatedAt is when the response was saved; the entry expires the
	// store's idempotency TTL later.
	CreatedAt time.Time
}

// Bounds on idempotency records, shared by the API (which refuses a longer
// Idempotency-Key header) and every store (which refuses to save one).
const (
	// MaxIdempotencyKey is the longest Idempotency-Key, in bytes.
	MaxIdempotencyKey = 255
	// MaxIdempotencyScope is the longest scope (the API key's name).
	MaxIdempotencyScope = 64
)

// CustomerStore keeps customer profiles and the wallet index that makes a
// wallet belong to at most one customer. Implementations are safe for
// concurrent use, and a write that returned nil survives a crash. Errors
// are the Err* values above (possibly wrapped) or *WalletTakenError.
type CustomerStore interface {
	// Create stores a new customer: a random id unless c.ID is set (it
	// must be valid and new), CreatedAt now unless set, VerificationStatus
	// InProgress unless set. It returns the customer as Get returns it.
	Create(ctx context.Context, c Customer) (Customer, error)
	// Get returns the customer with id.
	Get(ctx context.Context, id string) (Customer, error)
	// Update applies mutate to the stored customer and stores the result
	// if mutate returns nil; the wallets are not mutable this way.
	Update(ctx context.Context, id string, mutate func(*Customer) error) (Customer, error)
	// Delete removes the customer and frees its wallets.
	Delete(ctx context.Context, id string) error
	// LinkWallet gives the customer wallet w (a no-op if it owns it).
	LinkWallet(ctx context.Context, id string, w common.Address) (Customer, error)
	// UnlinkWallet frees wallet w of the customer.
	UnlinkWallet(ctx context.Context, id string, w common.Address) (Customer, error)
	// List returns a page of customers in id order and whether more follow.
	List(ctx context.Context, opts ListOptions) ([]Customer, bool, error)
	// FindByWallet returns the owner of w.
	FindByWallet(ctx context.Context, w common.Address) (Customer, error)
	// LookupIdempotent returns the live response saved under scope and
	// key, and whether there is one.
	LookupIdempotent(ctx context.Context, scope, key string) (IdempotentResponse, bool, error)
	// SaveIdempotent saves r under scope and key, unless a live response
	// with the same request hash is there (ErrIdempotencyConflict if its
	// hash differs).
	SaveIdempotent(ctx context.Context, scope, key string, r IdempotentResponse) error
	// Backup writes a consistent snapshot of the store to w.
	Backup(ctx context.Context, w io.Writer) (int64, error)
}

// PrepareNew gives c the form a store keeps a new customer in, before its
// write: c's id, or a generated one (generated says which: a generated id
// found taken is replaced, a given one refused with ErrCustomerExists),
// its wallets checked (ErrTooManyWallets, ErrDuplicateWallet), and the
// defaults Normalize fills. A given id that is malformed is
// ErrInvalidCustomerID. Every store's Create and Import start here, so
// they accept and fill in the same way.
func PrepareNew(c Customer, now time.Time) (_ Customer, generated bool, _ error) {
	if c.ID == "" {
		c.ID, generated = NewCustomerID(), true
	} else if !ValidCustomerID(c.ID) {
		return Customer{}, false, fmt.Errorf("%w: %q", ErrInvalidCustomerID, c.ID)
	}
	if len(c.Wallets) > MaxWallets {
		return Customer{}, false, fmt.Errorf("%w: %d wallets, at most %d", ErrTooManyWallets, len(c.Wallets), MaxWallets)
	}
	seen := make(map[common.Address]struct{}, len(c.Wallets))
	for _, w := range c.Wallets {
		if _, ok := seen[w]; ok {
			return Customer{}, false, fmt.Errorf("%w: %s", ErrDuplicateWallet, strings.ToLower(w.Hex()))
		}
		seen[w] = struct{}{}
	}
	return c.Normalize(now), generated, nil
}

// Normalize fills c's defaults (VerificationStatus InProgress, CreatedAt
// now) and gives it the exact shape a store reads it back in (CreatedAt
// in UTC to the second, no empty metadata map), copying everything c
// shares with the caller, so that what a store's write returns equals what
// its Get returns.
func (c Customer) Normalize(now time.Time) Customer {
	if c.VerificationStatus == "" {
		c.VerificationStatus = InProgress
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = now
	}
	c.CreatedAt = c.CreatedAt.UTC().Truncate(time.Second)
	c.Wallets = append(make([]common.Address, 0, len(c.Wallets)), c.Wallets...)
	if len(c.Metadata) == 0 {
		c.Metadata = nil
	} else {
		c.Metadata = maps.Clone(c.Metadata)
	}
	if c.Address != nil {
		a := *c.Address
		c.Address = &a
	}
	return c
}

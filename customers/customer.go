// Package customers keeps customer profiles and the wallets they own in an
// embedded bbolt store. It is the only package that imports bbolt.
//
// A Store is safe for concurrent use. Every acknowledged write has been
// fsynced (bbolt's default), and the wallet index that enforces "a wallet
// belongs to at most one customer" is updated in the same transaction as the
// customer record, so the two can never disagree.
package customers

import (
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/portfoliod/portfoliod"
)

// The customer types are the domain's (package portfoliod); these names
// remain while callers move to it.
type (
	Type               = portfoliod.Type
	VerificationStatus = portfoliod.VerificationStatus
	PostalAddress      = portfoliod.PostalAddress
	Customer           = portfoliod.Customer
)

// Customer types and verification states.
const (
	Individual   = portfoliod.Individual
	Organization = portfoliod.Organization
	Incomplete   = portfoliod.Incomplete
	InProgress   = portfoliod.InProgress
	Completed    = portfoliod.Completed
)

// MaxWallets is the most wallets one customer may own.
const MaxWallets = portfoliod.MaxWallets

// Errors callers tell apart.
var (
	// ErrNotFound means no customer has the given id (or owns the wallet).
	ErrNotFound = errors.New("customer not found")
	// ErrWalletTaken means a wallet already belongs to another customer.
	// The concrete error is a *WalletTakenError.
	ErrWalletTaken = errors.New("wallet already belongs to a customer")
	// ErrTooManyWallets means a write would give a customer more than
	// MaxWallets wallets.
	ErrTooManyWallets = errors.New("too many wallets")
	// ErrLocked means another process holds the store file.
	ErrLocked = errors.New("store is locked by another process")
	// ErrIdempotencyConflict means an idempotency key was reused with a
	// different request.
	ErrIdempotencyConflict = errors.New("idempotency key reused with a different request")
)

// WalletTakenError names the wallet that is already owned. It matches
// ErrWalletTaken with errors.Is.
type WalletTakenError struct {
	Wallet common.Address
}

func (e *WalletTakenError) Error() string {
	// Lowercase, as the API shows addresses; the message may reach clients.
	return fmt.Sprintf("wallet %s already belongs to a customer", walletString(e.Wallet))
}

// Is makes errors.Is(err, ErrWalletTaken) true.
func (e *WalletTakenError) Is(target error) bool { return target == ErrWalletTaken }

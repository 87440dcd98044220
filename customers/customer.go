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

// Errors callers tell apart. Those shared by every store are the
// domain's, so the API maps their codes without knowing this package.
var (
	ErrNotFound            = portfoliod.ErrCustomerNotFound
	ErrWalletNotLinked     = portfoliod.ErrWalletNotLinked
	ErrWalletTaken         = portfoliod.ErrWalletTaken
	ErrExists              = portfoliod.ErrCustomerExists
	ErrInvalidID           = portfoliod.ErrInvalidCustomerID
	ErrDuplicateWallet     = portfoliod.ErrDuplicateWallet
	ErrTooManyWallets      = portfoliod.ErrTooManyWallets
	ErrIdempotencyConflict = portfoliod.ErrIdempotencyConflict
	// ErrLocked means another process holds the store file.
	ErrLocked = errors.New("store is locked by another process")
)

// WalletTakenError names a wallet that another customer owns.
type WalletTakenError = portfoliod.WalletTakenError

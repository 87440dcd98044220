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
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// Type is the kind of customer.
type Type string

// Customer types, as in the reference API.
const (
	Individual   Type = "INDIVIDUAL"
	Organization Type = "ORGANIZATION"
)

// Valid reports whether t is one of the defined types.
func (t Type) Valid() bool { return t == Individual || t == Organization }

// VerificationStatus is the KYC state of a customer.
type VerificationStatus string

// Verification states, as in the reference API. New customers start
// InProgress, as the reference example does.
const (
	Incomplete VerificationStatus = "INCOMPLETE"
	InProgress VerificationStatus = "IN_PROGRESS"
	Completed  VerificationStatus = "COMPLETED"
)

// Valid reports whether s is one of the defined states.
func (s VerificationStatus) Valid() bool {
	return s == Incomplete || s == InProgress || s == Completed
}

// PostalAddress is a customer's postal address.
type PostalAddress struct {
	Line1       string `json:"line1,omitempty"`
	Line2       string `json:"line2,omitempty"`
	City        string `json:"city,omitempty"`
	State       string `json:"state,omitempty"`
	PostalCode  string `json:"postalCode,omitempty"`
	CountryCode string `json:"countryCode,omitempty"`
}

// Customer is a stored customer profile. Validation of field contents (ISO
// country codes, E.164 phones, bounds) is the caller's job; the store
// enforces identity and wallet ownership.
type Customer struct {
	ID                 string             `json:"id"`
	Type               Type               `json:"type"`
	CountryCode        string             `json:"countryCode"`
	VerificationStatus VerificationStatus `json:"verificationStatus"`
	Name               string             `json:"name,omitempty"`
	Username           string             `json:"username,omitempty"`
	Email              string             `json:"email,omitempty"`
	Phone              string             `json:"phone,omitempty"`
	Metadata           map[string]string  `json:"metadata,omitempty"`
	Address            *PostalAddress     `json:"address,omitempty"`
	Wallets            []common.Address   `json:"wallets"`
	CreatedAt          time.Time          `json:"createdAt"`
}

// MaxWallets is the most wallets one customer may own.
const MaxWallets = 1000

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

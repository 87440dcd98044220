package portfoliod

import (
	"crypto/rand"
	"encoding/hex"
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

// VerificationStatus is the KYC state of a customer: the integrator's
// verdict, which portfoliod stores as given and does not establish itself.
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
	Line1       string
	Line2       string
	City        string
	State       string
	PostalCode  string
	CountryCode string
}

// Customer is a customer profile and the wallets the customer owns. A
// wallet belongs to at most one customer; stores enforce it.
type Customer struct {
	ID                 string
	Type               Type
	CountryCode        string
	VerificationStatus VerificationStatus
	Name               string
	Username           string
	Email              string
	Phone              string
	Metadata           map[string]string
	Address            *PostalAddress
	Wallets            []common.Address
	CreatedAt          time.Time
}

// MaxWallets is the most wallets one customer may own.
const MaxWallets = 1000

const (
	// customerIDPrefix starts every customer id.
	customerIDPrefix = "customer_"
	// customerIDHexLen is the number of lowercase hex digits after it.
	customerIDHexLen = 12
)

// NewCustomerID returns a new random customer id: "customer_" followed by
// 12 lowercase hex digits from crypto/rand.
func NewCustomerID() string {
	var b [customerIDHexLen / 2]byte
	_, _ = rand.Read(b[:]) // never fails; see crypto/rand.Read
	return customerIDPrefix + hex.EncodeToString(b[:])
}

// ValidCustomerID reports whether id has the form NewCustomerID produces.
func ValidCustomerID(id string) bool {
	if len(id) != len(customerIDPrefix)+customerIDHexLen || id[:len(customerIDPrefix)] != customerIDPrefix {
		return false
	}
	for _, r := range id[len(customerIDPrefix):] {
		if (r < '0' || r > '9') && (r < 'a' || r > 'f') {
			return false
		}
	}
	return true
}

// ParseCustomerID returns id if it is a well-formed customer id, else an
// EINVALID error about param.
func ParseCustomerID(param, id string) (string, error) {
	if !ValidCustomerID(id) {
		return "", Invalidf(param, "customer id must look like customer_ followed by 12 lowercase hex characters")
	}
	return id, nil
}

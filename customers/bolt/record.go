package bolt

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	bbolt "go.etcd.io/bbolt"

	"github.com/portfoliod/portfoliod"
)

// recordVersion is the customer record layout this build writes. Each
// record carries its version so an older one can be upgraded when read.
const recordVersion = 1

// record is how a customer is stored under its id. Field names are short
// and wallets are packed 20-byte addresses (base64 in JSON) because the
// store holds hundreds of thousands of records and portfolio requests
// decode one on every call. The id is the key, so it is not repeated.
type record struct {
	V           int                           `json:"v"`
	Type        portfoliod.Type               `json:"t"`
	CountryCode string                        `json:"cc"`
	Status      portfoliod.VerificationStatus `json:"vs"`
	Name        string                        `json:"n,omitempty"`
	Username    string                        `json:"u,omitempty"`
	Email       string                        `json:"e,omitempty"`
	Phone       string                        `json:"p,omitempty"`
	Metadata    map[string]string             `json:"m,omitempty"`
	Address     *portfoliod.PostalAddress     `json:"a,omitempty"`
	Wallets     []byte                        `json:"w,omitempty"`
	CreatedAt   int64                         `json:"c"` // Unix seconds
}

// encodeRecord returns the stored form of c (whose ID is the key).
func encodeRecord(c *portfoliod.Customer) ([]byte, error) {
	packed := make([]byte, 0, len(c.Wallets)*common.AddressLength)
	for _, w := range c.Wallets {
		packed = append(packed, w[:]...)
	}
	b, err := json.Marshal(record{
		V:           recordVersion,
		Type:        c.Type,
		CountryCode: c.CountryCode,
		Status:      c.VerificationStatus,
		Name:        c.Name,
		Username:    c.Username,
		Email:       c.Email,
		Phone:       c.Phone,
		Metadata:    c.Metadata,
		Address:     c.Address,
		Wallets:     packed,
		CreatedAt:   c.CreatedAt.Unix(),
	})
	if err != nil {
		return nil, fmt.Errorf("encode customer %s: %w", c.ID, err)
	}
	return b, nil
}

// decodeRecord fills c from a stored record. Decoding copies everything out
// of v, which is only valid inside its transaction.
func decodeRecord(id string, v []byte, c *portfoliod.Customer) error {
	var r record
	if err := json.Unmarshal(v, &r); err != nil {
		return fmt.Errorf("decode customer %s: %w", id, err)
	}
	if r.V != recordVersion {
		return fmt.Errorf("decode customer %s: unsupported record version %d", id, r.V)
	}
	if len(r.Wallets)%common.AddressLength != 0 {
		return fmt.Errorf("decode customer %s: wallet list of %d bytes", id, len(r.Wallets))
	}
	wallets := make([]common.Address, len(r.Wallets)/common.AddressLength)
	for i := range wallets {
		copy(wallets[i][:], r.Wallets[i*common.AddressLength:])
	}
	*c = portfoliod.Customer{
		ID:                 id,
		Type:               r.Type,
		CountryCode:        r.CountryCode,
		VerificationStatus: r.Status,
		Name:               r.Name,
		Username:           r.Username,
		Email:              r.Email,
		Phone:              r.Phone,
		Metadata:           r.Metadata,
		Address:            r.Address,
		Wallets:            wallets,
		CreatedAt:          time.Unix(r.CreatedAt, 0).UTC(),
	}
	return nil
}

// loadCustomer fills c with the customer id of tx, or returns ErrNotFound
// if there is none.
func loadCustomer(tx *bbolt.Tx, id string, c *portfoliod.Customer) error {
	v := tx.Bucket(customersBucket).Get([]byte(id))
	if v == nil {
		return portfoliod.ErrCustomerNotFound
	}
	return decodeRecord(id, v, c)
}

// saveCustomer writes c's record over the one stored under c.ID. The
// wallet index is the caller's to keep in step.
func saveCustomer(tx *bbolt.Tx, c *portfoliod.Customer) error {
	val, err := encodeRecord(c)
	if err != nil {
		return err
	}
	return tx.Bucket(customersBucket).Put([]byte(c.ID), val)
}

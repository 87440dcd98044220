package api

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/portfoliod/portfoliod"
)

// customerJSON is the customer object on the wire. Field order follows the
// reference API's example. CreatedAt is omitted on the portfolio route so
// that response is exactly the reference shape.
type customerJSON struct {
	ID                 string            `json:"id"`
	Object             string            `json:"object"`
	Name               string            `json:"name,omitempty"`
	Username           string            `json:"username,omitempty"`
	Email              string            `json:"email,omitempty"`
	Phone              string            `json:"phone,omitempty"`
	Metadata           map[string]string `json:"metadata,omitempty"`
	Address            *addressJSON      `json:"address,omitempty"`
	VerificationStatus string            `json:"verificationStatus"`
	Wallets            []walletJSON      `json:"wallets"`
	Type               string            `json:"type"`
	CountryCode        string            `json:"countryCode"`
	CreatedAt          string            `json:"createdAt,omitempty"`
}

type addressJSON struct {
	Line1       string `json:"line1,omitempty"`
	Line2       string `json:"line2,omitempty"`
	City        string `json:"city,omitempty"`
	State       string `json:"state,omitempty"`
	PostalCode  string `json:"postalCode,omitempty"`
	CountryCode string `json:"countryCode,omitempty"`
}

// UnmarshalJSON decodes an address object strictly, naming an unknown
// field by its path (address.zip), as the top-level decoder cannot.
func (a *addressJSON) UnmarshalJSON(b []byte) error {
	type plain addressJSON
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode((*plain)(a)); err != nil {
		if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			f = "address." + strings.Trim(f, `"`)
			return invalid(f, "unknown field %q", f)
		}
		return err // a type error: the outer decoder adds the path
	}
	return nil
}

type walletJSON struct {
	Address  string        `json:"address"`
	Object   string        `json:"object"`
	Balances *balancesJSON `json:"balances,omitempty"`
}

type balancesJSON struct {
	Token     string     `json:"token"`
	Total     string     `json:"total"`
	Available amountJSON `json:"available"`
	Frozen    amountJSON `json:"frozen"`
}

type amountJSON struct {
	Amount string `json:"amount"`
}

// customerRefJSON is what a write answers to a key without the read
// scope: which customer was written, and nothing of its profile.
type customerRefJSON struct {
	ID     string `json:"id"`
	Object string `json:"object"`
}

type deletedJSON struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Deleted bool   `json:"deleted"`
}

// listJSON is a cursor-paginated list.
type listJSON[T any] struct {
	Object  string `json:"object"`
	Data    []T    `json:"data"`
	HasMore bool   `json:"hasMore"`
}

type tokenJSON struct {
	Object   string `json:"object"`
	Address  string `json:"address"`
	Symbol   string `json:"symbol"`
	Decimals uint8  `json:"decimals"`
	Freeze   string `json:"freeze"`
	Default  bool   `json:"default"`
}

// lowerHex renders an address as the reference does: lowercase hex. It
// skips common.Address.Hex, whose EIP-55 checksum costs a Keccak-256 per
// address, a large share of encoding a big portfolio.
func lowerHex(a common.Address) string {
	var buf [2 + 2*common.AddressLength]byte
	hexAddr(buf[:], a[:])
	return string(buf[:])
}

func toCustomerJSON(c portfoliod.Customer, withCreatedAt bool) customerJSON {
	out := customerJSON{
		ID:                 c.ID,
		Object:             "customer",
		Name:               c.Name,
		Username:           c.Username,
		Email:              c.Email,
		Phone:              c.Phone,
		Metadata:           c.Metadata,
		VerificationStatus: string(c.VerificationStatus),
		Wallets:            make([]walletJSON, len(c.Wallets)),
		Type:               string(c.Type),
		CountryCode:        c.CountryCode,
	}
	if c.Address != nil {
		a := addressJSON(*c.Address)
		if a.CountryCode == "" {
			a.CountryCode = c.CountryCode
		}
		out.Address = &a
	}
	for i, w := range c.Wallets {
		out.Wallets[i] = walletJSON{Address: lowerHex(w), Object: "wallet"}
	}
	if withCreatedAt && !c.CreatedAt.IsZero() {
		out.CreatedAt = c.CreatedAt.UTC().Format(time.RFC3339)
	}
	return out
}

package api

import (
	"encoding/json"
	"time"

	"github.com/portfoliod/portfoliod"
)

// importRecord is one line of `portfoliod customers import`: the onboarding
// body, plus the id, object and createdAt that `customers export` writes, so
// an export imports back unchanged.
type importRecord struct {
	onboardRequest
	ID        string `json:"id"`
	Object    string `json:"object"`
	CreatedAt string `json:"createdAt"`
}

// ParseCustomerJSON decodes and validates one customer exactly as
// POST /customer does (unknown fields rejected, same field rules), also
// accepting the id, object and createdAt fields of an export. The returned
// error is safe to show to the operator.
func ParseCustomerJSON(line []byte) (portfoliod.Customer, error) {
	var r importRecord
	if err := decodeStrictBytes(line, &r); err != nil {
		return portfoliod.Customer{}, err
	}
	if r.Object != "" && r.Object != "customer" {
		return portfoliod.Customer{}, invalid("object", "object must be \"customer\"")
	}
	c, err := r.customer()
	if err != nil {
		return portfoliod.Customer{}, err
	}
	if r.ID != "" {
		if _, err := portfoliod.ParseCustomerID("id", r.ID); err != nil {
			return portfoliod.Customer{}, err
		}
		c.ID = r.ID
	}
	if r.CreatedAt != "" {
		t, err := time.Parse(time.RFC3339, r.CreatedAt)
		if err != nil {
			return portfoliod.Customer{}, invalid("createdAt", "createdAt must be an RFC 3339 time")
		}
		// A minute of slack for clocks that disagree; beyond it the record
		// claims an onboarding that has not happened.
		if t.After(time.Now().Add(time.Minute)) {
			return portfoliod.Customer{}, invalid("createdAt", "createdAt %s is in the future", r.CreatedAt)
		}
		c.CreatedAt = t.UTC()
	}
	return c, nil
}

// MarshalCustomer encodes c as the API's customer object (without balances),
// the format `customers export` writes and ParseCustomerJSON reads.
func MarshalCustomer(c portfoliod.Customer) ([]byte, error) {
	return json.Marshal(toCustomerJSON(c, true))
}

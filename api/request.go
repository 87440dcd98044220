package api

import (
	"bytes"
	"encoding/json"

	"github.com/portfoliod/portfoliod"
)

// onboardRequest is the POST /customer body: the reference's customer
// fields plus the wallets to link.
type onboardRequest struct {
	Type               string             `json:"type"`
	CountryCode        string             `json:"countryCode"`
	VerificationStatus string             `json:"verificationStatus"`
	Name               string             `json:"name"`
	Username           string             `json:"username"`
	Email              string             `json:"email"`
	Phone              string             `json:"phone"`
	Metadata           map[string]*string `json:"metadata"`
	Address            *addressJSON       `json:"address"`
	Wallets            []walletRef        `json:"wallets"`
}

// customer validates the request and turns it into a customer to store.
func (r onboardRequest) customer() (portfoliod.Customer, error) {
	if r.Type == "" {
		return portfoliod.Customer{}, invalid("type", "type is required (INDIVIDUAL or ORGANIZATION)")
	}
	if r.CountryCode == "" {
		return portfoliod.Customer{}, invalid("countryCode", "countryCode is required (ISO 3166-1 alpha-2, e.g. US)")
	}
	wallets, err := parseWallets(r.Wallets)
	if err != nil {
		return portfoliod.Customer{}, err
	}
	var metadata map[string]string
	for k, v := range r.Metadata {
		if v == nil {
			return portfoliod.Customer{}, invalid("metadata", "metadata values must be strings; null only removes a key in PATCH")
		}
		if metadata == nil {
			metadata = make(map[string]string, len(r.Metadata))
		}
		metadata[k] = *v
	}
	c := portfoliod.Customer{
		Type:               portfoliod.Type(r.Type),
		CountryCode:        r.CountryCode,
		VerificationStatus: portfoliod.VerificationStatus(r.VerificationStatus),
		Name:               r.Name,
		Username:           r.Username,
		Email:              r.Email,
		Phone:              r.Phone,
		Metadata:           metadata,
		Wallets:            wallets,
	}
	if c.VerificationStatus == "" {
		c.VerificationStatus = portfoliod.InProgress
	}
	// An empty address object stores no address, as PATCH treats it.
	if r.Address != nil && *r.Address != (addressJSON{}) {
		a := portfoliod.PostalAddress(*r.Address)
		c.Address = &a
	}
	if err := c.Validate(); err != nil {
		return portfoliod.Customer{}, err
	}
	return c, nil
}

// linkRequest is the POST /customer/{id}/wallets body.
type linkRequest struct {
	Address string `json:"address"`
}

// patchable lists the fields PATCH /customer/{id} may change, with whether
// null (removal) is allowed.
var patchable = map[string]bool{
	"type": false, "countryCode": false, "verificationStatus": false,
	"name": true, "username": true, "email": true, "phone": true,
	"metadata": true, "address": true,
}

// applyMergePatch applies an RFC 7396 JSON merge patch to the profile
// fields of c. Wallets, id, object and createdAt are not patchable.
func applyMergePatch(c *portfoliod.Customer, patch map[string]json.RawMessage) error {
	for k := range patch {
		nullable, ok := patchable[k]
		if !ok {
			switch k {
			case "wallets":
				return invalid(k, "wallets cannot be patched; use POST /customer/{id}/wallets and DELETE /customer/{id}/wallets/{address}")
			case "id", "object", "createdAt":
				return invalid(k, "%s is read-only", k)
			}
			return invalid(k, "unknown field %q", k)
		}
		if isNull(patch[k]) && !nullable {
			return invalid(k, "%s cannot be removed", k)
		}
	}
	str := func(k string, dst *string) error {
		raw, ok := patch[k]
		if !ok {
			return nil
		}
		if isNull(raw) {
			*dst = ""
			return nil
		}
		if err := json.Unmarshal(raw, dst); err != nil {
			return invalid(k, "%s must be a string", k)
		}
		return nil
	}
	var typ, status string
	typ, status = string(c.Type), string(c.VerificationStatus)
	for _, f := range []struct {
		k   string
		dst *string
	}{
		{"type", &typ}, {"countryCode", &c.CountryCode}, {"verificationStatus", &status},
		{"name", &c.Name}, {"username", &c.Username}, {"email", &c.Email}, {"phone", &c.Phone},
	} {
		if err := str(f.k, f.dst); err != nil {
			return err
		}
	}
	c.Type, c.VerificationStatus = portfoliod.Type(typ), portfoliod.VerificationStatus(status)
	if status == "" {
		return invalid("verificationStatus", "verificationStatus must be INCOMPLETE, IN_PROGRESS or COMPLETED")
	}

	if raw, ok := patch["metadata"]; ok {
		if isNull(raw) {
			c.Metadata = nil
		} else {
			var m map[string]*string
			if err := json.Unmarshal(raw, &m); err != nil || m == nil {
				return invalid("metadata", "metadata must be an object of string values (null removes a key)")
			}
			if c.Metadata == nil {
				c.Metadata = map[string]string{}
			}
			for k, v := range m {
				if v == nil {
					delete(c.Metadata, k)
				} else {
					c.Metadata[k] = *v
				}
			}
			if len(c.Metadata) == 0 {
				c.Metadata = nil
			}
		}
	}
	if raw, ok := patch["address"]; ok {
		if isNull(raw) {
			c.Address = nil
		} else {
			var m map[string]*string
			if err := json.Unmarshal(raw, &m); err != nil || m == nil {
				return invalid("address", "address must be an object of string values (null removes a field)")
			}
			a := portfoliod.PostalAddress{}
			if c.Address != nil {
				a = *c.Address
			}
			fields := map[string]*string{
				"line1": &a.Line1, "line2": &a.Line2, "city": &a.City, "state": &a.State,
				"postalCode": &a.PostalCode, "countryCode": &a.CountryCode,
			}
			for k, v := range m {
				dst, ok := fields[k]
				if !ok {
					return invalid("address."+k, "unknown field %q", "address."+k)
				}
				if v == nil {
					*dst = ""
				} else {
					*dst = *v
				}
			}
			if a == (portfoliod.PostalAddress{}) {
				c.Address = nil
			} else {
				c.Address = &a
			}
		}
	}
	return c.Validate()
}

func isNull(raw json.RawMessage) bool {
	return bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/mail"
	"os"
	"reflect"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/biter777/countries"
	"github.com/ethereum/go-ethereum/common"
	"github.com/gin-gonic/gin"

	"github.com/portfoliod/portfoliod/customers"
)

// Bounds on profile fields. They keep one record small (the store reads a
// whole record per lookup) and reject abuse early.
const (
	maxNameLen          = 200
	maxUsernameLen      = 100
	maxEmailLen         = 254
	maxMetadataKeys     = 50
	maxMetadataKeyLen   = 40
	maxMetadataValueLen = 500
	maxAddressFieldLen  = 200
	maxPostalCodeLen    = 20
	maxIdempotencyKey   = 255
)

var (
	e164Pattern       = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)
	hexAddressPattern = regexp.MustCompile(`^0[xX][0-9a-fA-F]{40}$`)
)

// parseCustomerID checks the shape of a customer id from the path.
func parseCustomerID(id string) (string, error) {
	if !customers.ValidID(id) {
		return "", invalid("id", "customer id must look like customer_ followed by 12 lowercase hex characters")
	}
	return id, nil
}

// ParseAddress accepts a 20-byte hex address in any case; a mixed-case
// address must carry a valid EIP-55 checksum, since a wrong checksum means
// a typo. The error says which rule failed.
func ParseAddress(s string) (common.Address, error) {
	if !hexAddressPattern.MatchString(s) {
		return common.Address{}, fmt.Errorf("%q is not a 20-byte hex address (0x followed by 40 hex characters)", truncate(s, 64))
	}
	body := s[2:]
	if body != strings.ToLower(body) && body != strings.ToUpper(body) {
		if common.HexToAddress(s).Hex() != "0x"+body {
			return common.Address{}, fmt.Errorf("address %s has an invalid EIP-55 checksum; check it for typos or send it in lowercase", s)
		}
	}
	return common.HexToAddress(s), nil
}

// parseAddress is ParseAddress for the request parameter param.
func parseAddress(param, s string) (common.Address, error) {
	a, err := ParseAddress(s)
	if err != nil {
		return common.Address{}, invalid(param, "%s", err.Error())
	}
	return a, nil
}

// validCountry reports whether code is an assigned ISO 3166-1 alpha-2 code.
func validCountry(code string) bool {
	if len(code) != 2 || strings.ToUpper(code) != code {
		return false
	}
	if notISO3166[code] {
		return false
	}
	c := countries.ByName(code)
	return c.IsValid() && c.Alpha2() == code
}

// notISO3166 are codes the countries library knows that ISO 3166-1 does not
// assign: XK (Kosovo, user-assigned), and AN and YU (deleted in 2010 and
// 2003).
var notISO3166 = map[string]bool{"XK": true, "AN": true, "YU": true}

func checkText(param, v string, maxLen int) error {
	if !utf8.ValidString(v) {
		return invalid(param, "must be valid UTF-8")
	}
	if utf8.RuneCountInString(v) > maxLen {
		return invalid(param, "must be at most %d characters", maxLen)
	}
	for _, r := range v {
		if unicode.IsControl(r) {
			return invalid(param, "must not contain control characters")
		}
		if isBidiControl(r) {
			return invalid(param, "%s must not contain bidirectional control characters (U+%04X)", param, r)
		}
	}
	return nil
}

// checkName is checkText for a field that names something a person reads
// (a name, an address line): whitespace alone is no name.
func checkName(param, v string, maxLen int) error {
	if v != "" && strings.TrimSpace(v) == "" {
		return invalid(param, "%s must not be only whitespace", param)
	}
	return checkText(param, v, maxLen)
}

// checkIdentifier is checkText for a value compared byte for byte (an
// email, a username, a metadata key): it must also hold no invisible
// format characters (zero-width spaces and joiners, BOM, soft hyphen),
// which make two values that look the same differ.
func checkIdentifier(param, v string, maxLen int) error {
	if err := checkName(param, v, maxLen); err != nil {
		return err
	}
	for _, r := range v {
		if unicode.Is(unicode.Cf, r) {
			return invalid(param, "%s must not contain invisible format characters (U+%04X)", param, r)
		}
	}
	return nil
}

// isBidiControl reports the Unicode bidirectional formatting characters,
// which make a displayed value read differently from what is stored
// ("Trojan Source", CVE-2021-42574).
func isBidiControl(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 ||
		r == 0x200E || r == 0x200F || r == 0x061C
}

// validateProfile checks every profile field of c. It is used on create, on
// patch (after merging) and on import, so all paths accept the same data.
func validateProfile(c *customers.Customer) error {
	if !c.Type.Valid() {
		return invalid("type", "type must be INDIVIDUAL or ORGANIZATION")
	}
	if !validCountry(c.CountryCode) {
		return invalid("countryCode", "countryCode must be an ISO 3166-1 alpha-2 code such as US, got %q", truncate(c.CountryCode, 16))
	}
	if c.VerificationStatus != "" && !c.VerificationStatus.Valid() {
		return invalid("verificationStatus", "verificationStatus must be INCOMPLETE, IN_PROGRESS or COMPLETED")
	}
	if err := checkName("name", c.Name, maxNameLen); err != nil {
		return err
	}
	if err := checkIdentifier("username", c.Username, maxUsernameLen); err != nil {
		return err
	}
	if c.Email != "" {
		if len(c.Email) > maxEmailLen {
			return invalid("email", "email must be at most %d characters", maxEmailLen)
		}
		if err := checkIdentifier("email", c.Email, maxEmailLen); err != nil {
			return err
		}
		a, err := mail.ParseAddress(c.Email)
		if err != nil || a.Address != c.Email || a.Name != "" || !strings.Contains(c.Email[strings.LastIndexByte(c.Email, '@')+1:], ".") {
			return invalid("email", "email must be a plain address such as jane@example.com")
		}
	}
	if c.Phone != "" && !e164Pattern.MatchString(c.Phone) {
		return invalid("phone", "phone must be in E.164 format such as +14155550123")
	}
	if len(c.Metadata) > maxMetadataKeys {
		return invalid("metadata", "metadata may hold at most %d keys", maxMetadataKeys)
	}
	for k, v := range c.Metadata {
		if k == "" {
			return invalid("metadata", "metadata keys must not be empty")
		}
		if err := checkIdentifier("metadata", k, maxMetadataKeyLen); err != nil {
			return invalid("metadata", "metadata key %q must be at most %d characters without control, bidirectional or format characters", truncate(k, 48), maxMetadataKeyLen)
		}
		if err := checkText("metadata", v, maxMetadataValueLen); err != nil {
			return invalid("metadata", "metadata value of %q must be at most %d characters without control or bidirectional characters", truncate(k, 48), maxMetadataValueLen)
		}
	}
	if a := c.Address; a != nil {
		fields := []struct {
			param, v string
			max      int
		}{
			{"address.line1", a.Line1, maxAddressFieldLen},
			{"address.line2", a.Line2, maxAddressFieldLen},
			{"address.city", a.City, maxAddressFieldLen},
			{"address.state", a.State, maxAddressFieldLen},
			{"address.postalCode", a.PostalCode, maxPostalCodeLen},
		}
		for _, f := range fields {
			if err := checkName(f.param, f.v, f.max); err != nil {
				return err
			}
		}
		if a.CountryCode != "" && !validCountry(a.CountryCode) {
			return invalid("address.countryCode", "address.countryCode must be an ISO 3166-1 alpha-2 code such as US")
		}
	}
	if len(c.Wallets) > customers.MaxWallets {
		return invalid("wallets", "a customer may own at most %d wallets", customers.MaxWallets)
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// requireJSON enforces Content-Type application/json (or a +json type
// other than JSON Patch, which is not a merge patch) and an uncompressed
// body.
func requireJSON(c *gin.Context) error {
	if ce := c.GetHeader("Content-Encoding"); ce != "" && !strings.EqualFold(ce, "identity") {
		return &apiError{Status: http.StatusUnsupportedMediaType, Code: codeUnsupportedMediaType,
			Message: fmt.Sprintf("Content-Encoding %q is not supported; send the body uncompressed", truncate(ce, 32))}
	}
	ct := c.GetHeader("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	if mt == "application/json-patch+json" {
		return &apiError{Status: http.StatusUnsupportedMediaType, Code: codeUnsupportedMediaType,
			Message: "JSON Patch (RFC 6902) is not supported; send a JSON merge patch (RFC 7396) as application/merge-patch+json"}
	}
	if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return &apiError{Status: http.StatusUnsupportedMediaType, Code: codeUnsupportedMediaType,
			Message: "Content-Type must be application/json"}
	}
	// JSON is UTF-8 (RFC 8259); a body declared otherwise would be read
	// as what it is not.
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return &apiError{Status: http.StatusUnsupportedMediaType, Code: codeUnsupportedMediaType,
			Message: fmt.Sprintf("Content-Type charset must be utf-8, not %q", truncate(cs, 32))}
	}
	return nil
}

// decodeStrict decodes exactly one JSON value from the request body into v,
// rejecting unknown fields (named in the error), trailing data and bodies
// over the configured size.
func decodeStrict(c *gin.Context, v any) error {
	if err := requireJSON(c); err != nil {
		return err
	}
	body, err := readBody(c)
	if err != nil {
		return err
	}
	return decodeStrictBytes(body, v)
}

// readBody reads the whole request body. A body over the limit is the
// *http.MaxBytesError that maps to 413; any other failure (a body shorter
// than its Content-Length, broken chunked encoding) is the client's: 400.
func readBody(c *gin.Context) ([]byte, error) {
	body, err := io.ReadAll(c.Request.Body)
	var tooLarge *http.MaxBytesError
	var netErr net.Error
	switch {
	case err == nil, errors.As(err, &tooLarge):
		return body, err
	case errors.Is(err, os.ErrDeadlineExceeded) || errors.As(err, &netErr) && netErr.Timeout():
		// The server's read timeout ended a body sent too slowly.
		return nil, &apiError{Status: http.StatusRequestTimeout, Code: codeTimeout,
			Message: "the request body did not arrive within the server's read timeout"}
	}
	return nil, invalid("", "could not read the request body: it ended early or its chunked encoding is malformed")
}

func decodeStrictBytes(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return invalid("", "request body is empty; send a JSON object")
	}
	if err := checkJSONText(body); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return invalid("", "request body must hold a single JSON value")
	}
	if _, err := dec.Token(); err != io.EOF {
		return invalid("", "request body must hold a single JSON value")
	}
	return nil
}

// jsonError turns encoding/json errors into messages that name the field.
func jsonError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var ae *apiError
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &syntax):
		return invalid("", "malformed JSON at byte %d", syntax.Offset)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return invalid("", "request body must be a JSON %s", "object")
		}
		if field == "metadata" && typ.Type.Kind() != reflect.Map {
			// encoding/json names the map, not the key, for a bad value.
			return invalid("metadata", "metadata values must be JSON strings")
		}
		return invalid(field, "%s must be a JSON %s", field, jsonKind(typ.Type.Kind().String()))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return invalid("", "malformed JSON: unexpected end of input")
	}
	msg := err.Error()
	if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		f = strings.Trim(f, `"`)
		return invalid(f, "unknown field %q", f)
	}
	return invalid("", "malformed JSON: %s", strings.TrimPrefix(msg, "json: "))
}

func jsonKind(k string) string {
	switch k {
	case "map", "struct":
		return "object"
	case "slice", "array":
		return "array"
	case "int", "int64", "uint64", "float64":
		return "number"
	}
	return k
}

// walletRef is a wallet in a request body: {"address":"0x..."} as in the
// reference, or a bare address string.
type walletRef struct {
	Address string `json:"address"`
	Object  string `json:"object,omitempty"`
	null    bool   // the element was JSON null
}

func (w *walletRef) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		w.null = true
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &w.Address)
	}
	type plain walletRef
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var p plain
	if err := dec.Decode(&p); err != nil {
		if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return invalid("wallets", "unknown wallet field %s", f)
		}
		return invalid("wallets", "each wallet must be an address string or {\"address\":\"0x...\"}")
	}
	if p.Object != "" && p.Object != "wallet" {
		return invalid("wallets", "wallet object must be \"wallet\"")
	}
	*w = walletRef(p)
	return nil
}

// parseWallets validates and deduplicates-by-rejection a wallet list.
func parseWallets(refs []walletRef) ([]common.Address, error) {
	if len(refs) > customers.MaxWallets {
		return nil, invalid("wallets", "a customer may own at most %d wallets", customers.MaxWallets)
	}
	out := make([]common.Address, 0, len(refs))
	seen := make(map[common.Address]bool, len(refs))
	for i, r := range refs {
		if r.null {
			return nil, invalid(fmt.Sprintf("wallets[%d]", i), "wallets[%d] is null; each wallet must be an address string or {\"address\":\"0x...\"}", i)
		}
		a, err := parseAddress(fmt.Sprintf("wallets[%d].address", i), r.Address)
		if err != nil {
			return nil, err
		}
		if seen[a] {
			return nil, invalid(fmt.Sprintf("wallets[%d].address", i), "wallet %s is listed twice", lowerHex(a))
		}
		seen[a] = true
		out = append(out, a)
	}
	return out, nil
}

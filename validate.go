package portfoliod

import (
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/biter777/countries"
	"github.com/ethereum/go-ethereum/common"
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
)

var (
	e164Pattern       = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)
	hexAddressPattern = regexp.MustCompile(`^0[xX][0-9a-fA-F]{40}$`)
)

// ParseAddress accepts a 20-byte hex address in any case; a mixed-case
// address must carry a valid EIP-55 checksum, since a wrong checksum means
// a typo. The error says which rule failed.
func ParseAddress(s string) (common.Address, error) {
	if !hexAddressPattern.MatchString(s) {
		return common.Address{}, fmt.Errorf("%q is not a 20-byte hex address (0x followed by 40 hex characters)", Truncate(s, 64))
	}
	body := s[2:]
	if body != strings.ToLower(body) && body != strings.ToUpper(body) {
		if common.HexToAddress(s).Hex() != "0x"+body {
			return common.Address{}, fmt.Errorf("address %s has an invalid EIP-55 checksum; check it for typos or send it in lowercase", s)
		}
	}
	return common.HexToAddress(s), nil
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

// checkText bounds a free-text field and refuses control and
// bidirectional characters.
func checkText(param, v string, maxLen int) error {
	if !utf8.ValidString(v) {
		return Invalidf(param, "must be valid UTF-8")
	}
	if utf8.RuneCountInString(v) > maxLen {
		return Invalidf(param, "must be at most %d characters", maxLen)
	}
	for _, r := range v {
		if unicode.IsControl(r) {
			return Invalidf(param, "must not contain control characters")
		}
		if isBidiControl(r) {
			return Invalidf(param, "%s must not contain bidirectional control characters (U+%04X)", param, r)
		}
	}
	return nil
}

// checkName is checkText for a field that names something a person reads
// (a name, an address line): whitespace alone is no name.
func checkName(param, v string, maxLen int) error {
	if v != "" && strings.TrimSpace(v) == "" {
		return Invalidf(param, "%s must not be only whitespace", param)
	}
	return checkText(param, v, maxLen)
}

// CheckIdentifier is checkText for a value compared byte for byte (an
// email, a username, a metadata key): it must also hold no invisible
// format characters (zero-width spaces and joiners, BOM, soft hyphen),
// which make two values that look the same differ.
func CheckIdentifier(param, v string, maxLen int) error {
	if err := checkName(param, v, maxLen); err != nil {
		return err
	}
	for _, r := range v {
		if unicode.Is(unicode.Cf, r) {
			return Invalidf(param, "%s must not contain invisible format characters (U+%04X)", param, r)
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

// Validate checks every profile field of c and its wallet count: the one
// set of rules that onboarding, a patch (after merging), an import and
// every store accept, so all paths take the same data. A failure is an
// EINVALID *Error naming the field (address.city, metadata).
func (c *Customer) Validate() error {
	if !c.Type.Valid() {
		return Invalidf("type", "type must be INDIVIDUAL or ORGANIZATION")
	}
	if !validCountry(c.CountryCode) {
		return Invalidf("countryCode", "countryCode must be an ISO 3166-1 alpha-2 code such as US, got %q", Truncate(c.CountryCode, 16))
	}
	if c.VerificationStatus != "" && !c.VerificationStatus.Valid() {
		return Invalidf("verificationStatus", "verificationStatus must be INCOMPLETE, IN_PROGRESS or COMPLETED")
	}
	if err := checkName("name", c.Name, maxNameLen); err != nil {
		return err
	}
	if err := CheckIdentifier("username", c.Username, maxUsernameLen); err != nil {
		return err
	}
	if c.Email != "" {
		if len(c.Email) > maxEmailLen {
			return Invalidf("email", "email must be at most %d characters", maxEmailLen)
		}
		if err := CheckIdentifier("email", c.Email, maxEmailLen); err != nil {
			return err
		}
		a, err := mail.ParseAddress(c.Email)
		if err != nil || a.Address != c.Email || a.Name != "" || !strings.Contains(c.Email[strings.LastIndexByte(c.Email, '@')+1:], ".") {
			return Invalidf("email", "email must be a plain address such as jane@example.com")
		}
	}
	if c.Phone != "" && !e164Pattern.MatchString(c.Phone) {
		return Invalidf("phone", "phone must be in E.164 format such as +14155550123")
	}
	if len(c.Metadata) > maxMetadataKeys {
		return Invalidf("metadata", "metadata may hold at most %d keys", maxMetadataKeys)
	}
	for k, v := range c.Metadata {
		if k == "" {
			return Invalidf("metadata", "metadata keys must not be empty")
		}
		if err := CheckIdentifier("metadata", k, maxMetadataKeyLen); err != nil {
			return Invalidf("metadata", "metadata key %q must be at most %d characters without control, bidirectional or format characters", Truncate(k, 48), maxMetadataKeyLen)
		}
		if err := checkText("metadata", v, maxMetadataValueLen); err != nil {
			return Invalidf("metadata", "metadata value of %q must be at most %d characters without control or bidirectional characters", Truncate(k, 48), maxMetadataValueLen)
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
			return Invalidf("address.countryCode", "address.countryCode must be an ISO 3166-1 alpha-2 code such as US")
		}
	}
	if len(c.Wallets) > MaxWallets {
		return Invalidf("wallets", "a customer may own at most %d wallets", MaxWallets)
	}
	return nil
}

// Truncate shortens s to n bytes, marking the cut, for quoting input in
// messages.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

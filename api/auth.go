package api

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"slices"
)

// Scope is a permission an API key carries.
type Scope string

// Scopes (SPEC section 5).
const (
	ScopeRead  Scope = "read"  // GET routes
	ScopeWrite Scope = "write" // customer writes
	ScopeAdmin Scope = "admin" // backup
)

// ParseScope accepts read, write or admin.
func ParseScope(s string) (Scope, error) {
	switch sc := Scope(s); sc {
	case ScopeRead, ScopeWrite, ScopeAdmin:
		return sc, nil
	}
	return "", fmt.Errorf("unknown scope %q (read, write, admin)", s)
}

// Key is one accepted API key, known only by the SHA-256 of its secret.
type Key struct {
	Name   string
	Hash   [32]byte
	Scopes []Scope
}

// Has reports whether k carries scope s.
func (k Key) Has(s Scope) bool { return slices.Contains(k.Scopes, s) }

// ParseKeyHash decodes the hex SHA-256 of a key as held in the config.
func ParseKeyHash(s string) ([32]byte, error) {
	var h [32]byte
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 32 {
		return h, fmt.Errorf("key hash must be 64 hex characters")
	}
	copy(h[:], b)
	return h, nil
}

// HashKey returns the SHA-256 of a presented key.
func HashKey(secret string) [32]byte { return sha256.Sum256([]byte(secret)) }

// GenerateKey returns a new random key ("pfd_" + 43 base64url characters of
// 256 random bits) and its hex SHA-256 for the config.
func GenerateKey() (secret, hashHex string, err error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", err
	}
	secret = "pfd_" + base64.RawURLEncoding.EncodeToString(b[:])
	h := HashKey(secret)
	return secret, hex.EncodeToString(h[:]), nil
}

// keyring finds the key matching a presented secret. It compares against
// every key in constant time so timing reveals neither which key matched nor
// how much of a hash did.
type keyring struct {
	keys []Key
}

func (r *keyring) lookup(secret string) (Key, bool) {
	h := HashKey(secret)
	var found Key
	match := 0
	for _, k := range r.keys {
		if subtle.ConstantTimeCompare(h[:], k.Hash[:]) == 1 {
			found = k
			match = 1
		}
	}
	return found, match == 1
}

package api

import (
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"math/bits"
	"net/http"
	"strconv"
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/gin-gonic/gin"

	"github.com/portfoliod/portfoliod"
)

// Responses that carry balances (portfolio, wallet, onboarding) are
// written by hand rather than through encoding/json's reflection: for a
// large portfolio, per-wallet reflection and decimal strings were most of
// the CPU of a request served from the cache. The output is byte for byte
// what json.Marshal gives for the DTOs of dto.go (encode_test.go holds it to
// that); profile-only responses still use the DTOs with encoding/json.

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// writeJSON sends a body built by fill into a pooled buffer.
func writeJSON(c *gin.Context, fill func([]byte) ([]byte, error)) {
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	body, err := fill((*bp)[:0])
	if err != nil {
		writeError(c, err)
		return
	}
	*bp = body
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
}

// appendCustomerJSON appends the customer object of c. With a portfolio p
// (of c), its wallets are p's balances, each rendered with the wallet it
// names; without, c's wallets without balances. createdAt is written when
// withCreatedAt is set (not on the portfolio route, which keeps the
// reference shape).
func appendCustomerJSON(buf []byte, c portfoliod.Customer, p *portfoliod.Portfolio, withCreatedAt bool) ([]byte, error) {
	profile := c
	profile.Wallets = nil // written below, without per-wallet strings
	out := toCustomerJSON(profile, withCreatedAt)
	buf = append(buf, `{"id":`...)
	buf = appendString(buf, out.ID)
	buf = append(buf, `,"object":"customer"`...)
	for _, f := range []struct{ key, v string }{
		{`,"name":`, out.Name}, {`,"username":`, out.Username}, {`,"email":`, out.Email}, {`,"phone":`, out.Phone},
	} {
		if f.v != "" {
			buf = append(buf, f.key...)
			buf = appendString(buf, f.v)
		}
	}
	if len(out.Metadata) > 0 {
		b, err := json.Marshal(out.Metadata)
		if err != nil {
			return nil, err
		}
		buf = append(buf, `,"metadata":`...)
		buf = append(buf, b...)
	}
	if out.Address != nil {
		b, err := json.Marshal(out.Address)
		if err != nil {
			return nil, err
		}
		buf = append(buf, `,"address":`...)
		buf = append(buf, b...)
	}
	buf = append(buf, `,"verificationStatus":`...)
	buf = appendString(buf, out.VerificationStatus)
	buf = append(buf, `,"wallets":[`...)
	if p != nil {
		var token [42]byte
		hexAddr(token[:], p.Token[:])
		for i := range p.Balances {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendWalletJSON(buf, p.Balances[i].Wallet, &token, &p.Balances[i])
		}
	} else {
		for i, w := range c.Wallets {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendWalletJSON(buf, w, nil, nil)
		}
	}
	buf = append(buf, `],"type":`...)
	buf = appendString(buf, out.Type)
	buf = append(buf, `,"countryCode":`...)
	buf = appendString(buf, out.CountryCode)
	if out.CreatedAt != "" {
		buf = append(buf, `,"createdAt":`...)
		buf = appendString(buf, out.CreatedAt)
	}
	return append(buf, '}'), nil
}

// appendWalletJSON appends a wallet object; it carries balance b of the
// token whose lowercase hex is token when b is not nil.
func appendWalletJSON(buf []byte, w common.Address, token *[42]byte, b *portfoliod.Balance) []byte {
	var addr [42]byte
	hexAddr(addr[:], w[:])
	buf = append(buf, `{"address":"`...)
	buf = append(buf, addr[:]...)
	buf = append(buf, `","object":"wallet"`...)
	if b != nil {
		buf = append(buf, `,"balances":{"token":"`...)
		buf = append(buf, token[:]...)
		buf = append(buf, `","total":"`...)
		buf = appendAmount(buf, b.Total)
		buf = append(buf, `","available":{"amount":"`...)
		buf = appendAmount(buf, b.Available)
		buf = append(buf, `"},"frozen":{"amount":"`...)
		buf = appendAmount(buf, b.Frozen)
		buf = append(buf, `"}}`...)
	}
	return append(buf, '}')
}

// appendAmount appends the decimal digits of a base-unit amount. Amounts
// fit in 256 bits, which it formats without allocating (big.Int.Append
// allocates several times per value); anything else goes through big.Int.
func appendAmount(buf []byte, x *big.Int) []byte {
	if x.Sign() < 0 || x.BitLen() > 256 {
		return x.Append(buf, 10)
	}
	if x.IsUint64() {
		return strconv.AppendUint(buf, x.Uint64(), 10)
	}
	var be [32]byte
	x.FillBytes(be[:])
	var w [4]uint64 // w[0] most significant
	for i := range w {
		w[i] = binary.BigEndian.Uint64(be[i*8:])
	}
	// Peel off 19-digit chunks, least significant first.
	const chunk = 1e19
	var parts [5]uint64 // 2^256 < 10^78 < 10^(19*5)
	n := 0
	for w != [4]uint64{} {
		var r uint64
		for i := range w {
			w[i], r = bits.Div64(r, w[i], chunk)
		}
		parts[n] = r
		n++
	}
	buf = strconv.AppendUint(buf, parts[n-1], 10)
	for i := n - 2; i >= 0; i-- {
		var d [19]byte
		v := parts[i]
		for j := len(d) - 1; j >= 0; j-- {
			d[j] = byte('0' + v%10)
			v /= 10
		}
		buf = append(buf, d[:]...)
	}
	return buf
}

// hexAddr writes "0x" and the lowercase hex of a 20-byte address to dst.
func hexAddr(dst []byte, a []byte) {
	dst[0], dst[1] = '0', 'x'
	hex.Encode(dst[2:], a)
}

// appendString appends s as a JSON string, escaped exactly as
// encoding/json does (json.Marshal of a plain ASCII string needs no
// escaping, and that is the common case).
func appendString(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			b, _ := json.Marshal(s) // a string always marshals
			return append(buf, b...)
		}
	}
	buf = append(buf, '"')
	buf = append(buf, s...)
	return append(buf, '"')
}

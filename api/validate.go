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
	"os"
	"reflect"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/gin-gonic/gin"

	"github.com/portfoliod/portfoliod"
)

// parseAddress is portfoliod.ParseAddress for the request parameter param.
func parseAddress(param, s string) (common.Address, error) {
	a, err := portfoliod.ParseAddress(s)
	if err != nil {
		return common.Address{}, invalid(param, "%s", err.Error())
	}
	return a, nil
}

// requireJSON enforces Content-Type application/json (or a +json type
// other than JSON Patch, which is not a merge patch) and an uncompressed
// body.
func requireJSON(c *gin.Context) error {
	if ce := c.GetHeader("Content-Encoding"); ce != "" && !strings.EqualFold(ce, "identity") {
		return &apiError{Status: http.StatusUnsupportedMediaType, Code: codeUnsupportedMediaType,
			Message: fmt.Sprintf("Content-Encoding %q is not supported; send the body uncompressed", portfoliod.Truncate(ce, 32))}
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
			Message: fmt.Sprintf("Content-Type charset must be utf-8, not %q", portfoliod.Truncate(cs, 32))}
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
	if len(refs) > portfoliod.MaxWallets {
		return nil, invalid("wallets", "a customer may own at most %d wallets", portfoliod.MaxWallets)
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

// parseLimit reads a list route's ?limit=: 1 to portfoliod.MaxListLimit.
func parseLimit(raw string) (int, error) {
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > portfoliod.MaxListLimit {
		return 0, invalid("limit", "limit must be an integer between 1 and %d", portfoliod.MaxListLimit)
	}
	return n, nil
}

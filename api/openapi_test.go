package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/aggregator"
	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/internal/anviltest"
	"github.com/portfoliod/portfoliod/live"
	"github.com/portfoliod/portfoliod/webhook"
)

// openAPIExempt lists the documented statuses no test can make the real
// router produce, with the reason. Every other documented status of every
// operation must be produced by TestOpenAPIResponses, and an exempt status
// that is produced is reported too, so the list cannot go stale.
var openAPIExempt = map[string]string{
	"GET /wallet/{address} 500":     "only a panic or a chain reader that breaks its contract; no store read on this route",
	"GET /tokens 500":               "only a panic: the route reads configuration",
	"GET /admin/backup 500":         "a backup that fails is answered 200 with an empty or truncated body: the handler commits to 200 before the copy starts",
	"GET /customer/{id}/events 200": "a stream has no end to validate; TestCustomerEventStream reads one",
	"GET /customer/{id}/events 429": "needs streams held open; TestCustomerEventStream checks the cap",
	"GET /events 429":               "needs streams held open; TestCustomerEventStream checks the cap",
}

// openAPIValidator checks real responses against the served document and
// records which documented statuses were produced.
type openAPIValidator struct {
	doc    *openapi3.T
	router routers.Router
	seen   map[string]bool // "METHOD /template STATUS"
}

// mustOpenAPIValidator loads OpenAPIDocument with kin-openapi, which reads
// OpenAPI 3.1 natively and validates 3.1 schemas with a JSON Schema 2020-12
// validator.
func mustOpenAPIValidator(tb testing.TB) *openAPIValidator {
	tb.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(OpenAPIDocument())
	if err != nil {
		tb.Fatalf("load openapi.json: %v", err)
	}
	if !doc.IsOpenAPI31OrLater() || !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		tb.Fatalf("openapi.json declares %q, want 3.1.x", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		tb.Fatalf("openapi.json is not a valid document: %v", err)
	}
	// The servers entry names the default listen address; routes are matched
	// on path alone so that test servers on random ports match.
	doc.Servers = nil
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		tb.Fatal(err)
	}
	return &openAPIValidator{doc: doc, router: router, seen: map[string]bool{}}
}

// apiCase is one real request and the status it must get.
type apiCase struct {
	name         string
	method, path string // path includes the query
	key, body    string
	hdr          []string // header name/value pairs; a Content-Type here replaces the JSON default
	status       int
	check        func(t *testing.T, r response) // optional extra assertions
	// stall, when set, holds the body open that long after sending it,
	// as a client trickling its upload does.
	stall time.Duration
}

// run sends each case to e and validates its response against the
// document.
// emptyBody checks that a HEAD response carries no body.
func emptyBody(t *testing.T, r response) {
	t.Helper()
	if len(r.Body) != 0 {
		t.Errorf("HEAD response has a %d-byte body", len(r.Body))
	}
}

func (v *openAPIValidator) run(t *testing.T, e *testEnv, cases []apiCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var r response
			if tc.stall > 0 {
				r = e.send(t, tc.method, tc.path, tc.key, io.MultiReader(strings.NewReader(tc.body), stallReader(tc.stall)), tc.hdr...)
			} else {
				r = e.do(t, tc.method, tc.path, tc.key, tc.body, tc.hdr...)
			}
			if r.Status != tc.status {
				t.Fatalf("%s %s = %d, want %d: %s", tc.method, tc.path, r.Status, tc.status, r.Body)
			}
			v.validate(t, tc, r)
			if tc.check != nil {
				tc.check(t, r)
			}
		})
	}
}

// validate finds the documented operation of tc and checks r's status,
// headers and body against it. A request the handler accepted must also be
// one the document accepts.
func (v *openAPIValidator) validate(t *testing.T, tc apiCase, r response) {
	t.Helper()
	op, reqErr, respErr := v.check(tc, r)
	if op == "" {
		t.Fatalf("%s %s: no documented operation: %v", tc.method, tc.path, reqErr)
	}
	v.seen[fmt.Sprintf("%s %d", op, r.Status)] = true
	if reqErr != nil && r.Status < 300 {
		t.Errorf("%s %s was accepted (%d) but the document rejects the request: %v", tc.method, tc.path, r.Status, reqErr)
	}
	if respErr != nil {
		t.Errorf("%s %s: the %d response does not match the document: %v\nheaders: %v\nbody: %.600s", tc.method, tc.path, r.Status, respErr, r.Header, r.Body)
	}
	var eb struct {
		Error *errorDetail `json:"error"`
	}
	if json.Unmarshal(r.Body, &eb) == nil && eb.Error != nil && eb.Error.RequestID != r.Header.Get("X-Request-Id") {
		t.Errorf("error requestId %q does not match the X-Request-Id header %q", eb.Error.RequestID, r.Header.Get("X-Request-Id"))
	}
}

// check returns the documented operation ("METHOD /template") of tc, the
// document's verdict on the request and its verdict on the response r.
func (v *openAPIValidator) check(tc apiCase, r response) (op string, reqErr, respErr error) {
	var body io.Reader
	if tc.body != "" {
		body = strings.NewReader(tc.body)
	}
	req := httptest.NewRequest(tc.method, tc.path, body)
	if tc.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if tc.key != "" {
		req.Header.Set("x-api-key", tc.key)
	}
	for i := 0; i+1 < len(tc.hdr); i += 2 {
		req.Header.Set(tc.hdr[i], tc.hdr[i+1])
	}
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		return "", err, nil
	}
	ctx := context.Background()
	in := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true},
	}
	reqErr = openapi3filter.ValidateRequest(ctx, in)
	respErr = openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 r.Status,
		Header:                 r.Header,
		Body:                   io.NopCloser(bytes.NewReader(r.Body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	})
	return route.Method + " " + route.Path, reqErr, respErr
}

// checkCoverage reports documented statuses that no case produced, and
// exemptions that are produced after all.
func (v *openAPIValidator) checkCoverage(t *testing.T) {
	t.Helper()
	for _, path := range v.doc.Paths.InMatchingOrder() {
		for method, op := range v.doc.Paths.Value(path).Operations() {
			for status := range op.Responses.Map() {
				k := method + " " + path + " " + status
				_, exempt := openAPIExempt[k]
				switch {
				case !v.seen[k] && !exempt:
					t.Errorf("%s: documented, but no test request produced it", k)
				case v.seen[k] && exempt:
					t.Errorf("%s: produced, so remove it from openAPIExempt", k)
				}
			}
		}
	}
}

// Real responses of every documented operation and status, from the real
// router over real HTTP (anvil for the balance routes), validated against
// openapi.json: status, headers and body.
func TestOpenAPIResponses(t *testing.T) {
	v := mustOpenAPIValidator(t)
	var notReady atomic.Bool
	withMetrics := func(c *Config) { c.Metrics = NewMetrics(prometheus.NewRegistry()) }
	withReady := func(c *Config) {
		c.Ready = []Check{
			{Name: "store", Check: func(context.Context) error { return nil }},
			{Name: "chain", Check: func(context.Context) error {
				if notReady.Load() {
					return errors.New("node unreachable")
				}
				return nil
			}},
		}
	}

	node := anviltest.Start(t)
	e := mustChainEnv(t, node, nil, withMetrics, withReady)
	w1, w2, w3 := anviltest.DevAddress(1), anviltest.DevAddress(2), anviltest.DevAddress(3)
	e.trex.Mint(t, w1, big.NewInt(1000))
	e.trex.SetFrozen(t, w1, big.NewInt(300))
	c := mustOnboard(t, e.testEnv, fmt.Sprintf(`{"type":"INDIVIDUAL","countryCode":"US","wallets":[%q]}`, w1.Hex()))
	victim := mustOnboard(t, e.testEnv, `{"type":"ORGANIZATION","countryCode":"DE"}`)
	block := e.do(t, "GET", "/customer/"+c.ID+"/portfolio", readKey, "").Header.Get("X-Block-Number")
	n, err := strconv.ParseUint(block, 10, 64)
	if err != nil {
		t.Fatalf("X-Block-Number %q: %v", block, err)
	}
	hexBlock := "0x" + strconv.FormatUint(n, 16)

	const unknownID = "customer_000000000000"
	cid, vid := "/customer/"+c.ID, "/customer/"+victim.ID
	bigBody := `{"type":"INDIVIDUAL","countryCode":"US","name":"` + strings.Repeat("x", 70<<10) + `"}`
	textPlain := []string{"Content-Type", "text/plain"}
	replayed := func(t *testing.T, r response) {
		if r.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("Idempotent-Replayed = %q, want true", r.Header.Get("Idempotent-Replayed"))
		}
	}
	withBalances := func(t *testing.T, r response) {
		if !strings.Contains(string(r.Body), `"balances"`) || r.Header.Get("X-Block-Number") == "" {
			t.Errorf("no balances or block headers: %v %s", r.Header, r.Body)
		}
	}
	refOnly := func(t *testing.T, r response) {
		var got map[string]any
		r.json(t, &got)
		if len(got) != 2 || got["object"] != "customer" || got["id"] == nil {
			t.Errorf("a key without read got more than id and object: %s", r.Body)
		}
	}
	onboardW2 := fmt.Sprintf(`{"type":"INDIVIDUAL","countryCode":"FR","name":"Idem","wallets":[{"address":%q,"object":"wallet"}]}`, w2.Hex())

	v.run(t, e.testEnv, []apiCase{
		// POST /customer
		{name: "onboard", method: "POST", path: "/customer", key: writeKey, status: 200, check: withBalances,
			body: fmt.Sprintf(`{"type":"INDIVIDUAL","countryCode":"US","name":"Ann","email":"ann@example.com","phone":"+14155550123","metadata":{"k":"v"},"address":{"line1":"1 Main St","postalCode":"94105"},"wallets":[%q]}`, strings.ToLower(w3.Hex()))},
		{name: "onboard idempotent", method: "POST", path: "/customer", key: writeKey, body: onboardW2, hdr: []string{"Idempotency-Key", "k-1"}, status: 200},
		{name: "onboard replayed", method: "POST", path: "/customer", key: writeKey, body: onboardW2, hdr: []string{"Idempotency-Key", "k-1"}, status: 200, check: replayed},
		{name: "onboard key reused", method: "POST", path: "/customer", key: writeKey, body: `{"type":"INDIVIDUAL","countryCode":"US"}`, hdr: []string{"Idempotency-Key", "k-1"}, status: 409},
		{name: "onboard wallet taken", method: "POST", path: "/customer", key: writeKey, body: fmt.Sprintf(`{"type":"INDIVIDUAL","countryCode":"US","wallets":[%q]}`, w1.Hex()), status: 409},
		{name: "onboard unknown field", method: "POST", path: "/customer", key: writeKey, body: `{"type":"INDIVIDUAL","countryCode":"US","nick":"x"}`, status: 400},
		{name: "onboard no key", method: "POST", path: "/customer", body: `{}`, status: 401},
		{name: "onboard wrong key", method: "POST", path: "/customer", key: "nope", body: `{}`, status: 401},
		{name: "onboard read key", method: "POST", path: "/customer", key: readKey, body: `{}`, status: 403},
		{name: "onboard too large", method: "POST", path: "/customer", key: writeKey, body: bigBody, status: 413},
		{name: "onboard text/plain", method: "POST", path: "/customer", key: writeKey, body: `{}`, hdr: textPlain, status: 415},
		{name: "onboard write-only key", method: "POST", path: "/customer", key: writeOnlyKey, body: `{"type":"INDIVIDUAL","countryCode":"US","name":"Wo"}`, status: 200, check: refOnly},
		// GET /customer
		{name: "list", method: "GET", path: "/customer?limit=1", key: readKey, status: 200, check: func(t *testing.T, r response) {
			if !strings.Contains(string(r.Body), `"hasMore":true`) {
				t.Errorf("want hasMore: %s", r.Body)
			}
		}},
		{name: "list page 2", method: "GET", path: "/customer?limit=100&startingAfter=" + unknownID, key: readKey, status: 200},
		{name: "find by wallet", method: "GET", path: "/customer?wallet=" + w1.Hex(), key: readKey, status: 200},
		{name: "find by unowned wallet", method: "GET", path: "/customer?wallet=0x00000000000000000000000000000000000000f9", key: readKey, status: 200},
		{name: "list bad limit", method: "GET", path: "/customer?limit=0", key: readKey, status: 400},
		{name: "list unknown param", method: "GET", path: "/customer?sort=id", key: readKey, status: 400},
		{name: "list no key", method: "GET", path: "/customer", status: 401},
		{name: "list write-only key", method: "GET", path: "/customer", key: writeOnlyKey, status: 403},
		// GET /customer/{id}
		{name: "get", method: "GET", path: cid, key: readKey, status: 200},
		{name: "get malformed id", method: "GET", path: "/customer/cust_1", key: readKey, status: 400},
		{name: "get unknown", method: "GET", path: "/customer/" + unknownID, key: readKey, status: 404},
		{name: "get no key", method: "GET", path: cid, status: 401},
		{name: "get write-only key", method: "GET", path: cid, key: writeOnlyKey, status: 403},
		// PATCH /customer/{id}
		{name: "patch", method: "PATCH", path: cid, key: writeKey, status: 200,
			hdr:  []string{"Content-Type", "application/merge-patch+json"},
			body: `{"name":"Bob","phone":null,"verificationStatus":"COMPLETED","metadata":{"tier":"gold","gone":null},"address":{"city":"Paris","countryCode":"FR","line2":null}}`},
		{name: "patch write-only key", method: "PATCH", path: cid, key: writeOnlyKey, body: `{}`, status: 200, check: refOnly},
		{name: "patch wallets", method: "PATCH", path: cid, key: writeKey, body: `{"wallets":[]}`, status: 400},
		{name: "patch unknown", method: "PATCH", path: "/customer/" + unknownID, key: writeKey, body: `{"name":"x"}`, status: 404},
		{name: "patch no key", method: "PATCH", path: cid, body: `{}`, status: 401},
		{name: "patch read key", method: "PATCH", path: cid, key: readKey, body: `{}`, status: 403},
		{name: "patch too large", method: "PATCH", path: cid, key: writeKey, body: bigBody, status: 413},
		{name: "patch text/plain", method: "PATCH", path: cid, key: writeKey, body: `{}`, hdr: textPlain, status: 415},
		// DELETE /customer/{id}
		{name: "delete", method: "DELETE", path: vid, key: writeKey, status: 200},
		{name: "delete again", method: "DELETE", path: vid, key: writeKey, status: 404},
		{name: "delete malformed id", method: "DELETE", path: "/customer/x", key: writeKey, status: 400},
		{name: "delete no key", method: "DELETE", path: vid, status: 401},
		{name: "delete read key", method: "DELETE", path: vid, key: readKey, status: 403},
		// GET /customer/{id}/portfolio
		{name: "portfolio", method: "GET", path: cid + "/portfolio", key: readKey, status: 200, check: withBalances},
		{name: "portfolio at block and token", method: "GET", path: cid + "/portfolio?block=" + block + "&token=" + e.usdc.Address.Hex(), key: readKey, status: 200},
		{name: "portfolio at hex block", method: "GET", path: cid + "/portfolio?block=" + hexBlock, key: readKey, status: 200},
		{name: "portfolio bad block", method: "GET", path: cid + "/portfolio?block=yesterday", key: readKey, status: 400},
		{name: "portfolio future block", method: "GET", path: cid + "/portfolio?block=99999999", key: readKey, status: 400},
		{name: "portfolio unknown token", method: "GET", path: cid + "/portfolio?token=" + w1.Hex(), key: readKey, status: 400},
		{name: "portfolio unknown", method: "GET", path: "/customer/" + unknownID + "/portfolio", key: readKey, status: 404},
		{name: "portfolio reverting token", method: "GET", path: cid + "/portfolio?token=" + e.broken.Address.Hex(), key: readKey, status: 502},
		{name: "portfolio no key", method: "GET", path: cid + "/portfolio", status: 401},
		{name: "portfolio write-only key", method: "GET", path: cid + "/portfolio", key: writeOnlyKey, status: 403},
		// POST /customer/{id}/wallets
		{name: "link", method: "POST", path: cid + "/wallets", key: writeKey, body: `{"address":"0x00000000000000000000000000000000000000a1"}`, hdr: []string{"Idempotency-Key", "link-1"}, status: 200},
		{name: "link replayed", method: "POST", path: cid + "/wallets", key: writeKey, body: `{"address":"0x00000000000000000000000000000000000000a1"}`, hdr: []string{"Idempotency-Key", "link-1"}, status: 200, check: replayed},
		{name: "link taken", method: "POST", path: cid + "/wallets", key: writeKey, body: fmt.Sprintf(`{"address":%q}`, w2.Hex()), status: 409},
		{name: "link bad address", method: "POST", path: cid + "/wallets", key: writeKey, body: `{"address":"0x12"}`, status: 400},
		{name: "link unknown customer", method: "POST", path: "/customer/" + unknownID + "/wallets", key: writeKey, body: `{"address":"0x00000000000000000000000000000000000000a2"}`, status: 404},
		{name: "link no key", method: "POST", path: cid + "/wallets", body: `{}`, status: 401},
		{name: "link read key", method: "POST", path: cid + "/wallets", key: readKey, body: `{}`, status: 403},
		{name: "link too large", method: "POST", path: cid + "/wallets", key: writeKey, body: bigBody, status: 413},
		{name: "link text/plain", method: "POST", path: cid + "/wallets", key: writeKey, body: `{}`, hdr: textPlain, status: 415},
		// DELETE /customer/{id}/wallets/{address}
		{name: "unlink", method: "DELETE", path: cid + "/wallets/0x00000000000000000000000000000000000000A1", key: writeKey, status: 200},
		{name: "unlink not linked", method: "DELETE", path: cid + "/wallets/0x00000000000000000000000000000000000000a1", key: writeKey, status: 404},
		{name: "unlink bad address", method: "DELETE", path: cid + "/wallets/0xzz", key: writeKey, status: 400},
		{name: "unlink no key", method: "DELETE", path: cid + "/wallets/" + w1.Hex(), status: 401},
		{name: "unlink read key", method: "DELETE", path: cid + "/wallets/" + w1.Hex(), key: readKey, status: 403},
		// GET /wallet/{address}
		{name: "wallet", method: "GET", path: "/wallet/" + w1.Hex(), key: readKey, status: 200, check: withBalances},
		{name: "wallet of nobody", method: "GET", path: "/wallet/0x00000000000000000000000000000000000000f8?block=latest", key: readKey, status: 200},
		{name: "wallet bad address", method: "GET", path: "/wallet/0x12", key: readKey, status: 400},
		{name: "wallet reverting token", method: "GET", path: "/wallet/" + w1.Hex() + "?token=" + e.broken.Address.Hex(), key: readKey, status: 502},
		{name: "wallet no key", method: "GET", path: "/wallet/" + w1.Hex(), status: 401},
		{name: "wallet write-only key", method: "GET", path: "/wallet/" + w1.Hex(), key: writeOnlyKey, status: 403},
		// GET /tokens
		{name: "tokens", method: "GET", path: "/tokens", key: readKey, status: 200},
		{name: "tokens with query", method: "GET", path: "/tokens?all=1", key: readKey, status: 400},
		{name: "tokens no key", method: "GET", path: "/tokens", status: 401},
		{name: "tokens write-only key", method: "GET", path: "/tokens", key: writeOnlyKey, status: 403},
		// GET /admin/backup
		{name: "backup", method: "GET", path: "/admin/backup", key: adminKey, status: 200, check: func(t *testing.T, r response) {
			if !bytes.Contains(r.Body[:min(len(r.Body), 4096)], []byte{0xed, 0xda, 0x0c, 0xed}) { // bbolt magic, little-endian
				t.Errorf("backup (%d bytes) does not look like a bbolt file", len(r.Body))
			}
		}},
		{name: "backup no key", method: "GET", path: "/admin/backup", status: 401},
		{name: "backup write key", method: "GET", path: "/admin/backup", key: writeKey, status: 403},
		// GET /reports/positions
		{name: "positions", method: "GET", path: "/reports/positions", key: adminKey, status: 200, check: func(t *testing.T, r response) {
			if !regexp.MustCompile(`\n# complete, [1-9][0-9]* rows\n$`).Match(r.Body) {
				t.Errorf("the export does not end with its completeness line: %s", r.Body)
			}
		}},
		{name: "positions jsonl at block with names", method: "GET", path: "/reports/positions?format=jsonl&include=name&block=" + block + "&token=" + e.trex.Address.Hex(), key: adminKey, status: 200},
		{name: "positions bad format", method: "GET", path: "/reports/positions?format=xlsx", key: adminKey, status: 400},
		{name: "positions bad block", method: "GET", path: "/reports/positions?block=yesterday", key: adminKey, status: 400},
		{name: "positions future block", method: "GET", path: "/reports/positions?block=99999999", key: adminKey, status: 400},
		{name: "positions unknown token", method: "GET", path: "/reports/positions?token=" + w1.Hex(), key: adminKey, status: 400},
		{name: "positions unknown param", method: "GET", path: "/reports/positions?sort=id", key: adminKey, status: 400},
		{name: "positions bad include", method: "GET", path: "/reports/positions?include=email", key: adminKey, status: 400},
		{name: "positions reverting token", method: "GET", path: "/reports/positions?token=" + e.broken.Address.Hex(), key: adminKey, status: 502},
		{name: "positions no key", method: "GET", path: "/reports/positions", status: 401},
		{name: "positions read key", method: "GET", path: "/reports/positions", key: readKey, status: 403},
		// Open routes.
		{name: "healthz", method: "GET", path: "/healthz", status: 200},
		{name: "readyz", method: "GET", path: "/readyz", status: 200},
		{name: "healthz HEAD", method: "HEAD", path: "/healthz", status: 200, check: emptyBody},
		{name: "readyz HEAD", method: "HEAD", path: "/readyz", status: 200, check: emptyBody},
		{name: "metrics", method: "GET", path: "/metrics", status: 200, check: func(t *testing.T, r response) {
			if !strings.Contains(string(r.Body), "portfoliod_http_requests_total") {
				t.Errorf("metrics lack portfoliod_http_requests_total")
			}
		}},
		{name: "openapi", method: "GET", path: "/openapi.json", status: 200},
	})
	notReady.Store(true)
	v.run(t, e.testEnv, []apiCase{{name: "readyz failing", method: "GET", path: "/readyz", status: 503, check: func(t *testing.T, r response) {
		// Without an admin key the body names the failing check, not
		// the node's address or dial error.
		if strings.Contains(string(r.Body), "node unreachable") || !strings.Contains(string(r.Body), `"name":"chain","status":"failing"`) {
			t.Errorf("public readiness body: %s", r.Body)
		}
	}}, {name: "readyz failing read key", method: "GET", path: "/readyz", key: readKey, status: 503, check: func(t *testing.T, r response) {
		if strings.Contains(string(r.Body), "node unreachable") {
			t.Errorf("a read key sees the reason: %s", r.Body)
		}
	}}, {name: "readyz failing admin", method: "GET", path: "/readyz", key: adminKey, status: 503, check: func(t *testing.T, r response) {
		if !strings.Contains(string(r.Body), "node unreachable") {
			t.Errorf("reason missing for an admin key: %s", r.Body)
		}
	}}, {name: "readyz failing HEAD", method: "HEAD", path: "/readyz", status: 503, check: emptyBody}})
	if !strings.Contains(e.logs.String(), "node unreachable") {
		t.Errorf("the failing check's reason is not logged")
	}

	// The event log and streams, on a store with events.
	evStore := mustOpenStore(t)
	evs := testEvents{store: evStore, hub: live.NewHub()}
	evEnv := serveStore(t, evStore, aggregator.New(evStore, dialReader(t, node.URL, node.ChainID, e.trex.Address)), func(c *Config) { c.Events = evs })
	evCust := mustOnboard(t, evEnv, `{"type":"INDIVIDUAL","countryCode":"US"}`)
	evs.commit(t, 1, balanceEvent(1, evCust.ID, w1, 10))
	v.run(t, evEnv, []apiCase{
		{name: "events list", method: "GET", path: "/events?limit=5&type=balance.updated", key: readKey, status: 200},
		{name: "events bad limit", method: "GET", path: "/events?limit=0", key: readKey, status: 400},
		{name: "events no key", method: "GET", path: "/events", status: 401},
		{name: "events write-only key", method: "GET", path: "/events", key: writeOnlyKey, status: 403},
		{name: "customer events unknown", method: "GET", path: "/customer/" + unknownID + "/events", key: readKey, status: 404},
		{name: "customer events bad id", method: "GET", path: "/customer/x/events", key: readKey, status: 400},
		{name: "customer events no key", method: "GET", path: "/customer/" + evCust.ID + "/events", status: 401},
		{name: "customer events write-only key", method: "GET", path: "/customer/" + evCust.ID + "/events", key: writeOnlyKey, status: 403},
		{name: "frozen", method: "GET", path: "/frozen?limit=5&token=" + e.trex.Address.Hex(), key: readKey, status: 200},
		{name: "frozen default token", method: "GET", path: "/frozen", key: readKey, status: 200},
		{name: "frozen unknown token", method: "GET", path: "/frozen?token=" + w1.Hex(), key: readKey, status: 400},
		{name: "frozen no key", method: "GET", path: "/frozen", status: 401},
		{name: "frozen write-only key", method: "GET", path: "/frozen", key: writeOnlyKey, status: 403},
		{name: "frozen series", method: "GET", path: "/frozen/series", key: readKey, status: 200},
		{name: "frozen series window", method: "GET", path: "/frozen/series?step=15m&from=2023-11-14T00:00:00Z&to=2023-11-15T00:00:00Z&token=" + e.trex.Address.Hex(), key: readKey, status: 200},
		{name: "frozen series from after to", method: "GET", path: "/frozen/series?from=2023-11-15T00:00:00Z&to=2023-11-14T00:00:00Z", key: readKey, status: 400},
		{name: "frozen series too many points", method: "GET", path: "/frozen/series?step=1s&from=2023-01-01T00:00:00Z&to=2023-11-14T00:00:00Z", key: readKey, status: 400},
		{name: "frozen series no key", method: "GET", path: "/frozen/series", status: 401},
		{name: "frozen series write-only key", method: "GET", path: "/frozen/series", key: writeOnlyKey, status: 403},
		{name: "history", method: "GET", path: "/customer/" + evCust.ID + "/history?limit=5", key: readKey, status: 200},
		{name: "history bad limit", method: "GET", path: "/customer/" + evCust.ID + "/history?limit=0", key: readKey, status: 400},
		{name: "history unknown", method: "GET", path: "/customer/" + unknownID + "/history", key: readKey, status: 404},
		{name: "history no key", method: "GET", path: "/customer/" + evCust.ID + "/history", status: 401},
		{name: "history write-only key", method: "GET", path: "/customer/" + evCust.ID + "/history", key: writeOnlyKey, status: 403},
	})
	v.run(t, e.testEnv, []apiCase{{name: "events without live", method: "GET", path: "/events", key: readKey, status: 404},
		{name: "history without live", method: "GET", path: cid + "/history", key: readKey, status: 404},
		{name: "frozen without live", method: "GET", path: "/frozen", key: readKey, status: 404},
		{name: "frozen series without live", method: "GET", path: "/frozen/series", key: readKey, status: 404}})

	// A body sent slower than the server's read timeout: 408.
	trickle := serveHTTP(t, mustOpenStore(t), nil, func(hs *http.Server) { hs.ReadTimeout = 300 * time.Millisecond })
	v.run(t, trickle, []apiCase{{name: "onboard body too slow", method: "POST", path: "/customer", key: writeKey, status: 408,
		body: `{"type":"INDIVIDUAL",`, stall: time.Second}})

	// Without a chain: onboarding warns, balance routes answer 503.
	noChain := mustServe(t, nil)
	v.run(t, noChain, []apiCase{
		{name: "onboard without chain", method: "POST", path: "/customer", key: writeKey, body: `{"type":"INDIVIDUAL","countryCode":"US","wallets":["0x00000000000000000000000000000000000000b1"]}`, status: 200},
		{name: "portfolio without chain", method: "GET", path: cid + "/portfolio", key: readKey, status: 503},
		{name: "wallet without chain", method: "GET", path: "/wallet/" + w1.Hex(), key: readKey, status: 503},
		{name: "positions without chain", method: "GET", path: "/reports/positions", key: adminKey, status: 503},
	})

	// An exhausted token bucket: every authenticated route answers 429.
	limited := mustServe(t, nil, func(c *Config) { c.RequestsPerSecond, c.Burst = 0.001, 1 })
	for _, k := range []string{adminKey, writeKey} { // burst 1: the first request of each key passes
		if r := limited.do(t, "GET", "/tokens", k, ""); r.Status != 200 {
			t.Fatalf("first request = %d, want 200", r.Status)
		}
	}
	var limitedCases []apiCase
	for _, rc := range []struct{ method, path, key, body string }{
		{"POST", "/customer", writeKey, `{}`}, {"GET", "/customer", adminKey, ""},
		{"GET", cid, adminKey, ""}, {"PATCH", cid, writeKey, `{}`}, {"DELETE", cid, writeKey, ""},
		{"GET", cid + "/portfolio", adminKey, ""}, {"POST", cid + "/wallets", writeKey, `{}`},
		{"DELETE", cid + "/wallets/" + w1.Hex(), writeKey, ""}, {"GET", "/wallet/" + w1.Hex(), adminKey, ""},
		{"GET", "/tokens", adminKey, ""}, {"GET", "/admin/backup", adminKey, ""}, {"GET", "/reports/positions", adminKey, ""},
	} {
		limitedCases = append(limitedCases, apiCase{name: "limited " + rc.method + " " + rc.path, method: rc.method, path: rc.path, key: rc.key, body: rc.body, status: 429,
			check: func(t *testing.T, r response) {
				if n, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || n < 1 {
					t.Errorf("Retry-After = %q", r.Header.Get("Retry-After"))
				}
			}})
	}
	v.run(t, limited, limitedCases)

	// A store that fails (closed under the server): internal errors.
	broken := mustOpenStore(t)
	reader := dialReader(t, node.URL, node.ChainID, e.trex.Address)
	brokenEnv := serveStore(t, broken, aggregator.New(broken, reader),
		func(c *Config) { c.Positions = aggregator.NewRegister(broken, reader) })
	if err := broken.Close(); err != nil {
		t.Fatal(err)
	}
	v.run(t, brokenEnv, []apiCase{
		{name: "onboard store down", method: "POST", path: "/customer", key: writeKey, body: `{"type":"INDIVIDUAL","countryCode":"US"}`, status: 500},
		{name: "list store down", method: "GET", path: "/customer", key: readKey, status: 500},
		{name: "get store down", method: "GET", path: cid, key: readKey, status: 500},
		{name: "patch store down", method: "PATCH", path: cid, key: writeKey, body: `{"name":"x"}`, status: 500},
		{name: "delete store down", method: "DELETE", path: cid, key: writeKey, status: 500},
		{name: "portfolio store down", method: "GET", path: cid + "/portfolio", key: readKey, status: 500},
		{name: "link store down", method: "POST", path: cid + "/wallets", key: writeKey, body: `{"address":"0x00000000000000000000000000000000000000a3"}`, status: 500},
		{name: "unlink store down", method: "DELETE", path: cid + "/wallets/" + w1.Hex(), key: writeKey, status: 500},
		{name: "positions store down", method: "GET", path: "/reports/positions", key: adminKey, status: 500},
	})

	// A PostgreSQL store whose server is stopped: 503 store_unavailable
	// on every route that reads or writes it (store_outage_test.go).
	down := mustStoreDown(t, node.URL, node.ChainID, e.trex.Address)
	v.run(t, down.testEnv, down.cases())

	// A node slower than the request budget: 504.
	proxy, slow := slowProxy(t, node.URL, 3*time.Second)
	slowStore := mustOpenStore(t)
	var sc portfoliod.Customer
	sc, err = slowStore.Create(context.Background(), portfoliod.Customer{Type: portfoliod.Individual, CountryCode: "US", Wallets: []common.Address{w1}})
	if err != nil {
		t.Fatal(err)
	}
	slowEnv := serveStore(t, slowStore, aggregator.New(slowStore, dialReader(t, proxy.URL, node.ChainID, e.trex.Address)),
		func(c *Config) { c.RequestTimeout = 400 * time.Millisecond })
	slow.Store(true)
	v.run(t, slowEnv, []apiCase{
		{name: "portfolio slow node", method: "GET", path: "/customer/" + sc.ID + "/portfolio", key: readKey, status: 504},
		{name: "wallet slow node", method: "GET", path: "/wallet/" + w1.Hex(), key: readKey, status: 504},
	})

	// A request whose Idempotency-Key is held by a request that does not
	// finish (here a node that ignores cancellation) waits only as long as
	// its own budget: 504.
	g := newGatedNode()
	g.ignoreCancel = true
	heldEnv := mustServe(t, g, func(c *Config) { c.RequestTimeout = 300 * time.Millisecond })
	hc, err := heldEnv.store.Create(context.Background(), portfoliod.Customer{Type: portfoliod.Individual, CountryCode: "US"})
	if err != nil {
		t.Fatal(err)
	}
	for i, tc := range []apiCase{
		{name: "onboard key held", method: "POST", path: "/customer", key: writeKey, body: `{"type":"INDIVIDUAL","countryCode":"US"}`, status: 504},
		{name: "link key held", method: "POST", path: "/customer/" + hc.ID + "/wallets", key: writeKey, body: `{"address":"0x00000000000000000000000000000000000000e2"}`, status: 504},
	} {
		// An onboarding holds the key (the key space is per API key, not
		// per route); tc, sent with the same key, waits for it.
		tc.hdr = []string{"Idempotency-Key", "held-" + tc.name}
		first := make(chan response, 1)
		go func() {
			first <- heldEnv.do(t, "POST", "/customer", writeKey, fmt.Sprintf(`{"type":"INDIVIDUAL","countryCode":"US","wallets":["0x%040x"]}`, 0xe30+i), tc.hdr...)
		}()
		<-g.entered
		v.run(t, heldEnv, []apiCase{tc})
		g.release()
		<-first
	}

	webhookOpenAPICases(t, v)
	consoleOpenAPICases(t, v)
	v.checkCoverage(t)
}

// dialReader connects a chain reader for one token, closed at cleanup.
func dialReader(tb testing.TB, rpcURL string, chainID uint64, token common.Address) *chain.Reader {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r, err := chain.Dial(ctx, chain.Config{
		ChainID: chainID, RPCURLs: []string{rpcURL}, CallTimeout: time.Second,
		Tokens:       []chain.TokenConfig{{Address: token, Freeze: "erc3643"}},
		RetryBackoff: 100 * time.Millisecond, MaxRetryBackoff: 200 * time.Millisecond,
	})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(r.Close)
	return r
}

// Responses outside every documented operation still use the one error
// shape.
func TestOpenAPIUnroutedErrors(t *testing.T) {
	v := mustOpenAPIValidator(t)
	e := mustServe(t, nil)
	errSchema := v.doc.Components.Schemas["Error"].Value
	for _, tc := range []struct {
		method, path string
		status       int
	}{
		{"GET", "/nope", 404},
		{"PUT", "/customer", 405},
		{"POST", "/tokens", 405},
	} {
		r := e.do(t, tc.method, tc.path, readKey, "")
		if r.Status != tc.status {
			t.Errorf("%s %s = %d, want %d", tc.method, tc.path, r.Status, tc.status)
			continue
		}
		var body any
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatalf("%s %s: %v", tc.method, tc.path, err)
		}
		if err := errSchema.VisitJSON(body, openapi3.EnableJSONSchema2020()); err != nil {
			t.Errorf("%s %s: body is not the Error schema: %v: %s", tc.method, tc.path, err, r.Body)
		}
	}
}

// Every route gin serves is documented, and every documented operation is
// served.
func TestOpenAPIRoutesMatchRouter(t *testing.T) {
	v := mustOpenAPIValidator(t)
	e := mustServe(t, nil, func(c *Config) { c.Metrics = NewMetrics(prometheus.NewRegistry()) },
		withWebhooks(t, mustOpenStore(t), webhook.Guard{}, false))
	var served []string
	for _, r := range e.srv.engine.Routes() {
		segs := strings.Split(r.Path, "/")
		for i, s := range segs {
			if strings.HasPrefix(s, ":") || strings.HasPrefix(s, "*") {
				segs[i] = "{" + s[1:] + "}"
			}
		}
		served = append(served, r.Method+" "+strings.Join(segs, "/"))
	}
	var documented []string
	for _, path := range v.doc.Paths.InMatchingOrder() {
		for method := range v.doc.Paths.Value(path).Operations() {
			documented = append(documented, method+" "+path)
		}
	}
	sort.Strings(served)
	sort.Strings(documented)
	if len(served) == 0 {
		t.Fatal("the router serves no routes")
	}
	for _, s := range served {
		// Every GET route answers HEAD (the document's description says
		// so); only the health probes document it as its own operation.
		if p, ok := strings.CutPrefix(s, "HEAD "); ok && slices.Contains(documented, "GET "+p) {
			continue
		}
		if !slices.Contains(documented, s) {
			t.Errorf("%s is served but not documented in openapi.json", s)
		}
	}
	for _, d := range documented {
		if !slices.Contains(served, d) {
			t.Errorf("%s is documented but not served", d)
		}
	}
}

// The validation above is not vacuous: a response that drifts from the
// document in its body, its headers or its status is rejected.
func TestOpenAPIValidatorCatchesDrift(t *testing.T) {
	v := mustOpenAPIValidator(t)
	e := mustServe(t, nil)
	c := mustOnboard(t, e, referenceOnboard)
	tc := apiCase{method: "GET", path: "/customer/" + c.ID, key: readKey}
	good := e.do(t, tc.method, tc.path, tc.key, "")
	if _, _, err := v.check(tc, good); err != nil {
		t.Fatalf("the real response does not validate: %v", err)
	}
	var obj map[string]any
	good.json(t, &obj)
	tamper := func(f func(r *response, obj map[string]any)) response {
		r := response{Status: good.Status, Header: good.Header.Clone()}
		o := map[string]any{}
		for k, v := range obj {
			o[k] = v
		}
		f(&r, o)
		if r.Body == nil {
			r.Body, _ = json.Marshal(o)
		}
		return r
	}
	for name, r := range map[string]response{
		"undocumented field":  tamper(func(_ *response, o map[string]any) { o["nickname"] = "x" }),
		"missing field":       tamper(func(_ *response, o map[string]any) { delete(o, "object") }),
		"wrong const":         tamper(func(_ *response, o map[string]any) { o["object"] = "wallet" }),
		"wrong enum":          tamper(func(_ *response, o map[string]any) { o["type"] = "PERSON" }),
		"bad pattern":         tamper(func(_ *response, o map[string]any) { o["countryCode"] = "usa" }),
		"undocumented status": tamper(func(r *response, _ map[string]any) { r.Status = 418 }),
		"missing header":      tamper(func(r *response, _ map[string]any) { r.Header.Del("X-Request-Id") }),
		"wrong content type":  tamper(func(r *response, _ map[string]any) { r.Header.Set("Content-Type", "text/html") }),
	} {
		if _, _, err := v.check(tc, r); err == nil {
			t.Errorf("%s: a drifted response validates", name)
		}
	}
}

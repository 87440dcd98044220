package api

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/portfoliod/portfoliod"
)

// A client choosing method names and paths cannot grow the metric series:
// the method label folds into the methods the router serves, the route
// label is a template or "unmatched".
func TestMetricLabelsAreBounded(t *testing.T) {
	e := mustServe(t, nil, func(c *Config) { c.Metrics = NewMetrics(prometheus.NewRegistry()) })
	for i := range 40 {
		e.do(t, fmt.Sprintf("M%06d", i), "/customer", "", "")
		e.do(t, "GET", fmt.Sprintf("/no/such/route/%d", i), "", "")
	}
	r := e.do(t, "GET", "/metrics", "", "")
	methods := map[string]bool{}
	routes := map[string]bool{}
	for _, m := range regexp.MustCompile(`portfoliod_http_requests_total\{method="([^"]*)",route="([^"]*)"`).FindAllStringSubmatch(string(r.Body), -1) {
		methods[m[1]], routes[m[2]] = true, true
	}
	for m := range methods {
		if !map[string]bool{"GET": true, "HEAD": true, "POST": true, "PATCH": true, "DELETE": true, "other": true}[m] {
			t.Errorf("method label %q comes from the client", m)
		}
	}
	if !methods["other"] {
		t.Errorf("unknown methods are not counted as other: %v", methods)
	}
	for r := range routes {
		if r != "unmatched" && !strings.HasPrefix(r, "/") || strings.Contains(r, "/no/such") {
			t.Errorf("route label %q comes from the client", r)
		}
	}
}

// A key with write but not read learns nothing of a profile from a write:
// the answer is the id and object, and a conflict names no other customer.
func TestWriteKeyWithoutReadSeesNoProfile(t *testing.T) {
	e := mustServe(t, nil)
	owner := mustOnboard(t, e, `{"type":"INDIVIDUAL","countryCode":"US","name":"Owner","wallets":["0x00000000000000000000000000000000000000a1"]}`)
	ref := func(t *testing.T, r response) string {
		t.Helper()
		if r.Status != 200 {
			t.Fatalf("status = %d: %s", r.Status, r.Body)
		}
		var got map[string]any
		r.json(t, &got)
		if len(got) != 2 || got["object"] != "customer" {
			t.Fatalf("body = %s, want only id and object", r.Body)
		}
		return got["id"].(string)
	}
	id := ref(t, e.do(t, "POST", "/customer", writeOnlyKey, `{"type":"INDIVIDUAL","countryCode":"US","name":"Jane","email":"jane@example.com","wallets":["0x00000000000000000000000000000000000000b1"]}`))
	path := "/customer/" + id
	ref(t, e.do(t, "PATCH", path, writeOnlyKey, `{}`))
	ref(t, e.do(t, "PATCH", "/customer/"+owner.ID, writeOnlyKey, `{}`))
	ref(t, e.do(t, "POST", path+"/wallets", writeOnlyKey, `{"address":"0x00000000000000000000000000000000000000b2"}`))
	ref(t, e.do(t, "DELETE", path+"/wallets/0x00000000000000000000000000000000000000b2", writeOnlyKey, ""))

	r := e.do(t, "POST", path+"/wallets", writeOnlyKey, `{"address":"0x00000000000000000000000000000000000000a1"}`)
	if r.Status != 409 || strings.Contains(string(r.Body), owner.ID) {
		t.Errorf("taken wallet = %d %s, want 409 not naming the owner", r.Status, r.Body)
	}
	if r := e.do(t, "GET", path, writeOnlyKey, ""); r.Status != 403 {
		t.Errorf("GET with the write-only key = %d, want 403", r.Status)
	}
	// The profile was written in full all the same.
	var got customerJSON
	e.do(t, "GET", path, readKey, "").json(t, &got)
	if got.Name != "Jane" || got.Email != "jane@example.com" || len(got.Wallets) != 1 {
		t.Errorf("stored profile = %+v", got)
	}
}

// Bodies that encoding/json would silently repair, or resolve, are
// refused with the field or byte named; nothing is stored.
func TestBodiesAreTakenAsSent(t *testing.T) {
	e := mustServe(t, nil)
	tests := []struct {
		name, body, param, message string
	}{
		{"overlong UTF-8", "{\"type\":\"INDIVIDUAL\",\"countryCode\":\"US\",\"name\":\"a\xc0\xafb\"}", "", "not valid UTF-8"},
		{"byte FF", "{\"type\":\"INDIVIDUAL\",\"countryCode\":\"US\",\"name\":\"\xff\"}", "", "not valid UTF-8"},
		{"lone high surrogate", `{"type":"INDIVIDUAL","countryCode":"US","name":"\ud800"}`, "", "surrogate"},
		{"lone low surrogate", `{"type":"INDIVIDUAL","countryCode":"US","metadata":{"k":"x\udc00"}}`, "", "surrogate"},
		{"high surrogate then text", `{"type":"INDIVIDUAL","countryCode":"US","name":"\ud83dx"}`, "", "surrogate"},
		{"escaped backslash is no escape", `{"type":"INDIVIDUAL","countryCode":"US","name":"\\\ud800"}`, "", "surrogate"},
		{"duplicate key", `{"type":"INDIVIDUAL","type":"ORGANIZATION","countryCode":"US"}`, "type", "more than once"},
		{"duplicate nested key", `{"type":"INDIVIDUAL","countryCode":"US","address":{"city":"a","city":"b"}}`, "address.city", "more than once"},
		{"duplicate metadata key", `{"type":"INDIVIDUAL","countryCode":"US","metadata":{"k":"a","k":"b"}}`, "metadata.k", "more than once"},
		{"duplicate key by escape", `{"type":"INDIVIDUAL","\u0074ype":"ORGANIZATION","countryCode":"US"}`, "type", "more than once"},
		{"duplicate key in an array element", `{"type":"INDIVIDUAL","countryCode":"US","wallets":["0x00000000000000000000000000000000000000d1",{"address":"0x00000000000000000000000000000000000000d2","address":"0x00000000000000000000000000000000000000d3"}]}`, "wallets[1].address", "more than once"},
		{"nested too deeply", `{"type":"INDIVIDUAL","countryCode":"US","metadata":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`, "", "nested too deeply"},
		{"metadata number", `{"type":"INDIVIDUAL","countryCode":"US","metadata":{"a":1}}`, "metadata", "metadata values must be JSON strings"},
		{"null wallet", `{"type":"INDIVIDUAL","countryCode":"US","wallets":[null]}`, "wallets[0]", "wallets[0] is null"},
		{"bidi override in name", `{"type":"INDIVIDUAL","countryCode":"US","name":"abc\u202edcba"}`, "name", "bidirectional"},
		{"bidi isolate in city", `{"type":"INDIVIDUAL","countryCode":"US","address":{"city":"a\u2066b"}}`, "address.city", "bidirectional"},
		{"zero-width space in email", `{"type":"INDIVIDUAL","countryCode":"US","email":"ja\u200bne@example.com"}`, "email", "format characters"},
		{"BOM in username", `{"type":"INDIVIDUAL","countryCode":"US","username":"\ufeffjane"}`, "username", "format characters"},
		{"whitespace name", `{"type":"INDIVIDUAL","countryCode":"US","name":" \t\u3000 "}`, "name", "only whitespace"},
		{"whitespace address line", `{"type":"INDIVIDUAL","countryCode":"US","address":{"line1":"   "}}`, "address.line1", "only whitespace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(t, "POST", "/customer", writeKey, tt.body)
			if r.Status != 400 {
				t.Fatalf("status = %d, want 400: %s", r.Status, r.Body)
			}
			var b errorBody
			r.json(t, &b)
			if b.Error.Param != tt.param || !strings.Contains(b.Error.Message, tt.message) {
				t.Errorf("error = %+v, want param %q and a message with %q", b.Error, tt.param, tt.message)
			}
			if strings.Contains(b.Error.Message, `""`) {
				t.Errorf("message quotes an empty value: %s", b.Error.Message)
			}
			// The same rules hold for customers import.
			if _, err := ParseCustomerJSON([]byte(tt.body)); err == nil {
				t.Errorf("ParseCustomerJSON accepted %q", tt.body)
			}
		})
	}
	if n, _ := storeCount(t, e.store); n != 0 {
		t.Errorf("%d customers stored from rejected bodies", n)
	}
	// What is valid stays valid: a surrogate pair, a zero-width joiner
	// inside a name (emoji and several scripts need it).
	c := mustOnboard(t, e, `{"type":"INDIVIDUAL","countryCode":"US","name":"J\ud83d\ude00 \u200d\u0915\u094d\u200d\u0937"}`)
	if c.Name != "J😀 \u200dक्\u200dष" {
		t.Errorf("name = %q", c.Name)
	}
}

func TestImportRejectsFutureCreatedAt(t *testing.T) {
	future := time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
	_, err := ParseCustomerJSON([]byte(`{"type":"INDIVIDUAL","countryCode":"US","createdAt":"` + future + `"}`))
	if ae, ok := err.(*apiError); !ok || ae.Param != "createdAt" {
		t.Errorf("future createdAt: err = %v, want a createdAt error", err)
	}
	past := time.Now().Add(-48 * time.Hour).UTC().Format(time.RFC3339)
	if _, err := ParseCustomerJSON([]byte(`{"type":"INDIVIDUAL","countryCode":"US","createdAt":"` + past + `"}`)); err != nil {
		t.Errorf("past createdAt: %v", err)
	}
}

// Failed authentication is rate-limited per client network; a client over
// the limit is refused whatever key it sends, others are not.
func TestFailedAuthIsRateLimited(t *testing.T) {
	e := mustServe(t, nil, func(c *Config) {
		c.FailedAuthPerSecond, c.FailedAuthBurst = 0.1, 3
		c.TrustedProxies = []string{"127.0.0.1"}
	})
	// X-Forwarded-For stands for clients behind the trusted proxy; no
	// traffic goes to these documentation addresses.
	const attacker, other = "203.0.113.7", "198.51.100.9"
	for i := range 3 {
		if r := e.do(t, "GET", "/customer", "wrong", "", "X-Forwarded-For", attacker); r.Status != 401 {
			t.Fatalf("failure %d = %d, want 401", i, r.Status)
		}
	}
	for _, key := range []string{"wrong", "", readKey} {
		r := e.do(t, "GET", "/customer", key, "", "X-Forwarded-For", attacker)
		if r.Status != 429 || r.Header.Get("Retry-After") == "" {
			t.Errorf("key %q over the limit = %d (Retry-After %q), want 429 with Retry-After", key, r.Status, r.Header.Get("Retry-After"))
		}
		if code, _ := r.errorCode(t); code != "rate_limited" {
			t.Errorf("code = %s", code)
		}
	}
	if r := e.do(t, "GET", "/customer", readKey, "", "X-Forwarded-For", other); r.Status != 200 {
		t.Errorf("another client = %d, want 200", r.Status)
	}
	if r := e.do(t, "GET", "/customer", "wrong", "", "X-Forwarded-For", other); r.Status != 401 {
		t.Errorf("another client's first failure = %d, want 401", r.Status)
	}

	// Without a trusted proxy, X-Forwarded-For is the client's word and
	// is ignored: the limit is on the connection's address.
	direct := mustServe(t, nil, func(c *Config) { c.FailedAuthPerSecond, c.FailedAuthBurst = 0.1, 2 })
	for i, xff := range []string{"192.0.2.1", "192.0.2.2", "192.0.2.3"} {
		r := direct.do(t, "GET", "/customer", "wrong", "", "X-Forwarded-For", xff)
		if want := map[bool]int{true: 429, false: 401}[i >= 2]; r.Status != want {
			t.Errorf("failure %d with X-Forwarded-For %s = %d, want %d", i, xff, r.Status, want)
		}
	}
}

func TestClientNetwork(t *testing.T) {
	tests := map[string]string{
		"203.0.113.7":              "203.0.113.7/32",
		"::ffff:203.0.113.7":       "203.0.113.7/32",
		"2001:db8:1:2:3:4:5:6":     "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1":     "2001:db8:1:2::/64",
		"not an address":           "invalid Prefix",
		"2001:db8:1:3:0:0:0:1%eth": "2001:db8:1:3::/64",
	}
	for ip, want := range tests {
		if got := clientNetwork(ip); got.String() != want {
			t.Errorf("clientNetwork(%q) = %s, want %s", ip, got, want)
		}
	}
	l := newFailureLimiter(1, 1)
	l.maxClients = 2
	for i := range 5 {
		l.charge(netip.PrefixFrom(netip.AddrFrom4([4]byte{192, 0, 2, byte(i)}), 32))
	}
	if n := len(l.buckets); n > 2 {
		t.Errorf("failure table holds %d clients, bound 2", n)
	}
}

// Paths are routed as sent: an encoded slash stays in its segment, dot
// segments are refused, a trailing slash is a 404, all in the error shape
// with a request id.
func TestPathsAreRoutedAsSent(t *testing.T) {
	e := mustServe(t, nil)
	c := mustOnboard(t, e, `{"type":"INDIVIDUAL","countryCode":"US"}`)
	tests := []struct {
		name, method, path string
		status             int
		param              string
	}{
		{"encoded slash", "GET", "/customer/" + c.ID + "%2Fportfolio", 400, "id"},
		{"dot dot", "GET", "/customer/../tokens", 400, ""},
		{"dot", "GET", "/./tokens", 400, ""},
		{"encoded dot dot", "GET", "/customer/%2e%2E/tokens", 400, ""},
		{"trailing slash", "GET", "/customer/" + c.ID + "/", 404, ""},
		{"POST trailing slash", "POST", "/customer/", 404, ""},
		{"double slash", "GET", "//tokens", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(t, tt.method, tt.path, writeKey, "")
			if r.Status != tt.status {
				t.Fatalf("%s %s = %d, want %d: %s", tt.method, tt.path, r.Status, tt.status, r.Body)
			}
			if _, param := r.errorCode(t); param != tt.param {
				t.Errorf("param = %q, want %q", param, tt.param)
			}
			if r.Header.Get("X-Request-Id") == "" {
				t.Errorf("no X-Request-Id")
			}
		})
	}
}

// Every GET route answers HEAD with GET's status and headers and no body.
func TestHeadAnswersAsGet(t *testing.T) {
	e := mustServe(t, nil, func(c *Config) { c.Metrics = NewMetrics(prometheus.NewRegistry()) })
	c := mustOnboard(t, e, `{"type":"INDIVIDUAL","countryCode":"US"}`)
	for _, tc := range []struct {
		path, key string
		status    int
	}{
		{"/customer/" + c.ID, readKey, 200},
		{"/customer?limit=1", readKey, 200},
		{"/tokens", readKey, 200},
		{"/openapi.json", "", 200},
		{"/metrics", "", 200},
		{"/customer/" + c.ID, "", 401},
		{"/customer/customer_000000000000", readKey, 404},
	} {
		get := e.do(t, "GET", tc.path, tc.key, "")
		head := e.do(t, "HEAD", tc.path, tc.key, "")
		if head.Status != tc.status || get.Status != tc.status {
			t.Errorf("%s: HEAD = %d, GET = %d, want %d", tc.path, head.Status, get.Status, tc.status)
		}
		if len(head.Body) != 0 {
			t.Errorf("HEAD %s has a body", tc.path)
		}
		if head.Header.Get("Content-Type") != get.Header.Get("Content-Type") {
			t.Errorf("HEAD %s Content-Type %q, GET %q", tc.path, head.Header.Get("Content-Type"), get.Header.Get("Content-Type"))
		}
	}
}

// A repeated query parameter is refused with its name, on every route.
func TestRepeatedQueryParameters(t *testing.T) {
	e := mustServe(t, nil)
	c := mustOnboard(t, e, `{"type":"INDIVIDUAL","countryCode":"US"}`)
	w := "0x00000000000000000000000000000000000000a1"
	for path, param := range map[string]string{
		"/customer/" + c.ID + "/portfolio?block=1&block=2": "block",
		"/wallet/" + w + "?token=" + w + "&token=" + w:     "token",
		"/customer?wallet=" + w + "&wallet=" + w:           "wallet",
		"/customer?limit=1&limit=1":                        "limit",
	} {
		r := e.do(t, "GET", path, readKey, "")
		if r.Status != 400 {
			t.Errorf("%s = %d, want 400", path, r.Status)
			continue
		}
		if _, p := r.errorCode(t); p != param {
			t.Errorf("%s: param = %q, want %q", path, p, param)
		}
	}
}

// Content types and encodings portfoliod cannot take as JSON merge patch
// or JSON are refused with 415, saying what to send instead.
func TestUnsupportedBodies(t *testing.T) {
	e := mustServe(t, nil)
	c := mustOnboard(t, e, `{"type":"INDIVIDUAL","countryCode":"US","name":"Jane"}`)
	for _, tc := range []struct {
		name, method, path string
		hdr                []string
		message            string
	}{
		{"gzip", "POST", "/customer", []string{"Content-Encoding", "gzip"}, "Content-Encoding"},
		{"json patch", "PATCH", "/customer/" + c.ID, []string{"Content-Type", "application/json-patch+json"}, "merge patch"},
	} {
		r := e.do(t, tc.method, tc.path, writeKey, `{"name":"X","type":"INDIVIDUAL","countryCode":"US"}`, tc.hdr...)
		if r.Status != 415 || !strings.Contains(string(r.Body), tc.message) {
			t.Errorf("%s = %d %s, want 415 mentioning %q", tc.name, r.Status, r.Body, tc.message)
		}
	}
	var got customerJSON
	e.do(t, "GET", "/customer/"+c.ID, readKey, "").json(t, &got)
	if got.Name != "Jane" {
		t.Errorf("a refused patch changed the name to %q", got.Name)
	}
}

// Headers over the configured limit answer 431 in the error shape.
func TestHeaderLimit(t *testing.T) {
	e := serveHTTP(t, mustOpenStore(t), nil, func(hs *http.Server) { hs.MaxHeaderBytes = 64 << 10 },
		func(c *Config) { c.MaxHeaderBytes = 8 << 10 })
	r := e.do(t, "GET", "/customer", readKey, "", "X-Padding", strings.Repeat("p", 9<<10))
	if r.Status != 431 {
		t.Fatalf("status = %d, want 431: %s", r.Status, r.Body)
	}
	r.errorCode(t)
	if r := e.do(t, "GET", "/customer", readKey, "", "X-Padding", strings.Repeat("p", 4<<10)); r.Status != 200 {
		t.Errorf("headers under the limit = %d", r.Status)
	}
}

// Responses that carry personal data must not be kept by caches.
func TestKeyedResponsesAreNoStore(t *testing.T) {
	e := mustServe(t, nil)
	c := mustOnboard(t, e, `{"type":"INDIVIDUAL","countryCode":"US","name":"Jane"}`)
	for _, tc := range []struct{ method, path, key, body string }{
		{"GET", "/customer/" + c.ID, readKey, ""},
		{"GET", "/customer", readKey, ""},
		{"GET", "/customer/" + c.ID + "/portfolio", readKey, ""},
		{"PATCH", "/customer/" + c.ID, writeKey, `{"name":"Janet"}`},
		{"POST", "/customer", writeKey, `{"type":"INDIVIDUAL","countryCode":"US"}`},
		{"GET", "/admin/backup", adminKey, ""},
		{"GET", "/customer/" + c.ID, "", ""},
	} {
		if r := e.do(t, tc.method, tc.path, tc.key, tc.body); r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s %s (%d): Cache-Control = %q, want no-store", tc.method, tc.path, r.Status, r.Header.Get("Cache-Control"))
		}
	}
}

// A header net/http cannot parse is answered by net/http itself, before
// portfoliod: documented as plain text, and it never reaches a handler.
func TestMalformedHeaderNeverReachesHandlers(t *testing.T) {
	e := mustServe(t, nil)
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /customer HTTP/1.1\r\nHost: x\r\nx-api-key: %s\r\nX-Bad: a\x01b\r\n\r\n", readKey)
	b, _ := io.ReadAll(io.LimitReader(conn, 4096))
	if !strings.HasPrefix(string(b), "HTTP/1.1 400") {
		t.Errorf("answer = %q, want net/http's 400", b)
	}
	if strings.Contains(e.logs.String(), `"route":"/customer"`) {
		t.Errorf("the request reached the router")
	}
}

// A block whose state the node pruned is the client's 400, saying so,
// however the chain layer wrapped it.
func TestPrunedStateIs400(t *testing.T) {
	err := fmt.Errorf("eth_call at block 5: %w", &portfoliod.StatePrunedError{Number: 5})
	ae := toAPIError(err)
	if ae.Status != 400 || ae.Param != "block" || !strings.Contains(ae.Message, "no longer has state for block 5") {
		t.Errorf("toAPIError = %+v", ae)
	}
}

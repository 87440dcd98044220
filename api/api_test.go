package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/customers/bolt"
	"github.com/portfoliod/portfoliod/internal/localnet"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	os.Exit(m.Run())
}

// Test API keys, one per scope combination.
const (
	readKey  = "test-read-key"
	writeKey = "test-write-key"
	adminKey = "test-admin-key"
	// writeOnlyKey writes without reading: an onboarding back end that
	// must not see profiles.
	writeOnlyKey = "test-write-only-key"
)

func testKeys() []Key {
	return []Key{
		{Name: "reader", Hash: HashKey(readKey), Scopes: []Scope{ScopeRead}},
		{Name: "writer", Hash: HashKey(writeKey), Scopes: []Scope{ScopeRead, ScopeWrite}},
		{Name: "admin", Hash: HashKey(adminKey), Scopes: []Scope{ScopeRead, ScopeAdmin}},
		{Name: "write-only", Hash: HashKey(writeOnlyKey), Scopes: []Scope{ScopeWrite}},
	}
}

type testEnv struct {
	url   string
	store *bolt.Store
	logs  *localnet.Output
	srv   *Server
}

type envOption func(*Config)

// mustServe starts the real router over real HTTP on a real bbolt file.
func mustServe(tb testing.TB, portfolios Portfolios, opts ...envOption) *testEnv {
	tb.Helper()
	return serveStore(tb, mustOpenStore(tb), portfolios, opts...)
}

func mustOpenStore(tb testing.TB) *bolt.Store {
	tb.Helper()
	store, err := bolt.Open(filepath.Join(tb.TempDir(), "test.db"), bolt.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { store.Close() })
	return store
}

func serveStore(tb testing.TB, store *bolt.Store, portfolios Portfolios, opts ...envOption) *testEnv {
	tb.Helper()
	return serveHTTP(tb, store, portfolios, nil, opts...)
}

// serveHTTP is serveStore with the http.Server's settings (timeouts,
// header limits) set by hs.
func serveHTTP(tb testing.TB, store *bolt.Store, portfolios Portfolios, hs func(*http.Server), opts ...envOption) *testEnv {
	tb.Helper()
	logs := &localnet.Output{} // written by concurrent handlers
	cfg := Config{
		Keys:              testKeys(),
		RequestsPerSecond: 10000,
		Burst:             10000,
		MaxBodyBytes:      64 << 10,
		Logger:            slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		OpenAPI:           OpenAPIDocument(),
	}
	for _, o := range opts {
		o(&cfg)
	}
	srv, err := New(cfg, store, portfolios)
	if err != nil {
		tb.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(srv.Handler())
	if hs != nil {
		hs(ts.Config)
	}
	ts.Start()
	tb.Cleanup(ts.Close)
	return &testEnv{url: ts.URL, store: store, logs: logs, srv: srv}
}

type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) json(tb testing.TB, v any) {
	tb.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		tb.Fatalf("decode %s: %v", r.Body, err)
	}
}

func (r response) errorCode(tb testing.TB) (code, param string) {
	tb.Helper()
	var e errorBody
	r.json(tb, &e)
	if e.Error.Code == "" || e.Error.Message == "" || e.Error.RequestID == "" {
		tb.Fatalf("not the error shape: %s", r.Body)
	}
	return e.Error.Code, e.Error.Param
}

// do sends a request with the given key (empty: none) and JSON body.
func (e *testEnv) do(tb testing.TB, method, path, key, body string, hdr ...string) response {
	tb.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	return e.send(tb, method, path, key, rd, hdr...)
}

// stallReader blocks for d, then ends: the tail of a body that arrives
// too slowly.
type stallReader time.Duration

func (d stallReader) Read([]byte) (int, error) {
	time.Sleep(time.Duration(d))
	return 0, io.EOF
}

// send is do with the body as a reader (sent chunked unless it is a
// strings.Reader).
func (e *testEnv) send(tb testing.TB, method, path, key string, rd io.Reader, hdr ...string) response {
	tb.Helper()
	req, err := http.NewRequest(method, e.url+path, rd)
	if err != nil {
		tb.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("x-api-key", key)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return response{Status: res.StatusCode, Header: res.Header, Body: b}
}

// referenceOnboard is the reference example's customer as an onboarding
// body.
const referenceOnboard = `{
  "name": "John Doe",
  "email": "john.doe@example.com",
  "phone": "+1234567890",
  "metadata": {"userId": "2b634b51-7f4a-470b-9bd6-c7a968e665d9"},
  "address": {"line1": "1234 Main St", "line2": "Suite 200", "city": "Anytown", "state": "CA", "postalCode": "12345", "countryCode": "US"},
  "wallets": [{"address": "0x1234567890123456789012345678901234567890"}],
  "type": "INDIVIDUAL",
  "countryCode": "US"
}`

func mustOnboard(tb testing.TB, e *testEnv, body string) customerJSON {
	tb.Helper()
	r := e.do(tb, "POST", "/customer", writeKey, body)
	if r.Status != http.StatusOK {
		tb.Fatalf("POST /customer = %d %s", r.Status, r.Body)
	}
	var c customerJSON
	r.json(tb, &c)
	return c
}

func storeCount(tb testing.TB, s *bolt.Store) (int, int) {
	tb.Helper()
	c, w, err := s.Count(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return c, w
}

func TestOnboardReferenceBody(t *testing.T) {
	e := mustServe(t, nil)
	r := e.do(t, "POST", "/customer", writeKey, referenceOnboard)
	if r.Status != http.StatusOK {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	if w := r.Header.Get("Warning"); !strings.Contains(w, "balances unavailable") {
		t.Errorf("Warning header = %q, want balances unavailable", w)
	}
	var got map[string]any
	r.json(t, &got)
	id, _ := got["id"].(string)
	if !portfoliod.ValidCustomerID(id) {
		t.Errorf("id %q is not customer_ + 12 hex", id)
	}
	if _, ok := got["createdAt"].(string); !ok {
		t.Errorf("createdAt missing: %s", r.Body)
	}
	delete(got, "id")
	delete(got, "createdAt")
	var want map[string]any
	if err := json.Unmarshal([]byte(`{
	  "object": "customer", "name": "John Doe", "email": "john.doe@example.com", "phone": "+1234567890",
	  "metadata": {"userId": "2b634b51-7f4a-470b-9bd6-c7a968e665d9"},
	  "address": {"line1": "1234 Main St", "line2": "Suite 200", "city": "Anytown", "state": "CA", "postalCode": "12345", "countryCode": "US"},
	  "verificationStatus": "IN_PROGRESS",
	  "wallets": [{"address": "0x1234567890123456789012345678901234567890", "object": "wallet"}],
	  "type": "INDIVIDUAL", "countryCode": "US"}`), &want); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("POST /customer mismatch (-want +got):\n%s", diff)
	}
	// Read back.
	g := e.do(t, "GET", "/customer/"+id, readKey, "")
	if g.Status != http.StatusOK {
		t.Fatalf("GET = %d", g.Status)
	}
	var back map[string]any
	g.json(t, &back)
	delete(back, "id")
	delete(back, "createdAt")
	if diff := cmp.Diff(want, back); diff != "" {
		t.Errorf("GET /customer/{id} mismatch (-want +got):\n%s", diff)
	}
}

func TestOnboardRejects(t *testing.T) {
	e := mustServe(t, nil)
	mustOnboard(t, e, `{"type":"INDIVIDUAL","countryCode":"US","wallets":["0x00000000000000000000000000000000000000aa"]}`)
	base := func(patch string) string {
		return `{"type":"INDIVIDUAL","countryCode":"US"` + patch + `}`
	}
	tooMany := make([]string, portfoliod.MaxWallets+1)
	for i := range tooMany {
		tooMany[i] = fmt.Sprintf(`"0x%040x"`, i+1)
	}
	tests := []struct {
		name, body  string
		status      int
		code, param string
	}{
		{"unknown field", base(`,"nickname":"x"`), 400, "invalid_request", "nickname"},
		{"unknown nested field", base(`,"address":{"street":"x"}`), 400, "invalid_request", "address.street"},
		{"nested wrong type", base(`,"address":{"city":7}`), 400, "invalid_request", "address.city"},
		{"metadata null", base(`,"metadata":{"a":null}`), 400, "invalid_request", "metadata"},
		{"user-assigned country", `{"type":"INDIVIDUAL","countryCode":"XK"}`, 400, "invalid_request", "countryCode"},
		{"missing type", `{"countryCode":"US"}`, 400, "invalid_request", "type"},
		{"bad type", `{"type":"PERSON","countryCode":"US"}`, 400, "invalid_request", "type"},
		{"unassigned country", `{"type":"INDIVIDUAL","countryCode":"ZZ"}`, 400, "invalid_request", "countryCode"},
		{"lowercase country", `{"type":"INDIVIDUAL","countryCode":"us"}`, 400, "invalid_request", "countryCode"},
		{"alpha-3 country", `{"type":"INDIVIDUAL","countryCode":"USA"}`, 400, "invalid_request", "countryCode"},
		{"bad email", base(`,"email":"not-an-email"`), 400, "invalid_request", "email"},
		{"email with name", base(`,"email":"John <j@example.com>"`), 400, "invalid_request", "email"},
		{"phone not E.164", base(`,"phone":"555-1234"`), 400, "invalid_request", "phone"},
		{"phone too long", base(`,"phone":"+1234567890123456"`), 400, "invalid_request", "phone"},
		{"metadata non-string", base(`,"metadata":{"a":1}`), 400, "invalid_request", "metadata"},
		{"metadata too long", base(`,"metadata":{"a":"` + strings.Repeat("x", 501) + `"}`), 400, "invalid_request", "metadata"},
		{"name too long", base(`,"name":"` + strings.Repeat("n", 201) + `"`), 400, "invalid_request", "name"},
		{"bad status", base(`,"verificationStatus":"DONE"`), 400, "invalid_request", "verificationStatus"},
		{"short wallet", base(`,"wallets":["0x1234"]`), 400, "invalid_request", "wallets[0].address"},
		{"bad checksum", base(`,"wallets":["0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"]`), 400, "invalid_request", "wallets[0].address"},
		{"duplicate wallet", base(`,"wallets":["0x00000000000000000000000000000000000000bb","0x00000000000000000000000000000000000000BB"]`), 400, "invalid_request", "wallets[1].address"},
		{"too many wallets", base(`,"wallets":[` + strings.Join(tooMany, ",") + `]`), 400, "invalid_request", "wallets"},
		{"wallet owned by another", base(`,"wallets":["0x00000000000000000000000000000000000000aa"]`), 409, "conflict", "wallets"},
		{"malformed json", `{"type":`, 400, "invalid_request", ""},
		{"array body", `[]`, 400, "invalid_request", ""},
		{"trailing data", base(``) + `{}`, 400, "invalid_request", ""},
		{"id not settable", base(`,"id":"customer_000000000001"`), 400, "invalid_request", "id"},
	}
	c0, w0 := storeCount(t, e.store)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(t, "POST", "/customer", writeKey, tt.body)
			if r.Status != tt.status {
				t.Fatalf("status = %d, want %d: %s", r.Status, tt.status, r.Body)
			}
			code, param := r.errorCode(t)
			if code != tt.code || param != tt.param {
				t.Errorf("error = (%s, %q), want (%s, %q): %s", code, param, tt.code, tt.param, r.Body)
			}
		})
	}
	if c, w := storeCount(t, e.store); c != c0 || w != w0 {
		t.Errorf("rejected requests changed the store: %d/%d customers/wallets, want %d/%d", c, w, c0, w0)
	}
}

func TestMixedCaseChecksumAccepted(t *testing.T) {
	e := mustServe(t, nil)
	c := mustOnboard(t, e, `{"type":"ORGANIZATION","countryCode":"DE","wallets":["0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"]}`)
	if got := c.Wallets[0].Address; got != "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed" {
		t.Errorf("wallet = %s, want lowercase", got)
	}
}

func TestAuth(t *testing.T) {
	e := mustServe(t, nil)
	tests := []struct {
		name, method, path, key, body string
		status                        int
		code                          string
	}{
		{"no key", "GET", "/customer", "", "", 401, "unauthorized"},
		{"wrong key", "GET", "/customer", "nope", "", 401, "unauthorized"},
		{"read key cannot write", "POST", "/customer", readKey, `{}`, 403, "forbidden"},
		{"read key cannot delete", "DELETE", "/customer/customer_000000000001", readKey, "", 403, "forbidden"},
		{"read key cannot back up", "GET", "/admin/backup", readKey, "", 403, "forbidden"},
		{"write key cannot back up", "GET", "/admin/backup", writeKey, "", 403, "forbidden"},
		{"healthz is open", "GET", "/healthz", "", "", 200, ""},
		{"openapi is open", "GET", "/openapi.json", "", "", 200, ""},
		{"read key reads", "GET", "/customer", readKey, "", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(t, tt.method, tt.path, tt.key, tt.body)
			if r.Status != tt.status {
				t.Fatalf("status = %d, want %d: %s", r.Status, tt.status, r.Body)
			}
			if tt.code != "" {
				if code, _ := r.errorCode(t); code != tt.code {
					t.Errorf("code = %s, want %s", code, tt.code)
				}
			}
		})
	}
}

func TestTransportLimits(t *testing.T) {
	e := mustServe(t, nil)
	t.Run("content type", func(t *testing.T) {
		req, _ := http.NewRequest("POST", e.url+"/customer", strings.NewReader(`{}`))
		req.Header.Set("x-api-key", writeKey)
		req.Header.Set("Content-Type", "text/plain")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 415 {
			t.Errorf("status = %d, want 415", res.StatusCode)
		}
	})
	t.Run("charset", func(t *testing.T) {
		for ct, want := range map[string]int{"application/json; charset=latin1": 415, "application/json; charset=UTF-8": 200} {
			req, _ := http.NewRequest("POST", e.url+"/customer", strings.NewReader(`{"type":"INDIVIDUAL","countryCode":"US","address":{}}`))
			req.Header.Set("x-api-key", writeKey)
			req.Header.Set("Content-Type", ct)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != want {
				t.Errorf("%s: status = %d, want %d", ct, res.StatusCode, want)
			}
			// An empty address object stores no address (PATCH treats {}
			// the same way).
			if want == 200 && strings.Contains(string(b), `"address"`) {
				t.Errorf("empty address stored: %s", b)
			}
		}
	})
	t.Run("body too large", func(t *testing.T) {
		big := `{"type":"INDIVIDUAL","countryCode":"US","name":"` + strings.Repeat("x", 70<<10) + `"}`
		r := e.do(t, "POST", "/customer", writeKey, big)
		if r.Status != 413 {
			t.Fatalf("status = %d, want 413: %s", r.Status, r.Body)
		}
		if code, _ := r.errorCode(t); code != "payload_too_large" {
			t.Errorf("code = %s", code)
		}
	})
	t.Run("unknown route", func(t *testing.T) {
		r := e.do(t, "GET", "/nope", readKey, "")
		if r.Status != 404 {
			t.Fatalf("status = %d", r.Status)
		}
		r.errorCode(t)
	})
	t.Run("request id echoed", func(t *testing.T) {
		r := e.do(t, "GET", "/healthz", "", "", "X-Request-Id", "abc-123")
		if got := r.Header.Get("X-Request-Id"); got != "abc-123" {
			t.Errorf("X-Request-Id = %q", got)
		}
		r = e.do(t, "GET", "/healthz", "", "", "X-Request-Id", "bad id with spaces")
		if got := r.Header.Get("X-Request-Id"); got == "" || strings.Contains(got, " ") {
			t.Errorf("X-Request-Id = %q, want a generated id", got)
		}
	})
}

func TestCustomerLifecycle(t *testing.T) {
	e := mustServe(t, nil)
	c := mustOnboard(t, e, referenceOnboard)
	id := c.ID
	w2 := "0x00000000000000000000000000000000000000c2"

	steps := []struct {
		name, method, path, body string
		status                   int
		check                    func(t *testing.T, r response)
	}{
		{"patch name and status", "PATCH", "/customer/" + id, `{"name":"Jane Roe","verificationStatus":"COMPLETED","metadata":{"tier":"gold","userId":null}}`, 200, func(t *testing.T, r response) {
			var got customerJSON
			r.json(t, &got)
			if got.Name != "Jane Roe" || got.VerificationStatus != "COMPLETED" {
				t.Errorf("patch not applied: %s", r.Body)
			}
			if diff := cmp.Diff(map[string]string{"tier": "gold"}, got.Metadata); diff != "" {
				t.Errorf("metadata merge (-want +got):\n%s", diff)
			}
			if got.Email != "john.doe@example.com" {
				t.Errorf("untouched field changed: %s", r.Body)
			}
		}},
		{"patch removes email", "PATCH", "/customer/" + id, `{"email":null}`, 200, func(t *testing.T, r response) {
			if strings.Contains(string(r.Body), "email") {
				t.Errorf("email still present: %s", r.Body)
			}
		}},
		{"patch invalid country", "PATCH", "/customer/" + id, `{"countryCode":"XX"}`, 400, nil},
		{"patch cannot remove type", "PATCH", "/customer/" + id, `{"type":null}`, 400, nil},
		{"patch wallets refused", "PATCH", "/customer/" + id, `{"wallets":[]}`, 400, nil},
		{"patch unknown field", "PATCH", "/customer/" + id, `{"nickname":"x"}`, 400, nil},
		{"link wallet", "POST", "/customer/" + id + "/wallets", `{"address":"` + w2 + `"}`, 200, func(t *testing.T, r response) {
			var got customerJSON
			r.json(t, &got)
			if len(got.Wallets) != 2 {
				t.Errorf("wallets = %v", got.Wallets)
			}
		}},
		{"list by wallet", "GET", "/customer?wallet=" + w2, "", 200, func(t *testing.T, r response) {
			var got listJSON[customerJSON]
			r.json(t, &got)
			if len(got.Data) != 1 || got.Data[0].ID != id {
				t.Errorf("owner lookup: %s", r.Body)
			}
		}},
		{"list by unowned wallet", "GET", "/customer?wallet=0x00000000000000000000000000000000000000ff", "", 200, func(t *testing.T, r response) {
			var got listJSON[customerJSON]
			r.json(t, &got)
			if len(got.Data) != 0 {
				t.Errorf("want empty list: %s", r.Body)
			}
		}},
		{"unlink wallet", "DELETE", "/customer/" + id + "/wallets/" + w2, "", 200, nil},
		{"unlink again", "DELETE", "/customer/" + id + "/wallets/" + w2, "", 404, nil},
		{"unlink bad address", "DELETE", "/customer/" + id + "/wallets/0xzz", "", 400, nil},
		{"get malformed id", "GET", "/customer/cust_1", "", 400, nil},
		{"get unknown id", "GET", "/customer/customer_000000000000", "", 404, nil},
		{"delete", "DELETE", "/customer/" + id, "", 200, func(t *testing.T, r response) {
			var got deletedJSON
			r.json(t, &got)
			if diff := cmp.Diff(deletedJSON{ID: id, Object: "customer", Deleted: true}, got); diff != "" {
				t.Error(diff)
			}
		}},
		{"get deleted", "GET", "/customer/" + id, "", 404, nil},
		{"wallet freed", "POST", "/customer", `{"type":"INDIVIDUAL","countryCode":"US","wallets":["0x1234567890123456789012345678901234567890"]}`, 200, nil},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			r := e.do(t, s.method, s.path, writeKey, s.body)
			if r.Status != s.status {
				t.Fatalf("status = %d, want %d: %s", r.Status, s.status, r.Body)
			}
			if r.Status >= 400 {
				r.errorCode(t)
			}
			if s.check != nil {
				s.check(t, r)
			}
		})
	}
}

func TestListPagination(t *testing.T) {
	e := mustServe(t, nil)
	want := map[string]bool{}
	for i := 0; i < 23; i++ {
		c := mustOnboard(t, e, `{"type":"INDIVIDUAL","countryCode":"FR"}`)
		want[c.ID] = true
	}
	seen := map[string]bool{}
	cursor, pages := "", 0
	for {
		path := "/customer?limit=10"
		if cursor != "" {
			path += "&startingAfter=" + cursor
		}
		r := e.do(t, "GET", path, readKey, "")
		if r.Status != 200 {
			t.Fatalf("%s = %d %s", path, r.Status, r.Body)
		}
		var page listJSON[customerJSON]
		r.json(t, &page)
		pages++
		for _, c := range page.Data {
			if seen[c.ID] {
				t.Errorf("customer %s listed twice", c.ID)
			}
			seen[c.ID] = true
			cursor = c.ID
		}
		if !page.HasMore {
			break
		}
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
	}
	if pages != 3 {
		t.Errorf("pages = %d, want 3", pages)
	}
	if diff := cmp.Diff(want, seen); diff != "" {
		t.Errorf("listed customers (-want +got):\n%s", diff)
	}
	for _, q := range []string{"limit=0", "limit=101", "limit=x", "startingAfter=bad", "foo=1",
		"wallet=0x00000000000000000000000000000000000000a1&limit=x", "wallet=0x00000000000000000000000000000000000000a1&startingAfter=bad"} {
		if r := e.do(t, "GET", "/customer?"+q, readKey, ""); r.Status != 400 {
			t.Errorf("GET /customer?%s = %d, want 400", q, r.Status)
		}
	}
}

func TestIdempotency(t *testing.T) {
	e := mustServe(t, nil)
	body := `{"type":"INDIVIDUAL","countryCode":"US","wallets":["0x00000000000000000000000000000000000000d1"]}`
	first := e.do(t, "POST", "/customer", writeKey, body, "Idempotency-Key", "k1")
	if first.Status != 200 {
		t.Fatalf("first = %d %s", first.Status, first.Body)
	}
	replay := e.do(t, "POST", "/customer", writeKey, body, "Idempotency-Key", "k1")
	if replay.Status != 200 || !bytes.Equal(replay.Body, first.Body) {
		t.Errorf("replay = %d %s, want the first response %s", replay.Status, replay.Body, first.Body)
	}
	if replay.Header.Get("Idempotent-Replayed") != "true" {
		t.Error("replay not marked")
	}
	other := e.do(t, "POST", "/customer", writeKey, `{"type":"INDIVIDUAL","countryCode":"GB"}`, "Idempotency-Key", "k1")
	if other.Status != 409 {
		t.Errorf("different body = %d, want 409", other.Status)
	}
	if c, _ := storeCount(t, e.store); c != 1 {
		t.Errorf("customers = %d, want 1", c)
	}
}

func TestRateLimit(t *testing.T) {
	e := mustServe(t, nil, func(c *Config) { c.RequestsPerSecond, c.Burst = 1, 2 })
	var last response
	for i := 0; i < 3; i++ {
		last = e.do(t, "GET", "/customer", readKey, "")
	}
	if last.Status != 429 {
		t.Fatalf("third request = %d, want 429", last.Status)
	}
	if last.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	if code, _ := last.errorCode(t); code != "rate_limited" {
		t.Errorf("code = %s", code)
	}
	// Another key has its own bucket.
	if r := e.do(t, "GET", "/customer", writeKey, ""); r.Status != 200 {
		t.Errorf("other key = %d, want 200", r.Status)
	}
}

// Logs carry ids, never personal data or addresses.
func TestLogsHoldNoPersonalData(t *testing.T) {
	e := mustServe(t, nil)
	c := mustOnboard(t, e, referenceOnboard)
	e.do(t, "GET", "/customer/"+c.ID, readKey, "")
	e.do(t, "GET", "/customer?wallet=0x1234567890123456789012345678901234567890", readKey, "")
	logs := e.logs.String()
	for _, secret := range []string{"John", "john.doe", "+1234567890", "Main St", "Anytown", "12345678901234567890", "2b634b51"} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain %q:\n%s", secret, logs)
		}
	}
	if !strings.Contains(logs, c.ID) {
		t.Errorf("logs do not carry the customer id")
	}
}

// Backup → restore gives identical customers, the same wallet index and
// the same idempotency keys.
func TestBackupRoute(t *testing.T) {
	e := mustServe(t, nil)
	first := e.do(t, "POST", "/customer", writeKey, referenceOnboard, "Idempotency-Key", "backup-key")
	if first.Status != 200 {
		t.Fatalf("onboard = %d %s", first.Status, first.Body)
	}
	var c customerJSON
	first.json(t, &c)
	r := e.do(t, "GET", "/admin/backup", adminKey, "")
	if r.Status != 200 {
		t.Fatalf("backup = %d", r.Status)
	}
	p := filepath.Join(t.TempDir(), "restored.db")
	if err := os.WriteFile(p, r.Body, 0o600); err != nil {
		t.Fatal(err)
	}
	restored, err := bolt.Open(p, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	got, err := restored.Get(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := e.store.Get(context.Background(), c.ID)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("restored customer (-want +got):\n%s", diff)
	}
	owner, err := restored.FindByWallet(context.Background(), want.Wallets[0])
	if err != nil || owner.ID != c.ID {
		t.Errorf("restored wallet index: owner %q, err %v", owner.ID, err)
	}
	rec, ok, err := restored.LookupIdempotent(context.Background(), "writer", "backup-key")
	if err != nil || !ok || !bytes.Equal(rec.Body, first.Body) {
		t.Errorf("restored idempotency key: found %v, err %v", ok, err)
	}
	// A backup failure before the first byte is a 500 in the error shape,
	// never a 200 with an empty file.
	e.store.Close()
	r = e.do(t, "GET", "/admin/backup", adminKey, "")
	if r.Status != 500 || r.Header.Get("Content-Disposition") != "" {
		t.Errorf("backup of a closed store = %d (%s)", r.Status, r.Header.Get("Content-Disposition"))
	}
	r.errorCode(t)
}

// A backup streams the whole store, so it runs under its own budget, not
// under the request timeout or the server's write timeout sized for API
// answers (both made absurdly small here, so that any request under them
// fails, as the control requests show).
func TestBackupHasItsOwnBudget(t *testing.T) {
	store := mustOpenStore(t)
	srv, err := New(Config{Keys: testKeys(), RequestTimeout: time.Nanosecond, BackupTimeout: time.Minute,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, store, nil)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewUnstartedServer(srv.Handler())
	hs.Config.WriteTimeout = time.Millisecond
	hs.Start()
	t.Cleanup(hs.Close)

	get := func(path, key string) (int, []byte, error) {
		req, _ := http.NewRequest("GET", hs.URL+path, nil)
		req.Header.Set("x-api-key", key)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		return res.StatusCode, b, err
	}
	time.Sleep(5 * time.Millisecond) // past the write timeout of any request read now
	if st, _, err := get("/customer", readKey); err == nil && st == 200 {
		t.Errorf("control: GET /customer succeeded under a 1ns budget and 1ms write timeout")
	}
	st, body, err := get("/admin/backup", adminKey)
	if err != nil || st != 200 {
		t.Fatalf("backup = %d, %v", st, err)
	}
	if !bytes.Contains(body[:min(len(body), 4096)], []byte{0xed, 0xda, 0x0c, 0xed}) {
		t.Errorf("backup (%d bytes) is not a bbolt file", len(body))
	}
}

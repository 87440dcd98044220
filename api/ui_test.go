package api

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/portfoliod/portfoliod/console"
	"github.com/portfoliod/portfoliod/internal/apitest"
	"github.com/portfoliod/portfoliod/live"
)

// uiGet sends GET path with extra headers and no transparent gzip.
func uiGet(t *testing.T, e *testEnv, method, path string, hdr ...string) response {
	t.Helper()
	req, _ := http.NewRequest(method, e.url+path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	if req.Header.Get("Accept-Encoding") == "" {
		req.Header.Set("Accept-Encoding", "identity")
	}
	res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{Status: res.StatusCode, Header: res.Header, Body: b}
}

// checkUIHeaders fails unless r carries the console's security headers.
func checkUIHeaders(t *testing.T, what string, r response) {
	t.Helper()
	csp := r.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "frame-ancestors 'none'", "base-uri 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("%s: CSP %q lacks %s", what, csp, want)
		}
	}
	for _, bad := range []string{"unsafe-inline", "unsafe-eval", "http:", "https:", "*"} {
		if strings.Contains(csp, bad) {
			t.Errorf("%s: CSP %q allows %s", what, csp, bad)
		}
	}
	if got := r.Header.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("%s: X-Content-Type-Options = %q", what, got)
	}
	if got := r.Header.Get("Referrer-Policy"); got != "no-referrer" {
		t.Errorf("%s: Referrer-Policy = %q", what, got)
	}
}

// The console's files: served from the embedded FS with the security
// headers on every /ui answer (404s included), gzip when asked, ETags that
// answer 304, and nothing that loads from another host or runs inline.
func TestConsoleFiles(t *testing.T) {
	e := mustServe(t, nil)
	for _, p := range []string{"/ui", "/ui/", "/ui/assets/js/app.js", "/ui/assets/nope.js", "/ui/nope", "/ui/session"} {
		checkUIHeaders(t, "GET "+p, uiGet(t, e, "GET", p))
	}
	idx := uiGet(t, e, "GET", "/ui/")
	if idx.Status != 200 || !strings.HasPrefix(idx.Header.Get("Content-Type"), "text/html") || !bytes.Contains(idx.Body, []byte(`<main id="main"`)) {
		t.Fatalf("GET /ui/ = %d %s %.80s", idx.Status, idx.Header.Get("Content-Type"), idx.Body)
	}
	if got := uiGet(t, e, "GET", "/ui/assets/index.html").Status; got != 404 {
		t.Errorf("index.html under assets = %d, want 404 (one URL for the page)", got)
	}
	if got := uiGet(t, e, "GET", "/ui/assets/js/../index.html").Status; got != 400 {
		t.Errorf("a dot segment = %d, want 400", got)
	}

	js := uiGet(t, e, "GET", "/ui/assets/js/app.js")
	if js.Status != 200 || js.Header.Get("Content-Type") != "text/javascript; charset=utf-8" || js.Header.Get("Content-Encoding") != "" {
		t.Fatalf("app.js = %d %q %q", js.Status, js.Header.Get("Content-Type"), js.Header.Get("Content-Encoding"))
	}
	gz := uiGet(t, e, "GET", "/ui/assets/js/app.js", "Accept-Encoding", "br, gzip;q=0.8")
	if gz.Header.Get("Content-Encoding") != "gzip" || gz.Header.Get("Vary") != "Accept-Encoding" || len(gz.Body) >= len(js.Body) {
		t.Fatalf("app.js with gzip: encoding %q, vary %q, %d bytes against %d", gz.Header.Get("Content-Encoding"), gz.Header.Get("Vary"), len(gz.Body), len(js.Body))
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz.Body))
	if err != nil {
		t.Fatal(err)
	}
	if plain, _ := io.ReadAll(zr); !bytes.Equal(plain, js.Body) {
		t.Error("the gzip body does not decompress to the file")
	}
	if got := uiGet(t, e, "GET", "/ui/assets/js/app.js", "Accept-Encoding", "gzip;q=0").Header.Get("Content-Encoding"); got != "" {
		t.Errorf("gzip;q=0 got Content-Encoding %q", got)
	}
	for _, r := range []response{js, gz} {
		tag := r.Header.Get("ETag")
		if r.Header.Get("Cache-Control") != "no-cache" || !regexp.MustCompile(`^"[A-Za-z0-9_-]+(-gz)?"$`).MatchString(tag) {
			t.Fatalf("cache headers %q %q", r.Header.Get("Cache-Control"), tag)
		}
		again := uiGet(t, e, "GET", "/ui/assets/js/app.js", "If-None-Match", `"other", `+tag, "Accept-Encoding", r.Header.Get("Content-Encoding"))
		if again.Status != http.StatusNotModified || len(again.Body) != 0 {
			t.Errorf("If-None-Match %s = %d with %d bytes, want 304", tag, again.Status, len(again.Body))
		}
	}
	if js.Header.Get("ETag") == gz.Header.Get("ETag") {
		t.Error("the plain and gzip forms share an ETag")
	}
	if r := uiGet(t, e, "GET", "/ui/assets/js/app.js", "If-None-Match", `"stale"`); r.Status != 200 {
		t.Errorf("a stale ETag = %d, want 200", r.Status)
	}
	if r := uiGet(t, e, "HEAD", "/ui/"); r.Status != 200 || len(r.Body) != 0 {
		t.Errorf("HEAD /ui/ = %d with %d bytes", r.Status, len(r.Body))
	}

	// Every file: no inline script or handler, no other host, and each
	// one the page names is served.
	inline := regexp.MustCompile(`(?i)<script(?:\s[^>]*)?>[^<]|\son[a-z]+\s*=|javascript:`)
	external := regexp.MustCompile(`(?i)(?:src|href)\s*=\s*"(?:https?:)?//|@import\s+url\(\s*["']?(?:https?:)?//|\bimport\s[^;]*from\s*["'](?:https?:)?//|fetch\(\s*["'](?:https?:)?//`)
	err = fs.WalkDir(console.Files(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(console.Files(), p)
		if strings.HasSuffix(p, ".html") && inline.Match(b) {
			t.Errorf("%s has inline script: %s", p, inline.Find(b))
		}
		if external.Match(b) {
			t.Errorf("%s loads from another host: %s", p, external.Find(b))
		}
		if strings.HasSuffix(p, ".js") && strings.Contains(string(b), "innerHTML") && !strings.HasPrefix(p, "vendor/") {
			t.Errorf("%s uses innerHTML: customer data must go in as text", p)
		}
		if strings.HasSuffix(p, ".js") && regexp.MustCompile(`\b(localStorage|sessionStorage|indexedDB)\b`).Match(b) {
			t.Errorf("%s uses browser storage", p)
		}
		if path := "/ui/assets/" + p; p != "index.html" {
			if r := uiGet(t, e, "GET", path); r.Status != 200 {
				t.Errorf("GET %s = %d", path, r.Status)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`(?:src|href)="(/ui/[^"]+)"`).FindAllSubmatch(idx.Body, -1) {
		if r := uiGet(t, e, "GET", string(m[1])); r.Status != 200 {
			t.Errorf("index.html names %s: %d", m[1], r.Status)
		}
	}
}

// signInCookie signs in with key and returns the session cookie and the
// session's anti-CSRF token.
func signInCookie(t *testing.T, e *testEnv, key string, hdr ...string) (*http.Cookie, string, response) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"key": key})
	r := e.do(t, "POST", "/ui/session", "", string(body), hdr...)
	if r.Status != http.StatusCreated {
		t.Fatalf("POST /ui/session = %d %s", r.Status, r.Body)
	}
	var s sessionJSON
	r.json(t, &s)
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == SessionCookie {
			return c, s.CSRFToken, r
		}
	}
	t.Fatalf("no %s cookie in %v", SessionCookie, r.Header["Set-Cookie"])
	return nil, "", r
}

// withCookie sends method path with the session cookie and headers.
func withCookie(t *testing.T, e *testEnv, c *http.Cookie, method, path, body string, hdr ...string) response {
	t.Helper()
	return e.do(t, method, path, "", body, append([]string{"Cookie", SessionCookie + "=" + c.Value}, hdr...)...)
}

// Sign-in exchanges a key for an HttpOnly SameSite=Strict cookie (Secure
// unless on loopback) naming a server-side session; the session reads,
// writes only with its anti-CSRF token, and stops at sign-out; the key
// is in no log.
func TestConsoleSession(t *testing.T) {
	e := mustServe(t, nil)
	cookie, csrf, r := signInCookie(t, e, writeKey)
	raw := strings.Join(r.Header["Set-Cookie"], "; ")
	for _, want := range []string{"HttpOnly", "SameSite=Strict", "Path=/", "Max-Age="} {
		if !strings.Contains(raw, want) {
			t.Errorf("Set-Cookie %q lacks %s", raw, want)
		}
	}
	if strings.Contains(raw, "Secure") {
		t.Errorf("Set-Cookie %q is Secure on loopback: the browser would drop it over http", raw)
	}
	if strings.Contains(raw, writeKey) || strings.Contains(cookie.Value, writeKey) || len(cookie.Value) < 40 {
		t.Errorf("the cookie %q carries the key or is short", cookie.Value)
	}
	var s sessionJSON
	r.json(t, &s)
	if s.Key != "writer" || strings.Join(s.Scopes, ",") != "read,write" || len(s.CSRFToken) < 40 || s.CSRFToken == cookie.Value {
		t.Errorf("session %+v", s)
	}
	if exp, err := time.Parse(time.RFC3339, s.ExpiresAt); err != nil || time.Until(exp) > DefaultSessionTTL || time.Until(exp) < DefaultSessionTTL-time.Minute {
		t.Errorf("expiresAt %q, want %s from now", s.ExpiresAt, DefaultSessionTTL)
	}
	if r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("sign-in Cache-Control %q", r.Header.Get("Cache-Control"))
	}
	// Behind a proxy, on a public name, the cookie is Secure.
	req, _ := http.NewRequest("POST", e.url+"/ui/session", strings.NewReader(`{"key":"`+readKey+`"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Host = "console.example.com"
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if sc := strings.Join(res.Header["Set-Cookie"], ";"); res.StatusCode != 201 || !strings.Contains(sc, "Secure") {
		t.Errorf("sign-in for Host console.example.com = %d, Set-Cookie %q is not Secure", res.StatusCode, sc)
	}

	if r := withCookie(t, e, cookie, "GET", "/ui/session", ""); r.Status != 200 || !bytes.Contains(r.Body, []byte(csrf)) {
		t.Errorf("GET /ui/session = %d %s", r.Status, r.Body)
	}
	if r := withCookie(t, e, cookie, "GET", "/customer", ""); r.Status != 200 {
		t.Errorf("GET /customer with the cookie = %d %s", r.Status, r.Body)
	}
	// A write without the token, as a cross-site form would send it, is
	// refused before it reaches the store; a wrong token too.
	for _, hdr := range [][]string{nil, {CSRFHeader, "forged"}, {CSRFHeader, cookie.Value}} {
		r := withCookie(t, e, cookie, "POST", "/customer", referenceOnboard, hdr...)
		if code, param := r.errorCode(t); r.Status != 403 || code != "forbidden" || param != CSRFHeader {
			t.Errorf("POST /customer with the cookie and %v = %d %s", hdr, r.Status, r.Body)
		}
	}
	if n, _ := storeCount(t, e.store); n != 0 {
		t.Fatalf("%d customers written without the anti-CSRF token", n)
	}
	if r := withCookie(t, e, cookie, "POST", "/customer", referenceOnboard, CSRFHeader, csrf); r.Status != 200 {
		t.Errorf("POST /customer with the token = %d %s", r.Status, r.Body)
	}
	// A read key's session has the read key's scopes only.
	readCookie, readCSRF, _ := signInCookie(t, e, readKey)
	if r := withCookie(t, e, readCookie, "POST", "/customer", referenceOnboard, CSRFHeader, readCSRF); r.Status != 403 {
		t.Errorf("a read session's write = %d", r.Status)
	}
	// The header key wins over a cookie.
	if r := e.do(t, "GET", "/customer", readKey, "", "Cookie", SessionCookie+"=nonsense"); r.Status != 200 {
		t.Errorf("x-api-key with a stale cookie = %d", r.Status)
	}

	// Signing in again from the same browser ends its earlier session.
	again, _, _ := signInCookie(t, e, readKey, "Cookie", SessionCookie+"="+readCookie.Value)
	if r := withCookie(t, e, readCookie, "GET", "/customer", ""); r.Status != 401 {
		t.Errorf("the replaced session: GET /customer = %d, want 401", r.Status)
	}
	if r := withCookie(t, e, again, "GET", "/customer", ""); r.Status != 200 {
		t.Errorf("the new session: GET /customer = %d", r.Status)
	}

	// Sign-out needs the token too, then the cookie reads nothing.
	if r := withCookie(t, e, cookie, "DELETE", "/ui/session", ""); r.Status != 403 {
		t.Errorf("DELETE /ui/session without the token = %d", r.Status)
	}
	r = withCookie(t, e, cookie, "DELETE", "/ui/session", "", CSRFHeader, csrf)
	if r.Status != 200 || !strings.Contains(strings.Join(r.Header["Set-Cookie"], ";"), "Max-Age=0") {
		t.Errorf("DELETE /ui/session = %d %v", r.Status, r.Header["Set-Cookie"])
	}
	for _, p := range []string{"/customer", "/ui/session"} {
		if r := withCookie(t, e, cookie, "GET", p, ""); r.Status != 401 {
			t.Errorf("GET %s after sign-out = %d", p, r.Status)
		}
	}
	if r := withCookie(t, e, cookie, "DELETE", "/ui/session", "", CSRFHeader, csrf); r.Status != 401 {
		t.Errorf("a second sign-out = %d", r.Status)
	}

	tests := []struct {
		name, body, ctype string
		status            int
		param             string
	}{
		{"wrong key", `{"key":"nope"}`, "application/json", 401, "key"},
		{"no key", `{}`, "application/json", 400, "key"},
		{"unknown field", `{"key":"x","apiKey":"y"}`, "application/json", 400, ""},
		{"a form cannot sign in", `key=` + readKey, "application/x-www-form-urlencoded", 415, ""},
		{"nor text/plain", `{"key":"` + readKey + `"}`, "text/plain", 415, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(t, "POST", "/ui/session", "", tt.body, "Content-Type", tt.ctype)
			if r.Status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.Status, tt.status, r.Body)
			}
			if _, param := r.errorCode(t); tt.param != "" && param != tt.param {
				t.Errorf("param %q, want %q", param, tt.param)
			}
		})
	}
	if logs := e.logs.String(); strings.Contains(logs, writeKey) || strings.Contains(logs, readKey) || strings.Contains(logs, cookie.Value) || strings.Contains(logs, csrf) {
		t.Error("a key, a session id or a token is in the logs")
	}
}

// A reload that removes a key, or changes its scopes, ends its sessions;
// other keys' sessions stay; an expired session reads nothing.
func TestConsoleSessionEndsWithItsKey(t *testing.T) {
	e := mustServe(t, nil)
	readCookie, _, _ := signInCookie(t, e, readKey)
	writeCookie, _, _ := signInCookie(t, e, writeKey)
	adminCookie, _, _ := signInCookie(t, e, adminKey)
	keys := testKeys()
	var kept []Key
	for _, k := range keys {
		switch k.Name {
		case "reader": // removed
		case "admin": // same secret, fewer scopes
			k.Scopes = []Scope{ScopeRead}
			kept = append(kept, k)
		default:
			kept = append(kept, k)
		}
	}
	e.srv.SetKeys(kept)
	for _, tt := range []struct {
		name   string
		cookie *http.Cookie
		status int
	}{{"removed key", readCookie, 401}, {"changed key", adminCookie, 401}, {"unchanged key", writeCookie, 200}} {
		if r := withCookie(t, e, tt.cookie, "GET", "/customer", ""); r.Status != tt.status {
			t.Errorf("%s: GET /customer = %d, want %d", tt.name, r.Status, tt.status)
		}
	}
	e.srv.sessions.mu.Lock()
	e.srv.sessions.now = func() time.Time { return time.Now().Add(DefaultSessionTTL) }
	e.srv.sessions.mu.Unlock()
	if r := withCookie(t, e, writeCookie, "GET", "/customer", ""); r.Status != 401 {
		t.Errorf("an expired session: GET /customer = %d", r.Status)
	}
	if n := e.srv.sessions.len(); n != 0 {
		t.Errorf("%d sessions held after revocation and expiry", n)
	}
}

// The session store is bounded: past MaxSessions live sessions, sign-in
// is a 429, and an expired session makes room.
func TestConsoleSessionsBounded(t *testing.T) {
	e := mustServe(t, nil, func(c *Config) { c.Console.MaxSessions = 2 })
	signInCookie(t, e, readKey)
	signInCookie(t, e, readKey)
	body, _ := json.Marshal(map[string]string{"key": readKey})
	if r := e.do(t, "POST", "/ui/session", "", string(body)); r.Status != 429 || r.Header.Get("Retry-After") == "" {
		t.Errorf("a third session = %d %s", r.Status, r.Body)
	}
	e.srv.sessions.mu.Lock()
	e.srv.sessions.now = func() time.Time { return time.Now().Add(DefaultSessionTTL + time.Second) }
	e.srv.sessions.mu.Unlock()
	if r := e.do(t, "POST", "/ui/session", "", string(body)); r.Status != 201 {
		t.Errorf("sign-in once the others expired = %d %s", r.Status, r.Body)
	}
}

// GET /customer?q= finds by id, by wallet (any case) and by name prefix.
func TestCustomerSearch(t *testing.T) {
	e := mustServe(t, nil)
	john := mustOnboard(t, e, referenceOnboard)
	jane := mustOnboard(t, e, `{"type":"INDIVIDUAL","countryCode":"GB","name":"Jane Smith","wallets":[]}`)
	mustOnboard(t, e, `{"type":"INDIVIDUAL","countryCode":"GB","name":"Mary Jones","wallets":[]}`)
	ids := func(r response) string {
		t.Helper()
		if r.Status != 200 {
			t.Fatalf("status %d %s", r.Status, r.Body)
		}
		var l listJSON[customerJSON]
		r.json(t, &l)
		var out []string
		for _, c := range l.Data {
			out = append(out, c.ID)
		}
		return strings.Join(out, ",")
	}
	tests := []struct{ q, want string }{
		{john.ID, john.ID},
		{"customer_000000000000", ""},
		{"0x1234567890123456789012345678901234567890", john.ID},
		{"0x0000000000000000000000000000000000000001", ""},
		{"john", john.ID},
		{"  J", ""}, // set below: both J names, in id order
		{"jones", ""},
		{"Smith", ""},
	}
	both := []string{john.ID, jane.ID}
	if both[0] > both[1] {
		both[0], both[1] = both[1], both[0]
	}
	tests[5].want = strings.Join(both, ",")
	for _, tt := range tests {
		if got := ids(e.do(t, "GET", "/customer?q="+strings.ReplaceAll(tt.q, " ", "+"), readKey, "")); got != tt.want {
			t.Errorf("q=%q found %q, want %q", tt.q, got, tt.want)
		}
	}
	if got := ids(e.do(t, "GET", "/customer?q=j&limit=1", readKey, "")); got != both[0] {
		t.Errorf("q=j&limit=1 found %q, want %q", got, both[0])
	}
	for _, q := range []string{"", "0x12", strings.Repeat("a", 201)} {
		if r := e.do(t, "GET", "/customer?q="+q, readKey, ""); r.Status != 400 {
			t.Errorf("q=%.20q = %d, want 400", q, r.Status)
		} else if _, param := r.errorCode(t); param != "q" {
			t.Errorf("q=%.20q: param %q", q, param)
		}
	}
}

// A console session's event streams end with it: at sign-out, and when a
// reload removes its key; a stream of another session stays open.
func TestConsoleSessionEndsItsStreams(t *testing.T) {
	store := mustOpenStore(t)
	ev := testEvents{store: store, hub: live.NewHub()}
	e := serveStore(t, store, nil, func(c *Config) { c.Events = ev })
	cust := mustOnboard(t, e, `{"type":"INDIVIDUAL","countryCode":"US"}`)
	path := e.url + "/customer/" + cust.ID + "/events"
	ended := func(ch <-chan apitest.SSE) bool {
		for {
			select {
			case _, ok := <-ch:
				if !ok {
					return true
				}
			case <-time.After(2 * time.Second):
				return false
			}
		}
	}
	signedOut, csrf, _ := signInCookie(t, e, readKey)
	byReload, _, _ := signInCookie(t, e, writeKey)
	kept, _, _ := signInCookie(t, e, adminKey)
	streams := map[string]<-chan apitest.SSE{}
	for name, c := range map[string]*http.Cookie{"signed out": signedOut, "reloaded": byReload, "kept": kept} {
		ch, res := openStream(t, path, "", "Cookie", SessionCookie+"="+c.Value)
		if res.StatusCode != 200 {
			t.Fatalf("%s: stream = %d", name, res.StatusCode)
		}
		streams[name] = ch
	}
	waitFor(t, 5*time.Second, func() bool { return ev.hub.Clients() == 3 })
	if r := withCookie(t, e, signedOut, "DELETE", "/ui/session", "", CSRFHeader, csrf); r.Status != 200 {
		t.Fatalf("sign-out = %d", r.Status)
	}
	if !ended(streams["signed out"]) {
		t.Error("the stream of a signed-out session is still open")
	}
	var keys []Key
	for _, k := range testKeys() {
		if k.Name != "writer" {
			keys = append(keys, k)
		}
	}
	e.srv.SetKeys(keys)
	if !ended(streams["reloaded"]) {
		t.Error("the stream of a session whose key was removed is still open")
	}
	waitFor(t, 5*time.Second, func() bool { return ev.hub.Clients() == 1 })
	select {
	case _, ok := <-streams["kept"]:
		if !ok {
			t.Error("the stream of a live session ended")
		}
	default:
	}
}

func TestAcceptsGzip(t *testing.T) {
	for ae, want := range map[string]bool{
		"": false, "gzip": true, "GZIP": true, "br, gzip;q=0.8": true, "gzip;q=0": false, "gzip; q=0.000": false,
		"*": true, "*;q=0": false, "gzip;q=0, *": false, "identity": false, "deflate, br": false, "x-gzip": false,
	} {
		if got := acceptsGzip(ae); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", ae, got, want)
		}
	}
}

// A sign-in takes from its key's rate limit bucket like any request of
// the key.
func TestConsoleSignInIsRateLimited(t *testing.T) {
	e := mustServe(t, nil, func(c *Config) { c.RequestsPerSecond, c.Burst = 0.001, 2 })
	body, _ := json.Marshal(map[string]string{"key": readKey})
	for i, want := range []int{201, 201, 429} {
		if r := e.do(t, "POST", "/ui/session", "", string(body)); r.Status != want {
			t.Errorf("sign-in %d = %d, want %d", i+1, r.Status, want)
		}
	}
}

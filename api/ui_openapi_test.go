package api

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"
)

// The validator reads the console's files as text.
func init() {
	for _, ct := range []string{"text/html", "text/css", "text/javascript", "image/svg+xml", "text/plain"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
	}
}

// consoleOpenAPICases produces every documented status of the console's
// routes (/ui, its assets and its session), and a ?q= search, for
// TestOpenAPIResponses.
func consoleOpenAPICases(t *testing.T, v *openAPIValidator) {
	e := mustServe(t, nil)
	mustOnboard(t, e, referenceOnboard)
	// As the validator's client sends them: Go's transport asks for gzip.
	page := uiGet(t, e, "GET", "/ui/", "Accept-Encoding", "gzip")
	asset := uiGet(t, e, "GET", "/ui/assets/style.css", "Accept-Encoding", "gzip")
	signIn := func(key string) (*http.Cookie, string) {
		c, csrf, _ := signInCookie(t, e, key)
		return c, csrf
	}
	cookie, csrf := signIn(readKey)
	withCookie := func(c *http.Cookie, hdr ...string) []string {
		return append([]string{"Cookie", SessionCookie + "=" + c.Value}, hdr...)
	}
	body := func(key string) string { b, _ := json.Marshal(map[string]string{"key": key}); return string(b) }
	v.run(t, e, []apiCase{
		{name: "console page", method: "GET", path: "/ui/", status: 200},
		{name: "console page unchanged", method: "GET", path: "/ui/", hdr: []string{"If-None-Match", page.Header.Get("ETag")}, status: 304},
		{name: "console page without the slash", method: "GET", path: "/ui", status: 200},
		{name: "console page without the slash unchanged", method: "GET", path: "/ui", hdr: []string{"If-None-Match", page.Header.Get("ETag")}, status: 304},
		{name: "console asset", method: "GET", path: "/ui/assets/favicon.svg", status: 200},
		{name: "console asset gzip", method: "GET", path: "/ui/assets/style.css", hdr: []string{"Accept-Encoding", "gzip"}, status: 200},
		{name: "console asset unchanged", method: "GET", path: "/ui/assets/style.css", hdr: []string{"If-None-Match", asset.Header.Get("ETag")}, status: 304},
		{name: "console asset unknown", method: "GET", path: "/ui/assets/nope.css", status: 404},
		{name: "console asset dot segment", method: "GET", path: "/ui/assets/%2e%2e", status: 400},
		{name: "sign in", method: "POST", path: "/ui/session", body: body(writeKey), status: 201},
		{name: "sign in without a key", method: "POST", path: "/ui/session", body: `{}`, status: 400},
		{name: "sign in with a wrong key", method: "POST", path: "/ui/session", body: body("nope"), status: 401},
		{name: "sign in with a form", method: "POST", path: "/ui/session", body: "key=x", hdr: []string{"Content-Type", "application/x-www-form-urlencoded"}, status: 415},
		{name: "the session", method: "GET", path: "/ui/session", hdr: withCookie(cookie), status: 200},
		{name: "no session", method: "GET", path: "/ui/session", status: 401},
		{name: "search by name", method: "GET", path: "/customer?q=john", hdr: withCookie(cookie), status: 200},
		{name: "sign out without the token", method: "DELETE", path: "/ui/session", hdr: withCookie(cookie), status: 403},
		{name: "sign out", method: "DELETE", path: "/ui/session", hdr: withCookie(cookie, CSRFHeader, csrf), status: 200},
		{name: "sign out again", method: "DELETE", path: "/ui/session", hdr: withCookie(cookie, CSRFHeader, csrf), status: 401},
	})
	full := mustServe(t, nil, func(c *Config) { c.Console.MaxSessions = 1 })
	signInCookie(t, full, readKey)
	v.run(t, full, []apiCase{
		{name: "sign in past the session bound", method: "POST", path: "/ui/session", body: body(readKey), status: 429},
	})
}

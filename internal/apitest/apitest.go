// Package apitest sends requests to a running portfoliod API from tests
// (the process tests, the service tests, the console's).
package apitest

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// Do sends method url with the API key key (none when "") and body as
// JSON (none when ""), and returns the response with its body read. A
// transport failure fails tb.
func Do(tb testing.TB, method, url, key, body string) (*http.Response, []byte) {
	tb.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		tb.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("x-api-key", key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatalf("%s %s: reading the body: %v", method, url, err)
	}
	return res, b
}

package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/portfoliod/portfoliod/internal/anviltest"
)

// FuzzOnboard: no body gives a 5xx or a panic, and a rejected body stores
// nothing. The seed corpus runs in `make test`; `make fuzz` explores.
func FuzzOnboard(f *testing.F) {
	for _, s := range []string{
		referenceOnboard,
		`{"type":"INDIVIDUAL","countryCode":"US"}`,
		`{"type":"ORGANIZATION","countryCode":"DE","wallets":["0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"]}`,
		`{"type":"INDIVIDUAL","countryCode":"US","wallets":["0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeD"]}`,
		`{"type":"INDIVIDUAL","countryCode":"US","metadata":{"a":null}}`,
		`{"type":"INDIVIDUAL","countryCode":"US","address":{"line1":"\u0000"}}`,
		`{"type":"INDIVIDUAL","countryCode":"US","wallets":[{"address":"0x1234567890123456789012345678901234567890","object":"wallet","balances":{}}]}`,
		`{"type":1e400}`, `[{}]`, `null`, `""`, `{"wallets":[[]]}`, "{\"name\":\"\xff\"}",
		`{"type":"INDIVIDUAL","countryCode":"US","phone":"+` + strings.Repeat("9", 20) + `"}`,
	} {
		f.Add(s)
	}
	e := mustServe(f, nil)
	f.Fuzz(func(t *testing.T, body string) {
		c0, w0 := storeCount(t, e.store)
		r := e.do(t, "POST", "/customer", writeKey, body)
		if r.Status >= 500 {
			t.Fatalf("POST /customer %q = %d %s", body, r.Status, r.Body)
		}
		if r.Status != http.StatusOK {
			r.errorCode(t)
			if c, w := storeCount(t, e.store); c != c0 || w != w0 {
				t.Fatalf("rejected body %q changed the store", body)
			}
		}
	})
}

// FuzzPaths: ids, addresses and query parameters never give a 5xx.
func FuzzPaths(f *testing.F) {
	for _, s := range []string{"customer_c7a968e665d9", "0x1234567890123456789012345678901234567890", "%00", "..", "customer_", "0xZZ", "latest", "-1", "99999999999999999999999"} {
		f.Add(s)
	}
	e := mustServe(f, nil)
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range []string{"/customer/", "/wallet/", "/customer?wallet=", "/customer?startingAfter=", "/customer?limit="} {
			req, err := http.NewRequest("GET", e.url+p+s, nil)
			if err != nil {
				return // not a URL a client could send
			}
			req.Header.Set("x-api-key", readKey)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				continue
			}
			res.Body.Close()
			if res.StatusCode >= 500 && res.StatusCode != http.StatusServiceUnavailable {
				t.Fatalf("GET %s%q = %d", p, s, res.StatusCode)
			}
		}
	})
}

// FuzzBalanceQuery: any block and token query on the balance routes, read
// against a real anvil, gives a 200 or a 4xx in the error shape — never a
// 5xx other than the chain's own 502/503/504, never a panic.
func FuzzBalanceQuery(f *testing.F) {
	for _, s := range []string{"block=latest", "block=safe", "block=finalized", "block=1", "block=0x1", "block=-1",
		"block=18446744073709551615", "block=", "token=", "token=0x", "block=1&block=2", "token=0x00000000000000000000000000000000000000f1",
		"block=%00", "token=0xZZ00000000000000000000000000000000000000"} {
		f.Add(s)
	}
	node := anviltest.Start(f)
	e := mustChainEnv(f, node, nil)
	c := mustOnboard(f, e.testEnv, `{"type":"INDIVIDUAL","countryCode":"US","wallets":["0x00000000000000000000000000000000000000f5"]}`)
	f.Fuzz(func(t *testing.T, q string) {
		for _, p := range []string{"/customer/" + c.ID + "/portfolio?", "/wallet/0x00000000000000000000000000000000000000f5?"} {
			req, err := http.NewRequest("GET", e.url+p+q, nil)
			if err != nil {
				return
			}
			req.Header.Set("x-api-key", readKey)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				continue
			}
			res.Body.Close()
			if res.StatusCode >= 500 && res.StatusCode != 502 && res.StatusCode != 503 && res.StatusCode != 504 {
				t.Fatalf("GET %s%s = %d", p, q, res.StatusCode)
			}
		}
	})
}

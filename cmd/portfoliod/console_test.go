//go:build !nodev

package main

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

var consoleLine = regexp.MustCompile(`console\s+(http://\S+/ui/)`)
var apiKeyLine = regexp.MustCompile(`API key\s+(\S+)`)

// `portfoliod dev` prints the console's URL: it serves the page, and the
// printed key signs in to a session that reads the reference customer.
func TestDevPrintsConsoleURL(t *testing.T) {
	r := startRun(t, []string{"dev", "--addr", "127.0.0.1:0"}, env(nil))
	r.waitFor(t, curlLine)
	ui := consoleLine.FindStringSubmatch(r.stdout.String())
	if ui == nil {
		t.Fatalf("dev printed no console URL:\n%s", r.stdout.String())
	}
	res, err := http.Get(ui[1])
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(page), `src="/ui/assets/js/app.js"`) {
		t.Fatalf("GET %s = %d %.200s", ui[1], res.StatusCode, page)
	}
	key := apiKeyLine.FindStringSubmatch(r.stdout.String())[1]
	body, _ := json.Marshal(map[string]string{"key": key})
	res, err = http.Post(strings.TrimSuffix(ui[1], "/")+"/session", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 201 || len(res.Cookies()) != 1 {
		t.Fatalf("sign-in with the printed key = %d, cookies %v", res.StatusCode, res.Cookies())
	}
	req, _ := http.NewRequest("GET", strings.TrimSuffix(ui[1], "/ui/")+"/customer/"+ReferenceCustomerID, nil)
	req.AddCookie(res.Cookies()[0])
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("the reference customer with the session = %d", res.StatusCode)
	}
}

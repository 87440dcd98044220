package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/webhook"
)

// The receiver accepts what portfoliod signs, and nothing else.
func TestReceiverVerifiesPortfoliodSignatures(t *testing.T) {
	secret := portfoliod.NewWebhookSecret()
	h := receiver(secret)
	body := []byte(`{"id":"evt_0123456789abcdef0123456789abcdef","object":"event","type":"webhook.test"}`)
	// send signs body and sends sent.
	send := func(body, sent []byte, secrets []string, ts time.Time) int {
		sig, err := webhook.Signature(secrets, "evt_0123456789abcdef0123456789abcdef", ts, body)
		if err != nil {
			t.Fatal(err)
		}
		r := httptest.NewRequest("POST", "/hooks", strings.NewReader(string(sent)))
		r.Header.Set(webhook.HeaderID, "evt_0123456789abcdef0123456789abcdef")
		r.Header.Set(webhook.HeaderTimestamp, strconv.FormatInt(ts.Unix(), 10))
		r.Header.Set(webhook.HeaderSignature, sig)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	now := time.Now()
	for _, c := range []struct {
		name    string
		sent    []byte
		secrets []string
		ts      time.Time
		want    int
	}{
		{"signed", body, []string{secret}, now, http.StatusNoContent},
		{"during a rotation", body, []string{portfoliod.NewWebhookSecret(), secret}, now, http.StatusNoContent},
		{"another secret", body, []string{portfoliod.NewWebhookSecret()}, now, http.StatusUnauthorized},
		{"tampered", []byte(strings.Replace(string(body), "test", "tost", 1)), []string{secret}, now, http.StatusUnauthorized},
		{"replayed an hour later", body, []string{secret}, now.Add(-time.Hour), http.StatusUnauthorized},
	} {
		if got := send(body, c.sent, c.secrets, c.ts); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
}

// The README shows this program as it is.
func TestReadmeShowsTheReceiver(t *testing.T) {
	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	code := string(src)[strings.Index(string(src), "package main"):]
	if !strings.Contains(string(readme), "```go\n"+code+"```") {
		t.Error("README.md does not show examples/webhookreceiver/main.go (from `package main`) in a ```go block; copy it again")
	}
}

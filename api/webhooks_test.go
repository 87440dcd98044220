package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/customers/bolt"
	"github.com/portfoliod/portfoliod/webhook"
)

// testWebhooks is the service's backend, assembled the same way: a real
// bbolt outbox, the guard, and (when deliveries are wanted) a real
// dispatcher.
type testWebhooks struct {
	portfoliod.WebhookStore
	guard webhook.Guard
	d     *webhook.Dispatcher
}

func (w testWebhooks) CheckURL(ctx context.Context, u string) error { return w.guard.CheckURL(ctx, u) }
func (w testWebhooks) Notify() {
	if w.d != nil {
		w.d.Notify()
	}
}

// withWebhooks serves the webhook routes over store with guard, and a
// running dispatcher when deliver is set.
func withWebhooks(tb testing.TB, store *bolt.Store, guard webhook.Guard, deliver bool) envOption {
	w := testWebhooks{WebhookStore: store, guard: guard}
	if deliver {
		w.d = webhook.New(store, webhook.Config{Guard: guard, Encode: EventBody, Poll: 20 * time.Millisecond,
			Schedule: []time.Duration{20 * time.Millisecond}})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); w.d.Run(ctx) }()
		tb.Cleanup(func() { cancel(); <-done })
	}
	return func(c *Config) { c.Webhooks = w }
}

type webhookOut struct {
	ID, Object, URL, Description, Status, DisabledReason, Secret string
	Types                                                        []string
	FrozenOnly                                                   bool
	PreviousSecretExpiresAt                                      *string
}

type deliveryOut struct {
	ID, EndpointID, EventID, EventType, Status string
	AttemptCount                               int
	Attempts                                   []struct {
		StatusCode *int
		Error      string
	}
	NextAttemptAt *string
}

// The endpoints API end to end: a loopback receiver gets the test event,
// signed so that the Standard Webhooks library verifies it, before and
// after a rotation.
func TestWebhookEndpointsAPI(t *testing.T) {
	var (
		mu  sync.Mutex
		got []*http.Request
		bod [][]byte
	)
	rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got, bod = append(got, r), append(bod, b)
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer rc.Close()
	received := func() ([]*http.Request, [][]byte) {
		mu.Lock()
		defer mu.Unlock()
		return append([]*http.Request(nil), got...), append([][]byte(nil), bod...)
	}
	store := mustOpenStore(t)
	e := mustServe(t, nil, withWebhooks(t, store, webhook.Guard{AllowHTTP: true, AllowPrivate: true}, true))

	r := e.do(t, "POST", "/webhooks", adminKey, fmt.Sprintf(`{"url":%q,"description":"back office","frozenOnly":true}`, rc.URL+"/hooks"))
	if r.Status != 201 {
		t.Fatalf("create = %d %s", r.Status, r.Body)
	}
	var ep webhookOut
	r.json(t, &ep)
	if !portfoliod.ValidWebhookID(ep.ID) || ep.Object != "webhook_endpoint" || !strings.HasPrefix(ep.Secret, "whsec_") || ep.Status != "enabled" ||
		len(ep.Types) != 1 || ep.Types[0] != "balance.updated" || !ep.FrozenOnly || ep.Description != "back office" {
		t.Fatalf("created %+v", ep)
	}
	// The secret is shown once.
	r = e.do(t, "GET", "/webhooks/"+ep.ID, adminKey, "")
	if r.Status != 200 || strings.Contains(string(r.Body), "whsec_") || strings.Contains(string(r.Body), `"secret"`) {
		t.Errorf("GET shows the secret: %d %s", r.Status, r.Body)
	}
	if r := e.do(t, "GET", "/webhooks", adminKey, ""); r.Status != 200 || !strings.Contains(string(r.Body), ep.ID) || strings.Contains(string(r.Body), "whsec_") {
		t.Errorf("list = %d %s", r.Status, r.Body)
	}

	send := func() deliveryOut {
		t.Helper()
		r := e.do(t, "POST", "/webhooks/"+ep.ID+"/test", adminKey, "")
		if r.Status != 202 {
			t.Fatalf("test = %d %s", r.Status, r.Body)
		}
		var d deliveryOut
		r.json(t, &d)
		if d.EventType != portfoliod.EventWebhookTest || d.Status != "pending" || d.EndpointID != ep.ID {
			t.Fatalf("test delivery %+v", d)
		}
		return d
	}
	d := send()
	waitFor(t, 5*time.Second, func() bool { reqs, _ := received(); return len(reqs) == 1 })
	reqs, bodies := received()
	wh, err := standardwebhooks.NewWebhook(ep.Secret)
	if err != nil {
		t.Fatal(err)
	}
	if err := wh.Verify(bodies[0], reqs[0].Header); err != nil {
		t.Errorf("the Standard Webhooks library refuses the test delivery: %v", err)
	}
	var body struct{ ID, Object, Type string }
	if err := json.Unmarshal(bodies[0], &body); err != nil || body.ID != d.EventID || body.Object != "event" || body.Type != "webhook.test" || reqs[0].Header.Get("webhook-id") != d.EventID {
		t.Errorf("test event %s (%v), webhook-id %q", bodies[0], err, reqs[0].Header.Get("webhook-id"))
	}
	waitFor(t, 5*time.Second, func() bool {
		r := e.do(t, "GET", "/webhooks/"+ep.ID+"/deliveries", adminKey, "")
		var list struct{ Data []deliveryOut }
		r.json(t, &list)
		return len(list.Data) == 1 && list.Data[0].Status == "delivered" && list.Data[0].AttemptCount == 1 &&
			*list.Data[0].Attempts[0].StatusCode == 204 && list.Data[0].NextAttemptAt == nil
	})

	// Rotation: the new secret and the old both sign for 24 h.
	r = e.do(t, "POST", "/webhooks/"+ep.ID+"/rotate-secret", adminKey, "")
	var rot webhookOut
	r.json(t, &rot)
	if r.Status != 200 || rot.Secret == ep.Secret || !strings.HasPrefix(rot.Secret, "whsec_") || rot.PreviousSecretExpiresAt == nil {
		t.Fatalf("rotate = %d %s", r.Status, r.Body)
	}
	if exp, err := time.Parse(time.RFC3339, *rot.PreviousSecretExpiresAt); err != nil || time.Until(exp) < 23*time.Hour || time.Until(exp) > 25*time.Hour {
		t.Errorf("previousSecretExpiresAt = %s, want in about 24h", *rot.PreviousSecretExpiresAt)
	}
	send()
	waitFor(t, 5*time.Second, func() bool { reqs, _ := received(); return len(reqs) == 2 })
	reqs, bodies = received()
	for _, s := range []string{ep.Secret, rot.Secret} {
		wh, _ := standardwebhooks.NewWebhook(s)
		if err := wh.Verify(bodies[1], reqs[1].Header); err != nil {
			t.Errorf("after the rotation, a receiver on one of the secrets cannot verify: %v", err)
		}
	}

	// PATCH: url and status; a disabled endpoint refuses a test.
	r = e.do(t, "PATCH", "/webhooks/"+ep.ID, adminKey, fmt.Sprintf(`{"url":%q,"status":"disabled","frozenOnly":false}`, rc.URL+"/v2"))
	var pat webhookOut
	r.json(t, &pat)
	if r.Status != 200 || pat.URL != rc.URL+"/v2" || pat.Status != "disabled" || pat.DisabledReason == "" || pat.FrozenOnly || pat.Description != "back office" {
		t.Errorf("patch = %d %s", r.Status, r.Body)
	}
	if r := e.do(t, "POST", "/webhooks/"+ep.ID+"/test", adminKey, ""); r.Status != 409 {
		t.Errorf("test on a disabled endpoint = %d, want 409", r.Status)
	}
	if r := e.do(t, "PATCH", "/webhooks/"+ep.ID, adminKey, `{"status":"enabled"}`); r.Status != 200 || !strings.Contains(string(r.Body), `"status":"enabled"`) {
		t.Errorf("re-enable = %d %s", r.Status, r.Body)
	}
	if r := e.do(t, "DELETE", "/webhooks/"+ep.ID, adminKey, ""); r.Status != 200 || !strings.Contains(string(r.Body), `"deleted":true`) {
		t.Errorf("delete = %d %s", r.Status, r.Body)
	}
	if r := e.do(t, "GET", "/webhooks/"+ep.ID, adminKey, ""); r.Status != 404 {
		t.Errorf("get after delete = %d", r.Status)
	}
}

// Bad input on the webhook routes: one error shape, nothing stored.
func TestWebhookBadInput(t *testing.T) {
	store := mustOpenStore(t)
	// The production guard: https only, public addresses only.
	e := mustServe(t, nil, withWebhooks(t, store, webhook.Guard{}, false))
	long := "https://203.0.113.10/" + strings.Repeat("a", portfoliod.MaxWebhookURL)
	for _, c := range []struct {
		name, body, param, word string
	}{
		{"no url", `{}`, "url", "required"},
		{"malformed url", `{"url":"https://%zz"}`, "url", "valid"},
		{"userinfo", `{"url":"https://user:secret@203.0.113.10/"}`, "url", "user"},
		{"too long", fmt.Sprintf(`{"url":%q}`, long), "url", "2048"},
		{"http", `{"url":"http://203.0.113.10/"}`, "url", "https"},
		{"loopback", `{"url":"https://127.0.0.1:8443/"}`, "url", "loopback"},
		{"localhost", `{"url":"https://localhost/"}`, "url", "loopback"},
		{"private", `{"url":"https://192.168.0.10/"}`, "url", "private"},
		{"metadata", `{"url":"https://169.254.169.254/"}`, "url", "metadata"},
		{"unknown type", `{"url":"https://203.0.113.10/","types":["balance.created"]}`, "types[0]", "unknown event type"},
		{"no types", `{"url":"https://203.0.113.10/","types":[]}`, "types", "at least one"},
		{"unknown field", `{"url":"https://203.0.113.10/","secret":"whsec_x"}`, "secret", "unknown"},
		{"status on create", `{"url":"https://203.0.113.10/","status":"disabled"}`, "status", "PATCH"},
		{"bidi description", `{"url":"https://203.0.113.10/","description":"a\u202eb"}`, "description", "bidirectional"},
	} {
		r := e.do(t, "POST", "/webhooks", adminKey, c.body)
		var er struct {
			Error struct{ Code, Message, Param string }
		}
		r.json(t, &er)
		if r.Status != 400 || er.Error.Code != "invalid_request" || er.Error.Param != c.param || !strings.Contains(er.Error.Message, c.word) {
			t.Errorf("%s: %d %s; want 400 on %s naming %q", c.name, r.Status, r.Body, c.param, c.word)
		}
	}
	if page, _, _ := store.Webhooks(context.Background(), portfoliod.ListOptions{}); len(page) != 0 {
		t.Errorf("refused requests stored %d endpoints", len(page))
	}
	for i := 0; i < portfoliod.MaxWebhookEndpoints; i++ {
		if r := e.do(t, "POST", "/webhooks", adminKey, `{"url":"https://203.0.113.10/hooks"}`); r.Status != 201 {
			t.Fatalf("endpoint %d = %d %s", i, r.Status, r.Body)
		}
	}
	if r := e.do(t, "POST", "/webhooks", adminKey, `{"url":"https://203.0.113.10/hooks"}`); r.Status != 400 || !strings.Contains(string(r.Body), "at most 100") {
		t.Errorf("endpoint 101 = %d %s", r.Status, r.Body)
	}
	for _, key := range []string{readKey, writeKey} {
		for _, rt := range [][2]string{{"GET", "/webhooks"}, {"POST", "/webhooks"}, {"GET", "/webhooks/we_00000000000000000000000000000000/deliveries"}} {
			if r := e.do(t, rt[0], rt[1], key, `{"url":"https://203.0.113.10/"}`); r.Status != 403 {
				t.Errorf("%s %s with %s = %d, want 403", rt[0], rt[1], key, r.Status)
			}
		}
	}
	unknown := "/webhooks/we_00000000000000000000000000000000"
	for _, rt := range [][3]string{{"GET", unknown, ""}, {"PATCH", unknown, `{"description":"x"}`}, {"DELETE", unknown, ""},
		{"POST", unknown + "/test", ""}, {"POST", unknown + "/rotate-secret", ""}, {"GET", unknown + "/deliveries", ""},
		{"POST", unknown + "/deliveries/del_00000000000000000000000000000000/retry", ""}} {
		if r := e.do(t, rt[0], rt[1], adminKey, rt[2]); r.Status != 404 {
			t.Errorf("%s %s = %d, want 404", rt[0], rt[1], r.Status)
		}
	}
	for _, p := range []string{"/webhooks/we_1", "/webhooks/customer_000000000000", "/webhooks?startingAfter=x", "/webhooks?limit=0"} {
		if r := e.do(t, "GET", p, adminKey, ""); r.Status != 400 {
			t.Errorf("GET %s = %d, want 400", p, r.Status)
		}
	}
	page, _, _ := store.Webhooks(context.Background(), portfoliod.ListOptions{Limit: 1})
	id := page[0].ID
	if r := e.do(t, "PATCH", "/webhooks/"+id, adminKey, `{"url":null}`); r.Status != 400 {
		t.Errorf("PATCH url null = %d, want 400", r.Status)
	}
	if r := e.do(t, "PATCH", "/webhooks/"+id, adminKey, `{"url":"https://10.0.0.1/"}`); r.Status != 400 || !strings.Contains(string(r.Body), "private") {
		t.Errorf("PATCH to a private address = %d %s", r.Status, r.Body)
	}
	if got, _ := store.Webhook(context.Background(), id); got.URL != "https://203.0.113.10/hooks" {
		t.Errorf("a refused PATCH changed the url to %q", got.URL)
	}
	if r := e.do(t, "POST", "/webhooks/"+id+"/deliveries/del_1/retry", adminKey, ""); r.Status != 400 {
		t.Errorf("retry of a malformed delivery id = %d, want 400", r.Status)
	}
}

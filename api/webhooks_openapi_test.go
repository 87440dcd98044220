package api

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/webhook"
)

// webhookOpenAPICases sends every documented status of the webhook routes
// through v. Endpoints point at 203.0.113.10 (TEST-NET-3): the guard lets
// it register, and no dispatcher runs, so nothing is ever sent there.
func webhookOpenAPICases(t *testing.T, v *openAPIValidator) {
	store := mustOpenStore(t)
	e := mustServe(t, nil, withWebhooks(t, store, webhook.Guard{}, false))
	ctx := context.Background()

	r := e.do(t, "POST", "/webhooks", adminKey, `{"url":"https://203.0.113.10/hooks","types":["balance.updated"],"frozenOnly":true,"description":"compliance"}`)
	var ep struct{ ID string }
	if err := json.Unmarshal(r.Body, &ep); r.Status != 201 || err != nil {
		t.Fatalf("create = %d %s", r.Status, r.Body)
	}
	id := "/webhooks/" + ep.ID
	// A failed delivery to retry, and one that was delivered.
	now := time.Now().UTC()
	mk := func(status portfoliod.DeliveryStatus) string {
		ev := portfoliod.NewTestEventID()
		d := portfoliod.Delivery{ID: portfoliod.DeliveryID(ep.ID, ev), EndpointID: ep.ID, EventID: ev, EventType: portfoliod.EventWebhookTest,
			CreatedAt: now, Status: portfoliod.DeliveryPending, NextAttempt: now}
		if err := store.EnqueueDelivery(ctx, d); err != nil {
			t.Fatal(err)
		}
		if _, err := store.ClaimDeliveries(ctx, now, time.Minute, 10, nil); err != nil {
			t.Fatal(err)
		}
		code := 500
		if status == portfoliod.DeliveryDelivered {
			code = 200
		}
		if err := store.RecordAttempt(ctx, d.ID, portfoliod.DeliveryOutcome{Status: status,
			Attempt: portfoliod.DeliveryAttempt{At: now, Duration: 3 * time.Millisecond, StatusCode: code, Error: "the receiver answered 500, not 2xx"}}); err != nil {
			t.Fatal(err)
		}
		return d.ID
	}
	failed, delivered := mk(portfoliod.DeliveryFailed), mk(portfoliod.DeliveryDelivered)
	unknown := "/webhooks/we_00000000000000000000000000000000"
	big := `{"url":"https://203.0.113.10/","description":"` + strings.Repeat("x", 2<<20) + `"}`
	textPlain := []string{"Content-Type", "text/plain"}
	v.run(t, e, []apiCase{
		{name: "webhook create", method: "POST", path: "/webhooks", key: adminKey, body: `{"url":"https://203.0.113.10/other"}`, status: 201},
		{name: "webhook create refused", method: "POST", path: "/webhooks", key: adminKey, body: `{"url":"https://10.0.0.1/"}`, status: 400},
		{name: "webhook create no key", method: "POST", path: "/webhooks", body: `{}`, status: 401},
		{name: "webhook create read key", method: "POST", path: "/webhooks", key: readKey, body: `{}`, status: 403},
		{name: "webhook create too large", method: "POST", path: "/webhooks", key: adminKey, body: big, status: 413},
		{name: "webhook create text/plain", method: "POST", path: "/webhooks", key: adminKey, body: `{}`, hdr: textPlain, status: 415},
		{name: "webhook list", method: "GET", path: "/webhooks?limit=1", key: adminKey, status: 200},
		{name: "webhook list page 2", method: "GET", path: "/webhooks?startingAfter=" + ep.ID, key: adminKey, status: 200},
		{name: "webhook list bad cursor", method: "GET", path: "/webhooks?startingAfter=x", key: adminKey, status: 400},
		{name: "webhook list no key", method: "GET", path: "/webhooks", status: 401},
		{name: "webhook list write key", method: "GET", path: "/webhooks", key: writeKey, status: 403},
		{name: "webhook get", method: "GET", path: id, key: adminKey, status: 200},
		{name: "webhook get malformed", method: "GET", path: "/webhooks/we_1", key: adminKey, status: 400},
		{name: "webhook get unknown", method: "GET", path: unknown, key: adminKey, status: 404},
		{name: "webhook get no key", method: "GET", path: id, status: 401},
		{name: "webhook get read key", method: "GET", path: id, key: readKey, status: 403},
		{name: "webhook patch", method: "PATCH", path: id, key: adminKey, body: `{"description":"back office","types":["balance.updated"]}`,
			hdr: []string{"Content-Type", "application/merge-patch+json"}, status: 200},
		{name: "webhook patch bad status", method: "PATCH", path: id, key: adminKey, body: `{"status":"paused"}`, status: 400},
		{name: "webhook patch unknown", method: "PATCH", path: unknown, key: adminKey, body: `{"description":"x"}`, status: 404},
		{name: "webhook patch no key", method: "PATCH", path: id, body: `{}`, status: 401},
		{name: "webhook patch write key", method: "PATCH", path: id, key: writeKey, body: `{}`, status: 403},
		{name: "webhook patch too large", method: "PATCH", path: id, key: adminKey, body: big, status: 413},
		{name: "webhook patch text/plain", method: "PATCH", path: id, key: adminKey, body: `{}`, hdr: textPlain, status: 415},
		{name: "webhook rotate", method: "POST", path: id + "/rotate-secret", key: adminKey, status: 200},
		{name: "webhook rotate malformed", method: "POST", path: "/webhooks/x/rotate-secret", key: adminKey, status: 400},
		{name: "webhook rotate unknown", method: "POST", path: unknown + "/rotate-secret", key: adminKey, status: 404},
		{name: "webhook rotate no key", method: "POST", path: id + "/rotate-secret", status: 401},
		{name: "webhook rotate read key", method: "POST", path: id + "/rotate-secret", key: readKey, status: 403},
		{name: "webhook test", method: "POST", path: id + "/test", key: adminKey, status: 202},
		{name: "webhook test malformed", method: "POST", path: "/webhooks/x/test", key: adminKey, status: 400},
		{name: "webhook test unknown", method: "POST", path: unknown + "/test", key: adminKey, status: 404},
		{name: "webhook test no key", method: "POST", path: id + "/test", status: 401},
		{name: "webhook test read key", method: "POST", path: id + "/test", key: readKey, status: 403},
		{name: "deliveries", method: "GET", path: id + "/deliveries?limit=2", key: adminKey, status: 200},
		{name: "deliveries page 2", method: "GET", path: id + "/deliveries?startingAfter=" + delivered, key: adminKey, status: 200},
		{name: "deliveries bad limit", method: "GET", path: id + "/deliveries?limit=1000", key: adminKey, status: 400},
		{name: "deliveries unknown", method: "GET", path: unknown + "/deliveries", key: adminKey, status: 404},
		{name: "deliveries no key", method: "GET", path: id + "/deliveries", status: 401},
		{name: "deliveries read key", method: "GET", path: id + "/deliveries", key: readKey, status: 403},
		{name: "retry", method: "POST", path: id + "/deliveries/" + failed + "/retry", key: adminKey, status: 202},
		{name: "retry not failed", method: "POST", path: id + "/deliveries/" + delivered + "/retry", key: adminKey, status: 409},
		{name: "retry malformed", method: "POST", path: id + "/deliveries/del_1/retry", key: adminKey, status: 400},
		{name: "retry unknown", method: "POST", path: id + "/deliveries/del_00000000000000000000000000000000/retry", key: adminKey, status: 404},
		{name: "retry no key", method: "POST", path: id + "/deliveries/" + failed + "/retry", status: 401},
		{name: "retry read key", method: "POST", path: id + "/deliveries/" + failed + "/retry", key: readKey, status: 403},
		{name: "webhook test disabled", method: "PATCH", path: id, key: adminKey, body: `{"status":"disabled"}`, status: 200},
		{name: "webhook test on disabled", method: "POST", path: id + "/test", key: adminKey, status: 409},
		{name: "webhook delete", method: "DELETE", path: id, key: adminKey, status: 200},
		{name: "webhook delete again", method: "DELETE", path: id, key: adminKey, status: 404},
		{name: "webhook delete malformed", method: "DELETE", path: "/webhooks/x", key: adminKey, status: 400},
		{name: "webhook delete no key", method: "DELETE", path: id, status: 401},
		{name: "webhook delete read key", method: "DELETE", path: id, key: readKey, status: 403},
	})

	// Every route over its token bucket: 429.
	limited := mustServe(t, nil, withWebhooks(t, mustOpenStore(t), webhook.Guard{}, false), func(c *Config) { c.RequestsPerSecond, c.Burst = 0.001, 1 })
	if r := limited.do(t, "GET", "/webhooks", adminKey, ""); r.Status != 200 {
		t.Fatalf("first request = %d", r.Status)
	}
	var cases []apiCase
	for _, rc := range [][3]string{{"POST", "/webhooks", `{}`}, {"GET", "/webhooks", ""}, {"GET", unknown, ""}, {"PATCH", unknown, `{}`},
		{"DELETE", unknown, ""}, {"POST", unknown + "/rotate-secret", ""}, {"POST", unknown + "/test", ""}, {"GET", unknown + "/deliveries", ""},
		{"POST", unknown + "/deliveries/del_00000000000000000000000000000000/retry", ""}} {
		cases = append(cases, apiCase{name: "limited " + rc[0] + " " + rc[1], method: rc[0], path: rc[1], key: adminKey, body: rc[2], status: 429})
	}
	v.run(t, limited, cases)

	// A store closed under the server: 500.
	broken := mustOpenStore(t)
	brokenEnv := mustServe(t, nil, withWebhooks(t, broken, webhook.Guard{}, false))
	if err := broken.Close(); err != nil {
		t.Fatal(err)
	}
	gone := "/webhooks/" + ep.ID
	v.run(t, brokenEnv, []apiCase{
		{name: "webhook create store down", method: "POST", path: "/webhooks", key: adminKey, body: `{"url":"https://203.0.113.10/"}`, status: 500},
		{name: "webhook list store down", method: "GET", path: "/webhooks", key: adminKey, status: 500},
		{name: "webhook get store down", method: "GET", path: gone, key: adminKey, status: 500},
		{name: "webhook patch store down", method: "PATCH", path: gone, key: adminKey, body: `{"description":"x"}`, status: 500},
		{name: "webhook delete store down", method: "DELETE", path: gone, key: adminKey, status: 500},
		{name: "webhook rotate store down", method: "POST", path: gone + "/rotate-secret", key: adminKey, status: 500},
		{name: "webhook test store down", method: "POST", path: gone + "/test", key: adminKey, status: 500},
		{name: "deliveries store down", method: "GET", path: gone + "/deliveries", key: adminKey, status: 500},
		{name: "retry store down", method: "POST", path: gone + "/deliveries/" + failed + "/retry", key: adminKey, status: 500},
	})
}

package api

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/aggregator"
	"github.com/portfoliod/portfoliod/customers/postgres"
	"github.com/portfoliod/portfoliod/internal/localnet"
	"github.com/portfoliod/portfoliod/internal/pgtest"
	"github.com/portfoliod/portfoliod/live"
)

// pgEvents is the live layer's view of a PostgreSQL store, as testEvents
// is of a bbolt one; Head is fixed at the block committed before the
// outage, as the follower's cursor in memory is.
type pgEvents struct {
	store *postgres.Store
	hub   *live.Hub
	head  portfoliod.Block
}

func (e pgEvents) Events(ctx context.Context, q portfoliod.EventQuery) ([]portfoliod.Event, bool, error) {
	return e.store.Events(ctx, q)
}
func (e pgEvents) Subscribe(f func(portfoliod.Event) bool) Subscription { return e.hub.Subscribe(f) }
func (e pgEvents) Linked(context.Context, []common.Address) error       { return nil }
func (e pgEvents) Frozen(ctx context.Context, q portfoliod.FrozenQuery) (portfoliod.FrozenPage, error) {
	return e.store.Frozen(ctx, q)
}
func (e pgEvents) FrozenSeries(ctx context.Context, token common.Address, from, to time.Time, step time.Duration) ([]portfoliod.FrozenPoint, error) {
	return live.FrozenSeries(ctx, e.store, token, from, to, step)
}
func (e pgEvents) Head() (portfoliod.Block, bool) { return e.head, true }

// storeDown is the real router on a PostgreSQL store whose server is
// stopped, with a customer (owning wallet) stored before the stop.
type storeDown struct {
	*testEnv
	customerID string
	wallet     common.Address
	dsn        string
	webhookID  string
	deliveryID string
}

// mustStoreDown starts a dedicated PostgreSQL server, serves the API on a
// store there (the balance routes reading token through rpcURL), stores a
// customer and a block of events, and stops the server.
func mustStoreDown(tb testing.TB, rpcURL string, chainID uint64, token common.Address) storeDown {
	tb.Helper()
	srv := pgtest.StartDedicated(tb)
	dsn := srv.NewDatabase(tb)
	ctx := context.Background()
	store, err := postgres.Open(ctx, dsn, postgres.Options{ConnectTimeout: 2 * time.Second})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { store.Close() })
	w := common.HexToAddress("0x00000000000000000000000000000000000000d1")
	c, err := store.Create(ctx, portfoliod.Customer{Type: portfoliod.Individual, CountryCode: "US", Wallets: []common.Address{w}})
	if err != nil {
		tb.Fatal(err)
	}
	ep := portfoliod.WebhookEndpoint{ID: portfoliod.NewWebhookID(), URL: "https://203.0.113.10/hooks", Types: []string{portfoliod.EventBalanceUpdated},
		Secret: portfoliod.NewWebhookSecret(), CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if err := store.CreateWebhook(ctx, ep); err != nil {
		tb.Fatal(err)
	}
	ev := balanceEvent(1, c.ID, w, 10)
	if err := store.CommitBlock(ctx, portfoliod.BlockCommit{Block: ev.Data.Block, Events: []portfoliod.Event{ev}}); err != nil {
		tb.Fatal(err)
	}
	reader := dialReader(tb, rpcURL, chainID, token)
	logs := &localnet.Output{}
	cfg := Config{
		Keys: testKeys(), RequestsPerSecond: 10000, Burst: 10000, MaxBodyBytes: 64 << 10,
		Logger:    slog.New(slog.NewJSONHandler(logs, nil)),
		OpenAPI:   OpenAPIDocument(),
		Events:    pgEvents{store: store, hub: live.NewHub(), head: ev.Data.Block},
		Positions: aggregator.NewRegister(store, reader),
		Ready:     []Check{{Name: "store", Check: store.Check}, {Name: "chain", Check: reader.Check}},
		Webhooks:  testWebhooks{WebhookStore: store},
	}
	s, err := New(cfg, store, aggregator.New(store, reader))
	if err != nil {
		tb.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	tb.Cleanup(ts.Close)
	srv.Stop(tb)
	return storeDown{testEnv: &testEnv{url: ts.URL, logs: logs, srv: s}, customerID: c.ID, wallet: w, dsn: dsn, webhookID: ep.ID,
		deliveryID: portfoliod.DeliveryID(ep.ID, ev.ID)}
}

// cases are a request to every route that reads or writes the store: each
// answers 503 store_unavailable with Retry-After, the message never
// naming the database. /readyz fails its store check, naming it.
func (d storeDown) cases() []apiCase {
	cid := "/customer/" + d.customerID
	unavailable := func(t *testing.T, r response) {
		t.Helper()
		if code, _ := r.errorCode(t); code != codeStoreUnavailable {
			t.Errorf("code %q, want %q: %s", code, codeStoreUnavailable, r.Body)
		}
		if strings.Contains(string(r.Body), "127.0.0.1") || strings.Contains(string(r.Body), "postgres") {
			t.Errorf("the answer names the database: %s", r.Body)
		}
	}
	var cases []apiCase
	for _, rc := range []struct{ method, path, key, body string }{
		{"POST", "/customer", writeKey, `{"type":"INDIVIDUAL","countryCode":"US"}`},
		{"GET", "/customer", readKey, ""},
		{"GET", cid, readKey, ""},
		{"PATCH", cid, writeKey, `{"name":"x"}`},
		{"DELETE", cid, writeKey, ""},
		{"GET", cid + "/portfolio", readKey, ""},
		{"POST", cid + "/wallets", writeKey, `{"address":"0x00000000000000000000000000000000000000d2"}`},
		{"DELETE", cid + "/wallets/" + d.wallet.Hex(), writeKey, ""},
		{"GET", "/reports/positions", adminKey, ""},
		{"GET", "/events", readKey, ""},
		{"GET", cid + "/events", readKey, ""},
		{"GET", cid + "/history", readKey, ""},
		{"GET", "/frozen", readKey, ""},
		{"GET", "/frozen/series", readKey, ""},
		{"POST", "/webhooks", adminKey, `{"url":"https://203.0.113.10/other"}`},
		{"GET", "/webhooks", adminKey, ""},
		{"GET", "/webhooks/" + d.webhookID, adminKey, ""},
		{"PATCH", "/webhooks/" + d.webhookID, adminKey, `{"description":"x"}`},
		{"DELETE", "/webhooks/" + d.webhookID, adminKey, ""},
		{"POST", "/webhooks/" + d.webhookID + "/rotate-secret", adminKey, ""},
		{"POST", "/webhooks/" + d.webhookID + "/test", adminKey, ""},
		{"GET", "/webhooks/" + d.webhookID + "/deliveries", adminKey, ""},
		{"POST", "/webhooks/" + d.webhookID + "/deliveries/" + d.deliveryID + "/retry", adminKey, ""},
	} {
		cases = append(cases, apiCase{name: "store down " + rc.method + " " + rc.path, method: rc.method, path: rc.path,
			key: rc.key, body: rc.body, status: 503, check: unavailable})
	}
	return append(cases, apiCase{name: "readyz store down", method: "GET", path: "/readyz", status: 503, check: func(t *testing.T, r response) {
		if !strings.Contains(string(r.Body), `"name":"store","status":"failing"`) || strings.Contains(string(r.Body), "127.0.0.1") {
			t.Errorf("readiness with the store down: %s", r.Body)
		}
	}}, apiCase{name: "readyz store down admin", method: "GET", path: "/readyz", key: adminKey, status: 503, check: func(t *testing.T, r response) {
		if !strings.Contains(string(r.Body), "customer store unavailable") || !strings.Contains(string(r.Body), postgres.Redact(d.dsn)) {
			t.Errorf("readiness for an admin key lacks the reason naming %s: %s", postgres.Redact(d.dsn), r.Body)
		}
	}})
}

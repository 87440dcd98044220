package api

import (
	"context"
	"encoding/json"
	"math/big"
	"net/http"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/customers/bolt"
	"github.com/portfoliod/portfoliod/internal/apitest"
	"github.com/portfoliod/portfoliod/live"
)

// testEvents is Events over a real bbolt store's log and a real hub, as
// the service wires them.
type testEvents struct {
	store *bolt.Store
	hub   *live.Hub
}

func (e testEvents) Events(ctx context.Context, q portfoliod.EventQuery) ([]portfoliod.Event, bool, error) {
	return e.store.Events(ctx, q)
}

func (e testEvents) Subscribe(f func(portfoliod.Event) bool) Subscription { return e.hub.Subscribe(f) }

// Linked does nothing here: reading linked wallets is the live layer's,
// tested in live and internal/service.
func (e testEvents) Linked(context.Context, []common.Address) error { return nil }

func (e testEvents) Frozen(ctx context.Context, q portfoliod.FrozenQuery) (portfoliod.FrozenPage, error) {
	return e.store.Frozen(ctx, q)
}

func (e testEvents) FrozenSeries(ctx context.Context, token common.Address, from, to time.Time, step time.Duration) ([]portfoliod.FrozenPoint, error) {
	return live.FrozenSeries(ctx, e.store, token, from, to, step)
}

// Head is the last block committed, as the follower's cursor is.
func (e testEvents) Head() (portfoliod.Block, bool) {
	bs, err := e.store.RecentBlocks(context.Background())
	if err != nil || len(bs) == 0 {
		return portfoliod.Block{}, false
	}
	return bs[0].Block, true
}

// commit stores one block's events and publishes them, as the follower
// does.
func (e testEvents) commit(t *testing.T, n uint64, evs ...portfoliod.Event) {
	t.Helper()
	b := portfoliod.Block{Number: n, Hash: common.BigToHash(big.NewInt(int64(n))), Time: time.Unix(1700000000, 0)}
	if err := e.store.CommitBlock(context.Background(), portfoliod.BlockCommit{Block: b, Events: evs}); err != nil {
		t.Fatal(err)
	}
	e.hub.Publish(evs)
}

func balanceEvent(n uint64, customer string, w common.Address, total int64) portfoliod.Event {
	b := portfoliod.Block{Number: n, Hash: common.BigToHash(big.NewInt(int64(n))), Time: time.Unix(1700000000+int64(n), 0).UTC()}
	token := common.HexToAddress("0x00000000000000000000000000000000000000a1")
	f := func(t int64) portfoliod.Figures {
		return portfoliod.Figures{Total: big.NewInt(t), Frozen: new(big.Int), Available: big.NewInt(t)}
	}
	return portfoliod.Event{ID: portfoliod.EventID(b.Hash, token, w), Type: portfoliod.EventBalanceUpdated, CreatedAt: b.Time,
		Data: portfoliod.BalanceChange{CustomerID: customer, Wallet: w, Token: token, Block: b, Previous: f(total - 1), Balances: f(total),
			Changed: []string{"total", "available"}, Transactions: []common.Hash{common.HexToHash("0x77")}}}
}

// openStream connects to path and returns its messages as they come.
func openStream(t *testing.T, url, key string, hdr ...string) (<-chan apitest.SSE, *http.Response) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	req.Header.Set("x-api-key", key)
	req.Header.Set("Accept", "text/event-stream")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	if res.StatusCode != 200 {
		out := make(chan apitest.SSE)
		close(out)
		return out, res
	}
	return apitest.ReadSSE(res.Body, false), res
}

func next(t *testing.T, ch <-chan apitest.SSE) apitest.SSE {
	t.Helper()
	select {
	case m, ok := <-ch:
		if !ok {
			t.Fatal("stream ended")
		}
		return m
	case <-time.After(5 * time.Second):
		t.Fatal("no message within 5 s")
	}
	return apitest.SSE{}
}

func TestCustomerEventStream(t *testing.T) {
	store := mustOpenStore(t)
	ev := testEvents{store: store, hub: live.NewHub()}
	e := serveStore(t, store, nil, func(c *Config) { c.Events = ev; c.MaxStreamsPerKey = 2 })
	mine := mustOnboard(t, e, `{"type":"INDIVIDUAL","countryCode":"US","wallets":["0x00000000000000000000000000000000000000c1"]}`)
	other := mustOnboard(t, e, `{"type":"INDIVIDUAL","countryCode":"US"}`)
	w := common.HexToAddress("0x00000000000000000000000000000000000000c1")

	for _, tc := range []struct {
		name, path, key string
		hdr             []string
		status          int
	}{
		{"unknown customer", "/customer/customer_000000000000/events", readKey, nil, 404},
		{"malformed Last-Event-ID", "/customer/" + mine.ID + "/events", readKey, []string{"Last-Event-ID", "nope"}, 400},
		{"no read scope", "/customer/" + mine.ID + "/events", writeOnlyKey, nil, 403},
		{"unconfigured token filter", "/events?token=0x00000000000000000000000000000000000000a1", readKey, nil, 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, res := openStream(t, e.url+tc.path, tc.key, tc.hdr...)
			if res.StatusCode != tc.status {
				t.Errorf("status = %d, want %d", res.StatusCode, tc.status)
			}
		})
	}

	stream, res := openStream(t, e.url+"/customer/"+mine.ID+"/events", readKey)
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type = %q", ct)
	}
	waitFor(t, 5*time.Second, func() bool { return ev.hub.Clients() == 1 })
	first, second := balanceEvent(10, mine.ID, w, 100), balanceEvent(11, mine.ID, w, 101)
	ev.commit(t, 10, first, balanceEvent(10, other.ID, common.HexToAddress("0xc2"), 5))
	ev.commit(t, 11, second)
	for _, want := range []portfoliod.Event{first, second} {
		m := next(t, stream)
		if m.ID != want.ID || m.Event != "balance.updated" {
			t.Fatalf("message id %q event %q, want %q balance.updated", m.ID, m.Event, want.ID)
		}
		var got map[string]any
		if err := json.Unmarshal([]byte(m.Data), &got); err != nil {
			t.Fatal(err)
		}
		d := got["data"].(map[string]any)
		if got["object"] != "event" || got["id"] != want.ID || d["customerId"] != mine.ID || d["wallet"] != "0x00000000000000000000000000000000000000c1" ||
			d["balances"].(map[string]any)["total"] != want.Data.Balances.Total.String() || d["block"].(map[string]any)["number"] != float64(want.Data.Block.Number) {
			t.Errorf("event body %s", m.Data)
		}
	}

	// A reconnect with Last-Event-ID resumes right after it, from the log.
	resumed, _ := openStream(t, e.url+"/customer/"+mine.ID+"/events", readKey, "Last-Event-ID", first.ID)
	if m := next(t, resumed); m.ID != second.ID {
		t.Errorf("resumed with %q, want %q", m.ID, second.ID)
	}
	// The per-key cap: two streams are open.
	if _, res := openStream(t, e.url+"/events", readKey); res.StatusCode != 429 || res.Header.Get("Retry-After") == "" {
		t.Errorf("third stream = %d, want 429 with Retry-After", res.StatusCode)
	}
	// A shutdown ends the streams.
	ev.hub.Close()
	select {
	case _, ok := <-stream:
		for ok {
			_, ok = <-stream
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the stream did not end when the hub closed")
	}
}

func TestEventList(t *testing.T) {
	store := mustOpenStore(t)
	ev := testEvents{store: store, hub: live.NewHub()}
	e := serveStore(t, store, nil, func(c *Config) { c.Events = ev })
	w := common.HexToAddress("0x00000000000000000000000000000000000000c1")
	a, b := balanceEvent(1, "customer_000000000001", w, 1), balanceEvent(2, "customer_000000000002", w, 2)
	ev.commit(t, 1, a)
	ev.commit(t, 2, b)
	var page listJSON[eventJSON]
	r := e.do(t, "GET", "/events?limit=1", readKey, "")
	r.json(t, &page)
	if r.Status != 200 || len(page.Data) != 1 || page.Data[0].ID != a.ID || !page.HasMore {
		t.Fatalf("first page = %d %s", r.Status, r.Body)
	}
	e.do(t, "GET", "/events?startingAfter="+a.ID, readKey, "").json(t, &page)
	if len(page.Data) != 1 || page.Data[0].ID != b.ID || page.HasMore {
		t.Errorf("second page = %+v", page)
	}
	e.do(t, "GET", "/events?customer=customer_000000000002", readKey, "").json(t, &page)
	if len(page.Data) != 1 || page.Data[0].Data.CustomerID != "customer_000000000002" {
		t.Errorf("filtered page = %+v", page)
	}
	if r := e.do(t, "GET", "/events?startingAfter=evt_00000000000000000000000000000000", readKey, ""); r.Status != 400 {
		t.Errorf("startingAfter past the log = %d, want 400", r.Status)
	}
	// Without the live layer the routes are 404.
	off := mustServe(t, nil)
	if r := off.do(t, "GET", "/events", readKey, ""); r.Status != 404 {
		t.Errorf("GET /events without live = %d, want 404", r.Status)
	}
}

func TestCustomerHistory(t *testing.T) {
	store := mustOpenStore(t)
	ev := testEvents{store: store, hub: live.NewHub()}
	e := serveStore(t, store, nil, func(c *Config) { c.Events = ev })
	mine := mustOnboard(t, e, `{"type":"INDIVIDUAL","countryCode":"US"}`)
	other := mustOnboard(t, e, `{"type":"INDIVIDUAL","countryCode":"US"}`)
	w := common.HexToAddress("0x00000000000000000000000000000000000000c1")
	var want []portfoliod.Event
	for n := uint64(1); n <= 3; n++ {
		m := balanceEvent(n, mine.ID, w, int64(n))
		want = append(want, m)
		ev.commit(t, n, m, balanceEvent(n, other.ID, common.HexToAddress("0xc2"), int64(n)))
	}
	var page listJSON[eventJSON]
	r := e.do(t, "GET", "/customer/"+mine.ID+"/history?limit=2", readKey, "")
	r.json(t, &page)
	if r.Status != 200 || len(page.Data) != 2 || page.Data[0].ID != want[2].ID || page.Data[1].ID != want[1].ID || !page.HasMore {
		t.Fatalf("first page = %d %s", r.Status, r.Body)
	}
	e.do(t, "GET", "/customer/"+mine.ID+"/history?startingAfter="+page.Data[1].ID, readKey, "").json(t, &page)
	if len(page.Data) != 1 || page.Data[0].ID != want[0].ID || page.HasMore || page.Data[0].Data.CustomerID != mine.ID {
		t.Errorf("second page = %+v", page)
	}
	for path, status := range map[string]int{
		"/customer/customer_000000000000/history":                                            404,
		"/customer/" + mine.ID + "/history?limit=1000":                                       400,
		"/customer/" + mine.ID + "/history?token=0x00000000000000000000000000000000000000a1": 400,
		"/customer/" + mine.ID + "/history?sort=asc":                                         400,
	} {
		if r := e.do(t, "GET", path, readKey, ""); r.Status != status {
			t.Errorf("%s = %d, want %d", path, r.Status, status)
		}
	}
}

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/portfoliod/portfoliod/api"
	"github.com/portfoliod/portfoliod/internal/anviltest"
)

// hookReceiver is a loopback receiver that answers 503 until accept is
// set, then 204, and records what it got by webhook-id. With hold set, it
// keeps the next request open, says which on holding, and answers it
// (503) only once release is closed.
type hookReceiver struct {
	*httptest.Server
	accept  atomic.Bool
	hold    atomic.Bool
	holding chan string
	release chan struct{}

	releaseOnce sync.Once

	mu       sync.Mutex
	secret   string
	refused  map[string]int // webhook-id → requests answered 503
	accepted map[string]int // webhook-id → requests answered 204
	bad      []string       // a delivery the library refused, or whose header and body disagree
}

func newHookReceiver(t *testing.T) *hookReceiver {
	rc := &hookReceiver{refused: map[string]int{}, accepted: map[string]int{}, holding: make(chan string, 1), release: make(chan struct{})}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		id := r.Header.Get("webhook-id")
		if !rc.accept.Load() && rc.hold.CompareAndSwap(true, false) {
			rc.holding <- id
			<-rc.release
		}
		rc.mu.Lock()
		defer rc.mu.Unlock()
		// The Standard Webhooks project's own library checks the
		// signature, not the project's signing code.
		wh, err := standardwebhooks.NewWebhook(rc.secret)
		if err == nil {
			err = wh.Verify(body, r.Header)
		}
		var ev struct{ ID string }
		if err == nil {
			err = json.Unmarshal(body, &ev)
		}
		if err == nil && ev.ID != id {
			err = fmt.Errorf("body id %s", ev.ID)
		}
		if err != nil {
			rc.bad = append(rc.bad, fmt.Sprintf("%s: %v", id, err))
		}
		if !rc.accept.Load() {
			rc.refused[id]++
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		rc.accepted[id]++
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(func() {
		rc.releaseHeld()
		rc.Close()
	})
	return rc
}

// releaseHeld lets the held request (if any) be answered.
func (rc *hookReceiver) releaseHeld() { rc.releaseOnce.Do(func() { close(rc.release) }) }

// counts returns copies of what rc got.
func (rc *hookReceiver) counts() (refused, accepted map[string]int, bad []string) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	refused, accepted = map[string]int{}, map[string]int{}
	for k, v := range rc.refused {
		refused[k] = v
	}
	for k, v := range rc.accepted {
		accepted[k] = v
	}
	return refused, accepted, append([]string(nil), rc.bad...)
}

// eventIDs returns the ids of the whole event log.
func eventIDs(t *testing.T, url, key string) []string {
	t.Helper()
	var ids []string
	for _, e := range eventLog[struct{ ID string }](t, url, key, "") {
		ids = append(ids, e.ID)
	}
	return ids
}

// eventLog returns the event log (the events of customer, unless ""),
// paging GET /events, each event decoded into E.
func eventLog[E any](t *testing.T, url, key, customer string) []E {
	t.Helper()
	var log []E
	after := ""
	for {
		u := url + "/events?limit=100"
		if customer != "" {
			u += "&customer=" + customer
		}
		if after != "" {
			u += "&startingAfter=" + after
		}
		status, _, body := httpDo(t, "GET", u, key, "")
		if status != http.StatusOK {
			t.Fatalf("GET /events = %d %s", status, body)
		}
		var page struct {
			Data    []E  `json:"data"`
			HasMore bool `json:"hasMore"`
		}
		var ids struct {
			Data []struct{ ID string } `json:"data"`
		}
		if err := json.Unmarshal(body, &page); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(body, &ids); err != nil {
			t.Fatal(err)
		}
		log = append(log, page.Data...)
		if !page.HasMore || len(ids.Data) == 0 {
			return log
		}
		after = ids.Data[len(ids.Data)-1].ID
	}
}

// waitWithin polls cond every 50 ms for up to d.
func waitWithin(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, d)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kill -9 of the real binary while webhook deliveries are pending in the
// outbox (each attempted and refused with a 503, waiting for a retry) and
// one is in flight (the receiver holds its request open) loses none:
// after a restart on the same store, with more changes made while it was
// down (backfilled, so their deliveries are written by the restarted
// process), every event of the log reaches a receiver that now answers
// 204, counted by webhook-id, each request's signature verified by the
// Standard Webhooks library and its body's id matching the header; the
// receiver gets no id that is not in the log. The delivery in flight at
// the kill comes back once its claim's lease (2 × webhooks.timeout + 5 s)
// lapses.
func TestWebhookDeliveriesSurviveKill9(t *testing.T) {
	start := time.Now()
	bin := buildBinary(t)
	t.Logf("built in %s", time.Since(start).Round(time.Millisecond))
	node, dep := seededAnvil(t)
	key, hash, err := api.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	rc := newHookReceiver(t)
	cfg := followerConfig(t, node.URL, dep.ChainID, dep.Token.Hex(), hash, "[read, write, admin]", `webhooks:
  allow_http: true
  allow_private_targets: true
  timeout: 1s
  retry_schedule: [250ms, 250ms, 250ms, 250ms, 250ms, 250ms, 250ms, 250ms, 250ms, 250ms, 250ms, 250ms, 250ms, 250ms, 250ms, 250ms, 250ms, 250ms, 250ms, 250ms, 250ms, 250ms, 250ms, 250ms, 250ms, 250ms, 250ms, 250ms, 250ms, 250ms]
`)
	tok := &anviltest.Token{Kind: anviltest.TREX, Address: dep.Token, Chain: node.Chain(t), Owner: anviltest.DevKey(0)}
	wallets := []common.Address{anviltest.DevAddress(7), anviltest.DevAddress(8), anviltest.DevAddress(9)}

	p := startProcess(t, bin, cfg)
	for _, w := range wallets {
		status, _, body := httpDo(t, "POST", p.URL+"/customer", key, `{"type":"INDIVIDUAL","countryCode":"US","wallets":["`+w.Hex()+`"]}`)
		if status != http.StatusOK {
			t.Fatalf("onboard = %d %s", status, body)
		}
	}
	status, _, body := httpDo(t, "POST", p.URL+"/webhooks", key, `{"url":"`+rc.URL+`/hooks","types":["balance.updated"]}`)
	if status != http.StatusCreated {
		t.Fatalf("POST /webhooks = %d %s", status, body)
	}
	var ep struct{ ID, Secret string }
	if err := json.Unmarshal(body, &ep); err != nil || ep.Secret == "" {
		t.Fatalf("POST /webhooks body %s: %v", body, err)
	}
	rc.mu.Lock()
	rc.secret = ep.Secret
	rc.mu.Unlock()
	waitForLog(t, p, "follower starts")

	// Changes while the receiver is down: a mint to each wallet, then a
	// partial freeze of two of them; one block and one event each.
	for i, w := range wallets {
		tok.Mint(t, w, big.NewInt(int64(100*(i+1))))
	}
	tok.SetFrozen(t, wallets[0], big.NewInt(40))
	tok.SetFrozen(t, wallets[2], big.NewInt(70))
	const before = 5
	type delivery struct {
		EventID      string `json:"eventId"`
		Status       string `json:"status"`
		AttemptCount int    `json:"attemptCount"`
	}
	var (
		logIDs     []string
		deliveries []delivery
	)
	// The outbox holds a delivery of each, pending, attempted and
	// refused at least once.
	waitWithin(t, 20*time.Second, "a pending delivery of each of 5 events, attempted", func() bool {
		logIDs = eventIDs(t, p.URL, key)
		status, _, body := httpDo(t, "GET", p.URL+"/webhooks/"+ep.ID+"/deliveries?limit=100", key, "")
		if status != http.StatusOK {
			t.Fatalf("GET deliveries = %d %s", status, body)
		}
		var page struct{ Data []delivery }
		if err := json.Unmarshal(body, &page); err != nil {
			t.Fatal(err)
		}
		deliveries = page.Data
		if len(logIDs) < before || len(deliveries) < before {
			return false
		}
		for _, d := range deliveries {
			if d.AttemptCount == 0 {
				return false
			}
		}
		return true
	})
	if len(logIDs) != before || len(deliveries) != before {
		t.Fatalf("%d events and %d deliveries for %d changes", len(logIDs), len(deliveries), before)
	}
	refused, _, _ := rc.counts()
	for _, d := range deliveries {
		if d.Status != "pending" || refused[d.EventID] == 0 || !slices.Contains(logIDs, d.EventID) {
			t.Errorf("delivery of %s before the kill: %s after %d attempts (%d refused), want pending after at least 1, of an event of the log",
				d.EventID, d.Status, d.AttemptCount, refused[d.EventID])
		}
	}
	// Kill while the receiver holds a retry's request open: that
	// delivery is claimed and in flight, the others pending.
	rc.hold.Store(true)
	var held string
	select {
	case held = <-rc.holding:
	case <-time.After(10 * time.Second):
		t.Fatal("no retry reached the receiver within 10 s")
	}
	if err := p.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-p.Exited()
	rc.releaseHeld()
	t.Logf("killed at %s", time.Since(start).Round(time.Millisecond))
	if st := p.State(); st == nil || st.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("process did not die by SIGKILL: %v", st)
	}
	if _, accepted, _ := rc.counts(); len(accepted) != 0 {
		t.Fatalf("the receiver accepted %v while it answered 503", accepted)
	}

	// Changes while the process is down: the restart backfills them.
	tok.Mint(t, wallets[1], big.NewInt(5))
	tok.SetFrozen(t, wallets[0], big.NewInt(10))
	tok.Mint(t, wallets[2], big.NewInt(7))
	const after = before + 3

	p = startProcess(t, bin, cfg)
	waitWithin(t, 20*time.Second, "the backfilled events in the log", func() bool {
		logIDs = eventIDs(t, p.URL, key)
		return len(logIDs) >= after
	})
	rc.accept.Store(true)
	t.Logf("restarted, receiver up at %s", time.Since(start).Round(time.Millisecond))
	waitWithin(t, 30*time.Second, "every event of the log accepted by the receiver", func() bool {
		_, accepted, _ := rc.counts()
		for _, id := range logIDs {
			if accepted[id] == 0 {
				return false
			}
		}
		return true
	})

	logIDs = eventIDs(t, p.URL, key)
	if len(logIDs) != after {
		t.Errorf("%d events in the log for %d changes", len(logIDs), after)
	}
	refused, accepted, bad := rc.counts()
	for _, b := range bad {
		t.Errorf("delivery not verified: %s", b)
	}
	inLog := map[string]bool{}
	for _, id := range logIDs {
		inLog[id] = true
		if accepted[id] == 0 {
			t.Errorf("event %s never delivered", id)
		}
	}
	for id := range accepted {
		if !inLog[id] {
			t.Errorf("the receiver accepted %s, which is not in the event log", id)
		}
	}
	for id := range refused {
		if !inLog[id] {
			t.Errorf("the receiver was sent %s, which is not in the event log", id)
		}
	}
	dups := 0
	for _, n := range accepted {
		dups += n - 1
	}
	if accepted[held] == 0 {
		t.Errorf("the delivery of %s, in flight at the kill, never arrived", held)
	}
	t.Logf("%d events, %d accepted after the restart (%d duplicates), %d refused before; %s in flight at the kill; %s",
		len(logIDs), len(accepted), dups, len(refused), held, time.Since(start).Round(time.Millisecond))
}

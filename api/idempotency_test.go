package api

import (
	"bufio"
	"context"
	"errors"
	"math/big"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/customers/bolt"
)

// gatedNode stands in for a node that hangs: Balances blocks until gate is
// closed (or the request ends), then reports every wallet empty at block
// 7. A real node cannot be made to hang on cue.
type gatedNode struct {
	mu      sync.Mutex
	gate    chan struct{}
	entered chan struct{} // receives once per PortfolioOf call
	// ignoreCancel makes PortfolioOf wait for the gate even after the
	// request ends, to hold an Idempotency-Key past the request budget.
	ignoreCancel bool
}

func newGatedNode() *gatedNode {
	return &gatedNode{gate: make(chan struct{}), entered: make(chan struct{}, 16)}
}

// open lets every PortfolioOf call pass.
func (g *gatedNode) open() {
	g.mu.Lock()
	defer g.mu.Unlock()
	close(g.gate)
}

// release lets the PortfolioOf call waiting at the gate return, and arms a
// new gate for the next.
func (g *gatedNode) release() {
	g.mu.Lock()
	old := g.gate
	g.gate = make(chan struct{})
	g.mu.Unlock()
	close(old)
}

var gatedBlock = portfoliod.Block{Number: 7, Hash: common.HexToHash("0x07")}

func (g *gatedNode) PortfolioOf(ctx context.Context, c portfoliod.Customer, _ portfoliod.ReadOptions) (portfoliod.Portfolio, error) {
	g.mu.Lock()
	gate := g.gate
	g.mu.Unlock()
	g.entered <- struct{}{}
	done := ctx.Done()
	if g.ignoreCancel {
		done = nil
	}
	select {
	case <-gate:
	case <-done:
		return portfoliod.Portfolio{}, ctx.Err()
	}
	p := portfoliod.Portfolio{Customer: c, Block: gatedBlock}
	for _, w := range c.Wallets {
		p.Balances = append(p.Balances, portfoliod.Balance{Wallet: w, Total: new(big.Int), Frozen: new(big.Int), Available: new(big.Int)})
	}
	return p, nil
}

func (g *gatedNode) Portfolio(context.Context, string, portfoliod.ReadOptions) (portfoliod.Portfolio, error) {
	return portfoliod.Portfolio{}, errors.New("not used")
}

func (g *gatedNode) Wallet(context.Context, common.Address, portfoliod.ReadOptions) (portfoliod.Snapshot, error) {
	return portfoliod.Snapshot{}, errors.New("not used")
}

func (g *gatedNode) Tokens() []portfoliod.Token { return nil }

// A replay carries the headers of the first response: the block its
// balances were read at, or the warning that they could not be.
func TestIdempotentReplayHeaders(t *testing.T) {
	body := `{"type":"INDIVIDUAL","countryCode":"US","wallets":["0x00000000000000000000000000000000000000d2"]}`
	t.Run("warning", func(t *testing.T) {
		e := mustServe(t, nil) // no chain: balances omitted with a Warning
		first := e.do(t, "POST", "/customer", writeKey, body, "Idempotency-Key", "w1")
		replay := e.do(t, "POST", "/customer", writeKey, body, "Idempotency-Key", "w1")
		if w := first.Header.Get("Warning"); w == "" || replay.Header.Get("Warning") != w {
			t.Errorf("Warning: first %q, replay %q", w, replay.Header.Get("Warning"))
		}
		if replay.Header.Get("Idempotent-Replayed") != "true" {
			t.Error("second response is not a replay")
		}
	})
	t.Run("block", func(t *testing.T) {
		g := newGatedNode()
		g.open()
		e := mustServe(t, g)
		first := e.do(t, "POST", "/customer", writeKey, body, "Idempotency-Key", "b1")
		replay := e.do(t, "POST", "/customer", writeKey, body, "Idempotency-Key", "b1")
		for _, h := range []string{"X-Block-Number", "X-Block-Hash"} {
			if v := first.Header.Get(h); v == "" || replay.Header.Get(h) != v {
				t.Errorf("%s: first %q, replay %q", h, v, replay.Header.Get(h))
			}
		}
		if first.Header.Get("X-Block-Number") != "7" {
			t.Errorf("X-Block-Number = %q, want 7", first.Header.Get("X-Block-Number"))
		}
	})
}

// Requests with the same Idempotency-Key run one at a time (the second
// replays the first), while a request with another key never waits for
// them.
func TestIdempotencyKeysDoNotBlockEachOther(t *testing.T) {
	g := newGatedNode()
	e := mustServe(t, g)
	body := `{"type":"INDIVIDUAL","countryCode":"US","wallets":["0x00000000000000000000000000000000000000d3"]}`
	post := func(key, body string) chan response {
		ch := make(chan response, 1)
		go func() { ch <- e.do(t, "POST", "/customer", writeKey, body, "Idempotency-Key", key) }()
		return ch
	}
	first := post("same", body)
	<-g.entered // the first holds its key, waiting for the node
	second := post("same", body)

	// "other-67" shared a lock stripe with "same" when keys were locked
	// by hash stripes.
	start := time.Now()
	other := e.do(t, "POST", "/customer", writeKey, `{"type":"INDIVIDUAL","countryCode":"US"}`, "Idempotency-Key", "other-67")
	if other.Status != 200 || time.Since(start) > 2*time.Second {
		t.Errorf("another key: %d after %s, want 200 at once", other.Status, time.Since(start))
	}
	select {
	case r := <-second:
		t.Fatalf("the same key ran while the first was in flight: %d %s", r.Status, r.Body)
	case <-time.After(200 * time.Millisecond):
	}
	g.release()
	r1, r2 := <-first, <-second
	if r1.Status != 200 || r2.Status != 200 || string(r1.Body) != string(r2.Body) || r2.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("first %d %s; second %d %s (replayed %q), want the second to replay the first",
			r1.Status, r1.Body, r2.Status, r2.Body, r2.Header.Get("Idempotent-Replayed"))
	}
	if c, _ := storeCount(t, e.store); c != 2 {
		t.Errorf("customers = %d, want 2", c)
	}
}

// A body the client did not finish sending properly is the client's
// error: 400, never 500. Raw TCP, because Go's client cannot send a
// malformed chunked body.
func TestMalformedBodyIs400(t *testing.T) {
	e := mustServe(t, nil)
	addr := strings.TrimPrefix(e.url, "http://")
	for _, key := range []string{"", "chunked-k"} {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		req := "POST /customer HTTP/1.1\r\nHost: x\r\nx-api-key: " + writeKey + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
		if key != "" {
			req += "Idempotency-Key: " + key + "\r\n"
		}
		req += "\r\n5\r\n{\"typ\r\nZZ\r\n"
		if _, err := conn.Write([]byte(req)); err != nil {
			t.Fatal(err)
		}
		_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		r := response{Status: res.StatusCode}
		var b strings.Builder
		_, _ = bufio.NewReader(res.Body).WriteTo(&b)
		res.Body.Close()
		conn.Close()
		r.Body = []byte(b.String())
		if r.Status != 400 {
			t.Errorf("Idempotency-Key %q: status %d %s, want 400", key, r.Status, r.Body)
			continue
		}
		if code, _ := r.errorCode(t); code != "invalid_request" {
			t.Errorf("code = %s", code)
		}
	}
	if c, _ := storeCount(t, e.store); c != 0 {
		t.Errorf("customers = %d, want 0", c)
	}
}

// Idempotency records are stamped and expired on one clock, the store's:
// a store whose clock runs two days ahead (the TTL is one) still replays
// a record saved a moment ago.
func TestIdempotencyUsesTheStoreClock(t *testing.T) {
	store, err := bolt.Open(filepath.Join(t.TempDir(), "test.db"), bolt.Options{
		Now: func() time.Time { return time.Now().Add(48 * time.Hour) },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	e := serveStore(t, store, nil)
	body := `{"type":"INDIVIDUAL","countryCode":"US"}`
	first := e.do(t, "POST", "/customer", writeKey, body, "Idempotency-Key", "clock-1")
	again := e.do(t, "POST", "/customer", writeKey, body, "Idempotency-Key", "clock-1")
	if first.Status != 200 || again.Header.Get("Idempotent-Replayed") != "true" || string(again.Body) != string(first.Body) {
		t.Errorf("retry = %d replayed=%q %s, want the first answer %s replayed", again.Status, again.Header.Get("Idempotent-Replayed"), again.Body, first.Body)
	}
	if n, _ := storeCount(t, store); n != 1 {
		t.Errorf("%d customers stored, want 1", n)
	}
}

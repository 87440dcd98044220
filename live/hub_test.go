package live

import (
	"fmt"
	"testing"
	"time"

	"github.com/portfoliod/portfoliod"
)

func testEvents(n int, customer string) []portfoliod.Event {
	evs := make([]portfoliod.Event, n)
	for i := range evs {
		evs[i] = portfoliod.Event{ID: fmt.Sprintf("evt_%032d", i), Type: portfoliod.EventBalanceUpdated,
			Data: portfoliod.BalanceChange{CustomerID: customer}}
	}
	return evs
}

// A client that stops reading is dropped once its buffer is full; a fast
// client and the publisher are not held up by it.
func TestHubDropsSlowClients(t *testing.T) {
	h := NewHub()
	drops := 0
	h.OnDrop = func() { drops++ }
	slow := h.Subscribe(nil)
	fast := h.Subscribe(nil)
	got := make(chan int)
	go func() {
		n := 0
		for range fast.Events() {
			n++
		}
		got <- n
	}()
	start := time.Now()
	total := 3 * DefaultBuffer
	for _, e := range testEvents(total, "customer_000000000001") {
		h.Publish([]portfoliod.Event{e})
		time.Sleep(10 * time.Microsecond) // let the fast reader keep up
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("publishing took %s with a stalled client", d)
	}
	if !slow.Dropped() || drops != 1 {
		t.Errorf("slow client dropped = %v, OnDrop calls %d", slow.Dropped(), drops)
	}
	n := 0
	for range slow.Events() { // closed after its buffer
		n++
	}
	if n != DefaultBuffer {
		t.Errorf("slow client got %d events before the drop, want %d", n, DefaultBuffer)
	}
	h.Close()
	if n := <-got; n != total || fast.Dropped() {
		t.Errorf("fast client got %d of %d events (dropped %v)", n, total, fast.Dropped())
	}
	if s := h.Subscribe(nil); func() bool { _, open := <-s.Events(); return open }() {
		t.Error("a subscription to a closed hub is open")
	}
}

func TestHubFilters(t *testing.T) {
	h := NewHub()
	mine := h.Subscribe(func(e portfoliod.Event) bool { return e.Data.CustomerID == "customer_000000000002" })
	defer mine.Close()
	h.Publish(append(testEvents(3, "customer_000000000001"), testEvents(2, "customer_000000000002")...))
	if n := len(mine.Events()); n != 2 {
		t.Errorf("filtered subscription holds %d events, want 2", n)
	}
	mine.Close()
	mine.Close() // twice is fine
	if h.Clients() != 0 {
		t.Errorf("%d clients after Close", h.Clients())
	}
}

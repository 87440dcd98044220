package live

import (
	"sync"

	"github.com/portfoliod/portfoliod"
)

// DefaultBuffer is how many events a subscription holds for a client
// that has not taken them yet; past it the client is dropped.
const DefaultBuffer = 256

// Hub fans committed events out to subscriptions (stream clients). A
// client that falls DefaultBuffer events behind is dropped rather than
// allowed to delay the follower or any other client. It is safe for
// concurrent use.
type Hub struct {
	mu     sync.Mutex
	subs   map[*Subscription]struct{}
	closed bool
	// OnDrop, when set before use, is called for each dropped client.
	OnDrop func()
}

// NewHub returns an empty hub.
func NewHub() *Hub { return &Hub{subs: map[*Subscription]struct{}{}} }

// Subscription receives the events its filter accepts, in publication
// order, until it is closed, dropped for being slow, or the hub closes;
// then Events is closed.
type Subscription struct {
	hub     *Hub
	filter  func(portfoliod.Event) bool
	ch      chan portfoliod.Event
	once    sync.Once
	dropped bool // guarded by hub.mu
}

// Subscribe returns a subscription to the events filter accepts (nil:
// all). On a closed hub the subscription is closed at once.
func (h *Hub) Subscribe(filter func(portfoliod.Event) bool) *Subscription {
	s := &Subscription{hub: h, filter: filter, ch: make(chan portfoliod.Event, DefaultBuffer)}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		s.once.Do(func() { close(s.ch) })
		return s
	}
	h.subs[s] = struct{}{}
	return s
}

// Events is the subscription's channel.
func (s *Subscription) Events() <-chan portfoliod.Event { return s.ch }

// Dropped reports whether the hub dropped the subscription because its
// client fell behind.
func (s *Subscription) Dropped() bool {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	return s.dropped
}

// Close ends the subscription; it is safe to call more than once.
func (s *Subscription) Close() {
	s.hub.mu.Lock()
	delete(s.hub.subs, s)
	s.hub.mu.Unlock()
	s.once.Do(func() { close(s.ch) })
}

// Publish hands events to every subscription that accepts them, without
// blocking: a subscription whose buffer is full is dropped.
func (h *Hub) Publish(events []portfoliod.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs {
		for _, e := range events {
			if s.filter != nil && !s.filter(e) {
				continue
			}
			select {
			case s.ch <- e:
				continue
			default:
			}
			s.dropped = true
			delete(h.subs, s)
			s.once.Do(func() { close(s.ch) })
			if h.OnDrop != nil {
				h.OnDrop()
			}
			break
		}
	}
}

// Clients returns how many subscriptions are open.
func (h *Hub) Clients() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}

// Close ends every subscription and refuses new ones: streams end so that
// a shutdown does not wait for them.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for s := range h.subs {
		delete(h.subs, s)
		s.once.Do(func() { close(s.ch) })
	}
}

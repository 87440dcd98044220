package anviltest

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Proxy stands in front of a real node and forwards every request
// (after a delay, if told) until it is told to fail, then answers every
// request HTTP 503. It is a fake on
// purpose, as chain's switchProxy is: a real node cannot be made to fail
// on cue, in the middle of a read, and that is the case under test.
type Proxy struct {
	URL string
	// failing is set by Fail, or once failAfter requests containing
	// match have been forwarded.
	failing   atomic.Bool
	match     []byte
	failAfter atomic.Int64 // 0: no automatic failure
	matched   atomic.Int64
	requests  atomic.Int64
	delay     atomic.Int64 // nanoseconds before forwarding

	rewriteMu   sync.Mutex
	from, to    []byte
	rewriteLeft int
}

// NewProxy starts a Proxy to the node at target, closed when the test
// ends.
func NewProxy(tb testing.TB, target string) *Proxy {
	tb.Helper()
	u, err := url.Parse(target)
	if err != nil {
		tb.Fatal(err)
	}
	p := &Proxy{}
	rp := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.requests.Add(1)
		body, _ := io.ReadAll(r.Body)
		if p.failing.Load() {
			http.Error(w, "node overloaded", http.StatusServiceUnavailable)
			return
		}
		if n := p.failAfter.Load(); n > 0 && bytes.Contains(body, p.match) && p.matched.Add(1) > n {
			p.failing.Store(true)
			http.Error(w, "node overloaded", http.StatusServiceUnavailable)
			return
		}
		if d := time.Duration(p.delay.Load()); d > 0 {
			select {
			case <-time.After(d):
			case <-r.Context().Done():
				return
			}
		}
		p.rewriteMu.Lock()
		if p.rewriteLeft > 0 && bytes.Contains(body, p.from) {
			body = bytes.ReplaceAll(body, p.from, p.to)
			p.rewriteLeft--
		}
		p.rewriteMu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		rp.ServeHTTP(w, r)
	}))
	tb.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

// Fail makes every later request fail (on) or be forwarded again (off).
func (p *Proxy) Fail(on bool) { p.failing.Store(on) }

// FailAfter forwards n more requests whose body contains match (say a
// function selector), then fails every request.
func (p *Proxy) FailAfter(match string, n int64) {
	p.match = []byte(strings.ToLower(match))
	p.matched.Store(0)
	p.failAfter.Store(n)
}

// Delay holds every forwarded request d before forwarding it: a slow
// node.
func (p *Proxy) Delay(d time.Duration) { p.delay.Store(int64(d)) }

// Rewrite replaces from with to in the next n request bodies holding
// from: a node that runs a call elsewhere than it was asked (a block hash
// swapped for another), which a real node does only by accident.
func (p *Proxy) Rewrite(from, to string, n int) {
	p.rewriteMu.Lock()
	defer p.rewriteMu.Unlock()
	p.from, p.to, p.rewriteLeft = []byte(from), []byte(to), n
}

// Requests is the number of requests received.
func (p *Proxy) Requests() int64 { return p.requests.Load() }

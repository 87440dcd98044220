package anviltest

import (
	"bytes"
	"encoding/json"
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

	refuse atomic.Pointer[func(method string, params json.RawMessage) *RPCError]
	target string
}

// RPCError is a JSON-RPC error object, as a node answers a call with.
type RPCError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    any    `json:"data,omitempty"`
}

// NewProxy starts a Proxy to the node at target, closed when the test
// ends.
func NewProxy(tb testing.TB, target string) *Proxy {
	tb.Helper()
	u, err := url.Parse(target)
	if err != nil {
		tb.Fatal(err)
	}
	p := &Proxy{target: target}
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
		if refuse := p.refuse.Load(); refuse != nil {
			if answer, ok := p.answerRefusing(*refuse, body); ok {
				w.Header().Set("Content-Type", "application/json")
				w.Write(answer)
				return
			}
		}
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

// Refuse makes the proxy answer every JSON-RPC call, alone or in a batch,
// for which refuse returns an error with that error instead of forwarding
// it (the other calls of a batch are forwarded, and the answers merged):
// a node or provider limit that anvil does not have, such as a logs query
// refused as too wide. nil forwards everything again.
func (p *Proxy) Refuse(refuse func(method string, params json.RawMessage) *RPCError) {
	if refuse == nil {
		p.refuse.Store(nil)
		return
	}
	p.refuse.Store(&refuse)
}

type proxiedCall struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
}

// answerRefusing answers body when refuse refuses one of its calls; false
// leaves the whole request to be forwarded.
func (p *Proxy) answerRefusing(refuse func(string, json.RawMessage) *RPCError, body []byte) ([]byte, bool) {
	trimmed := bytes.TrimSpace(body)
	batch := len(trimmed) > 0 && trimmed[0] == '['
	var calls []proxiedCall
	if batch {
		if json.Unmarshal(trimmed, &calls) != nil {
			return nil, false
		}
	} else {
		var c proxiedCall
		if json.Unmarshal(trimmed, &c) != nil {
			return nil, false
		}
		calls = []proxiedCall{c}
	}
	answers := make([]json.RawMessage, len(calls))
	var forward []proxiedCall
	var forwardAt []int
	for i, c := range calls {
		if e := refuse(c.Method, c.Params); e != nil {
			answers[i], _ = json.Marshal(map[string]any{"jsonrpc": "2.0", "id": c.ID, "error": e})
			continue
		}
		forward = append(forward, c)
		forwardAt = append(forwardAt, i)
	}
	if len(forward) == len(calls) {
		return nil, false
	}
	if len(forward) > 0 {
		req := make([]map[string]any, len(forward))
		for i, c := range forward {
			req[i] = map[string]any{"jsonrpc": "2.0", "id": c.ID, "method": c.Method, "params": c.Params}
		}
		out, _ := json.Marshal(req)
		resp, err := http.Post(p.target, "application/json", bytes.NewReader(out))
		if err != nil {
			return nil, false
		}
		defer resp.Body.Close()
		var replies []json.RawMessage
		if json.NewDecoder(resp.Body).Decode(&replies) != nil || len(replies) != len(forward) {
			return nil, false
		}
		// Matched by id, as a batch's answers may come in any order.
		byID := map[string]json.RawMessage{}
		for _, r := range replies {
			var id struct {
				ID json.RawMessage `json:"id"`
			}
			json.Unmarshal(r, &id)
			byID[string(id.ID)] = r
		}
		for i, c := range forward {
			answers[forwardAt[i]] = byID[string(c.ID)]
		}
	}
	if !batch {
		return answers[0], true
	}
	out, _ := json.Marshal(answers)
	return out, true
}

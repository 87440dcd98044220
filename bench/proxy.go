package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// maxProxyBody bounds a request body the proxy accepts.
const maxProxyBody = 64 << 20

// nodeProxy is an HTTP reverse proxy in front of anvil that stands in for a
// remote node: it adds a fixed delay to every HTTP request and counts HTTP
// requests and the JSON-RPC calls inside them (a batch counts one call per
// element). Counters are safe for concurrent use.
type nodeProxy struct {
	URL string

	upstream string
	delay    time.Duration
	client   *http.Client
	srv      *http.Server
	done     chan struct{}

	httpRequests atomic.Int64
	rpcCalls     atomic.Int64
	ethCalls     atomic.Int64
	headPolls    atomic.Int64
	badBodies    atomic.Int64
	inflight     atomic.Int64
	// lastHeadPoll is the start time (unix ns) of the most recently
	// started head poll that has completed: a head poll that started
	// after a block was mined has seen that block.
	lastHeadPoll atomic.Int64

	mu      sync.Mutex
	methods map[string]int64
	// attr, while set (attribute), sorts every request to the follower,
	// the API or neither (see classify), by its needle.
	attr *attribution
}

// attribution is the proxy's sorting of requests between the follower
// and API load: needle is the minted wallet's address as it appears in
// the follower's multicall calldata (lower-case hex, no 0x).
type attribution struct {
	needle []byte
	counts attrStats
}

// attrStats counts requests by whom they are attributed to. Unsure ones
// (neither the follower's nor the API's for sure) are counted in
// Follower too.
type attrStats struct {
	Follower, Unsure, API, HeadPolls int64 // HTTP requests
	FollowerMethods, APIMethods      map[string]int64
}

func (a attrStats) sub(o attrStats) attrStats {
	return attrStats{Follower: a.Follower - o.Follower, Unsure: a.Unsure - o.Unsure, API: a.API - o.API, HeadPolls: a.HeadPolls - o.HeadPolls,
		FollowerMethods: subCounts(a.FollowerMethods, o.FollowerMethods), APIMethods: subCounts(a.APIMethods, o.APIMethods)}
}

// subCounts returns the counts of a less those of b, leaving out zeros.
func subCounts(a, b map[string]int64) map[string]int64 {
	d := map[string]int64{}
	for m, n := range a {
		if v := n - b[m]; v != 0 {
			d[m] = v
		}
	}
	return d
}

// Who a request is attributed to (classify).
const (
	byHeadPoll = iota // a head lookup alone: head tracking, neither's
	byFollower
	byAPI
	byUnsure // counted as the follower's
)

// classify attributes one request, given its calls, its body and the
// minted wallet's needle: a head lookup alone (eth_blockNumber, a block
// by tag, no eth_call) is a head poll; eth_getLogs or a block by number
// is the follower's (the API's latest reads resolve the head by tag, and
// pin their reads to a hash); an eth_call whose body names the minted
// wallet is the follower's multicall (the API load reads customers that
// are never minted to); eth_calls not naming it, alone or with the
// latest header (a latest read's batch), are the API's. Anything else
// (an unparsable body, eth_chainId, eth_getCode, eth_getBlockByHash, ...)
// is unsure.
func classify(calls []callInfo, body, needle []byte) int {
	if len(calls) == 0 {
		return byUnsure
	}
	head, reads, other := false, false, false
	for _, c := range calls {
		switch {
		case c.method == "eth_getLogs", needsParams(c.method) && c.tag == "":
			return byFollower
		case c.method == "eth_call":
			reads = true
		case c.head:
			head = true
		default:
			other = true
		}
	}
	switch {
	case reads && bytes.Contains(body, needle):
		return byFollower
	case other:
		return byUnsure
	case reads:
		return byAPI
	case head:
		return byHeadPoll
	}
	return byUnsure
}

// attribute starts sorting requests between the follower and the API,
// the follower's multicall naming w (see classify), or moves the needle
// to w.
func (p *nodeProxy) attribute(w common.Address) {
	needle := []byte(hex.EncodeToString(w[:]))
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.attr == nil {
		p.attr = &attribution{counts: attrStats{FollowerMethods: map[string]int64{}, APIMethods: map[string]int64{}}}
	}
	p.attr.needle = needle
}

// stopAttributing ends the sorting started by attribute.
func (p *nodeProxy) stopAttributing() {
	p.mu.Lock()
	p.attr = nil
	p.mu.Unlock()
}

// AttrStats returns a snapshot of the attribution's counts (zero when
// none is running).
func (p *nodeProxy) AttrStats() attrStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.attr == nil {
		return attrStats{}
	}
	c := p.attr.counts
	c.FollowerMethods, c.APIMethods = maps.Clone(c.FollowerMethods), maps.Clone(c.APIMethods)
	return c
}

// proxyStats is a snapshot of the proxy's counters.
type proxyStats struct {
	HTTPRequests int64
	RPCCalls     int64
	EthCalls     int64
	HeadPolls    int64
	Methods      map[string]int64
}

// sub returns s - o.
func (s proxyStats) sub(o proxyStats) proxyStats {
	return proxyStats{
		HTTPRequests: s.HTTPRequests - o.HTTPRequests,
		RPCCalls:     s.RPCCalls - o.RPCCalls,
		EthCalls:     s.EthCalls - o.EthCalls,
		HeadPolls:    s.HeadPolls - o.HeadPolls,
		Methods:      subCounts(s.Methods, o.Methods),
	}
}

// methodSummary renders the method counts, e.g. "eth_call×3 eth_blockNumber×1".
func (s proxyStats) methodSummary() string { return methodSummary(s.Methods) }

// methodSummary renders method counts, most first.
func methodSummary(methods map[string]int64) string {
	names := make([]string, 0, len(methods))
	for m := range methods {
		names = append(names, m)
	}
	sort.Slice(names, func(i, j int) bool {
		if methods[names[i]] != methods[names[j]] {
			return methods[names[i]] > methods[names[j]]
		}
		return names[i] < names[j]
	})
	parts := make([]string, len(names))
	for i, m := range names {
		parts[i] = fmt.Sprintf("%s×%d", m, methods[m])
	}
	return strings.Join(parts, " ")
}

// startProxy serves the proxy on a free loopback port.
func startProxy(upstream string, delay time.Duration) (*nodeProxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	// The proxy is the "network": it must not add connection setup or
	// queueing of its own, so it keeps enough idle connections to anvil.
	tr.MaxIdleConns = 1024
	tr.MaxIdleConnsPerHost = 1024
	p := &nodeProxy{
		URL:      "http://" + ln.Addr().String(),
		upstream: upstream,
		delay:    delay,
		client:   &http.Client{Transport: tr, Timeout: 2 * time.Minute},
		done:     make(chan struct{}),
		methods:  map[string]int64{},
	}
	p.srv = &http.Server{
		Handler:           p,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	go func() {
		defer close(p.done)
		_ = p.srv.Serve(ln)
	}()
	return p, nil
}

// Close stops the proxy.
func (p *nodeProxy) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := p.srv.Shutdown(ctx); err != nil {
		_ = p.srv.Close()
	}
	<-p.done
	p.client.CloseIdleConnections()
}

// Stats returns a snapshot of the counters.
func (p *nodeProxy) Stats() proxyStats {
	p.mu.Lock()
	m := maps.Clone(p.methods)
	p.mu.Unlock()
	return proxyStats{
		HTTPRequests: p.httpRequests.Load(),
		RPCCalls:     p.rpcCalls.Load(),
		EthCalls:     p.ethCalls.Load(),
		HeadPolls:    p.headPolls.Load(),
		Methods:      m,
	}
}

// waitHeadPoll waits until a head poll that started after since has
// completed, or timeout passes; it reports whether one did.
func (p *nodeProxy) waitHeadPoll(ctx context.Context, since time.Time, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		if p.lastHeadPoll.Load() > since.UnixNano() {
			return true
		}
		time.Sleep(2 * time.Millisecond)
	}
	return false
}

// waitQuiet waits until no request has been in flight for quiet, or
// timeout passes.
func (p *nodeProxy) waitQuiet(ctx context.Context, quiet, timeout time.Duration) {
	deadline := time.Now().Add(timeout)
	var idleSince time.Time
	for time.Now().Before(deadline) && ctx.Err() == nil {
		if p.inflight.Load() > 0 {
			idleSince = time.Time{}
		} else if idleSince.IsZero() {
			idleSince = time.Now()
		} else if time.Since(idleSince) >= quiet {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

func (p *nodeProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	p.httpRequests.Add(1)
	p.inflight.Add(1)
	defer p.inflight.Add(-1)
	if r.Header.Get("Upgrade") != "" {
		http.Error(w, "the benchmark proxy speaks HTTP JSON-RPC only", http.StatusBadRequest)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxProxyBody))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	calls, err := parseCalls(body)
	if err != nil {
		p.badBodies.Add(1)
	}
	// A head poll is a request with a head lookup and no eth_call: a
	// latest read that carries its header in its multicall's batch is a
	// read.
	head, reads := false, false
	p.rpcCalls.Add(int64(len(calls)))
	p.mu.Lock()
	for _, c := range calls {
		p.methods[c.label()]++
		if c.method == "eth_call" {
			p.ethCalls.Add(1)
			reads = true
		}
		head = head || c.head
	}
	head = head && !reads
	if a := p.attr; a != nil {
		who := classify(calls, body, a.needle)
		if err != nil {
			who = byUnsure
		}
		methods := a.counts.FollowerMethods
		switch who {
		case byHeadPoll:
			a.counts.HeadPolls++
			methods = nil
		case byAPI:
			a.counts.API++
			methods = a.counts.APIMethods
		case byUnsure:
			a.counts.Unsure++
			fallthrough
		case byFollower:
			a.counts.Follower++
		}
		for _, c := range calls {
			if methods != nil {
				methods[c.label()]++
			}
		}
	}
	p.mu.Unlock()
	if head {
		p.headPolls.Add(1)
	}

	// The delay stands in for the round trip to a remote node.
	t := time.NewTimer(p.delay)
	select {
	case <-t.C:
	case <-r.Context().Done():
		t.Stop()
		return
	}

	req, err := http.NewRequestWithContext(r.Context(), r.Method, p.upstream, bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := p.client.Do(req)
	if err != nil {
		http.Error(w, "upstream: "+err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
	if head {
		for {
			old := p.lastHeadPoll.Load()
			if start.UnixNano() <= old || p.lastHeadPoll.CompareAndSwap(old, start.UnixNano()) {
				break
			}
		}
	}
}

// callInfo is one JSON-RPC call of a request body.
type callInfo struct {
	method string
	head   bool   // a head poll: eth_blockNumber, or a block by tag
	tag    string // the block tag of a head poll by tag ("latest")
}

// label is the name the proxy counts the call under: the method, with
// the tag of a block asked for by tag, so that the head polls
// (eth_getBlockByNumber(latest)) are told from the follower's headers by
// number (eth_getBlockByNumber).
func (c callInfo) label() string {
	if c.tag != "" {
		return c.method + "(" + c.tag + ")"
	}
	return c.method
}

// newCall describes a call from its method and params.
func newCall(method string, params json.RawMessage) callInfo {
	tag := headTag(method, params)
	return callInfo{method: method, head: method == "eth_blockNumber" || tag != "", tag: tag}
}

// parseCalls lists the calls of a JSON-RPC body: one for an object, one per
// element for a batch array. For an object it stops reading at the method
// (go-ethereum writes method before params) unless the params are needed
// to tell a head poll, so a large multicall body is not decoded in full.
func parseCalls(body []byte) ([]callInfo, error) {
	b := bytes.TrimLeft(body, " \t\r\n")
	if len(b) == 0 {
		return nil, errors.New("empty body")
	}
	if b[0] == '[' {
		var msgs []struct {
			Method string          `json:"method"`
			Params json.RawMessage `json:"params"`
		}
		if err := json.Unmarshal(b, &msgs); err != nil {
			return nil, err
		}
		out := make([]callInfo, len(msgs))
		for i, m := range msgs {
			out[i] = newCall(m.Method, m.Params)
		}
		return out, nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	var method string
	var params json.RawMessage
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return nil, err
		}
		switch k {
		case "method":
			if err := dec.Decode(&method); err != nil {
				return nil, err
			}
			if !needsParams(method) || params != nil {
				return []callInfo{newCall(method, params)}, nil
			}
		case "params":
			if err := dec.Decode(&params); err != nil {
				return nil, err
			}
			if method != "" {
				return []callInfo{newCall(method, params)}, nil
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, err
			}
		}
	}
	if method == "" {
		return nil, errors.New("no method")
	}
	return []callInfo{newCall(method, params)}, nil
}

func needsParams(method string) bool {
	return method == "eth_getBlockByNumber" || method == "eth_getHeaderByNumber"
}

// headTag returns the tag of a block asked for by tag ("latest", ...),
// which follows the head, unlike a read pinned to a block; "" otherwise.
func headTag(method string, params json.RawMessage) string {
	if !needsParams(method) {
		return ""
	}
	var ps []json.RawMessage
	if json.Unmarshal(params, &ps) != nil || len(ps) == 0 {
		return ""
	}
	var tag string
	if json.Unmarshal(ps[0], &tag) != nil {
		return ""
	}
	switch tag {
	case "latest", "safe", "finalized", "pending":
		return tag
	}
	return ""
}

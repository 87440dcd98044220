package chain

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/rpc"
)

// Observer receives node-call events, for metrics. Implementations must be
// safe for concurrent use and must not block.
type Observer interface {
	// OnCall reports one JSON-RPC request (a single call or a whole batch,
	// method "batch:eth_call" then) to the endpoint labelled endpoint (see
	// RedactURL) that ended with outcome (one of the Outcome constants)
	// after d.
	OnCall(method, endpoint, outcome string, d time.Duration)
	// OnBatch reports the number of token calls sent in one eth_call
	// (multicall modes) or one JSON-RPC batch (batch mode).
	OnBatch(calls int)
	// OnCache reports, for one snapshot read with the cache enabled, how
	// many distinct wallets were served from the cache (hits) and how many
	// had to be read from the node or from a read already in flight
	// (misses).
	OnCache(hits, misses int)
	// OnHead reports a new chain head taken by the head tracker: its number
	// and block timestamp (a head replaced at the same number by a reorg is
	// reported too).
	OnHead(number uint64, blockTime time.Time)
}

// Outcomes reported to Observer.OnCall.
const (
	OutcomeOK          = "ok"          // the node answered
	OutcomeError       = "error"       // the node answered with an error (e.g. a revert)
	OutcomeUnavailable = "unavailable" // transport error or HTTP error status
	OutcomeTimeout     = "timeout"     // CallTimeout elapsed
	OutcomeCanceled    = "canceled"    // the caller's context ended
	OutcomeLagging     = "lagging"     // the endpoint does not know the block
)

// EndpointStats are the counters of one endpoint, from Reader.Stats.
type EndpointStats struct {
	// Endpoint is the redacted URL (RedactURL).
	Endpoint string
	// Requests counts HTTP requests sent to the endpoint (one per single
	// call and one per JSON-RPC batch). A request net/http resent on a
	// new connection, after the node closed a kept-alive one under it
	// (see replayable), counts once.
	Requests uint64
	// Failures counts attempts that failed over to another endpoint.
	Failures uint64
	// Healthy is false while the endpoint is backing off after a failure.
	Healthy bool
}

// endpoint is one node URL with its client, health and counters.
type endpoint struct {
	label  string
	client *rpc.Client
	// url and http send the multicall requests that bypass client (see
	// postJSON): the same URL, so net/http applies the same basic auth
	// from its user info, and the same counting client.
	url      string
	http     *http.Client
	requests atomic.Uint64
	failures atomic.Uint64

	mu         sync.Mutex
	fails      int       // consecutive failures
	retryAfter time.Time // unhealthy until then
	verified   bool      // eth_chainId checked since the last failure
	wrongChain error     // set when the endpoint serves another chain; checked again after retryAfter
}

func (e *endpoint) healthy(now time.Time) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return !now.Before(e.retryAfter)
}

func (e *endpoint) markOK() {
	e.mu.Lock()
	e.fails = 0
	e.retryAfter = time.Time{}
	e.mu.Unlock()
}

// markFailed starts or doubles the back-off and returns it.
func (e *endpoint) markFailed(now time.Time, base, ceiling time.Duration) time.Duration {
	e.failures.Add(1)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.fails++
	// Whatever answers here next may be another node (a restarted dev
	// chain, a re-pointed load balancer): check its chain id again.
	e.verified = false
	backoff := base
	for i := 1; i < e.fails && backoff < ceiling; i++ {
		backoff *= 2
	}
	backoff = min(backoff, ceiling)
	e.retryAfter = now.Add(backoff)
	return backoff
}

// countingTransport counts the HTTP requests sent to one endpoint, and
// marks each as replayable (see replayable).
type countingTransport struct {
	base http.RoundTripper
	n    *atomic.Uint64
}

func (t countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.n.Add(1)
	return t.base.RoundTrip(replayable(req))
}

// replayable returns req marked as safe to send again. net/http resends a
// request whose kept-alive connection the server closed as it was reused
// (the node's or a proxy's idle timeout racing the next request), but only
// an idempotent one, and a POST is idempotent to it only with an
// Idempotency-Key header. Every JSON-RPC call a Reader makes is a read, so
// each is marked; the key's empty value is not sent on the wire, so the
// node sees the same request. Without it the race fails a read, or Dial at
// startup, with "EOF" or "connection reset by peer". Resending also needs
// GetBody, which go-ethereum's client and postJSON both set.
func replayable(req *http.Request) *http.Request {
	r := req.Clone(req.Context())
	if r.Header == nil {
		r.Header = http.Header{}
	}
	r.Header["Idempotency-Key"] = nil
	return r
}

// DefaultHTTPClient returns the HTTP client used when Config.HTTPClient is
// nil: a transport keeping up to maxIdlePerHost idle connections per node
// (net/http keeps 2 by default, which forces new connections under
// parallel load), with dial and TLS timeouts. It sets no overall timeout:
// every node call is bounded by Config.CallTimeout through its context.
func DefaultHTTPClient(maxIdlePerHost int) *http.Client {
	return &http.Client{Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          4 * maxIdlePerHost,
		MaxIdleConnsPerHost:   maxIdlePerHost,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   5 * time.Second,
		ExpectContinueTimeout: time.Second,
	}}
}

// RedactURL returns a label for a node URL that is safe to log and to use
// as a metric label: scheme and host only. User info and the query are
// dropped, and a non-empty path is replaced by "/…" because providers put
// API keys there (https://mainnet.example.io/v3/KEY).
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "invalid-url"
	}
	label := u.Scheme + "://" + u.Host
	if p := strings.Trim(u.Path, "/"); p != "" {
		label += "/…"
	}
	return label
}

// dialEndpoint creates the client of one URL. Only HTTP(S) is accepted: the
// tuned transport, the request counting and the failover rules are HTTP's.
func dialEndpoint(ctx context.Context, raw string, base *http.Client) (*endpoint, error) {
	label := RedactURL(raw)
	if err := CheckRPCURL(raw); err != nil {
		return nil, err
	}
	ep := &endpoint{label: label, url: raw}
	transport := base.Transport
	if transport == nil {
		transport = http.DefaultTransport
	}
	hc := *base
	hc.Transport = countingTransport{base: transport, n: &ep.requests}
	ep.http = &hc
	var err error
	ep.client, err = rpc.DialOptions(ctx, raw, rpc.WithHTTPClient(&hc))
	if err != nil {
		return nil, fmt.Errorf("rpc url %s: %s", label, describe(err))
	}
	return ep, nil
}

package chain

import (
	"context"
	"errors"
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
	// call and one per JSON-RPC batch).
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

// countingTransport counts the HTTP requests sent to one endpoint.
type countingTransport struct {
	base http.RoundTripper
	n    *atomic.Uint64
}

func (t countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.n.Add(1)
	return t.base.RoundTrip(req)
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

// errKind classifies the outcome of one attempt at one endpoint.
type errKind int

const (
	kindOK       errKind = iota
	kindAnswer           // the node answered with an error: final, no failover
	kindDown             // transport, HTTP status, timeout: back off, fail over
	kindLagging          // the endpoint lacks the block: fail over, stay healthy
	kindCanceled         // the caller's context ended: stop at once
)

// finalError marks an error that another endpoint would give the same way,
// such as a malformed multicall result: no failover.
type finalError struct{ err error }

func (e finalError) Error() string { return e.err.Error() }
func (e finalError) Unwrap() error { return e.err }

func final(err error) error { return finalError{err} }

func isFinal(err error) bool {
	var f finalError
	return errors.As(err, &f)
}

// errUnknownBlock marks an attempt whose endpoint does not know the block.
var errUnknownBlock = errors.New("endpoint does not know the block")

// classify tells which kind of failure err is. parent is the caller's
// context, so that a per-call timeout is told apart from cancellation.
func classify(parent context.Context, err error) errKind {
	if err == nil {
		return kindOK
	}
	if parent.Err() != nil {
		return kindCanceled
	}
	var readErr *ReadError
	if errors.As(err, &readErr) || errors.Is(err, ErrBlockNotFound) || isFinal(err) {
		return kindAnswer
	}
	if errors.Is(err, errUnknownBlock) {
		return kindLagging
	}
	var rpcErr rpc.Error
	if errors.As(err, &rpcErr) {
		// Code 3 is a revert, -32601 an unsupported method: the same on
		// every endpoint, so not a reason to fail over.
		code := rpcErr.ErrorCode()
		if code != 3 && code != -32601 && (isUnknownBlockMessage(rpcErr.Error()) || isPrunedStateMessage(rpcErr.Error())) {
			return kindLagging
		}
		if isRateLimit(rpcErr) {
			return kindDown // this endpoint, not the call: another may serve it
		}
		return kindAnswer
	}
	// Everything else (rpc.HTTPError, net and url errors, a response that
	// is not JSON, a missing batch response, a per-call timeout) says the
	// endpoint cannot serve us right now.
	return kindDown
}

// isRateLimit recognises the errors hosted nodes answer a call with when
// the client exceeded its request allowance: code -32005 (EIP-1474 "limit
// exceeded"), or a message saying so (but never a revert, code 3).
func isRateLimit(err rpc.Error) bool {
	switch err.ErrorCode() {
	case -32005:
		return true
	case 3: // a revert, whatever its reason says
		return false
	}
	m := strings.ToLower(err.Error())
	return strings.Contains(m, "rate limit") || strings.Contains(m, "too many requests") || strings.Contains(m, "limit exceeded")
}

// isUnknownBlockMessage recognises the errors nodes give for a block hash or
// number they do not have, or whose state they pruned (another endpoint, an
// archive node, may have it): geth "header for hash not found", "header not
// found", "historical state ... is not available", "missing trie node";
// anvil "Resource not found" (-32001) and "BlockNotFound".
func isUnknownBlockMessage(msg string) bool {
	m := strings.ToLower(msg)
	for _, s := range []string{"not found", "unknown block", "blocknotfound", "not available", "missing trie node"} {
		if strings.Contains(m, s) {
			return true
		}
	}
	return false
}

// errStatePruned marks a failure because the endpoints that have the
// block no longer keep its state; Reader.BalancesAt turns it into a
// *StatePrunedError naming the block.
var errStatePruned = errors.New("the node no longer has the block's state")

// isPrunedStateMessage recognises the errors nodes give for a call at a
// block they have but whose state they pruned (an archive node has it):
// geth "historical state 0x… is not available" (path scheme), "required
// historical state unavailable" and "missing trie node" (hash scheme);
// anvil --prune-history "BlockOutOfRangeError: block height is N but
// requested was M". Only calls pinned to a block hash the node knows get
// here, so anvil's out-of-range error cannot mean a block beyond the head.
func isPrunedStateMessage(msg string) bool {
	m := strings.ToLower(msg)
	for _, s := range []string{"historical state", "missing trie node", "blockoutofrange"} {
		if strings.Contains(m, s) {
			return true
		}
	}
	return false
}

func outcomeOf(k errKind, parent context.Context, err error) string {
	switch k {
	case kindOK:
		return OutcomeOK
	case kindAnswer:
		return OutcomeError
	case kindLagging:
		return OutcomeLagging
	case kindCanceled:
		return OutcomeCanceled
	}
	if errors.Is(err, context.DeadlineExceeded) && parent.Err() == nil {
		return OutcomeTimeout
	}
	return OutcomeUnavailable
}

// describe turns a transport error into text without the request URL,
// which may carry credentials (net/http only strips the password).
func describe(err error) string {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err
	}
	var httpErr rpc.HTTPError
	if errors.As(err, &httpErr) {
		return "HTTP " + httpErr.Status
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "timeout"
	}
	return err.Error()
}

// attemptError is one endpoint's failure, for the error returned when all
// endpoints failed.
func attemptError(label string, err error) error {
	return fmt.Errorf("%s: %s", label, describe(err))
}

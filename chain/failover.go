package chain

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
)

// verifyAll checks eth_chainId on every endpoint. Unreachable endpoints are
// marked failed and checked again before their first use.
func (r *Reader) verifyAll(ctx context.Context) error {
	var errs []error
	reachable := 0
	for _, ep := range r.eps {
		err := r.verify(ctx, ep)
		switch {
		case err == nil:
			reachable++
		case errors.Is(err, ErrChainIDMismatch):
			return err
		case ctx.Err() != nil:
			return fmt.Errorf("eth_chainId: %w", ctx.Err())
		default:
			ep.markFailed(time.Now(), r.backoff, r.maxBackoff)
			r.log.Warn("chain endpoint unreachable at start-up", "endpoint", ep.label, "err", describe(err))
			errs = append(errs, attemptError(ep.label, err))
		}
	}
	if reachable == 0 {
		return fmt.Errorf("%w: eth_chainId: %w", ErrUnavailable, errors.Join(errs...))
	}
	return nil
}

// verify checks the chain id of one endpoint before it is used: once,
// and again after the endpoint failed (see markFailed). An endpoint found
// serving another chain is left out (see order) until its quarantine ends.
func (r *Reader) verify(ctx context.Context, ep *endpoint) error {
	ep.mu.Lock()
	verified, wrong, retry := ep.verified, ep.wrongChain, ep.retryAfter
	ep.mu.Unlock()
	if wrong != nil && time.Now().Before(retry) {
		return wrong
	}
	if verified {
		return nil
	}
	callCtx, cancel := context.WithTimeout(ctx, r.callTimeout)
	defer cancel()
	start := time.Now()
	err := r.checkChainID(callCtx, ep)
	r.observe("eth_chainId", ep, classify(ctx, err), ctx, err, start)
	return err
}

// checkChainID asks ep for its chain id. It is the one chain-id check of
// the endpoints, whoever asks (start-up, a read, the readiness check), so
// a mismatch has one set of consequences: ep is quarantined (order leaves
// it out and Stats reports it unhealthy until the longest back-off has
// passed, then it is checked again) and the error, which wraps
// ErrChainIDMismatch and names both ids, is what reads report for it. A
// match marks ep verified. A failed request is returned as it is.
func (r *Reader) checkChainID(ctx context.Context, ep *endpoint) error {
	var id hexutil.Uint64
	if err := ep.client.CallContext(ctx, &id, "eth_chainId"); err != nil {
		return err
	}
	ep.mu.Lock()
	defer ep.mu.Unlock()
	if uint64(id) != r.chainID {
		ep.verified = false
		ep.wrongChain = fmt.Errorf("%w: endpoint %s serves chain id %d, configured %d", ErrChainIDMismatch, ep.label, id, r.chainID)
		ep.retryAfter = time.Now().Add(r.maxBackoff)
		return ep.wrongChain
	}
	ep.verified, ep.wrongChain = true, nil
	return nil
}

// callOne makes one call to ep alone (no failover) within the call
// timeout, and records it for the observer.
func (r *Reader) callOne(ctx context.Context, ep *endpoint, result any, method string, args ...any) error {
	callCtx, cancel := context.WithTimeout(ctx, r.callTimeout)
	defer cancel()
	start := time.Now()
	err := ep.client.CallContext(callCtx, result, method, args...)
	r.observe(method, ep, classify(ctx, err), ctx, err, start)
	return err
}

func (r *Reader) observe(method string, ep *endpoint, k errKind, parent context.Context, err error, start time.Time) {
	if r.obs != nil {
		r.obs.OnCall(method, ep.label, outcomeOf(k, parent, err), time.Since(start))
	}
}

// order returns the endpoints to try: healthy ones in configured order,
// then those backing off (still tried rather than failing untried), never
// one found serving another chain until it is due to be checked again.
func (r *Reader) order() []*endpoint {
	now := time.Now()
	var healthy, backing []*endpoint
	for _, ep := range r.eps {
		ep.mu.Lock()
		wrong, retry := ep.wrongChain != nil, ep.retryAfter
		ep.mu.Unlock()
		switch {
		case wrong && now.Before(retry):
		case wrong:
			backing = append(backing, ep) // to check its chain id again
		case ep.healthy(now):
			healthy = append(healthy, ep)
		default:
			backing = append(backing, ep)
		}
	}
	return append(healthy, backing...)
}

// do runs attempt on one endpoint after another until one succeeds or gives
// a final answer. Transport errors, HTTP error statuses and timeouts mark
// the endpoint failed (back-off) and move on; an endpoint that does not
// know the block is skipped without penalty. The caller's cancellation
// stops at once. When every endpoint failed the error wraps ErrUnavailable,
// or ErrBlockNotFound when none knew the block (and errStatePruned as well
// when one had the block but not its state).
func (r *Reader) do(ctx context.Context, method string, attempt func(context.Context, *endpoint) error) error {
	var errs []error
	lagging, pruned := 0, 0
	for _, ep := range r.order() {
		if ctx.Err() != nil {
			break
		}
		if err := r.verify(ctx, ep); err != nil {
			k := classify(ctx, err)
			if k == kindCanceled {
				break
			}
			if k == kindDown {
				ep.markFailed(time.Now(), r.backoff, r.maxBackoff)
			}
			errs = append(errs, r.skip(ep, err))
			continue
		}
		start := time.Now()
		callCtx, cancel := context.WithTimeout(ctx, r.callTimeout)
		err := attempt(callCtx, ep)
		cancel()
		k := classify(ctx, err)
		r.observe(method, ep, k, ctx, err, start)
		switch k {
		case kindOK:
			ep.markOK()
			return nil
		case kindAnswer:
			ep.markOK()
			return err
		case kindCanceled:
			return fmt.Errorf("%s: %w", method, ctx.Err())
		case kindLagging:
			lagging++
			if isPrunedStateMessage(err.Error()) {
				pruned++
			}
			errs = append(errs, attemptError(ep.label, err))
		case kindWrongChain:
			// Found by the attempt itself (Check): checkChainID has
			// quarantined ep, as when verify finds it.
			errs = append(errs, r.skip(ep, err))
		case kindDown:
			backoff := ep.markFailed(time.Now(), r.backoff, r.maxBackoff)
			r.log.Warn("chain endpoint failed, trying the next", "endpoint", ep.label,
				"method", method, "err", describe(err), "retry_in", backoff.String())
			errs = append(errs, attemptError(ep.label, err))
		}
	}
	if ctx.Err() != nil {
		return fmt.Errorf("%s: %w", method, ctx.Err())
	}
	if lagging > 0 && lagging == len(errs) {
		if pruned > 0 {
			// The block exists (an endpoint has it) but its state is gone.
			return fmt.Errorf("%w: %w: %s: %w", ErrBlockNotFound, errStatePruned, method, errors.Join(errs...))
		}
		return fmt.Errorf("%w: %s: %w", ErrBlockNotFound, method, errors.Join(errs...))
	}
	if len(errs) == 0 {
		for _, ep := range r.eps {
			ep.mu.Lock()
			if ep.wrongChain != nil {
				errs = append(errs, ep.wrongChain)
			}
			ep.mu.Unlock()
		}
		if len(errs) == 0 {
			return fmt.Errorf("%w: %s: no usable endpoint", ErrUnavailable, method)
		}
		return fmt.Errorf("%w: %s: no usable endpoint: %w", ErrUnavailable, method, errors.Join(errs...))
	}
	return fmt.Errorf("%w: %s: %w", ErrUnavailable, method, errors.Join(errs...))
}

// skip logs that ep is left out of a request because of err, found
// before the attempt (verify) or by it, and returns the error to report
// for ep. A wrong chain is reported as checkChainID gave it, naming the
// endpoint and wrapping ErrChainIDMismatch.
func (r *Reader) skip(ep *endpoint, err error) error {
	r.log.Warn("chain endpoint skipped", "endpoint", ep.label, "err", describe(err))
	if errors.Is(err, ErrChainIDMismatch) {
		return err
	}
	return attemptError(ep.label, err)
}

// Check reports whether the Reader can serve: with head tracking, an error
// wrapping ErrHeadStale saying since when if the head is not fresh (see
// Config.HeadStaleAfter); then whether some endpoint answers eth_chainId
// with the configured id: nil, or an error wrapping ErrUnavailable (with
// ErrChainIDMismatch when an endpoint serves another chain) or the
// context's error. An endpoint it finds serving another chain is
// quarantined as the verification of a read does (see checkChainID), so
// reads fail over from it too. It is meant for readiness probes and costs
// one request per endpoint tried.
func (r *Reader) Check(ctx context.Context) error {
	if err := r.headProblem(); err != nil {
		return err
	}
	return r.do(ctx, "eth_chainId", r.checkChainID)
}

// errKind classifies the outcome of one attempt at one endpoint.
type errKind int

const (
	kindOK         errKind = iota
	kindAnswer             // the node answered with an error: final, no failover
	kindDown               // transport, HTTP status, timeout: back off, fail over
	kindLagging            // the endpoint lacks the block: fail over, stay healthy
	kindCanceled           // the caller's context ended: stop at once
	kindWrongChain         // the endpoint serves another chain: quarantined (see checkChainID), fail over
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
	if errors.Is(err, ErrChainIDMismatch) {
		return kindWrongChain
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
	case kindAnswer, kindWrongChain:
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

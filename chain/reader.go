package chain

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/sync/singleflight"

	"github.com/portfoliod/portfoliod/abi/multicall3"
)

// Multicall strategies (Config.MulticallMode, Reader.Mode).
const (
	// ModeAuto picks contract, override or batch at Dial.
	ModeAuto = "auto"
	// ModeContract calls Multicall3 aggregate3 deployed at
	// Config.MulticallAddress: one eth_call per chunk, all the chunks of a
	// snapshot in one JSON-RPC batch (one HTTP request for up to
	// maxChunksPerRequest chunks).
	ModeContract = "contract"
	// ModeOverride calls aggregate3 with an eth_call state override that
	// places Multicall3's runtime code at Config.MulticallAddress, batched
	// like ModeContract; no deployment needed (geth, anvil).
	ModeOverride = "override"
	// ModeBatch sends a JSON-RPC batch of single eth_calls per chunk: one
	// HTTP request per chunk, so that no batch exceeds MaxCallsPerBatch
	// items (geth refuses batches above 1000 by default).
	ModeBatch = "batch"
)

// Defaults applied by Dial to zero Config fields.
const (
	DefaultCallTimeout      = 5 * time.Second
	DefaultMaxCallsPerBatch = 1000
	DefaultMaxConcurrency   = 8
	// DefaultCallGas is the gas limit sent with every eth_call: below
	// geth's default RPC gas cap (50M), well above what a chunk uses
	// (aggregate3 measured about 5.8M gas for 1,000 erc3643 sub-calls and
	// 18.5M for 3,000, see TestMulticallGas), and a bound on a view that
	// loops (anvil has no gas cap of its own for eth_call).
	DefaultCallGas = 40_000_000
	// gasPerCallEstimate is a generous per-sub-call gas figure used to warn
	// about a MaxCallsPerBatch that may not fit in CallGas.
	gasPerCallEstimate = 8_000
	DefaultIdleConns   = 64
	DefaultBackoff     = time.Second
	DefaultMaxBackoff  = 30 * time.Second
)

// maxChunksPerRequest bounds the aggregate3 eth_calls sent in one JSON-RPC
// batch in the multicall modes. A chunk of 1,000 sub-calls answers about
// 320 kB of hex, so 16 chunks stay far below geth's 25 MB batch response
// limit and its 1000-item batch limit; up to 16 chunks (5,333 erc3643
// wallets at the default MaxCallsPerBatch) cost one HTTP request.
const maxChunksPerRequest = 16

// Config configures a Reader. Zero fields take the documented defaults,
// except CacheSize, where zero disables the cache.
type Config struct {
	// ChainID is the chain every endpoint must serve (eth_chainId).
	ChainID uint64
	// RPCURLs are the node's HTTP(S) JSON-RPC endpoints, primary first.
	RPCURLs []string
	// CallTimeout bounds every node request (default 5s).
	CallTimeout time.Duration
	// MaxCallsPerBatch bounds the token calls in one eth_call (multicall
	// modes) or one JSON-RPC batch (default 1000). A wallet needs
	// 1 + len(AmountFns) + len(FlagFns) calls, and a wallet's calls are
	// never split, so it must be at least that. In batch mode keep it
	// within the node's batch limit (geth: 1000); in multicall modes within
	// CallGas (about 6,000 gas per call).
	MaxCallsPerBatch int
	// MaxConcurrency bounds the chunks of one Balances call in flight
	// (default 8).
	MaxConcurrency int
	// CallGas is the gas limit of each eth_call (default DefaultCallGas).
	CallGas uint64
	// MulticallMode is auto (default), contract, override or batch.
	MulticallMode string
	// MulticallAddress is where Multicall3 is (or is placed by override);
	// default the canonical 0xcA11bde05977b3631167028862bE2a173976CA11.
	MulticallAddress common.Address
	// Tokens are the tokens Balances serves; the first is the default.
	Tokens []TokenConfig
	// Logger receives start-up and failover logs (default slog.Default).
	Logger *slog.Logger
	// HTTPClient sends the JSON-RPC requests (default DefaultHTTPClient
	// sized for DefaultIdleConns idle connections per host).
	HTTPClient *http.Client
	// Observer, if set, receives node-call events for metrics.
	Observer Observer
	// RetryBackoff is how long a failed endpoint is skipped, doubling on
	// each further failure up to MaxRetryBackoff (defaults 1s and 30s).
	// The same back-off spaces the reconnections of WSURL.
	RetryBackoff    time.Duration
	MaxRetryBackoff time.Duration

	// WSURL, if set, is a ws:// or wss:// endpoint of the same chain whose
	// newHeads subscription drives head tracking; while it is down the
	// tracker polls RPCURLs. Reads always go to RPCURLs.
	WSURL string
	// HeadPollInterval is how often the head tracker polls the latest
	// header (one request each) when WSURL is empty or its subscription is
	// down (default 1s). Negative disables head tracking: every read of a
	// tag then resolves its block with one request.
	HeadPollInterval time.Duration
	// HeadStaleAfter is how long the head stays fresh after the tracker's
	// last successful update (default 30s): a poll that answers, or a
	// notification. A poll that finds no new block counts, so a chain idle
	// between transactions (anvil automine) stays fresh while the node
	// answers. While fresh, a latest read uses the head with no request;
	// once stale, reads resolve their block per request and Check fails
	// with ErrHeadStale.
	HeadStaleAfter time.Duration
	// CacheSize is the number of (block hash, token, wallet) balances kept
	// in an LRU cache; zero disables the cache (DefaultCacheSize is the
	// recommended size). Concurrent identical reads share one node call
	// either way.
	CacheSize int
}

// TokenConfig is one entry of the tokens configuration.
type TokenConfig struct {
	Address common.Address
	// Freeze is a preset name (see Preset) or "custom"; empty means none.
	Freeze string
	// AmountFns and FlagFns are the custom model's signatures; only
	// allowed with Freeze "custom".
	AmountFns []string
	FlagFns   []string
}

// Model validates the configuration and returns its freeze model.
func (tc TokenConfig) Model() (FreezeModel, error) {
	switch tc.Freeze {
	case FreezeCustom:
		return CustomModel(tc.AmountFns, tc.FlagFns)
	case "":
		tc.Freeze = FreezeNone
	}
	if len(tc.AmountFns)+len(tc.FlagFns) > 0 {
		return FreezeModel{}, fmt.Errorf("amount_fns and flag_fns need freeze: custom, not %q", tc.Freeze)
	}
	return Preset(tc.Freeze)
}

// function is one view a wallet's balance needs.
type function struct {
	sig string
	sel [4]byte
}

// tokenPlan holds a token and the calls made for each wallet: balanceOf,
// then the amount functions, then the flag functions.
type tokenPlan struct {
	token   Token
	fns     []function
	amounts int // fns[1 : 1+amounts] are amount functions
}

// Reader reads balances and frozen amounts from an EVM node. It is safe for
// concurrent use. Create it with Dial and release it with Close.
type Reader struct {
	chainID uint64
	eps     []*endpoint
	plans   map[common.Address]*tokenPlan
	tokens  []Token
	mode    string
	// overrideFallback: mode auto found Multicall3 deployed, so a block from
	// before its deployment is read with the state override instead.
	overrideFallback bool
	mcAddr           common.Address
	mc               *multicall3.Multicall3
	callTimeout      time.Duration
	maxCalls         int
	concurrency      int
	gas              hexutil.Uint64
	backoff          time.Duration
	maxBackoff       time.Duration
	log              *slog.Logger
	obs              Observer
	ownClient        *http.Client // created by Dial: its idle connections are closed by Close

	cache   *lru.Cache[cacheKey, amounts] // nil when disabled
	numbers *lru.Cache[uint64, Block]     // final block numbers resolved

	flightMu sync.Mutex
	flights  map[string]*flight
	group    singleflight.Group

	trackHead   bool
	wsURL       string
	pollEvery   time.Duration
	staleAfter  time.Duration
	started     time.Time
	stopTracker context.CancelFunc // nil until the tracker runs
	trackerDone chan struct{}
	closeOnce   sync.Once

	mu      sync.Mutex
	highest map[BlockTag]Block    // the highest block returned per tag; [Latest] is the head
	headAt  time.Time             // the tracker's last successful update
	tags    map[BlockTag]tagEntry // safe and finalized per head
	// lowStreak counts the lower heads reported in a row (see noteHead).
	lowStreak int
}

// Dial connects to every URL of cfg and prepares the Reader: it checks
// eth_chainId on every reachable endpoint (any mismatch is an error
// wrapping ErrChainIDMismatch naming both ids; no endpoint reachable is an
// error wrapping ErrUnavailable), reads each token's code, symbol and
// decimals once (a token without code, or whose symbol or decimals cannot be
// read, is a *ReadError), and resolves MulticallMode auto: code at the
// multicall address gives contract, else a working state-override probe
// gives override, else batch. The chosen mode is logged at info level.
//
// Unless disabled, Dial then reads the head once and starts the head
// tracker, which runs until Close (see Head). A failed first head read is
// logged, not an error: reads resolve their block per request until the
// tracker has a head.
func Dial(ctx context.Context, cfg Config) (*Reader, error) {
	cfg, err := withDefaults(cfg)
	if err != nil {
		return nil, err
	}
	r := &Reader{
		chainID:     cfg.ChainID,
		plans:       make(map[common.Address]*tokenPlan, len(cfg.Tokens)),
		mcAddr:      cfg.MulticallAddress,
		mc:          multicall3.NewMulticall3(),
		callTimeout: cfg.CallTimeout,
		maxCalls:    cfg.MaxCallsPerBatch,
		concurrency: cfg.MaxConcurrency,
		gas:         hexutil.Uint64(cfg.CallGas),
		backoff:     cfg.RetryBackoff,
		maxBackoff:  cfg.MaxRetryBackoff,
		log:         cfg.Logger,
		obs:         cfg.Observer,
		flights:     make(map[string]*flight),
		trackHead:   cfg.HeadPollInterval > 0,
		wsURL:       cfg.WSURL,
		pollEvery:   cfg.HeadPollInterval,
		staleAfter:  cfg.HeadStaleAfter,
		highest:     make(map[BlockTag]Block),
		tags:        make(map[BlockTag]tagEntry),
	}
	if cfg.HTTPClient == nil {
		r.ownClient = DefaultHTTPClient(DefaultIdleConns)
		cfg.HTTPClient = r.ownClient
	}
	if cfg.CacheSize > 0 {
		if r.cache, err = lru.New[cacheKey, amounts](cfg.CacheSize); err != nil {
			return nil, fmt.Errorf("balance cache: %w", err)
		}
	}
	if r.numbers, err = lru.New[uint64, Block](numberCacheSize); err != nil {
		return nil, fmt.Errorf("block number cache: %w", err)
	}
	for _, tc := range cfg.Tokens {
		model, err := tc.Model()
		if err != nil {
			return nil, fmt.Errorf("token %s: %w", hexAddr(tc.Address), err)
		}
		if _, dup := r.plans[tc.Address]; dup {
			return nil, fmt.Errorf("token %s configured twice", hexAddr(tc.Address))
		}
		p := &tokenPlan{token: Token{Address: tc.Address, Freeze: model}, amounts: len(model.AmountFns)}
		for _, sig := range slices.Concat([]string{"balanceOf(address)"}, model.AmountFns, model.FlagFns) {
			p.fns = append(p.fns, function{sig: sig, sel: selector(sig)})
		}
		if len(p.fns) > r.maxCalls {
			return nil, fmt.Errorf("max_calls_per_batch %d is below the %d calls one wallet of token %s needs",
				r.maxCalls, len(p.fns), hexAddr(tc.Address))
		}
		r.plans[tc.Address] = p
	}

	for _, raw := range cfg.RPCURLs {
		ep, err := dialEndpoint(ctx, raw, cfg.HTTPClient)
		if err != nil {
			r.Close()
			return nil, err
		}
		r.eps = append(r.eps, ep)
	}
	if err := r.verifyAll(ctx); err != nil {
		r.Close()
		return nil, err
	}
	for _, tc := range cfg.Tokens {
		p := r.plans[tc.Address]
		if err := r.readMetadata(ctx, &p.token); err != nil {
			r.Close()
			return nil, err
		}
		r.tokens = append(r.tokens, p.token)
	}
	if r.mode, err = r.resolveMode(ctx, cfg.MulticallMode); err != nil {
		r.Close()
		return nil, err
	}
	r.overrideFallback = cfg.MulticallMode == ModeAuto && r.mode == ModeContract
	if r.mode != ModeBatch && uint64(r.maxCalls)*gasPerCallEstimate > cfg.CallGas {
		r.log.Warn("max_calls_per_batch may not fit in the eth_call gas limit",
			"max_calls_per_batch", r.maxCalls, "call_gas", cfg.CallGas)
	}
	labels := make([]string, len(r.eps))
	for i, ep := range r.eps {
		labels[i] = ep.label
	}
	r.log.Info("chain reader ready", "mode", r.mode, "chain_id", r.chainID,
		"endpoints", labels, "tokens", len(r.tokens), "multicall", hexAddr(r.mcAddr),
		"head_tracking", r.trackHead, "cache_size", cfg.CacheSize)
	if r.trackHead {
		r.started = time.Now()
		if err := r.pollHead(ctx); err != nil {
			r.log.Warn("first head read failed: reads resolve their block per request until the tracker has a head", "err", err.Error())
		}
		tctx, stop := context.WithCancel(context.Background())
		r.stopTracker, r.trackerDone = stop, make(chan struct{})
		go r.track(tctx)
	}
	return r, nil
}

func withDefaults(cfg Config) (Config, error) {
	if cfg.ChainID == 0 {
		return cfg, errors.New("chain id must be set")
	}
	if len(cfg.RPCURLs) == 0 {
		return cfg, errors.New("at least one rpc url is required")
	}
	if len(cfg.Tokens) == 0 {
		return cfg, errors.New("at least one token is required")
	}
	switch cfg.MulticallMode {
	case "":
		cfg.MulticallMode = ModeAuto
	case ModeAuto, ModeContract, ModeOverride, ModeBatch:
	default:
		return cfg, fmt.Errorf("multicall mode %q must be auto, contract, override or batch", cfg.MulticallMode)
	}
	if cfg.CallTimeout < 0 || cfg.MaxCallsPerBatch < 0 || cfg.MaxConcurrency < 0 || cfg.CacheSize < 0 || cfg.HeadStaleAfter < 0 {
		return cfg, errors.New("call timeout, max calls per batch, max concurrency, cache size and head stale after must not be negative")
	}
	if cfg.WSURL != "" {
		u, err := url.Parse(cfg.WSURL)
		if err != nil || (u.Scheme != "ws" && u.Scheme != "wss") || u.Host == "" {
			return cfg, fmt.Errorf("ws url %s must be a ws or wss url", RedactURL(cfg.WSURL))
		}
		if cfg.HeadPollInterval < 0 {
			return cfg, errors.New("a ws url needs head tracking: head poll interval must not be negative")
		}
	}
	// Zero means the default (a negative poll interval disables tracking).
	cfg.HeadPollInterval = cmp.Or(cfg.HeadPollInterval, DefaultHeadPollInterval)
	cfg.HeadStaleAfter = cmp.Or(cfg.HeadStaleAfter, DefaultHeadStaleAfter)
	cfg.CallTimeout = cmp.Or(cfg.CallTimeout, DefaultCallTimeout)
	cfg.MaxCallsPerBatch = cmp.Or(cfg.MaxCallsPerBatch, DefaultMaxCallsPerBatch)
	cfg.MaxConcurrency = cmp.Or(cfg.MaxConcurrency, DefaultMaxConcurrency)
	cfg.CallGas = cmp.Or(cfg.CallGas, DefaultCallGas)
	cfg.MulticallAddress = cmp.Or(cfg.MulticallAddress, multicall3.Address)
	cfg.Logger = cmp.Or(cfg.Logger, slog.Default())
	if cfg.RetryBackoff <= 0 {
		cfg.RetryBackoff = DefaultBackoff
	}
	if cfg.MaxRetryBackoff < cfg.RetryBackoff {
		cfg.MaxRetryBackoff = max(DefaultMaxBackoff, cfg.RetryBackoff)
	}
	return cfg, nil
}

// dialEndpoint creates the client of one URL. Only HTTP(S) is accepted: the
// tuned transport, the request counting and the failover rules are HTTP's.
func dialEndpoint(ctx context.Context, raw string, base *http.Client) (*endpoint, error) {
	label := RedactURL(raw)
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("rpc url %s must be an http or https url", label)
	}
	ep := &endpoint{label: label, url: raw}
	transport := base.Transport
	if transport == nil {
		transport = http.DefaultTransport
	}
	hc := *base
	hc.Transport = countingTransport{base: transport, n: &ep.requests}
	ep.http = &hc
	ep.client, err = rpc.DialOptions(ctx, raw, rpc.WithHTTPClient(&hc))
	if err != nil {
		return nil, fmt.Errorf("rpc url %s: %s", label, describe(err))
	}
	return ep, nil
}

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

// verify checks the chain id of one endpoint: once, and again after the
// endpoint failed. An endpoint found serving another chain is left out
// (see order) and checked again after the longest back-off.
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
	id, err := r.chainIDOf(ctx, ep)
	if err != nil {
		return err
	}
	ep.mu.Lock()
	defer ep.mu.Unlock()
	if id != r.chainID {
		ep.wrongChain = fmt.Errorf("%w: endpoint %s serves chain id %d, configured %d", ErrChainIDMismatch, ep.label, id, r.chainID)
		ep.retryAfter = time.Now().Add(r.maxBackoff)
		return ep.wrongChain
	}
	ep.verified, ep.wrongChain = true, nil
	return nil
}

func (r *Reader) chainIDOf(ctx context.Context, ep *endpoint) (uint64, error) {
	var id hexutil.Uint64
	err := r.callOne(ctx, ep, &id, "eth_chainId")
	return uint64(id), err
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
			// A wrong chain is rechecked on its own schedule (verify).
			if k := classify(ctx, err); k == kindDown && !errors.Is(err, ErrChainIDMismatch) {
				ep.markFailed(time.Now(), r.backoff, r.maxBackoff)
			} else if k == kindCanceled {
				break
			}
			r.log.Warn("chain endpoint skipped", "endpoint", ep.label, "err", describe(err))
			errs = append(errs, attemptError(ep.label, err))
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

// Check reports whether the Reader can serve: with head tracking, an error
// wrapping ErrHeadStale saying since when if the head is not fresh (see
// Config.HeadStaleAfter); then whether some endpoint answers eth_chainId
// with the configured id: nil, or an error wrapping ErrUnavailable,
// ErrChainIDMismatch or the context's error. It is meant for readiness
// probes and costs one request per endpoint tried.
func (r *Reader) Check(ctx context.Context) error {
	if err := r.headProblem(); err != nil {
		return err
	}
	return r.do(ctx, "eth_chainId", func(ctx context.Context, ep *endpoint) error {
		var id hexutil.Uint64
		if err := ep.client.CallContext(ctx, &id, "eth_chainId"); err != nil {
			return err
		}
		if uint64(id) != r.chainID {
			return final(fmt.Errorf("%w: endpoint %s serves chain id %d, configured %d", ErrChainIDMismatch, ep.label, id, r.chainID))
		}
		return nil
	})
}

// Close stops the head tracker, waits for it to end and releases the node
// connections. Reads still in flight fail. The Reader must not be used
// after; Close may be called more than once.
func (r *Reader) Close() {
	r.closeOnce.Do(func() {
		if r.stopTracker != nil {
			r.stopTracker()
			<-r.trackerDone
		}
		for _, ep := range r.eps {
			ep.client.Close()
		}
		if r.ownClient != nil {
			r.ownClient.CloseIdleConnections()
		}
	})
}

// Mode returns the effective strategy: contract, override or batch.
func (r *Reader) Mode() string { return r.mode }

// Tokens returns the configured tokens in configuration order; the first is
// the default token.
func (r *Reader) Tokens() []Token {
	out := make([]Token, len(r.tokens))
	for i, t := range r.tokens {
		out[i] = t
		out[i].Freeze.AmountFns = slices.Clone(t.Freeze.AmountFns)
		out[i].Freeze.FlagFns = slices.Clone(t.Freeze.FlagFns)
	}
	return out
}

// Token returns the configured token at addr.
func (r *Reader) Token(addr common.Address) (Token, bool) {
	for _, t := range r.Tokens() {
		if t.Address == addr {
			return t, true
		}
	}
	return Token{}, false
}

// Stats returns per-endpoint counters in configuration order.
func (r *Reader) Stats() []EndpointStats {
	now := time.Now()
	out := make([]EndpointStats, len(r.eps))
	for i, ep := range r.eps {
		out[i] = EndpointStats{
			Endpoint: ep.label,
			Requests: ep.requests.Load(),
			Failures: ep.failures.Load(),
			Healthy:  ep.healthy(now),
		}
	}
	return out
}

// rpcHeader is the part of a block we need; decoding no more keeps us
// compatible with nodes whose headers carry other fields.
type rpcHeader struct {
	Number    hexutil.Uint64 `json:"number"`
	Hash      common.Hash    `json:"hash"`
	Timestamp hexutil.Uint64 `json:"timestamp"`
}

func (h *rpcHeader) block() Block {
	return Block{Number: uint64(h.Number), Hash: h.Hash, Time: time.Unix(int64(h.Timestamp), 0).UTC()}
}

// ResolveBlock returns the number, hash and time of the block at selects.
// With a fresh tracked head (see Head), latest is the head with no request,
// and safe and finalized are asked once per head; otherwise a tag costs one
// request. A number costs one request unless it is at least 64 blocks below
// the head, whose resolution is cached. A tag never resolves below a block
// this Reader already returned for the same tag: if an endpoint lags
// behind, the remembered block is returned (and later reads pinned to its
// hash go to an endpoint that has it). A number beyond the head is an error
// *BeyondHeadError, which matches ErrBlockNotFound; node failures
// wrap ErrUnavailable.
func (r *Reader) ResolveBlock(ctx context.Context, at BlockRef) (Block, error) {
	switch at.Tag {
	case Latest:
		if head, ok := r.freshHead(); ok {
			return head, nil
		}
	case Safe, Finalized:
		if head, ok := r.freshHead(); ok {
			return r.resolveTag(ctx, at.Tag, head)
		}
	case "":
		return r.resolveNumber(ctx, at.Number)
	}
	return r.resolveRemote(ctx, at)
}

// resolveRemote asks the node for the block at selects (one request).
func (r *Reader) resolveRemote(ctx context.Context, at BlockRef) (Block, error) {
	param := string(at.Tag)
	if at.Tag == "" {
		param = hexutil.EncodeUint64(at.Number)
	}
	var got Block
	err := r.do(ctx, "eth_getBlockByNumber", func(ctx context.Context, ep *endpoint) error {
		var h *rpcHeader
		if err := ep.client.CallContext(ctx, &h, "eth_getBlockByNumber", param, false); err != nil {
			return err
		}
		if h != nil {
			got = h.block()
			return nil
		}
		if at.Tag != "" {
			return final(fmt.Errorf("%w: the node has no %s block", ErrBlockNotFound, at.Tag))
		}
		var head hexutil.Uint64
		if err := ep.client.CallContext(ctx, &head, "eth_blockNumber"); err != nil {
			return err
		}
		if at.Number <= r.highestNumber() {
			// Another endpoint returned this block already.
			return fmt.Errorf("%w: block %d (its head is %d)", errUnknownBlock, at.Number, head)
		}
		if at.Number > uint64(head) {
			return &BeyondHeadError{Number: at.Number, Head: uint64(head)}
		}
		return fmt.Errorf("%w: block %d", ErrBlockNotFound, at.Number)
	})
	if err != nil {
		return Block{}, err
	}
	if at.Tag == "" {
		r.remember(Latest, got)
		return got, nil
	}
	return r.remember(at.Tag, got), nil
}

func (r *Reader) highestNumber() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.highest[Latest].Number
}

// remember records b as returned for tag and returns the block to use: b,
// or the higher block returned before.
func (r *Reader) remember(tag BlockTag, b Block) Block {
	r.mu.Lock()
	defer r.mu.Unlock()
	if prev, ok := r.highest[tag]; ok && prev.Number > b.Number {
		return prev
	}
	if tag != Latest || b.Number > r.highest[Latest].Number {
		r.highest[tag] = b
	}
	return b
}

// blockParam pins a call to a block by hash (EIP-1898). requireCanonical is
// false so that every chunk of a snapshot reads the same block even if it
// is reorged out meanwhile; an endpoint that does not know the hash fails
// the call instead of answering from another block.
type blockParam struct {
	BlockHash        common.Hash `json:"blockHash"`
	RequireCanonical bool        `json:"requireCanonical"`
}

// callArgs is the transaction object of eth_call.
type callArgs struct {
	To   common.Address `json:"to"`
	Data hexutil.Bytes  `json:"data"`
	Gas  hexutil.Uint64 `json:"gas"`
}

// overrideAccount is an eth_call state override entry.
type overrideAccount struct {
	Code hexutil.Bytes `json:"code"`
}

// Balances reads total, frozen and available of every wallet in token, all
// at the block at resolves to (see ResolveBlock). Balances[i] belongs to
// wallets[i]; duplicates are allowed. A value that cannot be read (revert,
// empty or malformed return data) fails the whole call with a *ReadError
// naming token, wallet and function: a snapshot is never partially right.
// A block whose state no endpoint keeps any more (a full node's pruning) is
// a *StatePrunedError. Other errors wrap ErrUnknownToken, ErrBlockNotFound,
// ErrUnavailable or the context's error.
//
// With a fresh tracked head and nothing cached, a latest read costs one
// HTTP request in the multicall modes (up to maxChunksPerRequest chunks of
// MaxCallsPerBatch calls) and one per chunk in batch mode; see BalancesAt
// for the cache and the sharing of concurrent reads.
func (r *Reader) Balances(ctx context.Context, at BlockRef, token common.Address, wallets []common.Address) (Snapshot, error) {
	if _, ok := r.plans[token]; !ok {
		return Snapshot{}, fmt.Errorf("%w: %s", ErrUnknownToken, hexAddr(token))
	}
	block, err := r.ResolveBlock(ctx, at)
	if err != nil {
		return Snapshot{}, err
	}
	snap, err := r.BalancesAt(ctx, block, token, wallets)
	var pruned *StatePrunedError
	switch {
	case errors.As(err, &pruned):
		// The block is known, only its state is gone: its cached hash
		// is still right.
	case at.Tag == "" && errors.Is(err, ErrBlockNotFound):
		// No endpoint knows the cached hash any more (a dev chain
		// restarted): resolve the number again next time.
		r.numbers.Remove(at.Number)
	case errors.Is(err, ErrBlockNotFound):
		// The client named no block: the tag resolved to a block no
		// endpoint has any more, which the head tracker will notice.
		return Snapshot{}, fmt.Errorf("%w: no endpoint has the %s block %d any more (the chain went back?): %s",
			ErrUnavailable, at.Tag, block.Number, err.Error())
	}
	return snap, err
}

// BalancesAt is Balances at an already resolved block; every call is
// pinned to block.Hash.
//
// Values are cached by (block hash, token, wallet) when Config.CacheSize
// is set: only the wallets missing from the cache are read, and a read
// whose wallets are all cached sends no request. The returned big.Ints are
// the caller's own: they are built anew from the cache for every read.
// Concurrent reads of the same missing wallets at the same block share one
// node read; each caller still returns when its own context ends.
func (r *Reader) BalancesAt(ctx context.Context, block Block, token common.Address, wallets []common.Address) (Snapshot, error) {
	p, ok := r.plans[token]
	if !ok {
		return Snapshot{}, fmt.Errorf("%w: %s", ErrUnknownToken, hexAddr(token))
	}
	found, missing := r.lookup(block.Hash, token, wallets)
	if len(missing) > 0 {
		v, err := r.coalesce(ctx, flightKey(block.Hash, token, missing), func(ctx context.Context) (any, error) {
			vals, err := r.readWallets(ctx, block, p, missing)
			if err == nil && r.cache != nil {
				for i, w := range missing {
					r.cache.Add(cacheKey{block: block.Hash, token: token, wallet: w}, vals[i])
				}
			}
			return vals, err
		})
		if err != nil {
			if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
				return Snapshot{}, fmt.Errorf("balances at block %d: %w", block.Number, err)
			}
			if errors.Is(err, errStatePruned) {
				// Not err's text: it names the node endpoints tried.
				return Snapshot{}, &StatePrunedError{Number: block.Number}
			}
			return Snapshot{}, err
		}
		for i, a := range v.([]amounts) { // shared with other callers: read only
			found[missing[i]] = a
		}
	}
	snap := Snapshot{Block: block, Token: token, Balances: make([]Balance, len(wallets))}
	ints := newIntSlab(len(wallets))
	for i, w := range wallets {
		a := found[w]
		snap.Balances[i] = ints.balance(w, &a)
	}
	return snap, nil
}

// call is one token call of a chunk.
type call struct {
	wallet common.Address
	fn     function
	data   []byte
}

// chunk is a run of wallets whose calls go in one aggregate3 eth_call
// (multicall modes) or one JSON-RPC batch (batch mode); out receives their
// amounts.
type chunk struct {
	wallets []common.Address
	out     []amounts
}

func (c chunk) calls(p *tokenPlan) []call {
	calls := make([]call, 0, len(c.wallets)*len(p.fns))
	for _, w := range c.wallets {
		for _, fn := range p.fns {
			calls = append(calls, call{wallet: w, fn: fn, data: callData(fn.sel, w)})
		}
	}
	return calls
}

// readWallets reads the amounts of wallets at block: chunks of at most
// MaxCallsPerBatch calls (a wallet's calls never split), sent in as few
// HTTP requests as the mode allows, up to MaxConcurrency at once.
func (r *Reader) readWallets(ctx context.Context, block Block, p *tokenPlan, wallets []common.Address) ([]amounts, error) {
	out := make([]amounts, len(wallets))
	perChunk := max(1, r.maxCalls/len(p.fns))
	var chunks []chunk
	for lo := 0; lo < len(wallets); lo += perChunk {
		hi := min(lo+perChunk, len(wallets))
		chunks = append(chunks, chunk{wallets: wallets[lo:hi], out: out[lo:hi]})
	}
	perRequest := maxChunksPerRequest
	if r.mode == ModeBatch {
		perRequest = 1
	}
	g, gctx := errgroupWithLimit(ctx, r.concurrency)
	for lo := 0; lo < len(chunks); lo += perRequest {
		group := chunks[lo:min(lo+perRequest, len(chunks))]
		g.Go(func() error {
			if r.mode == ModeBatch {
				return r.readBatchChunk(gctx, block, p, group[0])
			}
			return r.readMulticallChunks(gctx, block, p, group)
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

// readBatchChunk reads one chunk as a JSON-RPC batch of single eth_calls.
func (r *Reader) readBatchChunk(ctx context.Context, block Block, p *tokenPlan, c chunk) error {
	calls := c.calls(p)
	if r.obs != nil {
		r.obs.OnBatch(len(calls))
	}
	results, err := r.execBatch(ctx, block, p.token.Address, calls)
	if err != nil {
		return err
	}
	n := len(p.fns)
	for i, w := range c.wallets {
		if c.out[i], err = decodeAmounts(p, w, results[i*n:(i+1)*n]); err != nil {
			return err
		}
	}
	return nil
}

// readMulticallChunks reads chunks as aggregate3 eth_calls in one HTTP
// request (a JSON-RPC batch when there are several) and decodes them in
// order, so that the first unreadable value reported is the same whatever
// the timing.
func (r *Reader) readMulticallChunks(ctx context.Context, block Block, p *tokenPlan, chunks []chunk) error {
	calls := make([][]call, len(chunks))
	for i, c := range chunks {
		calls[i] = c.calls(p)
		if r.obs != nil {
			r.obs.OnBatch(len(calls[i]))
		}
	}
	// The results alias resp: everything kept is copied out (amounts,
	// reasons) before it goes back to the pool.
	resp := getBuffer()
	defer putBuffer(resp)
	override := r.mode == ModeOverride
	results, err := r.execMulticalls(ctx, block, p.token.Address, calls, resp, override)
	if errors.Is(err, errNoMulticallCode) && r.overrideFallback {
		results, err = r.execMulticalls(ctx, block, p.token.Address, calls, resp, true)
	}
	if err != nil {
		return err
	}
	n := len(p.fns)
	raw := make([][]byte, n)
	for ci, c := range chunks {
		res := results[ci]
		for i, rr := range res {
			if !rr.ok {
				cl := calls[ci][i]
				return &ReadError{Token: p.token.Address, Wallet: cl.wallet, Function: cl.fn.sig, Reason: revertReason(rr.data)}
			}
		}
		for i, w := range c.wallets {
			for j := range raw {
				raw[j] = res[i*n+j].data
			}
			if c.out[i], err = decodeAmounts(p, w, raw); err != nil {
				return err
			}
		}
	}
	return nil
}

// decodeWallet turns one wallet's raw return data (balanceOf, amounts,
// flags) into a Balance.
func decodeWallet(p *tokenPlan, wallet common.Address, raw [][]byte) (Balance, error) {
	a, err := decodeAmounts(p, wallet, raw)
	if err != nil {
		return Balance{}, err
	}
	return a.balance(wallet), nil
}

// execMulticalls runs each element of chunks as one aggregate3 eth_call
// (allowFailure on every sub-call, so one revert does not hide the others'
// results), all in one HTTP request: a single call, or a JSON-RPC batch of
// them. It returns each call's sub-call results, which alias resp. An
// element answered with an error fails the whole request the way a single
// call would (a revert or a rejected request is final, an unknown block
// moves to the next endpoint); a missing element counts as a transport
// failure.
//
// With override set, Multicall3's code is placed by state override.
//
// An error the node gives as its answer to the call (say it ran out of
// gas or time executing it) or malformed return data is a token-level
// *ReadError, as a failed single call is in batch mode; except that empty
// return data, meaning Multicall3 has no code at the block, wraps
// errNoMulticallCode so the caller can retry with the override.
//
// The request is sent with postJSON rather than ep.client (see rawrpc.go)
// but reads the answer exactly as ep.client's CallContext (one chunk) or
// BatchCallContext (several) did.
func (r *Reader) execMulticalls(ctx context.Context, block Block, token common.Address, chunks [][]call, resp *[]byte, override bool) ([][]callResult, error) {
	body := r.multicallBody(block.Hash, token, chunks, override)
	defer body.release()
	rets := make([][]byte, len(chunks))
	batch := len(chunks) > 1
	method := "eth_call"
	if batch {
		method = "batch:eth_call"
	}
	err := r.do(ctx, method, func(ctx context.Context, ep *endpoint) error {
		clear(rets)
		replies, err := ep.postJSON(ctx, body, resp, batch)
		if err != nil {
			return err
		}
		return multicallRets(replies, rets, batch)
	})
	// A failure of the batched call as a whole is the token's read error.
	readErr := func(format string, args ...any) error {
		return &ReadError{Token: token, Function: "aggregate3 (Multicall3 " + hexAddr(r.mcAddr) + ")",
			Reason: fmt.Sprintf(format, args...)}
	}
	switch {
	case err == nil:
	case errors.Is(err, ErrUnavailable), errors.Is(err, ErrBlockNotFound), ctx.Err() != nil:
		return nil, fmt.Errorf("multicall at block %d: %w", block.Number, err)
	default:
		return nil, readErr("the node could not execute the batched read at block %d: %s", block.Number, describe(err))
	}
	out := make([][]callResult, len(chunks))
	for i, ret := range rets {
		out[i], err = decodeAggregate3(ret, len(chunks[i]))
		switch {
		case errors.Is(err, errNoMulticallCode) && !override && r.overrideFallback:
			return nil, err
		case errors.Is(err, errNoMulticallCode) && !override:
			return nil, readErr("Multicall3 has no code at block %d (deployed later?); chain.multicall.mode auto or override reads such blocks", block.Number)
		case err != nil:
			return nil, readErr("at block %d: %v", block.Number, err)
		}
	}
	return out, nil
}

// multicallRets fills rets from the replies to a request of len(rets)
// eth_calls (a batch if batch is set) and returns the error go-ethereum's
// CallContext or BatchCallContext gave, judged as for a batch of
// aggregate3 calls (see batchProblem).
func multicallRets(replies []reply, rets [][]byte, batch bool) error {
	var err error
	if !batch {
		if len(replies) == 0 {
			return rpc.ErrNoResult
		}
		rets[0], err = replies[0].decode()
		return err
	}
	elems := make([]rpc.BatchElem, len(rets))
	answered := make([]bool, len(rets))
	for _, rep := range replies {
		i, ok := batchIndex(rep.id, len(rets))
		if !ok || answered[i] {
			continue // as the client: unknown ids and repeats are ignored
		}
		answered[i] = true
		rets[i], elems[i].Error = rep.decode()
	}
	for i := range elems {
		elems[i].Method = "eth_call"
		if !answered[i] {
			elems[i].Error = rpc.ErrMissingBatchResponse
		}
	}
	if err := batchProblem(elems); err != nil {
		return err
	}
	for _, el := range elems {
		if el.Error != nil {
			return el.Error
		}
	}
	return nil
}

// revertReason describes revert data the same way for every strategy.
func revertReason(data []byte) string {
	if msg, err := abi.UnpackRevert(data); err == nil {
		return "reverted: " + msg
	}
	return "reverted"
}

// execBatch runs calls as one JSON-RPC batch of single eth_calls.
func (r *Reader) execBatch(ctx context.Context, block Block, token common.Address, calls []call) ([][]byte, error) {
	out := make([][]byte, len(calls))
	bp := blockParam{BlockHash: block.Hash}
	err := r.do(ctx, "batch:eth_call", func(ctx context.Context, ep *endpoint) error {
		elems := make([]rpc.BatchElem, len(calls))
		rets := make([]hexutil.Bytes, len(calls))
		for i, c := range calls {
			elems[i] = rpc.BatchElem{
				Method: "eth_call",
				Args:   []any{callArgs{To: token, Data: c.data, Gas: r.gas}, bp},
				Result: &rets[i],
			}
		}
		if err := ep.client.BatchCallContext(ctx, elems); err != nil {
			return err
		}
		if err := batchProblem(elems); err != nil {
			return err
		}
		for i, el := range elems {
			if el.Error != nil {
				return &ReadError{Token: token, Wallet: calls[i].wallet, Function: calls[i].fn.sig, Reason: batchReason(el.Error)}
			}
		}
		for i := range rets {
			out[i] = rets[i]
		}
		return nil
	})
	if err != nil {
		var readErr *ReadError
		if errors.As(err, &readErr) {
			return nil, err
		}
		return nil, fmt.Errorf("batch at block %d: %w", block.Number, err)
	}
	return out, nil
}

// batchProblem finds element errors that are not about one call: missing
// responses (geth answers a batch above its limit, 1000 by default, with one
// error and drops the rest), requests the node rejects, and a block the
// node does not know.
func batchProblem(elems []rpc.BatchElem) error {
	missing := 0
	for _, el := range elems {
		if errors.Is(el.Error, rpc.ErrMissingBatchResponse) {
			missing++
		}
	}
	if missing > 0 {
		return fmt.Errorf("node answered %d of %d batched calls (batch size limit? lower max_calls_per_batch)",
			len(elems)-missing, len(elems))
	}
	for _, el := range elems {
		var rpcErr rpc.Error
		if !errors.As(el.Error, &rpcErr) {
			continue
		}
		switch code := rpcErr.ErrorCode(); {
		case code == 3:
		case isPrunedStateMessage(rpcErr.Error()): // anvil's is a -32602
			return fmt.Errorf("%w: %s", errUnknownBlock, rpcErr.Error())
		case code == -32600 || code == -32601 || code == -32602 || code == -32700:
			return final(fmt.Errorf("node rejected a batched %s: %w", el.Method, el.Error))
		case isRateLimit(rpcErr):
			return fmt.Errorf("node rate-limited a batched %s: %w", el.Method, el.Error)
		case isUnknownBlockMessage(rpcErr.Error()):
			return fmt.Errorf("%w: %s", errUnknownBlock, rpcErr.Error())
		}
	}
	return nil
}

// batchReason describes a single eth_call's error like revertReason does a
// failed aggregate3 sub-call.
func batchReason(err error) string {
	var rpcErr rpc.Error
	if errors.As(err, &rpcErr) && rpcErr.ErrorCode() == 3 {
		var dataErr rpc.DataError
		if errors.As(err, &dataErr) {
			if s, ok := dataErr.ErrorData().(string); ok {
				if data, err := hexutil.Decode(s); err == nil {
					return revertReason(data)
				}
			}
		}
		return "reverted"
	}
	if errors.As(err, &rpcErr) && strings.Contains(strings.ToLower(rpcErr.Error()), "revert") {
		return "reverted"
	}
	return "call failed: " + err.Error()
}

func hexAddr(a common.Address) string { return strings.ToLower(a.Hex()) }

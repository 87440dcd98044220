package chain

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/sync/singleflight"

	"github.com/portfoliod/portfoliod/abi/multicall3"
)

// Reader reads balances and frozen amounts from an EVM node. It is safe for
// concurrent use. Create it with Dial and release it with Close.
type Reader struct {
	chainID uint64
	eps     []*endpoint
	plans   map[common.Address]*tokenPlan
	tokens  []Token
	// decode and logAddresses are the follower's logs decoders and
	// address filter (see decoders), made once at Dial.
	decode       map[common.Address]map[common.Hash]changeEvent
	logAddresses []common.Address
	mode         string
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

	trackHead  bool
	wsURL      string
	pollEvery  time.Duration
	staleAfter time.Duration
	maxHeadAge time.Duration
	// subscribed is set while the newHeads subscription is up.
	subscribed  atomic.Bool
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
	// headCh is closed when the head changes (see NewHead); nil until
	// asked for.
	headCh chan struct{}
	// unreachableSince is when a head poll first failed on every
	// endpoint, zero once a head is noted again.
	unreachableSince time.Time
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
		maxHeadAge:  cfg.MaxHeadAge,
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
		p := newPlan(tc.Address, model)
		if p.events, err = changeEventsOf(tc.ChangeEvents); err != nil {
			return nil, fmt.Errorf("token %s: %w", hexAddr(tc.Address), err)
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
		r.logAddresses = append(r.logAddresses, p.token.Address)
	}
	r.decode = r.decoders()
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

func hexAddr(a common.Address) string { return strings.ToLower(a.Hex()) }

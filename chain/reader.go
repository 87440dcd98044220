package chain

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
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

	"github.com/portfoliod/portfoliod/abi/multicall3"
)

// Multicall strategies (Config.MulticallMode, Reader.Mode).
const (
	// ModeAuto picks contract, override or batch at Dial.
	ModeAuto = "auto"
	// ModeContract calls Multicall3 aggregate3 deployed at
	// Config.MulticallAddress: one eth_call per chunk.
	ModeContract = "contract"
	// ModeOverride calls aggregate3 with an eth_call state override that
	// places Multicall3's runtime code at Config.MulticallAddress: one
	// eth_call per chunk, no deployment needed (geth, anvil).
	ModeOverride = "override"
	// ModeBatch sends a JSON-RPC batch of single eth_calls per chunk.
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

// Config configures a Reader. Zero fields take the documented defaults.
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
	RetryBackoff    time.Duration
	MaxRetryBackoff time.Duration
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

// Token is a configured token with the metadata read at Dial.
type Token struct {
	Address  common.Address
	Symbol   string
	Decimals uint8
	Freeze   FreezeModel
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
	chainID     uint64
	eps         []*endpoint
	plans       map[common.Address]*tokenPlan
	tokens      []Token
	mode        string
	mcAddr      common.Address
	mc          *multicall3.Multicall3
	callTimeout time.Duration
	maxCalls    int
	concurrency int
	gas         hexutil.Uint64
	backoff     time.Duration
	maxBackoff  time.Duration
	log         *slog.Logger
	obs         Observer

	mu      sync.Mutex
	highest map[BlockTag]Block // the highest block returned per tag
}

// Dial connects to every URL of cfg and prepares the Reader: it checks
// eth_chainId on every reachable endpoint (any mismatch is an error
// wrapping ErrChainIDMismatch naming both ids; no endpoint reachable is an
// error wrapping ErrUnavailable), reads each token's code, symbol and
// decimals once (a token without code, or whose symbol or decimals cannot be
// read, is a *ReadError), and resolves MulticallMode auto: code at the
// multicall address gives contract, else a working state-override probe
// gives override, else batch. The chosen mode is logged at info level.
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
		highest:     make(map[BlockTag]Block),
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
	if r.mode != ModeBatch && uint64(r.maxCalls)*gasPerCallEstimate > cfg.CallGas {
		r.log.Warn("max_calls_per_batch may not fit in the eth_call gas limit",
			"max_calls_per_batch", r.maxCalls, "call_gas", cfg.CallGas)
	}
	labels := make([]string, len(r.eps))
	for i, ep := range r.eps {
		labels[i] = ep.label
	}
	r.log.Info("chain reader ready", "mode", r.mode, "chain_id", r.chainID,
		"endpoints", labels, "tokens", len(r.tokens), "multicall", hexAddr(r.mcAddr))
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
	if cfg.CallTimeout < 0 || cfg.MaxCallsPerBatch < 0 || cfg.MaxConcurrency < 0 {
		return cfg, errors.New("call timeout, max calls per batch and max concurrency must not be negative")
	}
	if cfg.CallTimeout == 0 {
		cfg.CallTimeout = DefaultCallTimeout
	}
	if cfg.MaxCallsPerBatch == 0 {
		cfg.MaxCallsPerBatch = DefaultMaxCallsPerBatch
	}
	if cfg.MaxConcurrency == 0 {
		cfg.MaxConcurrency = DefaultMaxConcurrency
	}
	if cfg.CallGas == 0 {
		cfg.CallGas = DefaultCallGas
	}
	if cfg.MulticallAddress == (common.Address{}) {
		cfg.MulticallAddress = multicall3.Address
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = DefaultHTTPClient(DefaultIdleConns)
	}
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
	ep := &endpoint{label: label}
	transport := base.Transport
	if transport == nil {
		transport = http.DefaultTransport
	}
	hc := *base
	hc.Transport = countingTransport{base: transport, n: &ep.requests}
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

// verify checks the chain id of one endpoint, once.
func (r *Reader) verify(ctx context.Context, ep *endpoint) error {
	ep.mu.Lock()
	verified, wrong := ep.verified, ep.wrongChain
	ep.mu.Unlock()
	if wrong != nil {
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
		return ep.wrongChain
	}
	ep.verified = true
	return nil
}

func (r *Reader) chainIDOf(ctx context.Context, ep *endpoint) (uint64, error) {
	callCtx, cancel := context.WithTimeout(ctx, r.callTimeout)
	defer cancel()
	start := time.Now()
	var id hexutil.Uint64
	err := ep.client.CallContext(callCtx, &id, "eth_chainId")
	r.observe("eth_chainId", ep, classify(ctx, err), ctx, err, start)
	return uint64(id), err
}

func (r *Reader) observe(method string, ep *endpoint, k errKind, parent context.Context, err error, start time.Time) {
	if r.obs != nil {
		r.obs.OnCall(method, ep.label, outcomeOf(k, parent, err), time.Since(start))
	}
}

// order returns the endpoints to try: healthy ones in configured order,
// then those backing off (still tried rather than failing untried), never
// one serving another chain.
func (r *Reader) order() []*endpoint {
	now := time.Now()
	var healthy, backing []*endpoint
	for _, ep := range r.eps {
		ep.mu.Lock()
		wrong := ep.wrongChain != nil
		ep.mu.Unlock()
		switch {
		case wrong:
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
// or ErrBlockNotFound when none knew the block.
func (r *Reader) do(ctx context.Context, method string, attempt func(context.Context, *endpoint) error) error {
	var errs []error
	lagging := 0
	for _, ep := range r.order() {
		if ctx.Err() != nil {
			break
		}
		if err := r.verify(ctx, ep); err != nil {
			if k := classify(ctx, err); k == kindDown {
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
			errs = append(errs, attemptError(ep.label, err))
		case kindDown:
			backoff := ep.markFailed(time.Now(), r.backoff, r.maxBackoff)
			r.log.Warn("chain endpoint failed, trying the next", "endpoint", ep.label,
				"method", method, "err", describe(err), "retry_in", backoff)
			errs = append(errs, attemptError(ep.label, err))
		}
	}
	if ctx.Err() != nil {
		return fmt.Errorf("%s: %w", method, ctx.Err())
	}
	if lagging > 0 && lagging == len(errs) {
		return fmt.Errorf("%w: %s: %w", ErrBlockNotFound, method, errors.Join(errs...))
	}
	if len(errs) == 0 {
		return fmt.Errorf("%w: %s: no usable endpoint", ErrUnavailable, method)
	}
	return fmt.Errorf("%w: %s: %w", ErrUnavailable, method, errors.Join(errs...))
}

// Check reports whether some endpoint answers eth_chainId with the
// configured id: nil, or an error wrapping ErrUnavailable,
// ErrChainIDMismatch or the context's error. It is meant for readiness
// probes and costs one request per endpoint tried.
func (r *Reader) Check(ctx context.Context) error {
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

// Close releases the node connections. The Reader must not be used after.
func (r *Reader) Close() {
	for _, ep := range r.eps {
		ep.client.Close()
	}
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
// A tag never resolves below a block this Reader already returned for the
// same tag: if an endpoint lags behind, the remembered block is returned
// (and later reads pinned to its hash go to an endpoint that has it). A
// number beyond the head is an error wrapping ErrBlockNotFound ("block N is
// beyond the head M"); node failures wrap ErrUnavailable.
func (r *Reader) ResolveBlock(ctx context.Context, at BlockRef) (Block, error) {
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
			return fmt.Errorf("%w: block %d is beyond the head %d", ErrBlockNotFound, at.Number, head)
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
// Other errors wrap ErrUnknownToken, ErrBlockNotFound, ErrUnavailable or
// the context's error.
func (r *Reader) Balances(ctx context.Context, at BlockRef, token common.Address, wallets []common.Address) (Snapshot, error) {
	if _, ok := r.plans[token]; !ok {
		return Snapshot{}, fmt.Errorf("%w: %s", ErrUnknownToken, hexAddr(token))
	}
	block, err := r.ResolveBlock(ctx, at)
	if err != nil {
		return Snapshot{}, err
	}
	return r.BalancesAt(ctx, block, token, wallets)
}

// BalancesAt is Balances at an already resolved block (for callers that
// track the head themselves); every call is pinned to block.Hash.
func (r *Reader) BalancesAt(ctx context.Context, block Block, token common.Address, wallets []common.Address) (Snapshot, error) {
	p, ok := r.plans[token]
	if !ok {
		return Snapshot{}, fmt.Errorf("%w: %s", ErrUnknownToken, hexAddr(token))
	}
	snap := Snapshot{Block: block, Token: token, Balances: make([]Balance, len(wallets))}
	perChunk := max(1, r.maxCalls/len(p.fns)) // wallets per chunk
	g, gctx := errgroupWithLimit(ctx, r.concurrency)
	for lo := 0; lo < len(wallets); lo += perChunk {
		hi := min(lo+perChunk, len(wallets))
		g.Go(func() error {
			return r.readChunk(gctx, block, p, wallets[lo:hi], snap.Balances[lo:hi])
		})
	}
	if err := g.Wait(); err != nil {
		return Snapshot{}, err
	}
	return snap, nil
}

// call is one token call of a chunk.
type call struct {
	wallet common.Address
	fn     function
	data   []byte
}

// readChunk reads the wallets of one chunk into out.
func (r *Reader) readChunk(ctx context.Context, block Block, p *tokenPlan, wallets []common.Address, out []Balance) error {
	calls := make([]call, 0, len(wallets)*len(p.fns))
	for _, w := range wallets {
		for _, fn := range p.fns {
			calls = append(calls, call{wallet: w, fn: fn, data: callData(fn.sel, w)})
		}
	}
	var (
		results [][]byte
		err     error
	)
	if r.obs != nil {
		r.obs.OnBatch(len(calls))
	}
	switch r.mode {
	case ModeBatch:
		results, err = r.execBatch(ctx, block, p.token.Address, calls)
	default:
		results, err = r.execMulticall(ctx, block, p.token.Address, calls, r.mode == ModeOverride)
	}
	if err != nil {
		return err
	}
	for i, w := range wallets {
		b, err := decodeWallet(p, w, results[i*len(p.fns):(i+1)*len(p.fns)])
		if err != nil {
			return err
		}
		out[i] = b
	}
	return nil
}

// decodeWallet turns one wallet's raw return data (balanceOf, amounts,
// flags) into a Balance.
func decodeWallet(p *tokenPlan, wallet common.Address, raw [][]byte) (Balance, error) {
	fail := func(i int, reason string) error {
		return &ReadError{Token: p.token.Address, Wallet: wallet, Function: p.fns[i].sig, Reason: reason}
	}
	total, reason := decodeUint256(raw[0])
	if reason != "" {
		return Balance{}, fail(0, reason)
	}
	amounts := make([]*big.Int, p.amounts)
	for j := range amounts {
		v, reason := decodeUint256(raw[1+j])
		if reason != "" {
			return Balance{}, fail(1+j, reason)
		}
		amounts[j] = v
	}
	flags := make([]bool, len(p.fns)-1-p.amounts)
	for j := range flags {
		v, reason := decodeBool(raw[1+p.amounts+j])
		if reason != "" {
			return Balance{}, fail(1+p.amounts+j, reason)
		}
		flags[j] = v
	}
	return newBalance(wallet, total, amounts, flags), nil
}

// execMulticall runs calls as one aggregate3 eth_call (allowFailure on
// every sub-call, so one revert does not hide the others' results) and
// returns each call's return data; a failed sub-call is a *ReadError.
func (r *Reader) execMulticall(ctx context.Context, block Block, token common.Address, calls []call, override bool) ([][]byte, error) {
	c3 := make([]multicall3.Multicall3Call3, len(calls))
	for i, c := range calls {
		c3[i] = multicall3.Multicall3Call3{Target: token, AllowFailure: true, CallData: c.data}
	}
	data, err := r.mc.TryPackAggregate3(c3)
	if err != nil {
		return nil, fmt.Errorf("pack aggregate3: %w", err)
	}
	args := []any{callArgs{To: r.mcAddr, Data: data, Gas: r.gas}, blockParam{BlockHash: block.Hash}}
	if override {
		args = append(args, map[common.Address]overrideAccount{r.mcAddr: {Code: multicall3.RuntimeCode}})
	}
	var ret hexutil.Bytes
	err = r.do(ctx, "eth_call", func(ctx context.Context, ep *endpoint) error {
		return ep.client.CallContext(ctx, &ret, "eth_call", args...)
	})
	if err != nil {
		return nil, fmt.Errorf("multicall at block %d: %w", block.Number, err)
	}
	results, err := unpackAggregate3(r.mc, ret, len(calls))
	if err != nil {
		return nil, fmt.Errorf("multicall %s at block %d: %w", hexAddr(r.mcAddr), block.Number, err)
	}
	out := make([][]byte, len(calls))
	for i, res := range results {
		if !res.Success {
			return nil, &ReadError{Token: token, Wallet: calls[i].wallet, Function: calls[i].fn.sig, Reason: revertReason(res.ReturnData)}
		}
		out[i] = res.ReturnData
	}
	return out, nil
}

// unpackAggregate3 decodes aggregate3's result and checks it has one entry
// per call.
func unpackAggregate3(mc *multicall3.Multicall3, ret []byte, n int) (results []multicall3.Multicall3Result, err error) {
	if len(ret) == 0 {
		return nil, errors.New("empty return data (no Multicall3 code at that block?)")
	}
	defer func() {
		// The ABI decoder validates offsets, but a decoding bug must not
		// take the service down on hostile node data.
		if p := recover(); p != nil {
			results, err = nil, fmt.Errorf("malformed aggregate3 result: %v", p)
		}
	}()
	results, err = mc.UnpackAggregate3(ret)
	if err != nil {
		return nil, fmt.Errorf("malformed aggregate3 result: %w", err)
	}
	if len(results) != n {
		return nil, fmt.Errorf("aggregate3 returned %d results for %d calls", len(results), n)
	}
	return results, nil
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
		case code == -32600 || code == -32601 || code == -32602 || code == -32700:
			return final(fmt.Errorf("node rejected a batched %s: %w", el.Method, el.Error))
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

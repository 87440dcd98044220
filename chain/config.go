package chain

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

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
	// MaxHeadAge bounds how old the head a latest read answers from may
	// be (default DefaultMaxHeadAge, 100 ms; SPEC section 9, "Freshness of
	// latest"). While the WSURL subscription is up the head is current
	// whatever its age. Otherwise a latest read whose head the tracker
	// last confirmed longer ago learns the head in the same HTTP request
	// as its multicall (see Balances), and LatestHead refreshes it once
	// for all concurrent callers. Negative: no bound but HeadStaleAfter
	// (the tracked head is used as long as it is fresh).
	MaxHeadAge time.Duration
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
	// ChangeEvents are the custom model's events that change a wallet's
	// figures, each naming its wallet parameters (see ParseChangeEvent);
	// only allowed with Freeze "custom".
	ChangeEvents []string
}

// Model validates the configuration, change events included, and returns
// its freeze model.
func (tc TokenConfig) Model() (FreezeModel, error) {
	switch tc.Freeze {
	case FreezeCustom:
		if err := CheckChangeEvents(tc.Freeze, tc.ChangeEvents); err != nil {
			return FreezeModel{}, err
		}
		return CustomModel(tc.AmountFns, tc.FlagFns)
	case "":
		tc.Freeze = FreezeNone
	}
	if err := CheckChangeEvents(tc.Freeze, tc.ChangeEvents); err != nil {
		return FreezeModel{}, err
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
	// events are a custom model's change events (a preset's are in
	// changeEvents).
	events []changeEvent
}

// newPlan returns the plan of the token at addr with freeze model model.
func newPlan(addr common.Address, model FreezeModel) *tokenPlan {
	p := &tokenPlan{token: Token{Address: addr, Freeze: model}, amounts: len(model.AmountFns)}
	for _, sig := range slices.Concat([]string{"balanceOf(address)"}, model.AmountFns, model.FlagFns) {
		p.fns = append(p.fns, function{sig: sig, sel: selector(sig)})
	}
	return p
}

// CheckMode accepts a multicall mode: auto, contract, override or batch.
// The config loader and Dial both judge modes by it.
func CheckMode(mode string) error {
	switch mode {
	case ModeAuto, ModeContract, ModeOverride, ModeBatch:
		return nil
	}
	return fmt.Errorf("multicall mode %q must be auto, contract, override or batch", mode)
}

// CheckRPCURL accepts a node URL the Reader can dial: http or https, with
// a host. The error never echoes credentials the URL holds.
func CheckRPCURL(raw string) error { return checkURL("rpc url", raw, "http", "https") }

// CheckWSURL accepts a newHeads subscription URL: ws or wss, with a host.
func CheckWSURL(raw string) error { return checkURL("ws url", raw, "ws", "wss") }

func checkURL(what, raw string, schemes ...string) error {
	u, err := url.Parse(raw)
	if err == nil && u.Host != "" && slices.Contains(schemes, u.Scheme) {
		return nil
	}
	return fmt.Errorf("%s %s must be a %s url", what, RedactURL(raw), strings.Join(schemes, " or "))
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
	if cfg.MulticallMode == "" {
		cfg.MulticallMode = ModeAuto
	}
	if err := CheckMode(cfg.MulticallMode); err != nil {
		return cfg, err
	}
	if cfg.CallTimeout < 0 || cfg.MaxCallsPerBatch < 0 || cfg.MaxConcurrency < 0 || cfg.CacheSize < 0 || cfg.HeadStaleAfter < 0 {
		return cfg, errors.New("call timeout, max calls per batch, max concurrency, cache size and head stale after must not be negative")
	}
	if cfg.WSURL != "" {
		if err := CheckWSURL(cfg.WSURL); err != nil {
			return cfg, err
		}
		if cfg.HeadPollInterval < 0 {
			return cfg, errors.New("a ws url needs head tracking: head poll interval must not be negative")
		}
	}
	// Zero means the default (a negative poll interval disables tracking).
	cfg.HeadPollInterval = cmp.Or(cfg.HeadPollInterval, DefaultHeadPollInterval)
	cfg.HeadStaleAfter = cmp.Or(cfg.HeadStaleAfter, DefaultHeadStaleAfter)
	cfg.MaxHeadAge = cmp.Or(cfg.MaxHeadAge, DefaultMaxHeadAge)
	if cfg.MaxHeadAge < 0 || cfg.MaxHeadAge > cfg.HeadStaleAfter {
		cfg.MaxHeadAge = cfg.HeadStaleAfter
	}
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

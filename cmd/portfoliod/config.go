package main

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"go.yaml.in/yaml/v3"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/abi/multicall3"
	"github.com/portfoliod/portfoliod/api"
	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/internal/service"
	"github.com/portfoliod/portfoliod/live"
	"github.com/portfoliod/portfoliod/webhook"
)

// Config is the whole service configuration. Load builds it from defaults,
// then a YAML file (unknown keys rejected), then PORTFOLIO_* environment
// variables, then validates it. config.example.yaml documents every key.
type Config struct {
	HTTP      HTTPConfig      `yaml:"http"`
	Store     StoreConfig     `yaml:"store"`
	Chain     ChainConfig     `yaml:"chain"`
	Tokens    []TokenConfig   `yaml:"tokens"`
	Auth      AuthConfig      `yaml:"auth"`
	RateLimit RateLimitConfig `yaml:"rate_limit"`
	Live      LiveConfig      `yaml:"live"`
	Webhooks  WebhooksConfig  `yaml:"webhooks"`
	Console   ConsoleConfig   `yaml:"console"`
	Log       LogConfig       `yaml:"log"`
}

// ConsoleConfig configures the web console's sessions (SPEC section 11).
// Sessions are held in memory: a restart signs everyone out.
type ConsoleConfig struct {
	// SessionTTL is how long a sign-in lasts.
	SessionTTL time.Duration `yaml:"session_ttl"`
	// MaxSessions bounds the sessions held; sign-in past it is a 429.
	MaxSessions int `yaml:"max_sessions"`
}

// WebhooksConfig configures webhook delivery (SPEC section 9,
// "Webhooks").
type WebhooksConfig struct {
	// Timeout bounds one delivery attempt.
	Timeout time.Duration `yaml:"timeout"`
	// AllowHTTP accepts http:// endpoint URLs besides https://.
	AllowHTTP bool `yaml:"allow_http"`
	// AllowPrivateTargets lets deliveries reach loopback, private and
	// link-local addresses: the SSRF guard off, for development only.
	AllowPrivateTargets bool `yaml:"allow_private_targets"`
	// RetrySchedule is the delay before each retry (file only).
	RetrySchedule []time.Duration `yaml:"retry_schedule"`
	// MaxInFlightPerEndpoint bounds the attempts in flight to one
	// endpoint.
	MaxInFlightPerEndpoint int `yaml:"max_in_flight_per_endpoint"`
}

// LiveConfig configures the follower and the event streams (SPEC
// section 9).
type LiveConfig struct {
	Enabled       bool          `yaml:"enabled"`
	Confirmations uint64        `yaml:"confirmations"`
	MaxBackfill   uint64        `yaml:"max_backfill"`
	Retention     time.Duration `yaml:"retention"`
	SweepInterval time.Duration `yaml:"sweep_interval"`
	// BackfillChunk is the widest block range of one eth_getLogs while
	// catching up; a node refusing it is asked for half.
	BackfillChunk uint64 `yaml:"backfill_chunk"`
	// MaxReorgDepth is the deepest reorg the follower walks back over; a
	// deeper one is swept. The store keeps that many blocks (and one).
	MaxReorgDepth int `yaml:"max_reorg_depth"`
	// MaxStreamsPerKey bounds the event streams one API key has open.
	MaxStreamsPerKey int `yaml:"max_streams_per_key"`
}

// HTTPConfig configures the API server.
type HTTPConfig struct {
	Addr              string        `yaml:"addr"`
	RequestTimeout    time.Duration `yaml:"request_timeout"`
	ShutdownTimeout   time.Duration `yaml:"shutdown_timeout"`
	MaxBodyBytes      int64         `yaml:"max_body_bytes"`
	ReadHeaderTimeout time.Duration `yaml:"read_header_timeout"`
	ReadTimeout       time.Duration `yaml:"read_timeout"`
	WriteTimeout      time.Duration `yaml:"write_timeout"`
	IdleTimeout       time.Duration `yaml:"idle_timeout"`
	BackupTimeout     time.Duration `yaml:"backup_timeout"`
	MaxHeaderBytes    int           `yaml:"max_header_bytes"`
	TrustedProxies    []string      `yaml:"trusted_proxies"`
}

// StoreConfig configures the customer store: bbolt (one process, a file
// at Path) or postgres (any number of replicas, a database at DSN).
type StoreConfig struct {
	Driver      string        `yaml:"driver"`
	Path        string        `yaml:"path"`
	OpenTimeout time.Duration `yaml:"open_timeout"`
	// DSN, MaxConns and StatementTimeout are the postgres driver's. The
	// DSN's password is never logged.
	DSN              string        `yaml:"dsn"`
	MaxConns         int           `yaml:"max_conns"`
	StatementTimeout time.Duration `yaml:"statement_timeout"`
}

// ChainConfig configures node access.
type ChainConfig struct {
	ChainID          uint64          `yaml:"chain_id"`
	RPCURLs          []string        `yaml:"rpc_urls"`
	WSURL            string          `yaml:"ws_url"`
	CallTimeout      time.Duration   `yaml:"call_timeout"`
	MaxCallsPerBatch int             `yaml:"max_calls_per_batch"`
	Multicall        MulticallConfig `yaml:"multicall"`
	MaxInflightReads int             `yaml:"max_inflight_reads"`
	InflightWait     time.Duration   `yaml:"inflight_wait"`
	HeadPollInterval time.Duration   `yaml:"head_poll_interval"`
	HeadStaleAfter   time.Duration   `yaml:"head_stale_after"`
	CacheSize        int             `yaml:"cache_size"`
	// MaxHeadAge bounds the age of the head a latest read answers from
	// (see chain.Config.MaxHeadAge).
	MaxHeadAge time.Duration `yaml:"max_head_age"`
}

// MulticallConfig selects the batching strategy.
type MulticallConfig struct {
	Mode    string `yaml:"mode"`
	Address string `yaml:"address"`
}

// TokenConfig is one configured token; the first is the default token.
type TokenConfig struct {
	Address   string   `yaml:"address"`
	Freeze    string   `yaml:"freeze"`
	AmountFns []string `yaml:"amount_fns"`
	FlagFns   []string `yaml:"flag_fns"`
	// ChangeEvents are a custom token's events that change a wallet's
	// figures, their wallet address parameters named (see
	// chain.ParseChangeEvent); without them it is swept.
	ChangeEvents []string `yaml:"change_events"`
	// CacheAcrossBlocks serves a figure the follower read at an earlier
	// block while no event touched the wallet since; unset, it is on for
	// the presets whose every change emits an event (not none or custom:
	// a rebasing token changes balances silently).
	CacheAcrossBlocks *bool `yaml:"cache_across_blocks"`
}

// cachesAcrossBlocks reports whether t's figures may be served across
// blocks (see TokenConfig.CacheAcrossBlocks).
func (t TokenConfig) cachesAcrossBlocks() bool {
	if t.CacheAcrossBlocks != nil {
		return *t.CacheAcrossBlocks
	}
	return t.Freeze != chain.FreezeNone && t.Freeze != chain.FreezeCustom && t.Freeze != ""
}

// AuthConfig lists the accepted API keys, by SHA-256 hash only.
type AuthConfig struct {
	Keys []KeyConfig `yaml:"keys"`
}

// KeyConfig is one API key entry, as printed by `portfoliod keys generate`.
type KeyConfig struct {
	Name   string   `yaml:"name"`
	SHA256 string   `yaml:"sha256"`
	Scopes []string `yaml:"scopes"`
}

// RateLimitConfig is the per-key token bucket, and the per-client bucket
// that requests failing authentication take from.
type RateLimitConfig struct {
	RequestsPerSecond   float64 `yaml:"requests_per_second"`
	Burst               int     `yaml:"burst"`
	FailedAuthPerSecond float64 `yaml:"failed_auth_per_second"`
	FailedAuthBurst     int     `yaml:"failed_auth_burst"`
}

// LogConfig configures structured logging.
type LogConfig struct {
	Level  string `yaml:"level"`
	Format string `yaml:"format"`
}

// DefaultConfig returns the configuration used for every key the file and
// environment leave unset. config.example.yaml shows the same values.
func DefaultConfig() Config {
	return Config{
		HTTP: HTTPConfig{
			Addr:              "127.0.0.1:8080",
			RequestTimeout:    api.DefaultRequestTimeout,
			ShutdownTimeout:   15 * time.Second,
			MaxBodyBytes:      api.DefaultMaxBodyBytes,
			ReadHeaderTimeout: 5 * time.Second,
			ReadTimeout:       15 * time.Second,
			WriteTimeout:      30 * time.Second,
			IdleTimeout:       120 * time.Second,
			BackupTimeout:     api.DefaultBackupTimeout,
			MaxHeaderBytes:    api.DefaultMaxHeaderBytes,
		},
		Store: StoreConfig{Driver: "bbolt", Path: "data/portfoliod.db", OpenTimeout: 5 * time.Second,
			MaxConns: 10, StatementTimeout: 30 * time.Second},
		Chain: ChainConfig{
			ChainID:          31337,
			RPCURLs:          []string{"http://127.0.0.1:8545"},
			CallTimeout:      chain.DefaultCallTimeout,
			MaxCallsPerBatch: chain.DefaultMaxCallsPerBatch,
			Multicall:        MulticallConfig{Mode: chain.ModeAuto, Address: multicall3.Address.Hex()},
			MaxInflightReads: 64,
			InflightWait:     time.Second,
			HeadPollInterval: chain.DefaultHeadPollInterval,
			HeadStaleAfter:   chain.DefaultHeadStaleAfter,
			MaxHeadAge:       chain.DefaultMaxHeadAge,
			CacheSize:        chain.DefaultCacheSize,
		},
		RateLimit: RateLimitConfig{
			RequestsPerSecond:   api.DefaultRequestsPerSecond,
			Burst:               api.DefaultBurst,
			FailedAuthPerSecond: api.DefaultFailedAuthPerSecond,
			FailedAuthBurst:     api.DefaultFailedAuthBurst,
		},
		Live: LiveConfig{Enabled: true, MaxBackfill: live.DefaultMaxBackfill, BackfillChunk: live.DefaultBackfillChunk, Retention: service.DefaultRetention,
			SweepInterval: live.DefaultSweepInterval, MaxStreamsPerKey: api.DefaultMaxStreamsPerKey, MaxReorgDepth: live.DefaultMaxReorgDepth},
		Webhooks: WebhooksConfig{Timeout: webhook.DefaultTimeout, MaxInFlightPerEndpoint: webhook.DefaultPerEndpoint,
			RetrySchedule: slices.Clone(webhook.DefaultSchedule)},
		Console: ConsoleConfig{SessionTTL: api.DefaultSessionTTL, MaxSessions: api.DefaultMaxSessions},
		Log:     LogConfig{Level: "info", Format: "json"},
	}
}

// envPrefix starts every environment override.
const envPrefix = "PORTFOLIO_"

// LoadConfig reads path (skipped when empty), applies environment overrides
// from getenv and validates the result.
func LoadConfig(path string, getenv func(string) string) (Config, error) {
	cfg := DefaultConfig()
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return Config{}, fmt.Errorf("read config: %w", err)
		}
		if err := decodeYAML(data, &cfg); err != nil {
			return Config{}, fmt.Errorf("config %s: %w", path, err)
		}
	}
	if err := applyEnv(reflect.ValueOf(&cfg).Elem(), envPrefix[:len(envPrefix)-1], getenv); err != nil {
		return Config{}, err
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, fmt.Errorf("invalid config: %w", err)
	}
	return cfg, nil
}

// decodeYAML decodes data over cfg, rejecting unknown keys, each named by
// its YAML path and line (yaml's own message names the Go type instead).
func decodeYAML(data []byte, cfg *Config) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err := dec.Decode(cfg)
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return err
	}
	// Walked only after the decoder accepted the document's structure
	// (it refuses excessive aliasing, which a walk would expand).
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil {
		return err
	}
	errs := unknownKeys(&doc, reflect.TypeOf(*cfg), "", map[*yaml.Node]bool{})
	if len(errs) == 0 {
		return err
	}
	for _, e := range te.Errors {
		if !strings.Contains(e, " not found in type ") {
			errs = append(errs, errors.New(e))
		}
	}
	return errors.Join(errs...)
}

// unknownKeys walks n alongside the struct type t it decodes into and
// returns an error for every mapping key no field of t is tagged with,
// e.g. `unknown key "http.adr" at line 3`. path is n's dotted YAML path;
// active holds the nodes being walked, so an alias of an enclosing node is
// not followed round in a circle.
func unknownKeys(n *yaml.Node, t reflect.Type, path string, active map[*yaml.Node]bool) []error {
	if n == nil || active[n] {
		return nil
	}
	active[n] = true
	defer delete(active, n)
	switch n.Kind {
	case yaml.DocumentNode:
		var errs []error
		for _, c := range n.Content {
			errs = append(errs, unknownKeys(c, t, path, active)...)
		}
		return errs
	case yaml.AliasNode:
		return unknownKeys(n.Alias, t, path, active)
	case yaml.SequenceNode:
		if t.Kind() != reflect.Slice {
			return nil // a type mismatch: the decoder reports it
		}
		var errs []error
		for i, c := range n.Content {
			errs = append(errs, unknownKeys(c, t.Elem(), fmt.Sprintf("%s[%d]", path, i), active)...)
		}
		return errs
	case yaml.MappingNode:
		if t.Kind() != reflect.Struct {
			return nil
		}
		var errs []error
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Value == "<<" && k.Tag == "!!merge" {
				// A merge key's mapping (or list of them) holds keys of t.
				merged := []*yaml.Node{v}
				if v.Kind == yaml.SequenceNode {
					merged = v.Content
				}
				for _, m := range merged {
					errs = append(errs, unknownKeys(m, t, path, active)...)
				}
				continue
			}
			name := k.Value
			if path != "" {
				name = path + "." + k.Value
			}
			f, ok := yamlField(t, k.Value)
			if !ok {
				errs = append(errs, fmt.Errorf("unknown key %q at line %d", name, k.Line))
				continue
			}
			errs = append(errs, unknownKeys(v, f.Type, name, active)...)
		}
		return errs
	}
	return nil
}

// yamlField is the field of struct type t whose yaml tag names key.
func yamlField(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if name, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); name == key {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// applyEnv walks the config struct and overrides each scalar (or list of
// scalars) field from the environment variable named after its YAML key path,
// e.g. PORTFOLIO_CHAIN_MULTICALL_MODE. Lists of structs (tokens, auth.keys)
// come from the file only.
func applyEnv(v reflect.Value, name string, getenv func(string) string) error {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		key := strings.ToUpper(strings.Split(f.Tag.Get("yaml"), ",")[0])
		if key == "" {
			continue
		}
		envName := name + "_" + key
		fv := v.Field(i)
		if f.Type.Kind() == reflect.Struct {
			if err := applyEnv(fv, envName, getenv); err != nil {
				return err
			}
			continue
		}
		raw := getenv(envName)
		if raw == "" {
			continue
		}
		if err := setFromString(fv, raw); err != nil {
			return fmt.Errorf("environment %s=%q: %w", envName, raw, err)
		}
	}
	return nil
}

var durationType = reflect.TypeOf(time.Duration(0))

func setFromString(fv reflect.Value, raw string) error {
	if fv.Type() == durationType {
		d, err := time.ParseDuration(raw)
		if err != nil {
			return err
		}
		fv.SetInt(int64(d))
		return nil
	}
	switch fv.Kind() {
	case reflect.String:
		fv.SetString(raw)
	case reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return errors.New("not true or false")
		}
		fv.SetBool(b)
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return errors.New("not an integer")
		}
		fv.SetInt(n)
	case reflect.Uint64:
		n, err := strconv.ParseUint(raw, 10, 64)
		if err != nil {
			return errors.New("not a non-negative integer")
		}
		fv.SetUint(n)
	case reflect.Float64:
		n, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return errors.New("not a number")
		}
		fv.SetFloat(n)
	case reflect.Slice:
		if fv.Type().Elem().Kind() != reflect.String {
			return errors.New("this key can only be set in the config file")
		}
		var parts []string
		for _, p := range strings.Split(raw, ",") {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
		fv.Set(reflect.ValueOf(parts))
	default:
		return errors.New("this key can only be set in the config file")
	}
	return nil
}

// Validate checks every value and reports all problems at once, each naming
// its key.
func (c Config) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", key, fmt.Sprintf(format, args...)))
	}
	positive := func(key string, d time.Duration) {
		if d <= 0 {
			bad(key, "must be a positive duration, got %s", d)
		}
	}

	// Any host net.Listen accepts: an IP, a name (a container or service
	// name), or none (":8080", every interface); the port is a number.
	if _, port, err := net.SplitHostPort(c.HTTP.Addr); err != nil {
		bad("http.addr", "must be host:port, got %q", c.HTTP.Addr)
	} else if n, err := strconv.ParseUint(port, 10, 16); err != nil || (n == 0 && port != "0") {
		bad("http.addr", "port must be a number from 0 to 65535, got %q", port)
	}
	positive("http.request_timeout", c.HTTP.RequestTimeout)
	positive("http.shutdown_timeout", c.HTTP.ShutdownTimeout)
	positive("http.read_header_timeout", c.HTTP.ReadHeaderTimeout)
	positive("live.retention", c.Live.Retention)
	positive("live.sweep_interval", c.Live.SweepInterval)
	if c.Live.MaxStreamsPerKey < 1 {
		bad("live.max_streams_per_key", "must be at least 1, got %d", c.Live.MaxStreamsPerKey)
	}
	if c.Live.MaxBackfill < 1 {
		bad("live.max_backfill", "must be at least 1, got %d", c.Live.MaxBackfill)
	}
	if c.Live.BackfillChunk < 1 || c.Live.BackfillChunk > 100000 {
		bad("live.backfill_chunk", "must be between 1 and 100000 blocks, got %d", c.Live.BackfillChunk)
	}
	if c.Live.MaxReorgDepth < 1 || c.Live.MaxReorgDepth > 10000 {
		bad("live.max_reorg_depth", "must be between 1 and 10000, got %d", c.Live.MaxReorgDepth)
	}
	positive("webhooks.timeout", c.Webhooks.Timeout)
	if c.Webhooks.MaxInFlightPerEndpoint < 1 {
		bad("webhooks.max_in_flight_per_endpoint", "must be at least 1, got %d", c.Webhooks.MaxInFlightPerEndpoint)
	}
	for i, d := range c.Webhooks.RetrySchedule {
		if d <= 0 {
			bad(fmt.Sprintf("webhooks.retry_schedule[%d]", i), "must be a positive duration, got %s", d)
		}
	}
	positive("console.session_ttl", c.Console.SessionTTL)
	if c.Console.MaxSessions < 1 {
		bad("console.max_sessions", "must be at least 1, got %d", c.Console.MaxSessions)
	}
	positive("http.read_timeout", c.HTTP.ReadTimeout)
	positive("http.write_timeout", c.HTTP.WriteTimeout)
	positive("http.backup_timeout", c.HTTP.BackupTimeout)
	positive("http.idle_timeout", c.HTTP.IdleTimeout)
	if c.HTTP.WriteTimeout > 0 && c.HTTP.RequestTimeout > c.HTTP.WriteTimeout {
		bad("http.request_timeout", "must not exceed http.write_timeout (%s), or slow responses are cut off without an error body", c.HTTP.WriteTimeout)
	}
	if c.HTTP.MaxBodyBytes < 1024 || c.HTTP.MaxBodyBytes > 64<<20 {
		bad("http.max_body_bytes", "must be between 1024 and 67108864, got %d", c.HTTP.MaxBodyBytes)
	}
	if c.HTTP.MaxHeaderBytes < 4096 {
		bad("http.max_header_bytes", "must be at least 4096, got %d", c.HTTP.MaxHeaderBytes)
	}
	for _, p := range c.HTTP.TrustedProxies {
		if _, err := netip.ParsePrefix(p); err != nil {
			if _, err := netip.ParseAddr(p); err != nil {
				bad("http.trusted_proxies", "%q is not an IP address or CIDR", p)
			}
		}
	}

	switch c.Store.Driver {
	case "bbolt":
		if strings.TrimSpace(c.Store.Path) == "" {
			bad("store.path", "must be set")
		}
	case "postgres":
		if strings.TrimSpace(c.Store.DSN) == "" {
			bad("store.dsn", "must be set with store.driver postgres (e.g. postgres://portfoliod:PASSWORD@db:5432/portfoliod, or PORTFOLIO_STORE_DSN)")
		}
	default:
		bad("store.driver", "must be bbolt or postgres, got %q", c.Store.Driver)
	}
	positive("store.open_timeout", c.Store.OpenTimeout)
	if c.Store.MaxConns < 1 || c.Store.MaxConns > 1000 {
		bad("store.max_conns", "must be between 1 and 1000, got %d", c.Store.MaxConns)
	}
	positive("store.statement_timeout", c.Store.StatementTimeout)

	if c.Chain.ChainID == 0 {
		bad("chain.chain_id", "must be set")
	}
	if len(c.Chain.RPCURLs) == 0 {
		bad("chain.rpc_urls", "must list at least one node URL")
	}
	for _, u := range c.Chain.RPCURLs {
		if err := chain.CheckRPCURL(u); err != nil {
			bad("chain.rpc_urls", "%v", err)
		}
	}
	if c.Chain.WSURL != "" {
		if err := chain.CheckWSURL(c.Chain.WSURL); err != nil {
			bad("chain.ws_url", "%v", err)
		}
	}
	positive("chain.call_timeout", c.Chain.CallTimeout)
	if c.Chain.MaxCallsPerBatch < 1 || c.Chain.MaxCallsPerBatch > 10000 {
		bad("chain.max_calls_per_batch", "must be between 1 and 10000, got %d", c.Chain.MaxCallsPerBatch)
	}
	if c.Chain.MaxInflightReads < 1 {
		bad("chain.max_inflight_reads", "must be at least 1, got %d", c.Chain.MaxInflightReads)
	}
	positive("chain.inflight_wait", c.Chain.InflightWait)
	positive("chain.head_poll_interval", c.Chain.HeadPollInterval)
	if c.Chain.HeadStaleAfter <= c.Chain.HeadPollInterval {
		bad("chain.head_stale_after", "must be longer than chain.head_poll_interval (%s), got %s", c.Chain.HeadPollInterval, c.Chain.HeadStaleAfter)
	}
	positive("chain.max_head_age", c.Chain.MaxHeadAge)
	if c.Chain.MaxHeadAge > c.Chain.HeadStaleAfter {
		bad("chain.max_head_age", "must not exceed chain.head_stale_after (%s), got %s", c.Chain.HeadStaleAfter, c.Chain.MaxHeadAge)
	}
	if c.Chain.CacheSize < 0 {
		bad("chain.cache_size", "must be 0 (no cache) or more, got %d", c.Chain.CacheSize)
	}
	if err := chain.CheckMode(c.Chain.Multicall.Mode); err != nil {
		bad("chain.multicall.mode", "%v", err)
	}
	if !common.IsHexAddress(c.Chain.Multicall.Address) {
		bad("chain.multicall.address", "must be a 20-byte hex address, got %q", c.Chain.Multicall.Address)
	}

	seen := map[common.Address]bool{}
	for i, t := range c.Tokens {
		key := fmt.Sprintf("tokens[%d]", i)
		if a, err := portfoliod.ParseAddress(t.Address); err != nil {
			bad(key+".address", "%v", err)
		} else {
			if seen[a] {
				bad(key+".address", "token %s is listed twice", strings.ToLower(t.Address))
			}
			seen[a] = true
		}
		if _, err := t.freezeModel(); err != nil {
			bad(key+".freeze", "%v", err)
		}
		if err := chain.CheckChangeEvents(t.Freeze, t.ChangeEvents); err != nil {
			bad(key+".change_events", "token %s: %v", strings.ToLower(t.Address), err)
		}
	}

	names := map[string]bool{}
	// One key under two names would get the scopes of whichever entry
	// the key ring ends up using: refuse it instead of picking one.
	hashes := map[[32]byte]string{}
	for i, k := range c.Auth.Keys {
		key := fmt.Sprintf("auth.keys[%d]", i)
		if k.Name == "" {
			bad(key+".name", "must be set")
		} else if names[k.Name] {
			bad(key+".name", "%q is used twice", k.Name)
		}
		names[k.Name] = true
		if h, err := api.ParseKeyHash(k.SHA256); err != nil {
			bad(key+".sha256", "must be 64 hex characters (the SHA-256 of the key, as printed by `portfoliod keys generate`)")
		} else if first, dup := hashes[h]; dup {
			bad(key+".sha256", "key hash used by both %q and %q", first, k.Name)
		} else {
			hashes[h] = k.Name
		}
		if len(k.Scopes) == 0 {
			bad(key+".scopes", "must list at least one of read, write, admin")
		}
		for _, s := range k.Scopes {
			if _, err := api.ParseScope(s); err != nil {
				bad(key+".scopes", "%v", err)
			}
		}
	}

	if c.RateLimit.RequestsPerSecond <= 0 {
		bad("rate_limit.requests_per_second", "must be positive, got %v", c.RateLimit.RequestsPerSecond)
	}
	if c.RateLimit.FailedAuthPerSecond <= 0 {
		bad("rate_limit.failed_auth_per_second", "must be positive, got %v", c.RateLimit.FailedAuthPerSecond)
	}
	if c.RateLimit.FailedAuthBurst < 1 {
		bad("rate_limit.failed_auth_burst", "must be at least 1, got %d", c.RateLimit.FailedAuthBurst)
	}
	if c.RateLimit.Burst < 1 {
		bad("rate_limit.burst", "must be at least 1, got %d", c.RateLimit.Burst)
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		bad("log.level", "must be debug, info, warn or error, got %q", c.Log.Level)
	}
	switch c.Log.Format {
	case "json", "text":
	default:
		bad("log.format", "must be json or text, got %q", c.Log.Format)
	}
	return errors.Join(errs...)
}

// freezeModel resolves the token's preset or custom signatures, with the
// same rules the chain reader applies.
func (t TokenConfig) freezeModel() (chain.FreezeModel, error) {
	return chain.TokenConfig{Freeze: t.Freeze, AmountFns: t.AmountFns, FlagFns: t.FlagFns}.Model()
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"reflect"
	"strings"
	"syscall"

	"github.com/ethereum/go-ethereum/common"

	"github.com/portfoliod/portfoliod/api"
	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/internal/service"
)

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", stderr)
	configPath := fs.String("config", getenv("PORTFOLIO_CONFIG"), "YAML config file (env PORTFOLIO_CONFIG)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{msg: fmt.Sprintf("serve takes no arguments, got %q", fs.Args())}
	}
	cfg, err := LoadConfig(*configPath, getenv)
	if err != nil {
		return err
	}
	log, err := newLogger(cfg.Log, stderr)
	if err != nil {
		return err
	}
	log.Info("portfoliod starting", "version", version(), "config", *configPath, "store", cfg.Store.Driver+" "+storeName(cfg.Store))
	reload := func() (Config, error) { return LoadConfig(*configPath, getenv) }
	return serve(ctx, cfg, log, stdout, reload, nil)
}

// newLogger builds the structured logger of cfg.
func newLogger(cfg LogConfig, w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.Level)); err != nil {
		return nil, fmt.Errorf("log.level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: level}
	if cfg.Format == "text" {
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return slog.New(slog.NewJSONHandler(w, opts)), nil
}

// apiKeys converts the config's key entries, with the parsers Validate
// checked them with.
func apiKeys(cfg AuthConfig) ([]api.Key, error) {
	keys := make([]api.Key, 0, len(cfg.Keys))
	for _, k := range cfg.Keys {
		h, err := api.ParseKeyHash(k.SHA256)
		if err != nil {
			return nil, fmt.Errorf("auth key %q: %w", k.Name, err)
		}
		key := api.Key{Name: k.Name, Hash: h}
		for _, s := range k.Scopes {
			sc, err := api.ParseScope(s)
			if err != nil {
				return nil, fmt.Errorf("auth key %q: %w", k.Name, err)
			}
			key.Scopes = append(key.Scopes, sc)
		}
		keys = append(keys, key)
	}
	return keys, nil
}

// chainConfig converts the config's chain and token sections.
func chainConfig(cfg Config) chain.Config {
	cc := chain.Config{
		ChainID:          cfg.Chain.ChainID,
		RPCURLs:          cfg.Chain.RPCURLs,
		CallTimeout:      cfg.Chain.CallTimeout,
		MaxCallsPerBatch: cfg.Chain.MaxCallsPerBatch,
		MulticallMode:    cfg.Chain.Multicall.Mode,
		MulticallAddress: common.HexToAddress(cfg.Chain.Multicall.Address),
		WSURL:            cfg.Chain.WSURL,
		HeadPollInterval: cfg.Chain.HeadPollInterval,
		HeadStaleAfter:   cfg.Chain.HeadStaleAfter,
		MaxHeadAge:       cfg.Chain.MaxHeadAge,
		CacheSize:        cfg.Chain.CacheSize,
	}
	for _, t := range cfg.Tokens {
		cc.Tokens = append(cc.Tokens, chain.TokenConfig{
			Address: common.HexToAddress(t.Address), Freeze: t.Freeze,
			AmountFns: t.AmountFns, FlagFns: t.FlagFns, ChangeEvents: t.ChangeEvents,
		})
	}
	return cc
}

// liveOptions is the live layer's part of cfg.
func liveOptions(cfg Config) service.LiveOptions {
	o := service.LiveOptions{Enabled: cfg.Live.Enabled, Confirmations: cfg.Live.Confirmations,
		MaxBackfill: cfg.Live.MaxBackfill, Retention: cfg.Live.Retention, SweepInterval: cfg.Live.SweepInterval,
		MaxReorgDepth: cfg.Live.MaxReorgDepth, BackfillChunk: cfg.Live.BackfillChunk}
	for _, t := range cfg.Tokens {
		if t.cachesAcrossBlocks() {
			o.CacheAcrossBlocks = append(o.CacheAcrossBlocks, common.HexToAddress(t.Address))
		}
	}
	return o
}

// serve runs the service until ctx is done (see service.Start and
// Instance.Shutdown for the order of start-up and shutdown). reload
// re-reads the config on SIGHUP to rotate API keys.
//
// onListen, when set, is called with the bound address once the server
// accepts connections.
func serve(ctx context.Context, cfg Config, log *slog.Logger, stdout io.Writer, reload func() (Config, error), onListen func(addr string)) error {
	if len(cfg.Tokens) == 0 {
		return errors.New("config lists no tokens: add at least one under tokens: (see config.example.yaml)")
	}
	keys, err := apiKeys(cfg.Auth)
	if err != nil {
		return err
	}
	if len(keys) == 0 {
		log.Warn("no API keys configured: every authenticated route will answer 401; create one with `portfoliod keys generate`")
	}
	// Registered before the address is announced, so a SIGHUP sent by
	// anyone who has seen it is always a reload, never the default
	// termination.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)

	svc, err := service.Start(ctx, service.Options{
		OpenStore:        storeOpener(cfg.Store, liveOptions(cfg).KeptBlocks()),
		Chain:            chainConfig(cfg),
		MaxInflightReads: cfg.Chain.MaxInflightReads,
		InflightWait:     cfg.Chain.InflightWait,
		API: api.Config{
			Keys:                keys,
			RequestsPerSecond:   cfg.RateLimit.RequestsPerSecond,
			Burst:               cfg.RateLimit.Burst,
			FailedAuthPerSecond: cfg.RateLimit.FailedAuthPerSecond,
			FailedAuthBurst:     cfg.RateLimit.FailedAuthBurst,
			MaxStreamsPerKey:    cfg.Live.MaxStreamsPerKey,
			MaxBodyBytes:        cfg.HTTP.MaxBodyBytes,
			RequestTimeout:      cfg.HTTP.RequestTimeout,
			BackupTimeout:       cfg.HTTP.BackupTimeout,
			TrustedProxies:      cfg.HTTP.TrustedProxies,
			Console:             api.ConsoleConfig{SessionTTL: cfg.Console.SessionTTL, MaxSessions: cfg.Console.MaxSessions},
		},
		Addr:              cfg.HTTP.Addr,
		ReadHeaderTimeout: cfg.HTTP.ReadHeaderTimeout,
		ReadTimeout:       cfg.HTTP.ReadTimeout,
		WriteTimeout:      cfg.HTTP.WriteTimeout,
		IdleTimeout:       cfg.HTTP.IdleTimeout,
		MaxHeaderBytes:    cfg.HTTP.MaxHeaderBytes,
		Live:              liveOptions(cfg),
		Webhooks: service.WebhookOptions{Timeout: cfg.Webhooks.Timeout, AllowHTTP: cfg.Webhooks.AllowHTTP,
			AllowPrivateTargets: cfg.Webhooks.AllowPrivateTargets, Schedule: cfg.Webhooks.RetrySchedule,
			PerEndpoint: cfg.Webhooks.MaxInFlightPerEndpoint, Version: strings.Fields(version())[0]},
		Logger: log,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "portfoliod listening on http://%s\n", svc.Addr())
	if onListen != nil {
		onListen(svc.Addr())
	}

	for {
		select {
		case err := <-svc.Failed():
			sctx, cancel := context.WithTimeout(context.Background(), cfg.HTTP.ShutdownTimeout)
			defer cancel()
			return errors.Join(fmt.Errorf("http server: %w", err), svc.Shutdown(sctx))
		case <-hup:
			if reload == nil {
				continue
			}
			next, err := reload()
			if err == nil {
				keys, err = apiKeys(next.Auth)
			}
			if err != nil {
				log.Error("config reload rejected; keeping the running config", "err", err.Error())
				continue
			}
			svc.API.SetKeys(keys)
			if pending := changedSections(cfg, next); len(pending) > 0 {
				log.Warn("config reloaded: API keys applied; other changed settings need a restart", "keys", len(keys), "restart_needed", pending)
			} else {
				log.Info("config reloaded: API keys applied", "keys", len(keys))
			}
		case <-ctx.Done():
			log.Info("shutting down", "timeout", cfg.HTTP.ShutdownTimeout.String())
			sctx, cancel := context.WithTimeout(context.Background(), cfg.HTTP.ShutdownTimeout)
			err := svc.Shutdown(sctx)
			cancel()
			if err != nil {
				return err
			}
			log.Info("stopped")
			return nil
		}
	}
}

// changedSections lists the top-level config sections other than auth
// whose values differ between a and b: what a SIGHUP reload cannot apply.
func changedSections(a, b Config) []string {
	var out []string
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	for i := range va.NumField() {
		name, _, _ := strings.Cut(va.Type().Field(i).Tag.Get("yaml"), ",")
		if name != "auth" && !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			out = append(out, name)
		}
	}
	return out
}

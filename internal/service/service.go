// Package service assembles portfoliod from its parts — the customer
// store (bbolt by default, or whatever Options.OpenStore opens), the chain
// reader, the aggregator and the HTTP API — and runs it.
// It is what `portfoliod serve` and `portfoliod dev` run, and what the soak
// test runs in-process under the race detector, so that all three exercise
// one wiring.
package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/aggregator"
	"github.com/portfoliod/portfoliod/api"
	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/customers/bolt"
)

// Store is what the service needs of a customer store: the domain's
// store, the readiness check, the idempotency purge, the counts and index
// check operators and the soak read, and Close. bolt.Store and
// postgres.Store are both one.
type Store interface {
	portfoliod.CustomerStore
	Check(ctx context.Context) error
	PurgeIdempotent(ctx context.Context) (int, error)
	Count(ctx context.Context) (customers, wallets int, err error)
	VerifyIndex(ctx context.Context) error
	Close() error
}

// Options configures an Instance. Zero durations and sizes take the
// defaults of the packages they go to.
type Options struct {
	// OpenStore opens the customer store; nil opens the bbolt store at
	// StorePath, waiting StoreOpenTimeout for its lock.
	OpenStore        func(ctx context.Context) (Store, error)
	StorePath        string
	StoreOpenTimeout time.Duration

	// Chain is the chain reader's configuration; Start sets its Logger and
	// Observer (the Prometheus metrics).
	Chain chain.Config
	// MaxInflightReads bounds the chain reads in flight; a read waits up
	// to InflightWait for a slot, then is shed with 503 (0: no bound).
	MaxInflightReads int
	InflightWait     time.Duration

	// API is the HTTP API's configuration; Start sets its Logger, Metrics,
	// OpenAPI document and readiness checks (store, chain).
	API api.Config

	// Addr is the listen address (port 0 picks a free port); the rest are
	// the http.Server limits. MaxHeaderBytes is the API's header limit
	// (431 in the error shape); the server's own is twice it.
	Addr              string
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	MaxHeaderBytes    int

	// Live configures the follower and the event streams.
	Live LiveOptions
	// Webhooks configures webhook delivery, on when the store keeps an
	// outbox.
	Webhooks WebhookOptions

	Logger *slog.Logger
	// PurgeEvery is how often expired idempotency records are deleted
	// (default one hour).
	PurgeEvery time.Duration
}

// Instance is a running portfoliod: its parts are exported for the
// commands and tests that drive it, and must not be closed directly (see
// Shutdown).
type Instance struct {
	Store  Store
	Reader *chain.Reader
	API    *api.Server
	// Registry holds every metric /metrics serves.
	Registry *prometheus.Registry

	log       *slog.Logger
	addr      string
	hs        *http.Server
	served    chan error
	stopPurge context.CancelFunc
	purged    chan struct{}
	live      *liveLayer
	webhooks  *webhookLayer
}

// Start connects to the node (refusing one on another chain, within twice
// Chain.CallTimeout), binds Addr, opens the store and serves the API. The
// store is opened last, so a start-up that fails on the chain or the
// address leaves no store file (nor its directory) behind. The error says
// which part failed; nothing is left open after one.
func Start(ctx context.Context, o Options) (*Instance, error) {
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Instance{log: log, served: make(chan error, 1), Registry: prometheus.NewRegistry()}
	s.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	var err error
	cc := o.Chain
	cc.Logger, cc.Observer = log, newChainMetrics(s.Registry)
	dialTimeout := 2 * cc.CallTimeout
	if dialTimeout <= 0 {
		dialTimeout = 2 * chain.DefaultCallTimeout
	}
	dialCtx, cancel := context.WithTimeout(ctx, dialTimeout)
	s.Reader, err = chain.Dial(dialCtx, cc)
	cancel()
	if err != nil {
		return nil, fmt.Errorf("connecting to the chain: %w", err)
	}
	log.Info("chain connected", "chain_id", cc.ChainID, "endpoints", len(cc.RPCURLs), "mode", s.Reader.Mode())

	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		s.closeParts()
		return nil, fmt.Errorf("listen on %s: %w", o.Addr, err)
	}
	open := o.OpenStore
	if open == nil {
		open = func(context.Context) (Store, error) {
			return bolt.Open(o.StorePath, bolt.Options{Timeout: o.StoreOpenTimeout, RecentBlocks: o.Live.KeptBlocks()})
		}
	}
	if s.Store, err = open(ctx); err != nil {
		s.Store = nil
		ln.Close()
		s.closeParts()
		return nil, err
	}

	ac := o.API
	ac.Logger = log
	ac.Metrics = api.NewMetrics(s.Registry)
	ac.OpenAPI = api.OpenAPIDocument()
	ac.MaxHeaderBytes = o.MaxHeaderBytes
	ac.Ready = []api.Check{
		{Name: "store", Check: s.Store.Check},
		{Name: "chain", Check: s.Reader.Check},
	}
	s.webhooks, ac.Webhooks = startWebhooks(o.Webhooks, s.Store, o.Live.retention(), s.Registry, log)
	o.Live.onEvents = s.webhooks.notify
	s.live, ac.Events = startLive(o.Live, s.Store, s.Reader, s.Registry, log)
	aggOpts := []aggregator.Option{aggregator.WithMaxInFlight(o.MaxInflightReads, o.InflightWait)}
	if s.live != nil {
		aggOpts = append(aggOpts, aggregator.WithKnown(s.live.follower))
	}
	portfolios := aggregator.New(s.Store, s.Reader, aggOpts...)
	// The export's node reads take slots of the same in-flight bound.
	ac.Positions = aggregator.NewRegister(s.Store, s.Reader, aggregator.SharingInFlight(portfolios))
	if s.API, err = api.New(ac, s.Store, portfolios); err != nil {
		ln.Close()
		s.live.stop()
		s.webhooks.stop()
		s.closeParts()
		return nil, err
	}

	s.addr = ln.Addr().String()
	s.hs = &http.Server{
		Handler:           s.API.Handler(),
		ReadHeaderTimeout: o.ReadHeaderTimeout,
		ReadTimeout:       o.ReadTimeout,
		WriteTimeout:      o.WriteTimeout,
		IdleTimeout:       o.IdleTimeout,
		// Twice the API's limit, so that the API answers a request over
		// it in the error shape before net/http answers in plain text.
		MaxHeaderBytes: 2 * o.MaxHeaderBytes,
		ErrorLog:       slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	every := o.PurgeEvery
	if every <= 0 {
		every = time.Hour
	}
	var purgeCtx context.Context
	purgeCtx, s.stopPurge = context.WithCancel(context.Background())
	s.purged = make(chan struct{})
	go func() {
		defer close(s.purged)
		purgeEvery(purgeCtx, log, every, "expired idempotency keys", s.Store.PurgeIdempotent)
	}()
	go func() { s.served <- s.hs.Serve(ln) }()
	log.Info("listening", "addr", s.addr)
	return s, nil
}

// Addr is the address the API listens on.
func (s *Instance) Addr() string { return s.addr }

// Failed delivers the HTTP server's error if it stops by itself, which it
// only does on a listener failure.
func (s *Instance) Failed() <-chan error { return s.served }

// Shutdown ends the event streams and the follower, stops accepting
// connections, lets in-flight requests finish until ctx ends (then closes
// their connections), then closes the node clients and, last, the store.
func (s *Instance) Shutdown(ctx context.Context) error {
	// Streams last for hours: end them first, or Shutdown waits for them.
	s.live.stop()
	err := s.hs.Shutdown(ctx)
	// After the API: a test event or a retry queued by a request in
	// flight is still claimed now or after the restart.
	s.webhooks.stop()
	if err != nil {
		err = fmt.Errorf("graceful shutdown: %w", err)
		// Requests still running past ctx (a backup download to a slow
		// client, under its own hour-long budget) would keep the store's
		// read transaction, and so Store.Close, waiting: cut them off.
		_ = s.hs.Close()
	}
	s.stopPurge()
	<-s.purged
	return errors.Join(err, s.closeParts())
}

// closeParts closes the reader and the store, whichever are open.
func (s *Instance) closeParts() error {
	if s.Reader != nil {
		s.Reader.Close()
	}
	if s.Store == nil {
		return nil
	}
	if err := s.Store.Close(); err != nil {
		return fmt.Errorf("closing store: %w", err)
	}
	return nil
}

// purgeEvery runs purge at once and then every interval until ctx ends,
// logging what it removed as "purged <what>": the idempotency records,
// and (purgeHourly) the events and deliveries past the retention, so that
// none grows without bound.
func purgeEvery(ctx context.Context, log *slog.Logger, interval time.Duration, what string, purge func(context.Context) (int, error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		n, err := purge(ctx)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			log.Error("purging "+what, "err", err.Error())
		case n > 0:
			log.Info("purged "+what, "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

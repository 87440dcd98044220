package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/portfoliod/portfoliod/aggregator"
	"github.com/portfoliod/portfoliod/api"
	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/customers"
	"github.com/portfoliod/portfoliod/devnet"
)

// service is portfoliod assembled in-process the way `portfoliod serve`
// wires it, listening on a loopback port.
type service struct {
	URL    string
	Key    string // an API key with the read and write scopes
	store  *customers.Store
	reader *chain.Reader
	node   *http.Client // the reader's client to the node
	hs     *http.Server
	served chan error
}

// startService opens a store under dir, connects to the node at rpcURL for
// dep's token and serves the API. Warnings and errors are logged to logw.
func startService(ctx context.Context, dir, rpcURL string, dep devnet.Deployment, logw io.Writer) (*service, error) {
	log := slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: slog.LevelWarn}))
	store, err := customers.Open(filepath.Join(dir, "soak.db"), customers.Options{})
	if err != nil {
		return nil, err
	}
	s := &service{store: store, served: make(chan error, 1), node: chain.DefaultHTTPClient(chain.DefaultIdleConns)}
	s.reader, err = chain.Dial(ctx, chain.Config{
		ChainID:     dep.ChainID,
		RPCURLs:     []string{rpcURL},
		CallTimeout: 5 * time.Second,
		Tokens:      []chain.TokenConfig{{Address: dep.Token, Freeze: chain.FreezeERC3643}},
		Logger:      log,
		HTTPClient:  s.node,
		CacheSize:   chain.DefaultCacheSize, // as serve runs by default
	})
	if err != nil {
		_ = store.Close()
		return nil, fmt.Errorf("connecting to the chain: %w", err)
	}
	key, hashHex, err := api.GenerateKey()
	if err != nil {
		s.close(ctx)
		return nil, err
	}
	hash, err := api.ParseKeyHash(hashHex)
	if err != nil {
		s.close(ctx)
		return nil, err
	}
	s.Key = key
	// The serve defaults: 64 chain reads in flight, queueing up to 1s.
	svc := aggregator.New(store, s.reader, aggregator.WithMaxInFlight(64, time.Second))
	srv, err := api.New(api.Config{
		Keys: []api.Key{{Name: "soak", Hash: hash, Scopes: []api.Scope{api.ScopeRead, api.ScopeWrite}}},
		// All clients share one key; the soak measures the service, not
		// the rate limit.
		RequestsPerSecond: 1e9,
		Burst:             1 << 30,
		RequestTimeout:    10 * time.Second,
		Logger:            log,
		Metrics:           api.NewMetrics(prometheus.NewRegistry()),
		OpenAPI:           api.OpenAPIDocument(),
		Ready:             []api.Check{{Name: "chain", Check: s.reader.Check}},
	}, store, svc)
	if err != nil {
		s.close(ctx)
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		s.close(ctx)
		return nil, err
	}
	s.URL = "http://" + ln.Addr().String()
	s.hs = &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	go func() { s.served <- s.hs.Serve(ln) }()
	return s, nil
}

// closeIdle closes the kept-alive connections to the node, whose
// goroutines would otherwise count as growth.
func (s *service) closeIdle() { s.node.CloseIdleConnections() }

// close shuts the server down gracefully, then the node clients, then the
// store.
func (s *service) close(ctx context.Context) error {
	var errs []error
	if s.hs != nil {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
		errs = append(errs, s.hs.Shutdown(sctx))
		cancel()
		if err := <-s.served; !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, err)
		}
	}
	if s.reader != nil {
		s.reader.Close()
	}
	s.closeIdle()
	errs = append(errs, s.store.Close())
	return errors.Join(errs...)
}

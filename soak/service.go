package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"time"

	"github.com/portfoliod/portfoliod/api"
	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/devnet"
	"github.com/portfoliod/portfoliod/internal/service"
)

// soakService is portfoliod started in-process through the wiring
// `portfoliod serve` uses (service.Start), with serve's defaults, on a
// loopback port.
type soakService struct {
	*service.Instance
	URL  string
	Key  string       // an API key with the read and write scopes
	node *http.Client // the reader's client to the node
}

// startService opens a store under dir and serves the API for dep's token
// on the node at rpcURL. Warnings and errors are logged to logw.
func startService(ctx context.Context, dir, rpcURL string, dep devnet.Deployment, logw io.Writer) (*soakService, error) {
	key, hashHex, err := api.GenerateKey()
	if err != nil {
		return nil, err
	}
	hash, err := api.ParseKeyHash(hashHex)
	if err != nil {
		return nil, err
	}
	s := &soakService{Key: key, node: chain.DefaultHTTPClient(chain.DefaultIdleConns)}
	s.Instance, err = service.Start(ctx, service.Options{
		StorePath: filepath.Join(dir, "soak.db"),
		Chain: chain.Config{
			ChainID:    dep.ChainID,
			RPCURLs:    []string{rpcURL},
			Tokens:     []chain.TokenConfig{{Address: dep.Token, Freeze: chain.FreezeERC3643}},
			HTTPClient: s.node,
			CacheSize:  chain.DefaultCacheSize, // serve's defaults
		},
		MaxInflightReads: 64,
		InflightWait:     time.Second,
		API: api.Config{
			Keys: []api.Key{{Name: "soak", Hash: hash, Scopes: []api.Scope{api.ScopeRead, api.ScopeWrite}}},
			// All clients share one key; the soak measures the service,
			// not the rate limit.
			RequestsPerSecond: 1e9,
			Burst:             1 << 30,
		},
		Addr:              "127.0.0.1:0",
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       time.Minute,
		Logger:            slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err != nil {
		return nil, err
	}
	s.URL = "http://" + s.Addr()
	return s, nil
}

// closeIdle closes the kept-alive connections to the node, whose
// goroutines would otherwise count as growth.
func (s *soakService) closeIdle() { s.node.CloseIdleConnections() }

// close shuts the service down gracefully and closes the node client.
func (s *soakService) close(ctx context.Context) error {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	err := s.Shutdown(sctx)
	s.closeIdle()
	return err
}

package service

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/customers"
	"github.com/portfoliod/portfoliod/devnet"
	"github.com/portfoliod/portfoliod/internal/localnet"
)

// reopen proves the store's lock was released: a second Open succeeds at
// once.
func reopen(t *testing.T, path string) {
	t.Helper()
	s, err := customers.Open(path, customers.Options{Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatalf("store still locked: %v", err)
	}
	s.Close()
}

// A start-up that fails at the chain leaves nothing open.
func TestStartFailureClosesTheStore(t *testing.T) {
	port, err := localnet.FreePort() // nothing listens there
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "p.db")
	_, err = Start(context.Background(), Options{
		StorePath: path,
		Chain: chain.Config{ChainID: 1, RPCURLs: []string{fmt.Sprintf("http://127.0.0.1:%d", port)},
			CallTimeout: time.Second, Tokens: []chain.TokenConfig{{Address: devnet.DemoHoldings[0].Wallet}}},
		Addr: "127.0.0.1:0",
	})
	if err == nil || !strings.Contains(err.Error(), "connecting to the chain") {
		t.Fatalf("Start = %v, want a chain connection error", err)
	}
	reopen(t, path)
}

// Start serves the API on the in-process chain; Shutdown stops it and
// releases the store.
func TestStartAndShutdown(t *testing.T) {
	sim, err := devnet.StartSimulated()
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	ctx := context.Background()
	dep, err := devnet.Seed(ctx, sim.URL, sim.Mine)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "p.db")
	s, err := Start(ctx, Options{
		StorePath: path,
		Chain:     chain.Config{ChainID: dep.ChainID, RPCURLs: []string{sim.URL}, Tokens: []chain.TokenConfig{{Address: dep.Token, Freeze: chain.FreezeERC3643}}},
		Addr:      "127.0.0.1:0",
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.Get("http://" + s.Addr() + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("/readyz = %d, want 200", res.StatusCode)
	}
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := s.Shutdown(sctx); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get("http://" + s.Addr() + "/healthz"); err == nil {
		t.Error("still serving after Shutdown")
	}
	reopen(t, path)
}

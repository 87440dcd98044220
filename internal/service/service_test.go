package service

import (
	"context"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/api"
	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/customers/bolt"
	"github.com/portfoliod/portfoliod/devnet"
	"github.com/portfoliod/portfoliod/internal/localnet"
)

// reopen proves the store's lock was released: a second Open succeeds at
// once.
func reopen(t *testing.T, path string) {
	t.Helper()
	s, err := bolt.Open(path, bolt.Options{Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatalf("store still locked: %v", err)
	}
	s.Close()
}

// demoChain starts the in-process chain with the demo token (closed at
// cleanup) and returns the reader's configuration for it.
func demoChain(t *testing.T) chain.Config {
	t.Helper()
	sim, err := devnet.StartSimulated()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	dep, err := devnet.Seed(context.Background(), sim.URL, sim.Mine)
	if err != nil {
		t.Fatal(err)
	}
	return chain.Config{ChainID: dep.ChainID, RPCURLs: []string{sim.URL}, Tokens: []chain.TokenConfig{{Address: dep.Token, Freeze: chain.FreezeERC3643}}}
}

// A start-up that fails at the chain or the listen address leaves nothing
// open, and creates no store file nor its directory.
func TestStartFailureLeavesNoStore(t *testing.T) {
	port, err := localnet.FreePort() // nothing listens there
	if err != nil {
		t.Fatal(err)
	}
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	tests := []struct {
		name  string
		chain func(t *testing.T) chain.Config
		addr  string
		want  string
	}{
		{"chain unreachable", func(*testing.T) chain.Config {
			return chain.Config{ChainID: 1, RPCURLs: []string{fmt.Sprintf("http://127.0.0.1:%d", port)},
				CallTimeout: time.Second, Tokens: []chain.TokenConfig{{Address: devnet.DemoHoldings[0].Wallet}}}
		}, "127.0.0.1:0", "connecting to the chain"},
		{"wrong chain id", func(t *testing.T) chain.Config {
			c := demoChain(t)
			c.ChainID = 1
			return c
		}, "127.0.0.1:0", "chain id"},
		{"address in use", demoChain, busy.Addr().String(), "listen on"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			_, err := Start(context.Background(), Options{
				StorePath: filepath.Join(dir, "p.db"),
				Chain:     tt.chain(t),
				Addr:      tt.addr,
			})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Start = %v, want an error containing %q", err, tt.want)
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("after a failed Start, the store directory %s: %v; want it never created", dir, err)
			}
		})
	}
}

// Start serves the API on the in-process chain; Shutdown stops it and
// releases the store.
func TestStartAndShutdown(t *testing.T) {
	ctx := context.Background()
	demo := demoChain(t)
	path := filepath.Join(t.TempDir(), "p.db")
	s, err := Start(ctx, Options{
		StorePath: path,
		Chain:     demo,
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

// A shutdown while a client is slowly downloading a backup (which runs
// under its own hour-long budget) ends within the shutdown budget: the
// download is cut off rather than waited for.
func TestShutdownDuringBackup(t *testing.T) {
	ctx := context.Background()
	demo := demoChain(t)
	// A store larger than the loopback socket buffers.
	path := filepath.Join(t.TempDir(), "p.db")
	st, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	batch := make([]portfoliod.Customer, 5000)
	for i := range batch {
		batch[i] = portfoliod.Customer{Type: portfoliod.Individual, CountryCode: "US", Name: strings.Repeat("n", 150),
			Wallets: []common.Address{common.BigToAddress(big.NewInt(int64(i + 1)))}}
	}
	if _, err := st.Import(ctx, batch); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if fi, err := os.Stat(path); err != nil || fi.Size() < 8<<20 {
		t.Fatalf("store is %d bytes (%v), want more than the socket buffers hold", fi.Size(), err)
	}

	s, err := Start(ctx, Options{
		StorePath: path,
		Chain:     demo,
		API:       api.Config{Keys: []api.Key{{Name: "a", Hash: api.HashKey("k"), Scopes: []api.Scope{api.ScopeAdmin}}}},
		Addr:      "127.0.0.1:0",
	})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.(*net.TCPConn).SetReadBuffer(4096)
	if _, err := conn.Write([]byte("GET /admin/backup HTTP/1.1\r\nHost: x\r\nx-api-key: k\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Read(make([]byte, 100)); err != nil { // the download started; now the client stalls
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	sctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.Shutdown(sctx) }()
	select {
	case <-done: // a graceful-shutdown error is expected: the budget ran out
	case <-time.After(10 * time.Second):
		t.Fatal("Shutdown with a 1s budget still blocked after 10s: the backup held the store open")
	}
	reopen(t, path)
}

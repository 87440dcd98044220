package anviltest

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod/internal/localnet"
)

func TestStart(t *testing.T) {
	n := Start(t, WithChainID(4242))
	if !strings.HasPrefix(n.URL, "http://127.0.0.1:") || n.Port == 0 {
		t.Fatalf("Start: URL %q, Port %d", n.URL, n.Port)
	}
	client := mustDial(t, n.URL)
	id, err := client.ChainID(context.Background())
	if err != nil {
		t.Fatalf("ChainID: %v", err)
	}
	if id.Uint64() != 4242 {
		t.Errorf("ChainID = %d, want 4242", id)
	}
}

func TestDevKeysMatchAnvilAccounts(t *testing.T) {
	n := Start(t)
	c, err := rpc.Dial(n.URL)
	if err != nil {
		t.Fatalf("rpc.Dial: %v", err)
	}
	defer c.Close()
	var accounts []common.Address
	if err := c.Call(&accounts, "eth_accounts"); err != nil {
		t.Fatalf("eth_accounts: %v", err)
	}
	if len(accounts) < DevKeys {
		t.Fatalf("eth_accounts: %d accounts, want at least %d", len(accounts), DevKeys)
	}
	var got []common.Address
	for i := range DevKeys {
		got = append(got, DevAddress(i))
	}
	if diff := cmp.Diff(accounts[:DevKeys], got); diff != "" {
		t.Errorf("DevAddress mismatch (-anvil +got):\n%s", diff)
	}
	if want := common.HexToAddress("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"); DevAddress(0) != want {
		t.Errorf("DevAddress(0) = %s, want %s", DevAddress(0), want)
	}
}

func TestStopAndRestart(t *testing.T) {
	n := Start(t)
	chain := n.Chain(t)
	tok := chain.DeployToken(t, Plain, "Plain", "PLN", 6)
	url, port := n.URL, n.Port

	n.Stop()
	n.Stop() // idempotent
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if _, err := chain.Client.ChainID(ctx); err == nil {
		t.Fatal("ChainID after Stop: got no error")
	}

	n.Restart(t)
	if n.URL != url || n.Port != port {
		t.Errorf("Restart moved the node: %s -> %s", url, n.URL)
	}
	id, err := chain.Client.ChainID(context.Background())
	if err != nil {
		t.Fatalf("ChainID after Restart: %v", err)
	}
	if id.Uint64() != DefaultChainID {
		t.Errorf("ChainID after Restart = %d, want %d", id, DefaultChainID)
	}
	// Restart starts from a fresh genesis: the token is gone.
	code, err := chain.Client.CodeAt(context.Background(), tok.Address, nil)
	if err != nil {
		t.Fatalf("CodeAt: %v", err)
	}
	if len(code) != 0 {
		t.Errorf("code at %s after Restart: %d bytes, want none", tok.Address, len(code))
	}
}

func TestWithBlockTime(t *testing.T) {
	n := Start(t, WithBlockTime(0.2))
	client := mustDial(t, n.URL)
	deadline := time.Now().Add(10 * time.Second)
	for {
		bn, err := client.BlockNumber(context.Background())
		if err != nil {
			t.Fatalf("BlockNumber: %v", err)
		}
		if bn >= 2 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("block number still %d after 10s with a 0.2s block time", bn)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestWithPortAndMine(t *testing.T) {
	port, err := localnet.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	n := Start(t, WithPort(port))
	if n.Port != port {
		t.Errorf("Port = %d, want %d", n.Port, port)
	}
	n.Mine(t, 5)
	bn, err := mustDial(t, n.URL).BlockNumber(context.Background())
	if err != nil {
		t.Fatalf("BlockNumber: %v", err)
	}
	if bn != 5 {
		t.Errorf("BlockNumber after Mine(5) = %d, want 5", bn)
	}
}

func TestStopRefusesConnections(t *testing.T) {
	n := Start(t)
	n.Stop()
	resp, err := http.Post(n.URL, "application/json", strings.NewReader(`{}`))
	if err == nil {
		resp.Body.Close()
		t.Fatal("POST after Stop: got a response, want connection refused")
	}
}

func mustDial(tb testing.TB, url string) *ethclient.Client {
	tb.Helper()
	c, err := ethclient.Dial(url)
	if err != nil {
		tb.Fatalf("ethclient.Dial(%q): %v", url, err)
	}
	tb.Cleanup(c.Close)
	return c
}

//go:build !nodev

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/api"
	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/customers/bolt"
	"github.com/portfoliod/portfoliod/devnet"
)

// ReferenceCustomerID is the reference example's customer, seeded by dev.
const ReferenceCustomerID = "customer_c7a968e665d9"

// demoCustomers are the profiles `portfoliod dev` seeds; the first is the
// reference API example, field for field.
func demoCustomers() []portfoliod.Customer {
	return []portfoliod.Customer{
		{
			ID: ReferenceCustomerID, Type: portfoliod.Individual, CountryCode: "US",
			VerificationStatus: portfoliod.InProgress,
			Name:               "John Doe", Email: "john.doe@example.com", Phone: "+1234567890",
			Metadata: map[string]string{"userId": "2b634b51-7f4a-470b-9bd6-c7a968e665d9"},
			Address: &portfoliod.PostalAddress{Line1: "1234 Main St", Line2: "Suite 200", City: "Anytown",
				State: "CA", PostalCode: "12345", CountryCode: "US"},
			Wallets: []common.Address{devnet.ReferenceWallet},
		},
		{
			ID: "customer_a1c2e3f4a5b6", Type: portfoliod.Organization, CountryCode: "DE",
			VerificationStatus: portfoliod.Completed, Name: "Acme Treasury GmbH", Email: "treasury@acme.example",
			Address: &portfoliod.PostalAddress{Line1: "Hauptstrasse 1", City: "Berlin", PostalCode: "10115", CountryCode: "DE"},
			Wallets: []common.Address{devnet.AcmeTreasury, devnet.AcmeOperations},
		},
		{
			ID: "customer_b2d4f6a8c0e1", Type: portfoliod.Individual, CountryCode: "GB",
			VerificationStatus: portfoliod.Completed, Name: "Jane Smith", Phone: "+447700900123",
			Wallets: []common.Address{devnet.JaneWallet},
		},
		{
			ID: "customer_c3e5a7b9d1f2", Type: portfoliod.Individual, CountryCode: "JP",
			VerificationStatus: portfoliod.Incomplete, Username: "kenji",
			Wallets: []common.Address{devnet.KenjiWallet},
		},
	}
}

// runDev is the zero-setup demo: an in-process chain (or --rpc-url), the
// demo token seeded with the reference example's balances, a temporary
// store with the demo customers, an API key, and the service.
func runDev(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("dev", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "HTTP listen address (port 0 picks a free port)")
	rpcURL := fs.String("rpc-url", "", "use this node (e.g. anvil's http://127.0.0.1:8545) instead of the in-process chain")
	apiKey := fs.String("api-key", "", "API key to accept (default: a new random key)")
	dataDir := fs.String("data", "", "directory for the store (default: a temporary directory, removed on exit)")
	blockTime := fs.Duration("block-time", time.Second, "block interval of the in-process chain")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{msg: fmt.Sprintf("dev takes no arguments, got %q", fs.Args())}
	}
	log, err := newLogger(LogConfig{Level: "info", Format: "text"}, stderr)
	if err != nil {
		return err
	}

	dir := *dataDir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "portfoliod-dev-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	}

	url, chainDesc := *rpcURL, ""
	var miner devnet.Miner
	var sim *devnet.Simulated
	if url == "" {
		if sim, err = devnet.StartSimulated(); err != nil {
			return err
		}
		defer sim.Close()
		url, miner = sim.URL, sim.Mine
		chainDesc = "in-process go-ethereum simulated chain"
	} else {
		chainDesc = "external node"
	}
	seedCtx, cancel := context.WithTimeout(ctx, time.Minute)
	dep, err := devnet.Seed(seedCtx, url, miner)
	cancel()
	if err != nil {
		return fmt.Errorf("seeding the demo chain at %s: %w", chain.RedactURL(url), err)
	}
	if sim != nil {
		sim.Run(*blockTime)
	}

	storePath := filepath.Join(dir, "portfoliod.db")
	if err := seedCustomers(ctx, storePath); err != nil {
		return err
	}

	key := *apiKey
	if key == "" {
		if key, _, err = api.GenerateKey(); err != nil {
			return err
		}
	}
	h := api.HashKey(key)

	cfg := DefaultConfig()
	cfg.HTTP.Addr = *addr
	cfg.Store.Path = storePath
	cfg.Chain.ChainID = dep.ChainID
	cfg.Chain.RPCURLs = []string{url}
	cfg.Tokens = []TokenConfig{{Address: strings.ToLower(dep.Token.Hex()), Freeze: "erc3643"}}
	cfg.Auth.Keys = []KeyConfig{{Name: "dev", SHA256: fmt.Sprintf("%x", h), Scopes: []string{"read", "write", "admin"}}}
	cfg.Log = LogConfig{Level: "info", Format: "text"}
	// Local receivers: dev is the one place the SSRF guard is off.
	cfg.Webhooks.AllowHTTP, cfg.Webhooks.AllowPrivateTargets = true, true
	if err := cfg.Validate(); err != nil {
		return err
	}

	banner := func(listen string) {
		fmt.Fprintf(stdout, `
portfoliod dev is serving the reference example.

  API        http://%[1]s
  console    http://%[1]s/ui/   (sign in with the API key)
  API key    %[2]s   (scopes read, write, admin)
  chain      %[3]s  chain id %[4]d, %[5]s
  token      %[6]s  %[7]s, freeze model erc3643
  store      %[8]s

Try:

  curl -s -H 'x-api-key: %[2]s' http://%[1]s/customer/%[9]s/portfolio

Watch it live (balance.updated as blocks change it):

  curl -N -H 'x-api-key: %[2]s' http://%[1]s/customer/%[9]s/events

Get webhooks on a local receiver (private targets and http are allowed in dev):

  curl -s -H 'x-api-key: %[2]s' -H 'Content-Type: application/json' \
    -d '{"url":"http://127.0.0.1:9000/hooks"}' http://%[1]s/webhooks

`, listen, key, chain.RedactURL(url), dep.ChainID, chainDesc, strings.ToLower(dep.Token.Hex()), dep.DemoTokenSym, storePath, ReferenceCustomerID)
	}
	return serve(ctx, cfg, log, stdout, nil, banner)
}

// seedCustomers stores the demo customers, keeping any that already exist
// (a --data directory reused across runs).
func seedCustomers(ctx context.Context, path string) error {
	store, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		return err
	}
	defer store.Close()
	for _, c := range demoCustomers() {
		if _, err := store.Create(ctx, c); err != nil && !errors.Is(err, portfoliod.ErrCustomerExists) && !errors.Is(err, portfoliod.ErrWalletTaken) {
			return fmt.Errorf("seeding %s: %w", c.ID, err)
		}
	}
	return nil
}

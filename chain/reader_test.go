package chain_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/devnet"
	"github.com/portfoliod/portfoliod/internal/anviltest"
	"github.com/portfoliod/portfoliod/internal/localnet"
)

// overrideAddress has no code on any test chain: the override strategy
// must work there without a deployment.
var overrideAddress = common.HexToAddress("0x000000000000000000000000000000000000c0de")

// testNet is a chain the Reader is tested against.
type testNet struct {
	name    string
	chain   *anviltest.Chain
	url     string
	chainID uint64
	node    *anviltest.Node // nil for the simulated chain
}

// startAnvil starts an anvil node with Multicall3 at its canonical address.
func startAnvil(tb testing.TB, opts ...anviltest.Option) *testNet {
	tb.Helper()
	n := anviltest.Start(tb, opts...)
	anviltest.PlaceMulticall3(tb, n.URL)
	return &testNet{name: "anvil", chain: n.Chain(tb), url: n.URL, chainID: n.ChainID, node: n}
}

// startSimulated starts go-ethereum's in-process simulated chain with its
// JSON-RPC served over HTTP on loopback (the Reader only dials URLs), as
// `portfoliod dev` does, with anvil's dev accounts funded.
func startSimulated(tb testing.TB) *testNet {
	tb.Helper()
	funded := make([]common.Address, anviltest.DevKeys)
	for i := range funded {
		funded[i] = anviltest.DevAddress(i)
	}
	sim, err := devnet.StartSimulated(funded...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = sim.Close() })
	c := &anviltest.Chain{Client: sim.Backend().Client(), ChainID: big.NewInt(devnet.SimulatedChainID), Sim: sim.Backend()}
	return &testNet{name: "simulated", chain: c, url: sim.URL, chainID: devnet.SimulatedChainID}
}

// testNets returns the chains every core case runs on.
func testNets() []func(testing.TB) *testNet {
	return []func(testing.TB) *testNet{
		func(tb testing.TB) *testNet { return startSimulated(tb) },
		func(tb testing.TB) *testNet { return startAnvil(tb) },
	}
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// dialConfig is the Config the tests start from: no head tracking and no
// cache, so that every read resolves its block and reads every value (the
// tests of head tracking and the cache turn them on).
func dialConfig(net *testNet, mode string, tokens ...chain.TokenConfig) chain.Config {
	cfg := chain.Config{
		ChainID:          net.chainID,
		RPCURLs:          []string{net.url},
		MulticallMode:    mode,
		Tokens:           tokens,
		Logger:           quietLogger(),
		CallTimeout:      20 * time.Second,
		HeadPollInterval: -1,
	}
	if mode == chain.ModeOverride {
		cfg.MulticallAddress = overrideAddress
	}
	return cfg
}

func mustDial(tb testing.TB, cfg chain.Config) *chain.Reader {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r, err := chain.Dial(ctx, cfg)
	if err != nil {
		tb.Fatalf("Dial: %v", err)
	}
	tb.Cleanup(r.Close)
	return r
}

var strategies = []string{chain.ModeContract, chain.ModeOverride, chain.ModeBatch}

var (
	maxUint256 = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	// nearMax leaves room under the uint256 total supply for the other
	// wallets of a token.
	nearMax = new(big.Int).Sub(maxUint256, new(big.Int).Exp(big.NewInt(10), big.NewInt(30), nil))
	half    = new(big.Int).Lsh(big.NewInt(1), 255)
)

// walletCase is one wallet of the fixture with the values a correct reader
// must report, written down by hand from the transactions sent.
type walletCase struct {
	name          string
	wallet        common.Address
	total, frozen *big.Int
}

// fixtureToken is a deployed token with its wallets.
type fixtureToken struct {
	token *anviltest.Token
	cases []walletCase
}

func (f fixtureToken) wallets() []common.Address {
	out := make([]common.Address, len(f.cases))
	for i, c := range f.cases {
		out[i] = c.wallet
	}
	return out
}

func (f fixtureToken) config() chain.TokenConfig {
	return chain.TokenConfig{Address: f.token.Address, Freeze: string(f.token.Kind)}
}

func bi(v int64) *big.Int { return big.NewInt(v) }

// seqWallets returns the n addresses from base on.
func seqWallets(n, base int) []common.Address {
	ws := make([]common.Address, n)
	for i := range ws {
		ws[i] = common.BigToAddress(big.NewInt(int64(base + i)))
	}
	return ws
}

// bigCmp compares *big.Int by value in cmp.Diff.
var bigCmp = cmp.Comparer(func(a, b *big.Int) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Cmp(b) == 0
})

func balance(w common.Address, total, frozen *big.Int) chain.Balance {
	return chain.Balance{Wallet: w, Total: total, Frozen: frozen, Available: new(big.Int).Sub(total, frozen)}
}

func TestTokensMetadata(t *testing.T) {
	net := startSimulated(t)
	tok := net.chain.DeployToken(t, anviltest.USDC, "USD Coin", "USDC", 6)
	plain := net.chain.DeployToken(t, anviltest.Plain, "Plain", "PLN", 18)
	r := mustDial(t, dialConfig(net, chain.ModeAuto,
		chain.TokenConfig{Address: tok.Address, Freeze: "usdc"},
		chain.TokenConfig{Address: plain.Address, Freeze: "custom", AmountFns: []string{"lockedOf(address)"}}))
	usdcModel, _ := chain.Preset("usdc")
	want := []chain.Token{
		{Address: tok.Address, Symbol: "USDC", Decimals: 6, Freeze: usdcModel},
		{Address: plain.Address, Symbol: "PLN", Decimals: 18, Freeze: chain.FreezeModel{Name: "custom", AmountFns: []string{"lockedOf(address)"}}},
	}
	if diff := cmp.Diff(want, r.Tokens()); diff != "" {
		t.Errorf("Tokens() mismatch (-want +got):\n%s", diff)
	}
	if got := r.Mode(); got != chain.ModeContract {
		t.Errorf("Mode() = %q, want contract (Multicall3 is in genesis)", got)
	}
}

func TestAutoMode(t *testing.T) {
	net := startAnvil(t)
	tok := net.chain.DeployToken(t, anviltest.Plain, "Plain", "PLN", 18)
	tc := chain.TokenConfig{Address: tok.Address}
	tests := []struct {
		name    string
		address common.Address
		want    string
	}{
		{name: "code present", address: common.Address{}, want: chain.ModeContract},
		{name: "no code", address: overrideAddress, want: chain.ModeOverride},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := dialConfig(net, chain.ModeAuto, tc)
			cfg.MulticallAddress = tt.address
			if got := mustDial(t, cfg).Mode(); got != tt.want {
				t.Errorf("Mode() = %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("contract without code", func(t *testing.T) {
		cfg := dialConfig(net, chain.ModeContract, tc)
		cfg.MulticallAddress = overrideAddress
		if _, err := chain.Dial(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "no code") {
			t.Errorf("Dial error = %v, want no code", err)
		}
	})
}

func TestDialErrors(t *testing.T) {
	net := startAnvil(t)
	plain := net.chain.DeployToken(t, anviltest.Plain, "Plain", "PLN", 18)
	codeless := common.HexToAddress("0x00000000000000000000000000000000000dead1")

	t.Run("token without code", func(t *testing.T) {
		_, err := chain.Dial(context.Background(), dialConfig(net, chain.ModeAuto, chain.TokenConfig{Address: codeless}))
		want := &chain.ReadError{Token: codeless, Function: "code", Reason: "no contract code"}
		var got *chain.ReadError
		if !errors.As(err, &got) {
			t.Fatalf("Dial error = %v, want a *ReadError", err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Dial error mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("wrong chain id", func(t *testing.T) {
		cfg := dialConfig(net, chain.ModeAuto, chain.TokenConfig{Address: plain.Address})
		cfg.ChainID = 1
		_, err := chain.Dial(context.Background(), cfg)
		if !errors.Is(err, chain.ErrChainIDMismatch) {
			t.Fatalf("Dial error = %v, want ErrChainIDMismatch", err)
		}
		if msg := err.Error(); !strings.Contains(msg, "31337") || !strings.Contains(msg, "configured 1") {
			t.Errorf("Dial error %q does not name both chain ids", msg)
		}
	})
	t.Run("node unreachable", func(t *testing.T) {
		cfg := dialConfig(net, chain.ModeAuto, chain.TokenConfig{Address: plain.Address})
		cfg.RPCURLs = []string{fmt.Sprintf("http://user:secret@127.0.0.1:%d/key123", mustFreePort(t))}
		cfg.CallTimeout = 2 * time.Second
		_, err := chain.Dial(context.Background(), cfg)
		if !errors.Is(err, chain.ErrUnavailable) {
			t.Fatalf("Dial error = %v, want ErrUnavailable", err)
		}
		if msg := err.Error(); strings.Contains(msg, "secret") || strings.Contains(msg, "key123") {
			t.Errorf("Dial error %q leaks URL credentials", msg)
		}
	})
	t.Run("unknown token", func(t *testing.T) {
		r := mustDial(t, dialConfig(net, chain.ModeAuto, chain.TokenConfig{Address: plain.Address}))
		_, err := r.Balances(context.Background(), chain.LatestBlock, codeless, nil)
		if !errors.Is(err, chain.ErrUnknownToken) {
			t.Errorf("Balances error = %v, want ErrUnknownToken", err)
		}
	})
	t.Run("max calls below one wallet", func(t *testing.T) {
		cfg := dialConfig(net, chain.ModeAuto, chain.TokenConfig{Address: plain.Address, Freeze: "erc3643"})
		cfg.MaxCallsPerBatch = 2
		if _, err := chain.Dial(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "max_calls_per_batch") {
			t.Errorf("Dial error = %v, want a max_calls_per_batch error", err)
		}
	})
}

func mustFreePort(tb testing.TB) int {
	tb.Helper()
	p, err := localnet.FreePort()
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

package chain_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/sync/errgroup"

	"github.com/portfoliod/portfoliod/abi/erc7943token"
	"github.com/portfoliod/portfoliod/abi/freezabletoken"
	"github.com/portfoliod/portfoliod/abi/plaintoken"
	"github.com/portfoliod/portfoliod/abi/trextoken"
	"github.com/portfoliod/portfoliod/abi/usdctoken"
	"github.com/portfoliod/portfoliod/abi/usdttoken"
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

// setupFixture deploys one token of every freeze model and puts its wallets
// in the states of SPEC §2: zero, 1, near 2^256-1, partial and whole-address
// freezes, both, freeze then burn, frozen above the balance.
func setupFixture(tb testing.TB, c *anviltest.Chain) []fixtureToken {
	tb.Helper()
	next := 0x10000
	wallet := func() common.Address {
		next++
		return common.BigToAddress(big.NewInt(int64(next)))
	}
	var out []fixtureToken
	add := func(kind anviltest.Kind, build func(t *anviltest.Token) []walletCase) {
		t := c.DeployToken(tb, kind, "Test "+string(kind), strings.ToUpper(string(kind[:3])), 6)
		out = append(out, fixtureToken{token: t, cases: build(t)})
	}
	mint := func(t *anviltest.Token, name string, amount *big.Int) walletCase {
		w := wallet()
		if amount.Sign() > 0 {
			t.Mint(tb, w, amount)
		}
		return walletCase{name: name, wallet: w, total: amount, frozen: bi(0)}
	}
	common3 := func(t *anviltest.Token) []walletCase {
		return []walletCase{mint(t, "zero", bi(0)), mint(t, "one", bi(1)), mint(t, "near max", nearMax)}
	}

	// The TREX token stays paused: a pause is not a freeze.
	add(anviltest.TREX, func(t *anviltest.Token) []walletCase {
		cs := common3(t)
		cs[2].frozen = half
		t.SetFrozen(tb, cs[2].wallet, half)

		partial := mint(t, "partial", bi(1000))
		t.SetFrozen(tb, partial.wallet, bi(400))
		partial.frozen = bi(400)

		flag := mint(t, "whole address", bi(500))
		t.SetFrozenFlag(tb, flag.wallet, true)
		flag.frozen = bi(500)

		both := mint(t, "both", bi(700))
		t.SetFrozen(tb, both.wallet, bi(300))
		t.SetFrozenFlag(tb, both.wallet, true)
		both.frozen = bi(700)

		// Burning 300 of 1000 with 800 frozen takes 100 from the frozen
		// part (auto-unfreeze): 700 frozen remain, so after minting 100
		// more, 100 are available.
		burn := mint(t, "freeze then burn", bi(1000))
		t.SetFrozen(tb, burn.wallet, bi(800))
		t.Burn(tb, burn.wallet, bi(300))
		t.Mint(tb, burn.wallet, bi(100))
		burn.total, burn.frozen = bi(800), bi(700)

		flagZero := mint(t, "flag on zero balance", bi(0))
		t.SetFrozenFlag(tb, flagZero.wallet, true)

		unflagged := mint(t, "flag cleared", bi(50))
		t.SetFrozenFlag(tb, unflagged.wallet, true)
		t.SetFrozenFlag(tb, unflagged.wallet, false)
		return append(cs, partial, flag, both, burn, flagZero, unflagged)
	})
	for _, kind := range []anviltest.Kind{anviltest.ERC7943, anviltest.Freezable} {
		add(kind, func(t *anviltest.Token) []walletCase {
			cs := common3(t)
			cs[2].frozen = nearMax
			t.SetFrozen(tb, cs[2].wallet, maxUint256)

			partial := mint(t, "partial", bi(1000))
			t.SetFrozen(tb, partial.wallet, bi(400))
			partial.frozen = bi(400)

			above := mint(t, "frozen above balance", bi(100))
			t.SetFrozen(tb, above.wallet, bi(250))
			above.frozen = bi(100)

			zeroFrozen := mint(t, "frozen on zero balance", bi(0))
			t.SetFrozen(tb, zeroFrozen.wallet, bi(5))

			all := mint(t, "all frozen", bi(42))
			t.SetFrozen(tb, all.wallet, bi(42))
			all.frozen = bi(42)
			return append(cs, partial, above, zeroFrozen, all)
		})
	}
	for _, kind := range []anviltest.Kind{anviltest.USDC, anviltest.USDT} {
		add(kind, func(t *anviltest.Token) []walletCase {
			cs := common3(t)
			cs[2].frozen = nearMax
			t.SetFrozenFlag(tb, cs[2].wallet, true)

			black := mint(t, "blacklisted", bi(500))
			t.SetFrozenFlag(tb, black.wallet, true)
			black.frozen = bi(500)

			blackZero := mint(t, "blacklisted zero balance", bi(0))
			t.SetFrozenFlag(tb, blackZero.wallet, true)

			cleared := mint(t, "blacklist cleared", bi(77))
			t.SetFrozenFlag(tb, cleared.wallet, true)
			t.SetFrozenFlag(tb, cleared.wallet, false)
			return append(cs, black, blackZero, cleared)
		})
	}
	add(anviltest.Plain, func(t *anviltest.Token) []walletCase {
		return append(common3(t), mint(t, "thousand", bi(1000)))
	})
	return out
}

// truth reads wallet's values in token with single eth_calls through the
// generated bindings at block number, and applies SPEC §2.
func truth(tb testing.TB, c *anviltest.Chain, t *anviltest.Token, wallet common.Address, number uint64) (total, frozen *big.Int) {
	tb.Helper()
	call := func(data []byte) []byte {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		out, err := c.Client.CallContract(ctx, ethereum.CallMsg{To: &t.Address, Data: data}, new(big.Int).SetUint64(number))
		if err != nil {
			tb.Fatalf("single call to %s at %d: %v", t.Address, number, err)
		}
		return out
	}
	must := func(v *big.Int, err error) *big.Int {
		if err != nil {
			tb.Fatal(err)
		}
		return v
	}
	mustBool := func(v bool, err error) bool {
		if err != nil {
			tb.Fatal(err)
		}
		return v
	}
	var (
		amounts []*big.Int
		flags   []bool
	)
	switch t.Kind {
	case anviltest.TREX:
		b := trextoken.NewTREXToken()
		total = must(b.UnpackBalanceOf(call(b.PackBalanceOf(wallet))))
		amounts = append(amounts, must(b.UnpackGetFrozenTokens(call(b.PackGetFrozenTokens(wallet)))))
		flags = append(flags, mustBool(b.UnpackIsFrozen(call(b.PackIsFrozen(wallet)))))
	case anviltest.ERC7943:
		b := erc7943token.NewERC7943Token()
		total = must(b.UnpackBalanceOf(call(b.PackBalanceOf(wallet))))
		amounts = append(amounts, must(b.UnpackGetFrozenTokens(call(b.PackGetFrozenTokens(wallet)))))
	case anviltest.Freezable:
		b := freezabletoken.NewFreezableToken()
		total = must(b.UnpackBalanceOf(call(b.PackBalanceOf(wallet))))
		amounts = append(amounts, must(b.UnpackFrozen(call(b.PackFrozen(wallet)))))
	case anviltest.USDC:
		b := usdctoken.NewUSDCToken()
		total = must(b.UnpackBalanceOf(call(b.PackBalanceOf(wallet))))
		flags = append(flags, mustBool(b.UnpackIsBlacklisted(call(b.PackIsBlacklisted(wallet)))))
	case anviltest.USDT:
		b := usdttoken.NewUSDTToken()
		total = must(b.UnpackBalanceOf(call(b.PackBalanceOf(wallet))))
		flags = append(flags, mustBool(b.UnpackIsBlackListed(call(b.PackIsBlackListed(wallet)))))
	case anviltest.Plain:
		b := plaintoken.NewPlainToken()
		total = must(b.UnpackBalanceOf(call(b.PackBalanceOf(wallet))))
	default:
		tb.Fatalf("truth: kind %s", t.Kind)
	}
	for _, f := range flags {
		if f {
			return total, new(big.Int).Set(total)
		}
	}
	frozen = new(big.Int)
	for _, a := range amounts {
		frozen.Add(frozen, a)
	}
	if frozen.Cmp(total) > 0 {
		frozen.Set(total)
	}
	return total, frozen
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

func TestBalancesFreezeModels(t *testing.T) {
	for _, start := range testNets() {
		net := start(t)
		t.Run(net.name, func(t *testing.T) {
			fixture := setupFixture(t, net.chain)
			var tokens []chain.TokenConfig
			for _, f := range fixture {
				tokens = append(tokens, f.config())
			}
			pinned := chain.BlockRef{}
			var first map[common.Address]chain.Snapshot
			for _, mode := range strategies {
				t.Run(mode, func(t *testing.T) {
					r := mustDial(t, dialConfig(net, mode, tokens...))
					if got := r.Mode(); got != mode {
						t.Fatalf("Mode() = %q, want %q", got, mode)
					}
					snaps := make(map[common.Address]chain.Snapshot)
					for _, f := range fixture {
						ctx := context.Background()
						at := chain.LatestBlock
						if first != nil {
							at = pinned // every strategy reads the same block
						}
						snap, err := r.Balances(ctx, at, f.token.Address, f.wallets())
						if err != nil {
							t.Fatalf("Balances(%s): %v", f.token.Kind, err)
						}
						if first == nil {
							pinned = chain.BlockRef{Number: snap.Block.Number}
						}
						want := chain.Snapshot{Block: snap.Block, Token: f.token.Address}
						var truthful []chain.Balance
						for _, c := range f.cases {
							want.Balances = append(want.Balances, balance(c.wallet, c.total, c.frozen))
							total, frozen := truth(t, net.chain, f.token, c.wallet, snap.Block.Number)
							truthful = append(truthful, balance(c.wallet, total, frozen))
						}
						if diff := cmp.Diff(want, snap, bigCmp); diff != "" {
							t.Errorf("Balances(%s) mismatch with the expected values (-want +got):\n%s", f.token.Kind, diff)
						}
						if diff := cmp.Diff(truthful, snap.Balances, bigCmp); diff != "" {
							t.Errorf("Balances(%s) mismatch with single calls (-want +got):\n%s", f.token.Kind, diff)
						}
						if first != nil {
							if diff := cmp.Diff(first[f.token.Address], snap, bigCmp); diff != "" {
								t.Errorf("Balances(%s) %s differs from %s (-%s +%s):\n%s", f.token.Kind, mode, strategies[0], strategies[0], mode, diff)
							}
						}
						snaps[f.token.Address] = snap
					}
					if first == nil {
						first = snaps
					}
				})
			}
		})
	}
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
	if got, ok := r.Token(plain.Address); !ok || got.Symbol != "PLN" {
		t.Errorf("Token(%s) = %+v, %v", plain.Address, got, ok)
	}
	if _, ok := r.Token(common.HexToAddress("0x1")); ok {
		t.Error("Token(unknown) found")
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

func TestReadErrors(t *testing.T) {
	for _, start := range testNets() {
		net := start(t)
		t.Run(net.name, func(t *testing.T) {
			broken := net.chain.DeployToken(t, anviltest.Broken, "Broken", "BRK", 18)
			plain := net.chain.DeployToken(t, anviltest.Plain, "Plain", "PLN", 18)
			holder := common.HexToAddress("0x00000000000000000000000000000000000b0b01")
			broken.Mint(t, holder, bi(10))
			wallets := []common.Address{common.HexToAddress("0x00000000000000000000000000000000000b0b00"), holder}
			tests := []struct {
				name string
				tc   chain.TokenConfig
				want *chain.ReadError
			}{
				{name: "revert", tc: chain.TokenConfig{Address: broken.Address, Freeze: "erc3643"},
					want: &chain.ReadError{Token: broken.Address, Wallet: wallets[0], Function: "getFrozenTokens(address)", Reason: "reverted: frozen view broken"}},
				{name: "malformed", tc: chain.TokenConfig{Address: broken.Address, Freeze: "oz-freezable"},
					want: &chain.ReadError{Token: broken.Address, Wallet: wallets[0], Function: "frozen(address)", Reason: "malformed return data: 7 bytes, want 32"}},
				{name: "missing function", tc: chain.TokenConfig{Address: plain.Address, Freeze: "custom", FlagFns: []string{"isSanctioned(address)"}},
					want: &chain.ReadError{Token: plain.Address, Wallet: wallets[0], Function: "isSanctioned(address)", Reason: "reverted"}},
			}
			for _, tt := range tests {
				for _, mode := range strategies {
					t.Run(tt.name+"/"+mode, func(t *testing.T) {
						r := mustDial(t, dialConfig(net, mode, tt.tc))
						snap, err := r.Balances(context.Background(), chain.LatestBlock, tt.tc.Address, wallets)
						var got *chain.ReadError
						if !errors.As(err, &got) {
							t.Fatalf("Balances = %+v, %v; want a *ReadError", snap, err)
						}
						if diff := cmp.Diff(tt.want, got); diff != "" {
							t.Errorf("Balances error mismatch (-want +got):\n%s", diff)
						}
						if snap.Balances != nil {
							t.Errorf("Balances returned values with the error: %+v", snap.Balances)
						}
					})
				}
			}
		})
	}
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

func TestResolveBlock(t *testing.T) {
	for _, start := range testNets() {
		net := start(t)
		t.Run(net.name, func(t *testing.T) {
			plain := net.chain.DeployToken(t, anviltest.Plain, "Plain", "PLN", 18)
			r := mustDial(t, dialConfig(net, chain.ModeAuto, chain.TokenConfig{Address: plain.Address}))
			ctx := context.Background()
			latest, err := r.ResolveBlock(ctx, chain.LatestBlock)
			if err != nil {
				t.Fatal(err)
			}
			header, err := net.chain.Client.HeaderByNumber(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			want := chain.Block{Number: header.Number.Uint64(), Hash: header.Hash(), Time: time.Unix(int64(header.Time), 0).UTC()}
			if diff := cmp.Diff(want, latest); diff != "" {
				t.Errorf("ResolveBlock(latest) mismatch (-want +got):\n%s", diff)
			}
			byNumber, err := r.ResolveBlock(ctx, chain.BlockRef{Number: latest.Number - 1})
			if err != nil || byNumber.Number != latest.Number-1 || byNumber.Hash == latest.Hash {
				t.Errorf("ResolveBlock(%d) = %+v, %v", latest.Number-1, byNumber, err)
			}
			_, err = r.ResolveBlock(ctx, chain.BlockRef{Number: latest.Number + 1000})
			if !errors.Is(err, chain.ErrBlockNotFound) {
				t.Fatalf("ResolveBlock(beyond head) error = %v, want ErrBlockNotFound", err)
			}
			if wantMsg := fmt.Sprintf("block %d is beyond the chain head %d", latest.Number+1000, latest.Number); !strings.Contains(err.Error(), wantMsg) {
				t.Errorf("ResolveBlock(beyond head) error = %q, want it to contain %q", err, wantMsg)
			}
			for _, tag := range []chain.BlockTag{chain.Safe, chain.Finalized} {
				b, err := r.ResolveBlock(ctx, chain.BlockRef{Tag: tag})
				if err != nil && !errors.Is(err, chain.ErrBlockNotFound) {
					t.Errorf("ResolveBlock(%s) error = %v, want nil or ErrBlockNotFound", tag, err)
				}
				if err == nil && b.Number > latest.Number {
					t.Errorf("ResolveBlock(%s) = %d above latest %d", tag, b.Number, latest.Number)
				}
			}
			if err := r.Check(ctx); err != nil {
				t.Errorf("Check() = %v", err)
			}
		})
	}
}

// TestHistoricBlock reads an older block: values are those of that block.
func TestHistoricBlock(t *testing.T) {
	net := startAnvil(t)
	tok := net.chain.DeployToken(t, anviltest.ERC7943, "T", "T", 0)
	w := common.HexToAddress("0x0000000000000000000000000000000000012345")
	tok.Mint(t, w, bi(10))
	for _, mode := range strategies {
		t.Run(mode, func(t *testing.T) {
			r := mustDial(t, dialConfig(net, mode, chain.TokenConfig{Address: tok.Address, Freeze: "erc7943"}))
			before, err := r.Balances(context.Background(), chain.LatestBlock, tok.Address, []common.Address{w, w})
			if err != nil {
				t.Fatal(err)
			}
			tok.SetFrozen(t, w, bi(3))
			again, err := r.Balances(context.Background(), chain.BlockRef{Number: before.Block.Number}, tok.Address, []common.Address{w})
			if err != nil {
				t.Fatal(err)
			}
			want := []chain.Balance{balance(w, bi(10), bi(0))}
			if diff := cmp.Diff(want, again.Balances, bigCmp); diff != "" {
				t.Errorf("Balances(block %d) mismatch (-want +got):\n%s", before.Block.Number, diff)
			}
			if diff := cmp.Diff(append(want, want...), before.Balances, bigCmp); diff != "" {
				t.Errorf("Balances(duplicate wallets) mismatch (-want +got):\n%s", diff)
			}
			now, err := r.Balances(context.Background(), chain.LatestBlock, tok.Address, []common.Address{w})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]chain.Balance{balance(w, bi(10), bi(3))}, now.Balances, bigCmp); diff != "" {
				t.Errorf("Balances(latest) mismatch (-want +got):\n%s", diff)
			}
			tok.SetFrozen(t, w, bi(0))
		})
	}
}

// TestThousandWalletsWhileMining takes 1,000-wallet snapshots in several
// chunks and HTTP requests while another goroutine mines transactions that
// change those very wallets: every value must equal the single-call value
// at the snapshot's block.
func TestThousandWalletsWhileMining(t *testing.T) {
	net := startAnvil(t)
	tok := net.chain.DeployToken(t, anviltest.TREX, "T", "T", 0)
	wallets := seqWallets(1000, 0x20000)
	for i := 0; i < len(wallets); i += 100 {
		tok.Mint(t, wallets[i], bi(int64(1000+i)))
	}

	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	miner := make(chan int)
	go func() {
		defer close(miner)
		n := 0
		for i := 0; ctx.Err() == nil; i++ {
			// Mostly wallets of the later chunks, which are read after
			// several blocks have been mined.
			pick := func(i int) common.Address { return wallets[len(wallets)-1-(i*7)%(len(wallets)/2)] }
			data := trextoken.NewTREXToken().PackMint(pick(i), bi(int64(i+1)))
			if i%3 == 2 { // freeze part of what the previous step minted
				data = trextoken.NewTREXToken().PackFreezePartialTokens(pick(i-1), bi(1))
			}
			if _, err := net.chain.TryTransact(tok.Owner, tok.Address, data); err != nil {
				if ctx.Err() == nil {
					t.Errorf("miner: %v", err)
				}
				return
			}
			n++
		}
		miner <- n
	}()

	for _, mode := range strategies {
		t.Run(mode, func(t *testing.T) {
			cfg := dialConfig(net, mode, chain.TokenConfig{Address: tok.Address, Freeze: "erc3643"})
			cfg.MaxCallsPerBatch = 150 // 50 wallets per chunk: 20 chunks
			// One request at a time, each after a new block: the snapshot
			// spans several blocks and must still read only its own.
			cfg.MaxConcurrency = 1
			waiter := &blockWaiter{tb: t, c: net.chain}
			cfg.Observer = waiter
			r := mustDial(t, cfg)
			waiter.armed.Store(true)
			before := r.Stats()[0].Requests
			snap, err := r.Balances(context.Background(), chain.LatestBlock, tok.Address, wallets)
			if err != nil {
				t.Fatal(err)
			}
			// Batch mode sends one HTTP request per chunk; the multicall
			// modes up to 16 chunks per request: 16, then 4.
			requests := uint64(20)
			if mode != chain.ModeBatch {
				requests = 2
			}
			if got, want := r.Stats()[0].Requests-before, 1+requests; got != want {
				t.Errorf("node requests = %d, want %d (one block lookup, %d for the chunks)", got, want, requests)
			}
			head, err := net.chain.Client.HeaderByNumber(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			want := make([]chain.Balance, len(wallets))
			g := new(errgroup.Group)
			g.SetLimit(8)
			for i, w := range wallets {
				g.Go(func() error {
					total, frozen := truth(t, net.chain, tok, w, snap.Block.Number)
					want[i] = balance(w, total, frozen)
					return nil
				})
			}
			_ = g.Wait()
			if diff := cmp.Diff(want, snap.Balances, bigCmp); diff != "" {
				t.Errorf("Balances at block %d mismatch with single calls (-want +got):\n%s", snap.Block.Number, diff)
			}
			if head.Number.Uint64() < snap.Block.Number+requests {
				t.Errorf("head %d: fewer than %d blocks mined during the snapshot at %d", head.Number, requests, snap.Block.Number)
			}
			t.Logf("%s: snapshot at block %d, head %d after verification", mode, snap.Block.Number, head.Number)
		})
	}
	stop()
	if n := <-miner; n < 3 {
		t.Errorf("only %d transactions mined during the snapshots", n)
	}
}

// blockWaiter is an Observer that, once armed, holds every chunk's call
// until the chain has a new block.
type blockWaiter struct {
	tb    testing.TB
	c     *anviltest.Chain
	armed atomic.Bool
	mu    sync.Mutex
	last  uint64
}

func (b *blockWaiter) OnBatch(int)              {}
func (b *blockWaiter) OnCache(int, int)         {}
func (b *blockWaiter) OnHead(uint64, time.Time) {}

func (b *blockWaiter) OnCall(method, _, _ string, _ time.Duration) {
	if !b.armed.Load() || (method != "eth_call" && method != "batch:eth_call") {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		h, err := b.c.Client.HeaderByNumber(context.Background(), nil)
		if err == nil && h.Number.Uint64() > b.last {
			b.last = h.Number.Uint64()
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	b.tb.Errorf("no new block within 5s")
	b.armed.Store(false)
}

// TestMulticallGas checks that a chunk of 1,000 (and 3,000) sub-calls fits
// far below DefaultCallGas.
func TestMulticallGas(t *testing.T) {
	net := startAnvil(t)
	tok := net.chain.DeployToken(t, anviltest.TREX, "T", "T", 0)
	wallets := seqWallets(1000, 0x30000)
	tok.Mint(t, wallets[0], bi(1))
	for _, calls := range []int{1000, 3000} {
		t.Run(fmt.Sprint(calls), func(t *testing.T) {
			gas := estimateAggregate3(t, net, tok.Address, wallets, calls)
			t.Logf("aggregate3 with %d erc3643 sub-calls: %d gas (%d per sub-call)", calls, gas, gas/uint64(calls))
			if gas > chain.DefaultCallGas/2 {
				t.Errorf("aggregate3 with %d sub-calls needs %d gas, more than half of DefaultCallGas", calls, gas)
			}
		})
	}
}

// TestBatchAboveNodeLimit: geth answers a JSON-RPC batch above its limit
// (1000) with one error; that is a clear error, never a *ReadError or zeros.
func TestBatchAboveNodeLimit(t *testing.T) {
	net := startSimulated(t)
	tok := net.chain.DeployToken(t, anviltest.Plain, "P", "P", 0)
	cfg := dialConfig(net, chain.ModeBatch, chain.TokenConfig{Address: tok.Address})
	cfg.MaxCallsPerBatch = 1500
	r := mustDial(t, cfg)
	wallets := seqWallets(1500, 1) // distinct: duplicates are read once
	snap, err := r.Balances(context.Background(), chain.LatestBlock, tok.Address, wallets)
	var readErr *chain.ReadError
	if err == nil || errors.As(err, &readErr) || !strings.Contains(err.Error(), "max_calls_per_batch") {
		t.Fatalf("Balances = %d balances, %v; want an error pointing at max_calls_per_batch", len(snap.Balances), err)
	}
}

func mustFreePort(tb testing.TB) int {
	tb.Helper()
	p, err := localnet.FreePort()
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// TestBlockBeforeMulticall3 reads a block from before Multicall3 was
// deployed, as an archive node serves them: auto mode, which chose the
// deployed contract, reads it with the state override instead, and
// explicit contract mode says why it cannot, rather than failing without a
// reason.
func TestBlockBeforeMulticall3(t *testing.T) {
	n := anviltest.Start(t)
	c := n.Chain(t)
	tok := c.DeployToken(t, anviltest.ERC7943, "T", "T", 0)
	w := common.HexToAddress("0x0000000000000000000000000000000000012346")
	tok.Mint(t, w, bi(10))
	tok.SetFrozen(t, w, bi(4))
	net := &testNet{name: "anvil", chain: c, url: n.URL, chainID: n.ChainID, node: n}
	tc := chain.TokenConfig{Address: tok.Address, Freeze: "erc7943"}
	before, err := mustDial(t, dialConfig(net, chain.ModeBatch, tc)).Balances(context.Background(), chain.LatestBlock, tok.Address, []common.Address{w})
	if err != nil {
		t.Fatal(err)
	}
	// anvil_setCode changes the latest block's state in place: mine past
	// the block read first.
	n.Mine(t, 1)
	anviltest.PlaceMulticall3(t, n.URL)
	n.Mine(t, 1)
	at := chain.BlockRef{Number: before.Block.Number}

	r := mustDial(t, dialConfig(net, chain.ModeAuto, tc))
	if r.Mode() != chain.ModeContract {
		t.Fatalf("auto mode chose %q, want contract", r.Mode())
	}
	got, err := r.Balances(context.Background(), at, tok.Address, []common.Address{w})
	if err != nil {
		t.Fatalf("auto mode at block %d (before Multicall3): %v", at.Number, err)
	}
	if diff := cmp.Diff([]chain.Balance{balance(w, bi(10), bi(4))}, got.Balances, bigCmp); diff != "" {
		t.Errorf("Balances(block %d) mismatch (-want +got):\n%s", at.Number, diff)
	}

	_, err = mustDial(t, dialConfig(net, chain.ModeContract, tc)).Balances(context.Background(), at, tok.Address, []common.Address{w})
	var re *chain.ReadError
	if !errors.As(err, &re) || re.Token != tok.Address || !strings.Contains(re.Reason, "no code at block") {
		t.Errorf("contract mode before Multicall3: %v, want a *ReadError saying Multicall3 has no code", err)
	}
}

// TestNodeExecutionError gives the token code that loops until it runs out
// of gas, so the node answers the whole eth_call with an error rather than
// a failed sub-call: every strategy reports a *ReadError for the token
// (a 502), none an unclassified error (a 500).
func TestNodeExecutionError(t *testing.T) {
	net := startAnvil(t)
	tok := net.chain.DeployToken(t, anviltest.Plain, "Plain", "PLN", 18)
	// Each looping sub-call burns 63/64 of the gas left, so after a few
	// the aggregate3 frame itself runs out: the node's answer is an error.
	wallets := seqWallets(8, 0xb0b10)
	tc := chain.TokenConfig{Address: tok.Address}
	readers := map[string]*chain.Reader{}
	for _, mode := range strategies {
		readers[mode] = mustDial(t, dialConfig(net, mode, tc)) // Dial reads the metadata of a working token
	}
	anviltest.SetCode(t, net.url, tok.Address, common.FromHex("0x5b600056")) // JUMPDEST PUSH1 0 JUMP: loops forever
	for _, mode := range strategies {
		t.Run(mode, func(t *testing.T) {
			snap, err := readers[mode].Balances(context.Background(), chain.LatestBlock, tok.Address, wallets)
			var re *chain.ReadError
			if !errors.As(err, &re) || re.Token != tok.Address {
				t.Fatalf("Balances = %+v, %v; want a *ReadError for token %s", snap.Balances, err, tok.Address.Hex())
			}
			if snap.Balances != nil {
				t.Errorf("values returned with the error: %+v", snap.Balances)
			}
		})
	}
}

package chain_test

import (
	"context"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod/abi/erc7943token"
	"github.com/portfoliod/portfoliod/abi/freezabletoken"
	"github.com/portfoliod/portfoliod/abi/plaintoken"
	"github.com/portfoliod/portfoliod/abi/trextoken"
	"github.com/portfoliod/portfoliod/abi/usdctoken"
	"github.com/portfoliod/portfoliod/abi/usdttoken"
	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/internal/anviltest"
)

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
func truth(tb testing.TB, c *anviltest.Chain, t *anviltest.Token, wallet common.Address, number uint64) (total, frozen *big.Int, flagged bool) {
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
			return total, new(big.Int).Set(total), true
		}
	}
	frozen = new(big.Int)
	for _, a := range amounts {
		frozen.Add(frozen, a)
	}
	if frozen.Cmp(total) > 0 {
		frozen.Set(total)
	}
	return total, frozen, false
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
							total, frozen, flagged := truth(t, net.chain, f.token, c.wallet, snap.Block.Number)
							// The flag is the chain's, by single calls.
							b := balance(c.wallet, c.total, c.frozen)
							b.AddressFrozen = flagged
							want.Balances = append(want.Balances, b)
							b = balance(c.wallet, total, frozen)
							b.AddressFrozen = flagged
							truthful = append(truthful, b)
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

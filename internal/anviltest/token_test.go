package anviltest

import (
	"bytes"
	"context"
	"math/big"
	"runtime"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod/abi/brokentoken"
	"github.com/portfoliod/portfoliod/abi/erc7943token"
	"github.com/portfoliod/portfoliod/abi/freezabletoken"
	"github.com/portfoliod/portfoliod/abi/multicall3"
	"github.com/portfoliod/portfoliod/abi/plaintoken"
	"github.com/portfoliod/portfoliod/abi/trextoken"
	"github.com/portfoliod/portfoliod/abi/usdctoken"
	"github.com/portfoliod/portfoliod/abi/usdttoken"
)

// backends runs f against a fresh anvil node and a fresh simulated chain.
func backends(t *testing.T, f func(t *testing.T, c *Chain)) {
	t.Run("anvil", func(t *testing.T) { f(t, Start(t).Chain(t)) })
	t.Run("simulated", func(t *testing.T) { f(t, NewSimulated(t, nil)) })
}

var (
	alice = DevAddress(1)
	bob   = DevAddress(2)
)

func amt(v int64) *big.Int { return big.NewInt(v) }

func wantAmount(tb testing.TB, what string, got *big.Int, want int64) {
	tb.Helper()
	if got.Cmp(big.NewInt(want)) != 0 {
		tb.Errorf("%s = %s, want %d", what, got, want)
	}
}

// runtimeCode is the RuntimeCode each abi package exports, by kind.
var runtimeCode = map[Kind][]byte{
	TREX:      trextoken.RuntimeCode,
	ERC7943:   erc7943token.RuntimeCode,
	Freezable: freezabletoken.RuntimeCode,
	USDC:      usdctoken.RuntimeCode,
	USDT:      usdttoken.RuntimeCode,
	Plain:     plaintoken.RuntimeCode,
	Broken:    brokentoken.RuntimeCode,
}

func TestDeployEveryToken(t *testing.T) {
	backends(t, func(t *testing.T, c *Chain) {
		for _, kind := range Kinds {
			t.Run(string(kind), func(t *testing.T) {
				tok := c.DeployToken(t, kind, "Token "+string(kind), "TKN", 6)

				code, err := c.Client.CodeAt(context.Background(), tok.Address, nil)
				if err != nil {
					t.Fatalf("CodeAt: %v", err)
				}
				if !bytes.Equal(code, runtimeCode[kind]) {
					t.Errorf("deployed code (%d bytes) differs from RuntimeCode (%d bytes)", len(code), len(runtimeCode[kind]))
				}

				name, err := plain.UnpackName(c.Call(t, tok.Address, plain.PackName()))
				if err != nil || name != "Token "+string(kind) {
					t.Errorf("name() = %q, %v", name, err)
				}
				dec, err := plain.UnpackDecimals(c.Call(t, tok.Address, plain.PackDecimals()))
				if err != nil || dec != 6 {
					t.Errorf("decimals() = %d, %v; want 6", dec, err)
				}
				owner, err := plain.UnpackOwner(c.Call(t, tok.Address, plain.PackOwner()))
				if err != nil || owner != DevAddress(0) {
					t.Errorf("owner() = %s, %v; want %s", owner, err, DevAddress(0))
				}

				tok.Mint(t, alice, amt(1000))
				tok.Burn(t, alice, amt(400))
				wantAmount(t, "balanceOf(alice)", tok.BalanceOf(t, alice), 600)
				supply, err := plain.UnpackTotalSupply(c.Call(t, tok.Address, plain.PackTotalSupply()))
				if err != nil {
					t.Fatal(err)
				}
				wantAmount(t, "totalSupply()", supply, 600)

				// Only the owner mints.
				if _, err := c.TryTransact(DevKey(1), tok.Address, plain.PackMint(alice, amt(1))); err == nil {
					t.Error("mint by a non-owner: got no error")
				}
			})
		}
	})
}

func TestPlainTransfer(t *testing.T) {
	backends(t, func(t *testing.T, c *Chain) {
		tok := c.DeployToken(t, Plain, "Plain", "PLN", 18)
		tok.Mint(t, alice, amt(100))
		receipt := c.Transact(t, DevKey(1), tok.Address, plain.PackTransfer(bob, amt(30)))
		ev, err := plain.UnpackTransferEvent(receipt.Logs[0])
		if err != nil {
			t.Fatalf("UnpackTransferEvent: %v", err)
		}
		want := plaintoken.PlainTokenTransfer{From: alice, To: bob, Value: amt(30), Raw: ev.Raw}
		if diff := cmp.Diff(want, *ev, cmp.Comparer(func(a, b *big.Int) bool { return a.Cmp(b) == 0 })); diff != "" {
			t.Errorf("Transfer event mismatch (-want +got):\n%s", diff)
		}
		wantAmount(t, "balanceOf(bob)", tok.BalanceOf(t, bob), 30)
		if err := tok.TryTransfer(DevKey(2), alice, amt(31)); err == nil {
			t.Error("transfer above the balance: got no error")
		}
	})
}

func TestTREX(t *testing.T) {
	backends(t, func(t *testing.T, c *Chain) {
		tok := c.DeployToken(t, TREX, "T-REX", "TREX", 0)
		paused, err := trex.UnpackPaused(c.Call(t, tok.Address, trex.PackPaused()))
		if err != nil || !paused {
			t.Fatalf("paused() of a new token = %v, %v; want true", paused, err)
		}
		// Minting works while paused, transfers do not.
		tok.Mint(t, alice, amt(100))
		if err := tok.TryTransfer(DevKey(1), bob, amt(1)); err == nil || !strings.Contains(err.Error(), "Pausable: paused") {
			t.Errorf("transfer while paused: err = %v, want Pausable: paused", err)
		}
		tok.Unpause(t)

		t.Run("partial freeze", func(t *testing.T) {
			tok.SetFrozen(t, alice, amt(80))
			wantAmount(t, "getFrozenTokens(alice)", tok.Frozen(t, alice), 80)
			if _, err := c.TryTransact(tok.Owner, tok.Address, trex.PackFreezePartialTokens(alice, amt(21))); err == nil ||
				!strings.Contains(err.Error(), "Amount exceeds available balance") {
				t.Errorf("freeze above the balance: err = %v", err)
			}
			if err := tok.TryTransfer(DevKey(1), bob, amt(21)); err == nil || !strings.Contains(err.Error(), "Insufficient Balance") {
				t.Errorf("transfer above the free balance: err = %v", err)
			}
			tok.Transfer(t, DevKey(1), bob, amt(20))
			tok.SetFrozen(t, alice, amt(70)) // unfreezePartialTokens(10)
			wantAmount(t, "getFrozenTokens(alice)", tok.Frozen(t, alice), 70)
			tok.SetFrozen(t, alice, amt(80))
		})

		t.Run("burn unfreezes the shortfall", func(t *testing.T) {
			// alice: balance 80, frozen 80, free 0.
			receipt := c.Transact(t, tok.Owner, tok.Address, trex.PackBurn(alice, amt(30)))
			if got := unfrozenEvents(t, receipt); !cmp.Equal(got, []int64{30}) {
				t.Errorf("TokensUnfrozen amounts = %v, want [30]", got)
			}
			wantAmount(t, "balanceOf(alice)", tok.BalanceOf(t, alice), 50)
			wantAmount(t, "getFrozenTokens(alice)", tok.Frozen(t, alice), 50)
		})

		t.Run("forcedTransfer unfreezes the shortfall", func(t *testing.T) {
			tok.SetFrozen(t, alice, amt(40)) // balance 50, free 10
			receipt := c.Transact(t, tok.Owner, tok.Address, trex.PackForcedTransfer(alice, bob, amt(25)))
			if got := unfrozenEvents(t, receipt); !cmp.Equal(got, []int64{15}) {
				t.Errorf("TokensUnfrozen amounts = %v, want [15]", got)
			}
			wantAmount(t, "balanceOf(alice)", tok.BalanceOf(t, alice), 25)
			wantAmount(t, "getFrozenTokens(alice)", tok.Frozen(t, alice), 25)
		})

		t.Run("address freeze is not in getFrozenTokens", func(t *testing.T) {
			tok.SetFrozenFlag(t, bob, true)
			frozen, err := trex.UnpackIsFrozen(c.Call(t, tok.Address, trex.PackIsFrozen(bob)))
			if err != nil || !frozen {
				t.Errorf("isFrozen(bob) = %v, %v; want true", frozen, err)
			}
			wantAmount(t, "getFrozenTokens(bob)", tok.Frozen(t, bob), 0)
			if err := tok.TryTransfer(DevKey(2), alice, amt(1)); err == nil || !strings.Contains(err.Error(), "wallet is frozen") {
				t.Errorf("transfer from a frozen wallet: err = %v", err)
			}
			tok.SetFrozenFlag(t, bob, false)
			tok.Transfer(t, DevKey(2), alice, amt(1))
		})

		t.Run("agents", func(t *testing.T) {
			if _, err := c.TryTransact(DevKey(3), tok.Address, trex.PackPause()); err == nil {
				t.Error("pause by a non-agent: got no error")
			}
			c.Transact(t, tok.Owner, tok.Address, trex.PackAddAgent(DevAddress(3)))
			c.Transact(t, DevKey(3), tok.Address, trex.PackPause())
			paused, err := trex.UnpackPaused(c.Call(t, tok.Address, trex.PackPaused()))
			if err != nil || !paused {
				t.Errorf("paused() after an agent's pause = %v, %v", paused, err)
			}
		})
	})
}

// unfrozenEvents returns the amounts of the TokensUnfrozen events in receipt.
func unfrozenEvents(tb testing.TB, receipt *types.Receipt) []int64 {
	tb.Helper()
	var amounts []int64
	for _, l := range receipt.Logs {
		if l.Topics[0] != trex.GetABI().Events[trextoken.TREXTokenTokensUnfrozenEventName].ID {
			continue
		}
		ev, err := trex.UnpackTokensUnfrozenEvent(l)
		if err != nil {
			tb.Fatalf("UnpackTokensUnfrozenEvent: %v", err)
		}
		amounts = append(amounts, ev.Amount.Int64())
	}
	return amounts
}

func TestAmountModelsMayExceedBalance(t *testing.T) {
	backends(t, func(t *testing.T, c *Chain) {
		for _, kind := range []Kind{ERC7943, Freezable} {
			t.Run(string(kind), func(t *testing.T) {
				tok := c.DeployToken(t, kind, "Frozen", "FRZ", 18)
				tok.Mint(t, alice, amt(100))
				tok.SetFrozen(t, alice, amt(60))
				wantAmount(t, "frozen amount", tok.Frozen(t, alice), 60)
				if err := tok.TryTransfer(DevKey(1), bob, amt(41)); err == nil {
					t.Error("transfer above the unfrozen balance: got no error")
				}
				tok.Transfer(t, DevKey(1), bob, amt(40))

				tok.SetFrozen(t, alice, amt(1000)) // above the balance of 60
				wantAmount(t, "frozen amount", tok.Frozen(t, alice), 1000)
				if err := tok.TryTransfer(DevKey(1), bob, amt(1)); err == nil {
					t.Error("transfer with frozen above the balance: got no error")
				}
			})
		}
	})
}

func TestBlacklists(t *testing.T) {
	backends(t, func(t *testing.T, c *Chain) {
		for _, kind := range []Kind{USDC, USDT} {
			t.Run(string(kind), func(t *testing.T) {
				tok := c.DeployToken(t, kind, "Stable", "USD", 6)
				tok.Mint(t, alice, amt(100))
				view := func() bool {
					var (
						listed bool
						err    error
					)
					if kind == USDC {
						listed, err = usdc.UnpackIsBlacklisted(c.Call(t, tok.Address, usdc.PackIsBlacklisted(alice)))
					} else {
						listed, err = usdt.UnpackIsBlackListed(c.Call(t, tok.Address, usdt.PackIsBlackListed(alice)))
					}
					if err != nil {
						t.Fatalf("blacklist view: %v", err)
					}
					return listed
				}
				if view() {
					t.Fatal("blacklisted before SetFrozenFlag")
				}
				tok.SetFrozenFlag(t, alice, true)
				if !view() {
					t.Fatal("not blacklisted after SetFrozenFlag(true)")
				}
				if err := tok.TryTransfer(DevKey(1), bob, amt(1)); err == nil {
					t.Error("transfer by a blacklisted holder: got no error")
				}
				tok.SetFrozenFlag(t, alice, false)
				if view() {
					t.Fatal("blacklisted after SetFrozenFlag(false)")
				}
				tok.Transfer(t, DevKey(1), bob, amt(1))
			})
		}
	})
}

func TestBrokenToken(t *testing.T) {
	backends(t, func(t *testing.T, c *Chain) {
		tok := c.DeployToken(t, Broken, "Broken", "BRK", 18)
		tok.Mint(t, alice, amt(5))
		wantAmount(t, "balanceOf(alice)", tok.BalanceOf(t, alice), 5)

		broken := brokentoken.NewBrokenToken()
		for name, data := range map[string][]byte{
			"getFrozenTokens": broken.PackGetFrozenTokens(alice),
			"isFrozen":        broken.PackIsFrozen(alice),
		} {
			_, err := c.TryCall(tok.Address, data)
			if err == nil || !strings.Contains(err.Error(), "frozen view broken") {
				t.Errorf("%s: err = %v, want a revert with \"frozen view broken\"", name, err)
			}
		}

		out := c.Call(t, tok.Address, broken.PackFrozen(alice))
		if len(out) != 7 {
			t.Errorf("frozen(alice) returned %d bytes (%x), want 7", len(out), out)
		}
		if v, err := broken.UnpackFrozen(out); err == nil {
			t.Errorf("UnpackFrozen of 7 bytes = %v, want an error", v)
		}
	})
}

func TestMulticall3(t *testing.T) {
	mc := multicall3.NewMulticall3()
	check := func(t *testing.T, c *Chain, at common.Address) {
		t.Helper()
		code, err := c.Client.CodeAt(context.Background(), at, nil)
		if err != nil {
			t.Fatalf("CodeAt: %v", err)
		}
		if !bytes.Equal(code, multicall3.RuntimeCode) {
			t.Fatalf("code at %s differs from multicall3.RuntimeCode", at)
		}
		tok := c.DeployToken(t, Plain, "Plain", "PLN", 18)
		tok.Mint(t, alice, amt(42))
		broken := c.DeployToken(t, Broken, "Broken", "BRK", 18)
		codeless := common.HexToAddress("0x00000000000000000000000000000000c0de1e55")

		calls := []multicall3.Multicall3Call3{
			{Target: tok.Address, AllowFailure: true, CallData: plain.PackBalanceOf(alice)},
			{Target: broken.Address, AllowFailure: true, CallData: brokentoken.NewBrokenToken().PackGetFrozenTokens(alice)},
			{Target: codeless, AllowFailure: true, CallData: plain.PackBalanceOf(alice)},
		}
		res, err := bind.Call(mc.Instance(c.Client, at), nil, mc.PackAggregate3(calls), mc.UnpackAggregate3)
		if err != nil {
			t.Fatalf("aggregate3: %v", err)
		}
		if len(res) != 3 {
			t.Fatalf("aggregate3: %d results, want 3", len(res))
		}
		if bal, err := plain.UnpackBalanceOf(res[0].ReturnData); !res[0].Success || err != nil || bal.Int64() != 42 {
			t.Errorf("aggregate3 balanceOf = %+v (%v, %v), want success and 42", res[0], bal, err)
		}
		if res[1].Success {
			t.Errorf("aggregate3 reverting call: success, want failure")
		}
		// A call to an address without code "succeeds" with no data.
		if !res[2].Success || len(res[2].ReturnData) != 0 {
			t.Errorf("aggregate3 codeless call = %+v, want success with empty data", res[2])
		}

		calls[1].AllowFailure = false
		if _, err := bind.Call(mc.Instance(c.Client, at), nil, mc.PackAggregate3(calls), mc.UnpackAggregate3); err == nil ||
			!strings.Contains(err.Error(), "Multicall3: call failed") {
			t.Errorf("aggregate3 with a disallowed failure: err = %v", err)
		}

		bn, err := bind.Call(mc.Instance(c.Client, at), nil, mc.PackGetBlockNumber(), mc.UnpackGetBlockNumber)
		if err != nil {
			t.Fatalf("getBlockNumber: %v", err)
		}
		head, err := c.Client.HeaderByNumber(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if bn.Cmp(head.Number) != 0 {
			t.Errorf("getBlockNumber = %s, want %s", bn, head.Number)
		}
	}

	t.Run("anvil_setCode", func(t *testing.T) {
		node := Start(t)
		PlaceMulticall3(t, node.URL)
		check(t, node.Chain(t), multicall3.Address)
	})
	t.Run("simulated genesis alloc", func(t *testing.T) {
		check(t, NewSimulated(t, Multicall3Alloc()), multicall3.Address)
	})
	backends(t, func(t *testing.T, c *Chain) {
		check(t, c, c.DeployMulticall3(t))
	})
}

func TestUnsupportedHelpersFail(t *testing.T) {
	c := NewSimulated(t, nil)
	tok := c.DeployToken(t, Plain, "Plain", "PLN", 18)
	for name, f := range map[string]func(tb testing.TB){
		"SetFrozen":     func(tb testing.TB) { tok.SetFrozen(tb, alice, amt(1)) },
		"Frozen":        func(tb testing.TB) { tok.Frozen(tb, alice) },
		"SetFrozenFlag": func(tb testing.TB) { tok.SetFrozenFlag(tb, alice, true) },
		"Unpause":       func(tb testing.TB) { tok.Unpause(tb) },
	} {
		t.Run(name, func(t *testing.T) {
			rec := &recorder{TB: t}
			done := make(chan struct{})
			go func() { // Fatalf ends the goroutine with runtime.Goexit
				defer close(done)
				f(rec)
			}()
			<-done
			if !rec.failed {
				t.Errorf("%s on a plain token did not fail the test", name)
			}
		})
	}
}

// recorder records a Fatalf instead of failing the enclosing test.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = true
	runtime.Goexit()
}

// TestParisHardfork proves the contracts need no post-merge opcode (PUSH0,
// MCOPY...): the build targets evmVersion paris so that Multicall3's runtime
// code also works in state overrides on nodes of lagging chains.
func TestParisHardfork(t *testing.T) {
	node := Start(t, WithArgs("--hardfork", "paris"))
	c := node.Chain(t)
	// Guard: the node really rejects PUSH0 (0x5f), a shanghai opcode.
	push0 := common.HexToAddress("0x0000000000000000000000000000000000005f5f")
	SetCode(t, node.URL, push0, []byte{0x5f, 0x00})
	if _, err := c.TryCall(push0, nil); err == nil {
		t.Fatal("anvil --hardfork paris ran PUSH0")
	}
	for _, kind := range Kinds {
		tok := c.DeployToken(t, kind, "Paris", "PRS", 18)
		tok.Mint(t, alice, amt(7))
		wantAmount(t, string(kind)+" balanceOf(alice)", tok.BalanceOf(t, alice), 7)
	}
	mc := multicall3.NewMulticall3()
	at := c.DeployMulticall3(t)
	if _, err := bind.Call(mc.Instance(c.Client, at), nil, mc.PackAggregate3(nil), mc.UnpackAggregate3); err != nil {
		t.Fatalf("aggregate3 on paris: %v", err)
	}
}

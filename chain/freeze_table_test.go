package chain_test

import (
	"context"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/internal/anviltest"
)

// lookupCode is the runtime code of a contract whose every one-address
// view answers the storage word at keccak256(its 36 bytes of call data):
// CALLDATACOPY(0, 0, 36) SHA3(0, 36) SLOAD MSTORE(0) RETURN(0, 32). With
// anvil_setStorageAt the test gives any view (amounts, flags, balanceOf)
// any value for any wallet, so one contract serves every freeze model,
// including a custom one with two amount and two flag functions, which no
// Solidity test token has.
var lookupCode = common.FromHex("0x6024600060003760246000205460005260206000f3")

// setView makes view sig answer value for wallet on the lookup contract
// at token.
func setView(tb testing.TB, client *rpc.Client, token common.Address, sig string, wallet common.Address, value *big.Int) {
	tb.Helper()
	data := append(crypto.Keccak256([]byte(sig))[:4:4], common.LeftPadBytes(wallet.Bytes(), 32)...)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := client.CallContext(ctx, nil, "anvil_setStorageAt", token, crypto.Keccak256Hash(data), common.BigToHash(value)); err != nil {
		tb.Fatalf("anvil_setStorageAt: %v", err)
	}
}

// TestFreezeModelTable reads SPEC §2's freeze model table end to end:
// frozen = any flag true ? total : min(total, sum of amounts), for every
// preset and for custom models of two amount functions, two flag
// functions and both, in every strategy, through Balances (the codec,
// Multicall3 and the decoding production runs).
func TestFreezeModelTable(t *testing.T) {
	net := startAnvil(t)
	client, err := rpc.Dial(net.url)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	custom := func(amountFns, flagFns []string) chain.TokenConfig {
		return chain.TokenConfig{Freeze: chain.FreezeCustom, AmountFns: amountFns, FlagFns: flagFns}
	}
	two := []string{"lockedA(address)", "lockedB(address)"}
	twoFlags := []string{"sanctioned(address)", "suspended(address)"}
	type wallet struct {
		name    string
		total   *big.Int
		amounts []*big.Int
		flags   []bool
		frozen  *big.Int
	}
	no, yes := false, true
	models := []struct {
		name   string
		config chain.TokenConfig
		cases  []wallet
	}{
		{"none", chain.TokenConfig{Freeze: chain.FreezeNone}, []wallet{
			{name: "plain", total: bi(1000), frozen: bi(0)},
		}},
		{"erc3643", chain.TokenConfig{Freeze: chain.FreezeERC3643}, []wallet{
			{name: "zero balance", total: bi(0), amounts: []*big.Int{bi(0)}, flags: []bool{no}, frozen: bi(0)},
			{name: "partial", total: bi(1000), amounts: []*big.Int{bi(400)}, flags: []bool{no}, frozen: bi(400)},
			{name: "flag freezes all", total: bi(1000), amounts: []*big.Int{bi(1)}, flags: []bool{yes}, frozen: bi(1000)},
		}},
		{"erc7943", chain.TokenConfig{Freeze: chain.FreezeERC7943}, []wallet{
			{name: "amount above balance clamped", total: bi(100), amounts: []*big.Int{bi(250)}, frozen: bi(100)},
			{name: "near max partial", total: maxUint256, amounts: []*big.Int{bi(1)}, frozen: bi(1)},
		}},
		{"oz-freezable", chain.TokenConfig{Freeze: chain.FreezeOZFreezable}, []wallet{
			{name: "partial", total: bi(10), amounts: []*big.Int{bi(3)}, frozen: bi(3)},
		}},
		{"usdc", chain.TokenConfig{Freeze: chain.FreezeUSDC}, []wallet{
			{name: "flag on zero balance", total: bi(0), flags: []bool{yes}, frozen: bi(0)},
			{name: "blacklisted", total: bi(5), flags: []bool{yes}, frozen: bi(5)},
		}},
		{"usdt", chain.TokenConfig{Freeze: chain.FreezeUSDT}, []wallet{
			{name: "not blacklisted", total: bi(5), flags: []bool{no}, frozen: bi(0)},
		}},
		{"custom two amounts", custom(two, nil), []wallet{
			{name: "summed", total: bi(1000), amounts: []*big.Int{bi(400), bi(300)}, frozen: bi(700)},
			{name: "sum clamped", total: bi(1000), amounts: []*big.Int{bi(600), bi(600)}, frozen: bi(1000)},
			{name: "max uint256 amounts do not overflow", total: maxUint256, amounts: []*big.Int{maxUint256, maxUint256}, frozen: maxUint256},
		}},
		{"custom two flags", custom(nil, twoFlags), []wallet{
			{name: "any flag", total: bi(5), flags: []bool{no, yes}, frozen: bi(5)},
			{name: "flags false", total: bi(5), flags: []bool{no, no}, frozen: bi(0)},
		}},
		{"custom two and two", custom(two, twoFlags), []wallet{
			{name: "summed", total: bi(1000), amounts: []*big.Int{bi(400), bi(300)}, flags: []bool{no, no}, frozen: bi(700)},
			{name: "sum clamped", total: bi(1000), amounts: []*big.Int{bi(600), bi(600)}, flags: []bool{no, no}, frozen: bi(1000)},
			{name: "first flag", total: bi(1000), amounts: []*big.Int{bi(1), bi(2)}, flags: []bool{yes, no}, frozen: bi(1000)},
			{name: "second flag", total: bi(1000), amounts: []*big.Int{bi(1), bi(2)}, flags: []bool{no, yes}, frozen: bi(1000)},
			{name: "nothing frozen", total: bi(1000), amounts: []*big.Int{bi(0), bi(0)}, flags: []bool{no, no}, frozen: bi(0)},
		}},
	}
	var tokens []chain.TokenConfig
	wallets := make([][]common.Address, len(models))
	next := 0x77000
	for i, m := range models {
		tc := m.config
		tc.Address = common.BigToAddress(big.NewInt(int64(0xf7ee0 + i)))
		anviltest.SetCode(t, net.url, tc.Address, lookupCode)
		model, err := tc.Model()
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range m.cases {
			if len(c.amounts) != len(model.AmountFns) || len(c.flags) != len(model.FlagFns) {
				t.Fatalf("%s/%s: %d amounts and %d flags for model %+v", m.name, c.name, len(c.amounts), len(c.flags), model)
			}
			next++
			w := common.BigToAddress(big.NewInt(int64(next)))
			wallets[i] = append(wallets[i], w)
			setView(t, client, tc.Address, "balanceOf(address)", w, c.total)
			for j, a := range c.amounts {
				setView(t, client, tc.Address, model.AmountFns[j], w, a)
			}
			for j, f := range c.flags {
				v := bi(0)
				if f {
					v = bi(1)
				}
				setView(t, client, tc.Address, model.FlagFns[j], w, v)
			}
		}
		models[i].config = tc
		tokens = append(tokens, tc)
	}

	for _, mode := range strategies {
		t.Run(mode, func(t *testing.T) {
			r := mustDial(t, dialConfig(net, mode, tokens...))
			for i, m := range models {
				snap, err := r.Balances(context.Background(), chain.LatestBlock, m.config.Address, wallets[i])
				if err != nil {
					t.Fatalf("Balances(%s): %v", m.name, err)
				}
				for j, c := range m.cases {
					want := balance(wallets[i][j], c.total, c.frozen)
					want.AddressFrozen = slices.Contains(c.flags, true) // a flag function answered true
					if diff := cmp.Diff(want, snap.Balances[j], bigCmp); diff != "" {
						t.Errorf("%s/%s mismatch (-want +got):\n%s", m.name, c.name, diff)
					}
				}
			}
		})
	}
}

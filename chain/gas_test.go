package chain_test

import (
	"context"
	"testing"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/portfoliod/portfoliod/abi/multicall3"
)

// estimateAggregate3 estimates the gas of an aggregate3 of n erc3643 calls
// (balanceOf, getFrozenTokens, isFrozen in turn) over wallets.
func estimateAggregate3(tb testing.TB, net *testNet, token common.Address, wallets []common.Address, n int) uint64 {
	tb.Helper()
	sigs := []string{"balanceOf(address)", "getFrozenTokens(address)", "isFrozen(address)"}
	calls := make([]multicall3.Multicall3Call3, n)
	for i := range calls {
		data := append(crypto.Keccak256([]byte(sigs[i%3]))[:4:4], common.LeftPadBytes(wallets[(i/3)%len(wallets)].Bytes(), 32)...)
		calls[i] = multicall3.Multicall3Call3{Target: token, AllowFailure: true, CallData: data}
	}
	data := multicall3.NewMulticall3().PackAggregate3(calls)
	to := multicall3.Address
	gas, err := net.chain.Client.EstimateGas(context.Background(), ethereum.CallMsg{To: &to, Data: data})
	if err != nil {
		tb.Fatalf("estimate aggregate3: %v", err)
	}
	return gas
}

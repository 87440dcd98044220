package chain_test

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/devnet"
	"github.com/portfoliod/portfoliod/internal/anviltest"
)

// startPrunedSimulated is startSimulated on a chain that, like a default
// geth full node, keeps the state of only its last 128 blocks.
func startPrunedSimulated(tb testing.TB) *testNet {
	tb.Helper()
	funded := make([]common.Address, anviltest.DevKeys)
	for i := range funded {
		funded[i] = anviltest.DevAddress(i)
	}
	sim, err := devnet.StartPrunedSimulated(funded...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = sim.Close() })
	c := &anviltest.Chain{Client: sim.Backend().Client(), ChainID: big.NewInt(devnet.SimulatedChainID), Sim: sim.Backend()}
	return &testNet{name: "simulated", chain: c, url: sim.URL, chainID: devnet.SimulatedChainID}
}

// A block the node still has but whose state it pruned is a
// *StatePrunedError naming the block (which matches ErrBlockNotFound), in
// every strategy: geth answers "historical state ... is not available",
// anvil with --prune-history "BlockOutOfRangeError".
func TestPrunedState(t *testing.T) {
	nets := []struct {
		name  string
		start func(testing.TB) *testNet
		mine  func(testing.TB, *testNet)
	}{
		{"geth simulated, pruned", startPrunedSimulated, func(tb testing.TB, n *testNet) {
			for range 140 {
				n.chain.Commit()
			}
		}},
		{"anvil --prune-history 10", func(tb testing.TB) *testNet { return startAnvil(tb, anviltest.WithArgs("--prune-history", "10")) },
			func(tb testing.TB, n *testNet) { n.node.Mine(tb, 40) }},
	}
	for _, nt := range nets {
		t.Run(nt.name, func(t *testing.T) {
			net := nt.start(t)
			tok := net.chain.DeployToken(t, anviltest.Plain, "Plain", "PLN", 18)
			w := common.HexToAddress("0x000000000000000000000000000000000000aaaa")
			tok.Mint(t, w, bi(7))
			tc := chain.TokenConfig{Address: tok.Address}
			readers := map[string]*chain.Reader{}
			for _, mode := range strategies {
				readers[mode] = mustDial(t, dialConfig(net, mode, tc))
			}
			minted, err := readers[chain.ModeContract].Balances(context.Background(), chain.LatestBlock, tok.Address, []common.Address{w})
			if err != nil {
				t.Fatal(err)
			}
			old := minted.Block.Number
			nt.mine(t, net)
			for _, mode := range strategies {
				t.Run(mode, func(t *testing.T) {
					r := readers[mode]
					snap, err := r.Balances(context.Background(), chain.BlockRef{Number: old}, tok.Address, []common.Address{w})
					var pruned *chain.StatePrunedError
					if !errors.As(err, &pruned) || pruned.Number != old {
						t.Fatalf("Balances(block %d) = %+v, %v; want a *StatePrunedError for block %d", old, snap.Balances, err, old)
					}
					if !errors.Is(err, chain.ErrBlockNotFound) {
						t.Errorf("Balances(block %d) error %v does not match ErrBlockNotFound", old, err)
					}
					want := fmt.Sprintf("the node no longer has state for block %d; a full node keeps about the last 128 blocks (an archive node keeps all)", old)
					if err.Error() != want {
						t.Errorf("Balances(block %d) error = %q, want %q", old, err, want)
					}
					if _, err := r.Balances(context.Background(), chain.LatestBlock, tok.Address, []common.Address{w}); err != nil {
						t.Errorf("Balances(latest) after the pruned read: %v", err)
					}
				})
			}
		})
	}
}

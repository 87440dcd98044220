package devnet

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/portfoliod/portfoliod/abi/multicall3"
	"github.com/portfoliod/portfoliod/abi/trextoken"
)

func TestSeedSimulated(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	sim, err := StartSimulated()
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	d, err := Seed(ctx, sim.URL, sim.Mine)
	if err != nil {
		t.Fatal(err)
	}
	if d.ChainID != SimulatedChainID {
		t.Errorf("chain id = %d", d.ChainID)
	}
	ec, err := ethclient.DialContext(ctx, sim.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer ec.Close()
	if code, err := ec.CodeAt(ctx, multicall3.Address, nil); err != nil || len(code) == 0 {
		t.Fatalf("Multicall3 code missing: %v", err)
	}
	tok := trextoken.NewTREXToken()
	call := func(data []byte) []byte {
		out, err := ec.CallContract(ctx, ethereum.CallMsg{To: &d.Token, Data: data}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, h := range DemoHoldings {
		bal, err := tok.UnpackBalanceOf(call(tok.PackBalanceOf(h.Wallet)))
		if err != nil {
			t.Fatal(err)
		}
		frozen, err := tok.UnpackGetFrozenTokens(call(tok.PackGetFrozenTokens(h.Wallet)))
		if err != nil {
			t.Fatal(err)
		}
		isFrozen, err := tok.UnpackIsFrozen(call(tok.PackIsFrozen(h.Wallet)))
		if err != nil {
			t.Fatal(err)
		}
		if bal.Cmp(big.NewInt(h.Balance)) != 0 || frozen.Cmp(big.NewInt(h.FrozenPartial)) != 0 || isFrozen != h.AddressFrozen {
			t.Errorf("%s: balance %s frozen %s isFrozen %v, want %+v", h.Wallet.Hex(), bal, frozen, isFrozen, h)
		}
	}
	paused, err := tok.UnpackPaused(call(tok.PackPaused()))
	if err != nil || paused {
		t.Errorf("token paused = %v (%v), want unpaused after seeding", paused, err)
	}
}

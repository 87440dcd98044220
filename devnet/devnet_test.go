package devnet

import (
	"context"
	"fmt"
	"math/big"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/portfoliod/portfoliod/abi/multicall3"
	"github.com/portfoliod/portfoliod/abi/trextoken"
)

// mustStartSimulated starts the in-process chain, closed at cleanup.
func mustStartSimulated(t *testing.T) *Simulated {
	t.Helper()
	sim, err := StartSimulated()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	return sim
}

func TestSeedSimulated(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	sim := mustStartSimulated(t)
	d, err := Seed(ctx, sim.URL, sim.Mine)
	if err != nil {
		t.Fatal(err)
	}
	checkSeeded(ctx, t, sim.URL, d)
}

// TestSeedMinesUntilAllIncluded stands in for a block sealed before the
// transaction pool promoted the seed transactions (it does so
// asynchronously, and on a loaded CI machine a block sealed right after the
// sends missed some): the first seal does nothing, and Seed must seal again
// rather than wait for receipts that never come.
func TestSeedMinesUntilAllIncluded(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	sim := mustStartSimulated(t)
	var calls atomic.Int32
	late := func(ctx context.Context) error {
		if calls.Add(1) == 1 {
			return nil
		}
		return sim.Mine(ctx)
	}
	d, err := Seed(ctx, sim.URL, late)
	if err != nil {
		t.Fatal(err)
	}
	if calls.Load() < 2 {
		t.Fatalf("miner called %d times, want a second seal after the first missed", calls.Load())
	}
	checkSeeded(ctx, t, sim.URL, d)
}

// checkSeeded asserts that the chain at url holds Multicall3 and the demo
// token d with every DemoHoldings balance and freeze, unpaused.
func checkSeeded(ctx context.Context, t *testing.T, url string, d Deployment) {
	t.Helper()
	if d.ChainID != SimulatedChainID {
		t.Errorf("chain id = %d", d.ChainID)
	}
	ec, err := ethclient.DialContext(ctx, url)
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

// The dev chain is an archive: a read pinned to block 1 still works after
// far more than the 128 blocks a pruned chain keeps state for (the
// README's ?block=5 example, after minutes of `dev`). The pruned chain is
// the control: the same read fails there.
func TestSimulatedKeepsOldState(t *testing.T) {
	tests := []struct {
		name    string
		start   func(...common.Address) (*Simulated, error)
		wantErr bool
	}{
		{"archive", StartSimulated, false},
		{"pruned", StartPrunedSimulated, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			sim, err := tt.start()
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { sim.Close() })
			d, err := Seed(ctx, sim.URL, sim.Mine)
			if err != nil {
				t.Fatal(err)
			}
			ec, err := ethclient.DialContext(ctx, sim.URL)
			if err != nil {
				t.Fatal(err)
			}
			defer ec.Close()
			seeded, err := ec.BlockNumber(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for range 200 {
				sim.Commit()
			}
			tok := trextoken.NewTREXToken()
			out, err := ec.CallContract(ctx, ethereum.CallMsg{To: &d.Token, Data: tok.PackBalanceOf(ReferenceWallet)}, new(big.Int).SetUint64(seeded))
			if tt.wantErr {
				if err == nil || !strings.Contains(err.Error(), "historical state") {
					t.Errorf("balanceOf at block %d of 200 more on a pruned chain = %x, %v; want historical state not available", seeded, out, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("balanceOf at block %d, 200 blocks later: %v", seeded, err)
			}
			if bal, err := tok.UnpackBalanceOf(out); err != nil || bal.Cmp(big.NewInt(1000)) != 0 {
				t.Errorf("balanceOf(reference wallet) at block %d = %v (%v), want 1000", seeded, bal, err)
			}
		})
	}
}

// A port taken between the pick and the node's bind (another process won
// the race) costs a retry, not the start-up.
func TestSimulatedRetriesATakenPort(t *testing.T) {
	held, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	taken := held.Addr().(*net.TCPAddr).Port
	picks := 0
	orig := pickPort
	pickPort = func() (int, error) {
		picks++
		if picks == 1 {
			return taken, nil
		}
		return orig()
	}
	t.Cleanup(func() { pickPort = orig })

	s, err := StartSimulated()
	if err != nil {
		t.Fatalf("StartSimulated with the first port taken: %v", err)
	}
	defer s.Close()
	if picks != 2 || strings.HasSuffix(s.URL, fmt.Sprintf(":%d", taken)) {
		t.Errorf("picks = %d, URL %s (taken port %d)", picks, s.URL, taken)
	}
	ec, err := ethclient.DialContext(context.Background(), s.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer ec.Close()
	if _, err := ec.BlockNumber(context.Background()); err != nil {
		t.Errorf("the chain does not answer: %v", err)
	}
}

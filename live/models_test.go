package live

import (
	"context"
	"math/big"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/internal/anviltest"
)

// modelStep is a change made on the chain and the balance.updated events
// it must give, in order (none: no change of a customer wallet's figures).
type modelStep struct {
	name string
	op   func()
	want []wantEvent
}

type wantEvent struct {
	wallet             common.Address
	previous, balances portfoliod.Figures
	changed            []string
}

// The freeze models' own events, each read back from the chain: a partial
// freeze and unfreeze and a burn that unfreezes the shortfall on the
// T-REX-style token, blacklisting on USDC, and on USDT the unindexed
// blacklist events, the destruction of black funds, and Issue and Redeem,
// which change the owner's balance without a Transfer and name no address.
func TestFollowerEventsPerModel(t *testing.T) {
	a := walletA
	changed := func(fields ...string) []string { return fields }
	cases := []struct {
		kind  anviltest.Kind
		steps func(e *followEnv, owner common.Address) []modelStep
	}{
		{anviltest.TREX, func(e *followEnv, _ common.Address) []modelStep {
			return []modelStep{
				{"mint", func() { e.tok.Mint(t, a, big.NewInt(100)) }, []wantEvent{{a, fig(0, 0), fig(100, 0), changed("total", "available")}}},
				{"partial freeze", func() { e.tok.SetFrozen(t, a, big.NewInt(60)) }, []wantEvent{{a, fig(100, 0), fig(100, 60), changed("frozen", "available")}}},
				{"partial unfreeze", func() { e.tok.SetFrozen(t, a, big.NewInt(50)) }, []wantEvent{{a, fig(100, 60), fig(100, 50), changed("frozen", "available")}}},
				// 70 burnt, 50 free: the 20 short are unfrozen first.
				{"burn that unfreezes", func() { e.tok.Burn(t, a, big.NewInt(70)) }, []wantEvent{{a, fig(100, 50), fig(30, 30), changed("total", "frozen", "available")}}},
			}
		}},
		{anviltest.USDC, func(e *followEnv, _ common.Address) []modelStep {
			return []modelStep{
				{"mint", func() { e.tok.Mint(t, a, big.NewInt(100)) }, []wantEvent{{a, fig(0, 0), fig(100, 0), changed("total", "available")}}},
				{"blacklist", func() { e.tok.SetFrozenFlag(t, a, true) }, []wantEvent{{a, fig(100, 0), fig(100, 100), changed("frozen", "available")}}},
				{"unblacklist", func() { e.tok.SetFrozenFlag(t, a, false) }, []wantEvent{{a, fig(100, 100), fig(100, 0), changed("frozen", "available")}}},
			}
		}},
		{anviltest.USDT, func(e *followEnv, owner common.Address) []modelStep {
			return []modelStep{
				{"mint", func() { e.tok.Mint(t, a, big.NewInt(100)) }, []wantEvent{{a, fig(0, 0), fig(100, 0), changed("total", "available")}}},
				{"blacklist", func() { e.tok.SetFrozenFlag(t, a, true) }, []wantEvent{{a, fig(100, 0), fig(100, 100), changed("frozen", "available")}}},
				{"destroy black funds", func() { e.tok.DestroyBlackFunds(t, a) }, []wantEvent{{a, fig(100, 100), fig(0, 0), changed("total", "frozen")}}},
				{"remove from the blacklist, nothing held", func() { e.tok.SetFrozenFlag(t, a, false) }, nil},
				{"issue", func() { e.tok.Issue(t, big.NewInt(50)) }, []wantEvent{{owner, fig(0, 0), fig(50, 0), changed("total", "available")}}},
				{"redeem", func() { e.tok.Redeem(t, big.NewInt(20)) }, []wantEvent{{owner, fig(50, 0), fig(30, 0), changed("total", "available")}}},
			}
		}},
	}
	for _, tc := range cases {
		t.Run(string(tc.kind), func(t *testing.T) {
			e := mustFollowEnvOf(t, tc.kind, func(token common.Address) chain.TokenConfig {
				return chain.TokenConfig{Address: token, Freeze: string(tc.kind)}
			})
			// The token's owner is a customer too, for the events that
			// change its balance.
			owner := crypto.PubkeyToAddress(e.tok.Owner.PublicKey)
			ownerCust, err := e.store.Create(context.Background(), portfoliod.Customer{Type: portfoliod.Individual, CountryCode: "US", Wallets: []common.Address{owner}})
			if err != nil {
				t.Fatal(err)
			}
			e.catchUp(t)
			seen := len(e.events(t))
			for _, s := range tc.steps(e, owner) {
				s.op()
				e.catchUp(t)
				evs := e.events(t)[seen:]
				seen += len(evs)
				if len(evs) != len(s.want) {
					t.Fatalf("%s: %d events %+v, want %d", s.name, len(evs), evs, len(s.want))
				}
				head, err := e.r.ResolveBlock(context.Background(), chain.LatestBlock)
				if err != nil {
					t.Fatal(err)
				}
				for i, w := range s.want {
					d := evs[i].Data
					if d.Wallet != w.wallet || !sameFigures(d.Previous, w.previous) || !sameFigures(d.Balances, w.balances) || !slices.Equal(d.Changed, w.changed) {
						t.Errorf("%s: event %s %v -> %v %v; want %s %v -> %v %v", s.name, d.Wallet, d.Previous, d.Balances, d.Changed, w.wallet, w.previous, w.balances, w.changed)
					}
					wantCust := e.cust.ID
					if w.wallet == owner {
						wantCust = ownerCust.ID
					}
					if d.CustomerID != wantCust || d.Block.Hash != head.Hash || len(d.Transactions) != 1 {
						t.Errorf("%s: event of customer %s at block %d with transactions %v; want %s at %d, one transaction", s.name, d.CustomerID, d.Block.Number, d.Transactions, wantCust, head.Number)
					}
					// Read back independently at that block (the head).
					if got := e.tok.BalanceOf(t, w.wallet); got.Cmp(d.Balances.Total) != 0 {
						t.Errorf("%s: event total %s, balanceOf %s", s.name, d.Balances.Total, got)
					}
				}
			}
		})
	}
}

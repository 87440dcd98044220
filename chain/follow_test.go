package chain_test

import (
	"context"
	"errors"
	"math/big"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/internal/anviltest"
)

// Every freeze model's change events name the wallets they change, read
// from a real node's logs of that block: a mint, a transfer, a partial
// freeze, an address freeze, blacklisting.
func TestTouchesPerModel(t *testing.T) {
	net := startAnvil(t)
	ctx := context.Background()
	a, b := anviltest.DevAddress(1), anviltest.DevAddress(2)
	kinds := []anviltest.Kind{anviltest.TREX, anviltest.ERC7943, anviltest.Freezable, anviltest.USDC, anviltest.USDT, anviltest.Plain}
	tokens := map[anviltest.Kind]*anviltest.Token{}
	var cfgs []chain.TokenConfig
	for _, k := range kinds {
		tok := net.chain.DeployToken(t, k, string(k), "T", 0)
		if k == anviltest.TREX {
			tok.Unpause(t)
		}
		tokens[k] = tok
		cfgs = append(cfgs, chain.TokenConfig{Address: tok.Address, Freeze: string(k)})
	}
	r := mustDial(t, dialConfig(net, chain.ModeContract, cfgs...))
	head, err := r.ResolveBlock(ctx, chain.LatestBlock)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.Header(ctx, head.Number+1000); !errors.Is(err, chain.ErrBlockNotFound) {
		t.Errorf("Header of a block beyond the head = %v, want ErrBlockNotFound", err)
	}

	// touchesOfLast runs op, which mines one block, and returns the
	// wallets that block's logs touched.
	touchesOfLast := func(t *testing.T, op func()) []chain.Touch {
		t.Helper()
		op()
		head, err := r.ResolveBlock(ctx, chain.LatestBlock)
		if err != nil {
			t.Fatal(err)
		}
		hdr, parent, err := r.Header(ctx, head.Number)
		if err != nil || hdr.Hash != head.Hash || parent == (common.Hash{}) {
			t.Fatalf("Header(%d) = %v, parent %s, err %v; want hash %s", head.Number, hdr, parent, err, head.Hash)
		}
		got, err := r.Touches(ctx, hdr)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	wallets := func(ts []chain.Touch, token common.Address) []common.Address {
		var out []common.Address
		for _, x := range ts {
			if x.Token != token || x.Tx == (common.Hash{}) {
				t.Errorf("touch %+v: other token or no transaction", x)
			}
			out = append(out, x.Wallet)
		}
		return out
	}
	for _, k := range kinds {
		tok := tokens[k]
		t.Run(string(k), func(t *testing.T) {
			got := wallets(touchesOfLast(t, func() { tok.Mint(t, a, big.NewInt(100)) }), tok.Address)
			if !slices.Equal(got, []common.Address{a}) {
				t.Errorf("mint touched %v, want [%s] (the zero address left out)", got, a)
			}
			got = wallets(touchesOfLast(t, func() { tok.Transfer(t, anviltest.DevKey(1), b, big.NewInt(10)) }), tok.Address)
			if !slices.Equal(got, []common.Address{a, b}) {
				t.Errorf("transfer touched %v, want [%s %s]", got, a, b)
			}
			switch k {
			case anviltest.TREX, anviltest.ERC7943, anviltest.Freezable:
				got = wallets(touchesOfLast(t, func() { tok.SetFrozen(t, a, big.NewInt(5)) }), tok.Address)
				if !slices.Equal(got, []common.Address{a}) {
					t.Errorf("partial freeze touched %v, want [%s]", got, a)
				}
			}
			switch k {
			case anviltest.TREX, anviltest.USDC, anviltest.USDT:
				got = wallets(touchesOfLast(t, func() { tok.SetFrozenFlag(t, b, true) }), tok.Address)
				if !slices.Equal(got, []common.Address{b}) {
					t.Errorf("address freeze touched %v, want [%s]", got, b)
				}
			}
		})
	}
	t.Run("a block without token logs", func(t *testing.T) {
		if got := touchesOfLast(t, func() { net.node.Mine(t, 1) }); len(got) != 0 {
			t.Errorf("empty block touched %v", got)
		}
	})
	custom, err := chain.CustomModel([]string{"lockedOf(address)"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if chain.FollowsEvents(custom) {
		t.Errorf("a custom model without change events is followed by events; it must be swept")
	}
	for _, k := range kinds {
		m, err := chain.Preset(string(k))
		if err != nil || !chain.FollowsEvents(m) {
			t.Errorf("preset %s: FollowsEvents false (err %v)", k, err)
		}
	}
}

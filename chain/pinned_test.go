package chain_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/internal/anviltest"
)

// A read pinned to a block is that block's, even from a node that runs
// the call elsewhere: anvil 1.7.1 now and then runs a call pinned to its
// head at the next block. A proxy swaps the block hash in the request for
// the next block's (the fake: the real node does it only by accident).
// Once, and the read is made again and gives the block's figures; every
// time, and it fails saying so rather than name one block's figures as
// another's.
func TestPinnedReadRunsAtItsBlock(t *testing.T) {
	net := startAnvil(t)
	tok := net.chain.DeployToken(t, anviltest.TREX, "T", "T", 0)
	tok.Unpause(t)
	w := common.BigToAddress(bi(0x91e0))
	tok.Mint(t, w, bi(100))
	ctx := context.Background()
	for _, mode := range []string{chain.ModeContract, chain.ModeOverride} {
		t.Run(mode, func(t *testing.T) {
			direct := mustDial(t, dialConfig(net, mode, chain.TokenConfig{Address: tok.Address, Freeze: chain.FreezeERC3643}))
			at, err := direct.ResolveBlock(ctx, portfoliod.LatestBlock)
			if err != nil {
				t.Fatal(err)
			}
			want, err := direct.BalancesAt(ctx, at, tok.Address, []common.Address{w})
			if err != nil {
				t.Fatal(err)
			}
			tok.Mint(t, w, bi(50)) // the next block holds 50 more
			next, err := direct.ResolveBlock(ctx, portfoliod.LatestBlock)
			if err != nil || next.Number != at.Number+1 {
				t.Fatalf("next block %v, %v", next, err)
			}
			proxy := anviltest.NewProxy(t, net.url)
			cfg := dialConfig(net, mode, chain.TokenConfig{Address: tok.Address, Freeze: chain.FreezeERC3643})
			cfg.RPCURLs = []string{proxy.URL}
			r := mustDial(t, cfg)
			swap := func(n int) {
				proxy.Rewrite(strings.ToLower(at.Hash.Hex()), strings.ToLower(next.Hash.Hex()), n)
			}

			swap(1)
			before := proxy.Requests()
			snap, err := r.BalancesAt(ctx, at, tok.Address, []common.Address{w})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want.Balances, snap.Balances, bigCmp); diff != "" {
				t.Errorf("a read at block %d run once at %d (-want +got):\n%s", at.Number, next.Number, diff)
			}
			if n := proxy.Requests() - before; n != 2 {
				t.Errorf("%d requests, want 2 (the read run elsewhere, then again)", n)
			}

			swap(100)
			_, err = r.BalancesAt(ctx, at, tok.Address, []common.Address{w})
			var re *chain.ReadError
			if !errors.As(err, &re) || !strings.Contains(err.Error(), "pinned to block") {
				t.Errorf("a node that always runs the read elsewhere: %v, want a ReadError saying so", err)
			}
		})
	}
}

package chain_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/internal/anviltest"
)

func TestResolveBlock(t *testing.T) {
	for _, start := range testNets() {
		net := start(t)
		t.Run(net.name, func(t *testing.T) {
			plain := net.chain.DeployToken(t, anviltest.Plain, "Plain", "PLN", 18)
			r := mustDial(t, dialConfig(net, chain.ModeAuto, chain.TokenConfig{Address: plain.Address}))
			ctx := context.Background()
			latest, err := r.ResolveBlock(ctx, chain.LatestBlock)
			if err != nil {
				t.Fatal(err)
			}
			header, err := net.chain.Client.HeaderByNumber(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			want := chain.Block{Number: header.Number.Uint64(), Hash: header.Hash(), Time: time.Unix(int64(header.Time), 0).UTC()}
			if diff := cmp.Diff(want, latest); diff != "" {
				t.Errorf("ResolveBlock(latest) mismatch (-want +got):\n%s", diff)
			}
			byNumber, err := r.ResolveBlock(ctx, chain.BlockRef{Number: latest.Number - 1})
			if err != nil || byNumber.Number != latest.Number-1 || byNumber.Hash == latest.Hash {
				t.Errorf("ResolveBlock(%d) = %+v, %v", latest.Number-1, byNumber, err)
			}
			_, err = r.ResolveBlock(ctx, chain.BlockRef{Number: latest.Number + 1000})
			if !errors.Is(err, chain.ErrBlockNotFound) {
				t.Fatalf("ResolveBlock(beyond head) error = %v, want ErrBlockNotFound", err)
			}
			if wantMsg := fmt.Sprintf("block %d is beyond the chain head %d", latest.Number+1000, latest.Number); !strings.Contains(err.Error(), wantMsg) {
				t.Errorf("ResolveBlock(beyond head) error = %q, want it to contain %q", err, wantMsg)
			}
			for _, tag := range []chain.BlockTag{chain.Safe, chain.Finalized} {
				b, err := r.ResolveBlock(ctx, chain.BlockRef{Tag: tag})
				if err != nil && !errors.Is(err, chain.ErrBlockNotFound) {
					t.Errorf("ResolveBlock(%s) error = %v, want nil or ErrBlockNotFound", tag, err)
				}
				if err == nil && b.Number > latest.Number {
					t.Errorf("ResolveBlock(%s) = %d above latest %d", tag, b.Number, latest.Number)
				}
			}
			if err := r.Check(ctx); err != nil {
				t.Errorf("Check() = %v", err)
			}
		})
	}
}

package service

import (
	"context"
	"math/big"
	"path/filepath"
	"testing"
	"time"

	"github.com/portfoliod/portfoliod/api"
	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/internal/anviltest"
)

// After a restart, portfoliod_follower_block_number names the persisted
// cursor at once, not 0 until the next block (no block is mined after
// the restart here, so the follower processes none).
func TestFollowerMetricAfterRestart(t *testing.T) {
	node := anviltest.Start(t)
	anviltest.PlaceMulticall3(t, node.URL)
	tok := node.Chain(t).DeployToken(t, anviltest.TREX, "T", "T", 0)
	tok.Unpause(t)
	path := filepath.Join(t.TempDir(), "p.db")
	start := func() *Instance {
		t.Helper()
		s, err := Start(context.Background(), Options{
			StorePath: path,
			Chain: chain.Config{ChainID: node.ChainID, RPCURLs: []string{node.URL}, HeadPollInterval: 50 * time.Millisecond,
				Tokens: []chain.TokenConfig{{Address: tok.Address, Freeze: chain.FreezeERC3643}}},
			API:  api.Config{Keys: []api.Key{{Name: "t", Hash: api.HashKey(liveKey), Scopes: []api.Scope{api.ScopeRead, api.ScopeWrite}}}},
			Addr: "127.0.0.1:0",
			Live: LiveOptions{Enabled: true},
		})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := start()
	liveOnboard(t, s, anviltest.DevAddress(4))
	tok.Mint(t, anviltest.DevAddress(4), big.NewInt(5))
	waitUntil(t, func() bool { return followerAt(t, s, node) })
	head := nodeHead(t, node)
	if err := s.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}

	s = start()
	t.Cleanup(func() { s.Shutdown(context.Background()) })
	deadline := time.Now().Add(2 * time.Second)
	for followerGauge(t, s) != float64(head) {
		if time.Now().After(deadline) {
			t.Fatalf("portfoliod_follower_block_number = %v after the restart, want the persisted cursor %d", followerGauge(t, s), head)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := nodeHead(t, node); n != head {
		t.Fatalf("the node mined block %d meanwhile: the test proves nothing", n)
	}
}

func followerGauge(t *testing.T, s *Instance) float64 {
	t.Helper()
	mfs, err := s.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == "portfoliod_follower_block_number" {
			return mf.GetMetric()[0].GetGauge().GetValue()
		}
	}
	return -1
}

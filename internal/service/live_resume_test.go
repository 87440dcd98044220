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
	for gathered(t, s, "portfoliod_follower_block_number") != float64(head) {
		if time.Now().After(deadline) {
			t.Fatalf("portfoliod_follower_block_number = %v after the restart, want the persisted cursor %d", gathered(t, s, "portfoliod_follower_block_number"), head)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := nodeHead(t, node); n != head {
		t.Fatalf("the node mined block %d meanwhile: the test proves nothing", n)
	}
}

// portfoliod_follower_lag_blocks is the node's head less the follower's
// block: with three confirmations, three once caught up.
func TestFollowerLagMetric(t *testing.T) {
	node := anviltest.Start(t)
	anviltest.PlaceMulticall3(t, node.URL)
	tok := node.Chain(t).DeployToken(t, anviltest.TREX, "T", "T", 0)
	tok.Unpause(t)
	node.Mine(t, 5)
	s := startLiveService(t, node, LiveOptions{Confirmations: 3}, chain.TokenConfig{Address: tok.Address, Freeze: chain.FreezeERC3643})
	node.Mine(t, 10)
	head := nodeHead(t, node)
	waitUntil(t, func() bool { return gathered(t, s, "portfoliod_follower_block_number") == float64(head-3) })
	waitUntil(t, func() bool { h, _, ok := s.Reader.Head(); return ok && h.Number == head })
	if lag := gathered(t, s, "portfoliod_follower_lag_blocks"); lag != 3 {
		t.Errorf("portfoliod_follower_lag_blocks = %v with three confirmations, want 3", lag)
	}
}

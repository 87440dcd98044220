package chain_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/internal/anviltest"
)

// While the node does not answer, a latest read served from figures read
// at the tracked head says since when (Snapshot.StaleSince); a read
// before that says nothing, and past HeadStaleAfter the read fails. The
// proxy stands in for a node that starts answering 503: anvil cannot.
func TestStaleServeIsMarked(t *testing.T) {
	net := startAnvil(t)
	tok := net.chain.DeployToken(t, anviltest.Plain, "P", "P", 0)
	w := common.HexToAddress("0x0000000000000000000000000000000000075555")
	tok.Mint(t, w, bi(9))
	proxy := newSwitchProxy(t, net.url)
	cfg := trackedConfig(net, chain.ModeAuto, chain.TokenConfig{Address: tok.Address})
	cfg.RPCURLs = []string{proxy.URL}
	cfg.HeadPollInterval = 50 * time.Millisecond
	cfg.HeadStaleAfter = 1500 * time.Millisecond
	cfg.CallTimeout = 300 * time.Millisecond
	cfg.RetryBackoff, cfg.MaxRetryBackoff = 100*time.Millisecond, 200*time.Millisecond
	r := mustDial(t, cfg)
	ctx := context.Background()
	read := func() (chain.Snapshot, error) {
		return r.Balances(ctx, chain.LatestBlock, tok.Address, []common.Address{w})
	}
	fresh, err := read()
	if err != nil || !fresh.StaleSince.IsZero() {
		t.Fatalf("with the node up: StaleSince %v, err %v; want none", fresh.StaleSince, err)
	}
	down := time.Now()
	proxy.set(proxyFail)
	var stale chain.Snapshot
	waitFor(t, 5*time.Second, "a read marked stale", func() bool {
		stale, err = read()
		return err == nil && !stale.StaleSince.IsZero()
	})
	if stale.Block != fresh.Block || stale.StaleSince.Before(down) || stale.StaleSince.After(time.Now()) {
		t.Errorf("stale read at %v since %v; want block %v, since after %v", stale.Block, stale.StaleSince, fresh.Block, down)
	}
	waitFor(t, 5*time.Second, "past HeadStaleAfter the read fails", func() bool {
		_, err := read()
		return errors.Is(err, chain.ErrUnavailable)
	})
	proxy.set(proxyForward)
	waitFor(t, 5*time.Second, "fresh again", func() bool {
		s, err := read()
		return err == nil && s.StaleSince.IsZero()
	})
}

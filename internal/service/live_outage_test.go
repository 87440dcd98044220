package service

import (
	"encoding/json"
	"math/big"
	"testing"
	"time"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/abi/plaintoken"
	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/internal/anviltest"
	"github.com/portfoliod/portfoliod/internal/apitest"
)

// The node unreachable for 30 s while a customer's stream is open (a
// proxy answering 503, a fake: a real anvil restarted would lose its
// chain): the stream stays open with its heartbeats, and once the node
// answers again every change made meanwhile arrives on it, in order, one
// event per changing block, caught up with a ranged logs query.
func TestNodeOutageWhileStreaming(t *testing.T) {
	node := anviltest.Start(t)
	anviltest.PlaceMulticall3(t, node.URL)
	c := node.Chain(t)
	tok := c.DeployToken(t, anviltest.TREX, "T", "T", 0)
	tok.Unpause(t)
	proxy := anviltest.NewProxy(t, node.URL)
	s := startLiveServiceAt(t, proxy.URL, node.ChainID, LiveOptions{}, chain.TokenConfig{Address: tok.Address, Freeze: chain.FreezeERC3643})
	w := anviltest.DevAddress(5)
	id := liveOnboard(t, s, w)

	msgs := openLiveStream(t, "http://"+s.Addr()+"/customer/"+id+"/events")
	type event struct {
		Data struct {
			Block    struct{ Number uint64 }
			Previous struct{ Total string }
			Balances struct{ Total string }
		}
	}
	next := func(d time.Duration) (apitest.SSE, bool) {
		select {
		case m, ok := <-msgs:
			if !ok {
				t.Fatal("the stream ended")
			}
			return m, true
		case <-time.After(d):
			return apitest.SSE{}, false
		}
	}
	if m, ok := next(5 * time.Second); !ok || m.Event != "portfolio" {
		t.Fatalf("first message %+v, want the portfolio", m)
	}
	time.Sleep(300 * time.Millisecond) // the follower at the head

	proxy.Fail(true)
	outage := time.Now()
	var mintBlocks []uint64
	for i := range 6 {
		time.Sleep(5 * time.Second)
		rc := c.Transact(t, tok.Owner, tok.Address, plaintoken.NewPlainToken().PackMint(w, big.NewInt(int64(10*(i+1)))))
		mintBlocks = append(mintBlocks, rc.BlockNumber.Uint64())
		node.Mine(t, 3) // blocks nothing touched between
	}
	if d := time.Since(outage); d < 30*time.Second {
		time.Sleep(30*time.Second - d)
	}
	beats := 0
drain:
	for {
		select {
		case m := <-msgs:
			if !m.Comment {
				t.Fatalf("during the outage: %+v, want only heartbeats", m)
			}
			beats++
		default:
			break drain
		}
	}
	if beats == 0 {
		t.Error("no heartbeat during 30 s of outage")
	}
	proxy.Fail(false)

	var got []event
	deadline := time.Now().Add(20 * time.Second)
	for len(got) < len(mintBlocks) && time.Now().Before(deadline) {
		m, ok := next(time.Until(deadline))
		if !ok {
			break
		}
		if m.Event != portfoliod.EventBalanceUpdated {
			continue
		}
		var ev event
		if err := json.Unmarshal([]byte(m.Data), &ev); err != nil {
			t.Fatal(err)
		}
		got = append(got, ev)
	}
	if len(got) != len(mintBlocks) {
		t.Fatalf("%d events after the outage for %d mints", len(got), len(mintBlocks))
	}
	prev, total := "0", int64(0)
	for i, ev := range got {
		total += int64(10 * (i + 1))
		if ev.Data.Block.Number != mintBlocks[i] || ev.Data.Previous.Total != prev || ev.Data.Balances.Total != big.NewInt(total).String() {
			t.Errorf("event %d: block %d, %s -> %s; want block %d, %s -> %d", i, ev.Data.Block.Number, ev.Data.Previous.Total, ev.Data.Balances.Total, mintBlocks[i], prev, total)
		}
		prev = ev.Data.Balances.Total
	}
	if got := tok.BalanceOf(t, w); got.Int64() != total {
		t.Errorf("chain total %s, want %d", got, total)
	}
	if n := gathered(t, s, "portfoliod_follower_backfills_total"); n < 1 {
		t.Errorf("portfoliod_follower_backfills_total = %v, want the catch-up ranged", n)
	}
}

// gathered is the value of an unlabelled counter or gauge of s.
func gathered(t *testing.T, s *Instance, family string) float64 {
	t.Helper()
	mfs, err := s.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == family && len(mf.GetMetric()) == 1 {
			m := mf.GetMetric()[0]
			if c := m.GetCounter(); c != nil {
				return c.GetValue()
			}
			return m.GetGauge().GetValue()
		}
	}
	t.Fatalf("no metric %s", family)
	return 0
}

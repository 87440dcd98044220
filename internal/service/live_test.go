package service

import (
	"bufio"
	"context"
	"encoding/json"
	"math/big"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/api"
	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/internal/anviltest"
)

// End to end over real HTTP on a real anvil: a customer's stream opens
// with its portfolio, a mint on the chain arrives as balance.updated
// within 2 s with the figures the chain holds, and a shutdown ends the
// stream at once.
func TestLiveStreamEndToEnd(t *testing.T) {
	node := anviltest.Start(t)
	anviltest.PlaceMulticall3(t, node.URL)
	tok := node.Chain(t).DeployToken(t, anviltest.TREX, "T", "T", 0)
	tok.Unpause(t)
	const key = "live-test-key"
	ctx := context.Background()
	s, err := Start(ctx, Options{
		StorePath: filepath.Join(t.TempDir(), "p.db"),
		Chain: chain.Config{ChainID: node.ChainID, RPCURLs: []string{node.URL},
			Tokens: []chain.TokenConfig{{Address: tok.Address, Freeze: chain.FreezeERC3643}}, HeadPollInterval: 50 * time.Millisecond},
		API:  api.Config{Keys: []api.Key{{Name: "t", Hash: api.HashKey(key), Scopes: []api.Scope{api.ScopeRead, api.ScopeWrite}}}},
		Addr: "127.0.0.1:0",
		Live: LiveOptions{Enabled: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			s.Shutdown(context.Background())
		}
	})
	base := "http://" + s.Addr()
	w := anviltest.DevAddress(4)
	req, _ := http.NewRequest("POST", base+"/customer", strings.NewReader(`{"type":"INDIVIDUAL","countryCode":"US","wallets":["`+w.Hex()+`"]}`))
	req.Header.Set("x-api-key", key)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var cust struct{ ID string }
	json.NewDecoder(res.Body).Decode(&cust)
	res.Body.Close()

	req, _ = http.NewRequest("GET", base+"/customer/"+cust.ID+"/events", nil)
	req.Header.Set("x-api-key", key)
	req.Header.Set("Accept", "text/event-stream")
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	type msg struct{ event, data string }
	msgs := make(chan msg, 16)
	go func() {
		defer close(msgs)
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		var m msg
		for sc.Scan() {
			switch line := sc.Text(); {
			case line == "" && m.event != "":
				msgs <- m
				m = msg{}
			case strings.HasPrefix(line, "event: "):
				m.event = line[7:]
			case strings.HasPrefix(line, "data: "):
				m.data = line[6:]
			}
		}
	}()
	recv := func(d time.Duration) msg {
		t.Helper()
		select {
		case m, ok := <-msgs:
			if !ok {
				t.Fatal("the stream ended")
			}
			return m
		case <-time.After(d):
			t.Fatalf("no message within %s", d)
		}
		return msg{}
	}
	if m := recv(5 * time.Second); m.event != "portfolio" || !strings.Contains(m.data, `"total":"0"`) {
		t.Fatalf("first message %q %s, want the portfolio", m.event, m.data)
	}
	// Let the follower see the chain before the change.
	time.Sleep(300 * time.Millisecond)
	minted := time.Now()
	tok.Mint(t, w, big.NewInt(1234))
	m := recv(2 * time.Second)
	t.Logf("mint to balance.updated at the client: %s", time.Since(minted).Round(time.Millisecond))
	var ev struct {
		Type string
		Data struct {
			CustomerID string
			Balances   struct{ Total string }
			Previous   struct{ Total string }
		}
	}
	if err := json.Unmarshal([]byte(m.data), &ev); err != nil {
		t.Fatal(err)
	}
	if m.event != portfoliod.EventBalanceUpdated || ev.Data.CustomerID != cust.ID || ev.Data.Balances.Total != "1234" || ev.Data.Previous.Total != "0" {
		t.Errorf("event %q %s", m.event, m.data)
	}
	if got := tok.BalanceOf(t, w); got.String() != ev.Data.Balances.Total {
		t.Errorf("event total %s, chain %s", ev.Data.Balances.Total, got)
	}

	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	start := time.Now()
	if err := s.Shutdown(sctx); err != nil {
		t.Fatal(err)
	}
	stopped = true
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Shutdown with a stream open took %s", d)
	}
	for range msgs { // the stream ends
	}
}

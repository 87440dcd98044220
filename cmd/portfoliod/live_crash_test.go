package main

import (
	"encoding/json"
	"fmt"
	"math/big"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/portfoliod/portfoliod/abi/plaintoken"
	"github.com/portfoliod/portfoliod/api"
	"github.com/portfoliod/portfoliod/internal/anviltest"
)

// kill -9 of the real binary while blocks with changes stream in loses
// and duplicates no event: after restarts the log of the customer's
// wallet is an unbroken chain (each event's previous figures are the
// last one's), one event per change, ending at the chain's state.
func TestFollowerSurvivesKill9(t *testing.T) {
	bin := buildBinary(t)
	node, dep := seededAnvil(t)
	key, hash, err := api.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	// One confirmation: anvil serves a call pinned to its head block from
	// its live state, which the next block's transactions change while
	// they are mined, so a read at the head now and then returns the next
	// block's figures (about 1 read in 800 with a mint every few
	// milliseconds); the block after it then shows no change. A block
	// below the head is read from anvil's kept state. Kills and restarts
	// are what is tested here, not head reads.
	cfg := followerConfig(t, node.URL, dep.ChainID, dep.Token.Hex(), hash, "[read, write]", "live:\n  confirmations: 1\n")
	tok := &anviltest.Token{Kind: anviltest.TREX, Address: dep.Token, Chain: node.Chain(t), Owner: anviltest.DevKey(0)}
	w := anviltest.DevAddress(7)

	p := startProcess(t, bin, cfg)
	status, _, body := httpDo(t, "POST", p.URL+"/customer", key, `{"type":"INDIVIDUAL","countryCode":"US","wallets":["`+w.Hex()+`"]}`)
	if status != http.StatusOK {
		t.Fatalf("onboard = %d %s", status, body)
	}
	var cust struct{ ID string }
	json.Unmarshal(body, &cust)
	// The follower's first start must be behind us: it follows from the
	// head it starts at, and the past is no event.
	waitForLog(t, p, "follower starts")

	var (
		stop       atomic.Bool
		mints      atomic.Int64
		wg         sync.WaitGroup
		mintBlocks []uint64 // written by the minter until wg.Wait
	)
	wg.Go(func() {
		for !stop.Load() {
			rc, err := tok.Chain.TryTransact(tok.Owner, tok.Address, plaintoken.NewPlainToken().PackMint(w, big.NewInt(1+mints.Load())))
			if err != nil {
				t.Errorf("mint: %v", err)
				return
			}
			mintBlocks = append(mintBlocks, rc.BlockNumber.Uint64())
			mints.Add(1)
			time.Sleep(30 * time.Millisecond)
		}
	})
	for round := range 3 {
		time.Sleep(time.Duration(300+rand.IntN(500)) * time.Millisecond)
		if err := p.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		<-p.Exited()
		time.Sleep(200 * time.Millisecond) // blocks the follower misses while down
		p = startProcess(t, bin, cfg)
		t.Logf("kill %d after %d mints", round+1, mints.Load())
	}
	time.Sleep(500 * time.Millisecond)
	stop.Store(true)
	wg.Wait()
	node.Mine(t, 1) // the confirmation of the last mint

	want := tok.BalanceOf(t, w)
	type figs struct {
		Total string `json:"total"`
	}
	type event struct {
		ID   string `json:"id"`
		Data struct {
			Previous figs `json:"previous"`
			Balances figs `json:"balances"`
			Block    struct {
				Number uint64 `json:"number"`
			} `json:"block"`
		} `json:"data"`
	}
	var log []event
	deadline := time.Now().Add(30 * time.Second)
	for {
		log = eventLog[event](t, p.URL, key, cust.ID)
		if len(log) > 0 && log[len(log)-1].Data.Balances.Total == want.String() {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the log did not reach the chain's total %s in 30 s: %d events\n%s", want, len(log), p.stderr)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if int64(len(log)) != mints.Load() {
		t.Errorf("%d events for %d mints", len(log), mints.Load())
	}
	evBlocks := map[uint64]bool{}
	for _, e := range log {
		evBlocks[e.Data.Block.Number] = true
	}
	for _, n := range mintBlocks {
		if !evBlocks[n] {
			t.Errorf("the mint in block %d has no event", n)
		}
	}
	seen := map[string]bool{}
	prev := "0"
	for i, e := range log {
		if seen[e.ID] {
			t.Errorf("event %d: %s twice", i, e.ID)
		}
		seen[e.ID] = true
		if e.Data.Previous.Total != prev {
			t.Errorf("event %d at block %d: previous total %s, the last event's was %s (a lost or repeated change)", i, e.Data.Block.Number, e.Data.Previous.Total, prev)
		}
		prev = e.Data.Balances.Total
	}
	t.Logf("%d mints, %d events, 3 kills", mints.Load(), len(log))
}

// waitForLog waits up to 20 s for line in the process's logs.
func waitForLog(t *testing.T, p *process, line string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(p.stderr.String(), line) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q in the logs within 20 s\n%s", line, p.stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// followerConfig writes, in a temp dir, the config of a serve process on
// a bbolt store there following token on the node at rpcURL (head polled
// every 100 ms), with one key of keyHash and scopes, and extra YAML
// sections; it returns the config's path.
func followerConfig(t *testing.T, rpcURL string, chainID uint64, token, keyHash, scopes, extra string) string {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	yaml := fmt.Sprintf(`
http:
  addr: "127.0.0.1:0"
store:
  path: %q
chain:
  chain_id: %d
  rpc_urls: [%q]
  call_timeout: 2s
  head_poll_interval: 100ms
tokens:
  - address: %q
    freeze: erc3643
auth:
  keys:
    - name: ops
      sha256: %q
      scopes: %s
log:
  format: text
%s`, filepath.Join(dir, "p.db"), chainID, rpcURL, token, keyHash, scopes, extra)
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfg
}

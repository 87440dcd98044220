package main

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/portfoliod/portfoliod/abi/plaintoken"
	"github.com/portfoliod/portfoliod/api"
	"github.com/portfoliod/portfoliod/internal/anviltest"
	"github.com/portfoliod/portfoliod/internal/localnet"
	"github.com/portfoliod/portfoliod/internal/nginxtest"
	"github.com/portfoliod/portfoliod/internal/pgtest"
)

// clusterWebhookTimeout is webhooks.timeout in the cluster: a claim's
// lease is twice it and 5 s.
const clusterWebhookTimeout = 2 * time.Second

// cluster is three real `portfoliod serve` replicas on one PostgreSQL
// database and one anvil, behind a real nginx running deploy/nginx.conf.
type cluster struct {
	bin, dsn, key string
	lb            *nginxtest.Server
	cfgs          []string // each replica's config: its own fixed port, so a restart keeps it

	mu       sync.Mutex
	replicas []*process
}

// startCluster starts n replicas at once (they migrate the new database
// under the advisory lock), then nginx over them.
func startCluster(t *testing.T, n int) (*cluster, *anviltest.Token) {
	t.Helper()
	start := time.Now()
	c := &cluster{bin: buildBinary(t)}
	t.Logf("binary built in %s", time.Since(start).Round(time.Millisecond))
	node, dep := seededAnvil(t)
	key, hash, err := api.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	c.key, c.dsn = key, pgtest.NewDatabase(t)
	base, err := os.ReadFile(replicaConfig(t, c.dsn, node.URL, dep.ChainID, dep.Token.Hex(), hash))
	if err != nil {
		t.Fatal(err)
	}
	var addrs []string
	for range n {
		port, err := localnet.FreePort()
		if err != nil {
			t.Fatal(err)
		}
		addr := "127.0.0.1:" + strconv.Itoa(port)
		addrs = append(addrs, addr)
		body := strings.NewReplacer(
			`addr: "127.0.0.1:0"`, fmt.Sprintf("addr: %q\n  trusted_proxies: [127.0.0.1]", addr),
			"call_timeout: 1s\n", "call_timeout: 1s\n  head_poll_interval: 100ms\n",
			"scopes: [read, write]", "scopes: [read, write, admin]",
		).Replace(string(base))
		// Retries come quickly, so that an attempt cut off by the test
		// is made again within it.
		body += fmt.Sprintf("webhooks:\n  allow_http: true\n  allow_private_targets: true\n  timeout: %s\n  retry_schedule: [%s]\n",
			clusterWebhookTimeout, strings.Repeat("250ms, ", 29)+"250ms")
		cfg := filepath.Join(t.TempDir(), "config.yaml")
		if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		c.cfgs = append(c.cfgs, cfg)
	}
	c.replicas = make([]*process, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { c.replicas[i] = startProcess(t, c.bin, c.cfgs[i]) })
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	// The replica that first finds the shared cursor empty starts the
	// log at the head; the others follow from that cursor. Changes made
	// before are no event.
	waitWithin(t, 20*time.Second, "a follower starts", func() bool {
		for _, p := range c.replicas {
			if strings.Contains(p.stderr.String(), "follower starts") {
				return true
			}
		}
		return false
	})
	root, err := localnet.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	c.lb = nginxtest.Start(t, filepath.Join(root, "deploy", "nginx.conf"), addrs...)
	tok := &anviltest.Token{Kind: anviltest.TREX, Address: dep.Token, Chain: node.Chain(t), Owner: anviltest.DevKey(0)}
	return c, tok
}

// replica returns replica i as it runs now.
func (c *cluster) replica(i int) *process {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.replicas[i]
}

// kill SIGKILLs replica i and waits for it to die.
func (c *cluster) kill(t *testing.T, i int) {
	t.Helper()
	p := c.replica(i)
	if err := p.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-p.Exited()
}

// restart starts replica i again on its port.
func (c *cluster) restart(t *testing.T, i int) {
	t.Helper()
	p := startProcess(t, c.bin, c.cfgs[i])
	c.mu.Lock()
	c.replicas[i] = p
	c.mu.Unlock()
}

// replicaOfPid returns the index of the replica running as pid, or -1.
func (c *cluster) replicaOfPid(pid int) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, p := range c.replicas {
		if p.State() == nil && p.Pid() == pid {
			return i
		}
	}
	return -1
}

// pids returns the process ids of the running replicas.
func (c *cluster) pids() []int {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []int
	for _, p := range c.replicas {
		if p.State() == nil {
			out = append(out, p.Pid())
		}
	}
	return out
}

// Three replicas behind nginx (deploy/nginx.conf, as operators run it):
// onboarding and reads through the balancer reach every replica; one
// replica SIGKILLed under concurrent onboarding through nginx loses no
// acknowledged write, and every request sent after its death is answered
// by the others (nginx passes a refused connection to the next replica);
// webhooks from the three dispatchers reach one receiver once per event;
// a replica killed with deliveries in flight has them made by another
// once their lease lapses.
func TestCluster(t *testing.T) {
	start := time.Now()
	c, tok := startCluster(t, 3)
	client := &http.Client{Timeout: 20 * time.Second}
	t.Logf("cluster up in %s", time.Since(start).Round(time.Millisecond))

	t.Run("onboarding and reads through nginx", func(t *testing.T) {
		status, body := post(client, c.lb.URL+"/customer", c.key, "", `{"type":"ORGANIZATION","countryCode":"DE","name":"Balanced"}`)
		if status != http.StatusOK {
			t.Fatalf("onboard through nginx = %d %s", status, body)
		}
		var cust struct{ ID string }
		if err := json.Unmarshal(body, &cust); err != nil {
			t.Fatal(err)
		}
		// Round robin: six reads, two per replica, each read the write.
		rids := map[string]bool{}
		for range 6 {
			status, h, got := httpDo(t, "GET", c.lb.URL+"/customer/"+cust.ID, c.key, "")
			if status != http.StatusOK || !strings.Contains(string(got), `"Balanced"`) {
				t.Fatalf("GET through nginx = %d %s", status, got)
			}
			rids[h.Get("X-Request-Id")] = true
		}
		served := 0
		for i := range 3 {
			logs := c.replica(i).stderr.String()
			for rid := range rids {
				if strings.Contains(logs, "request_id="+rid) {
					served++
					if _, err := hex.DecodeString(rid); err != nil || len(rid) != 32 {
						t.Errorf("request id %q is not nginx's $request_id", rid)
					}
					break
				}
			}
		}
		if served != 3 {
			t.Errorf("the reads reached %d replicas, want 3 (request ids %v)", served, rids)
		}
		if status, _, body := httpDo(t, "GET", c.lb.URL+"/readyz", "", ""); status != http.StatusOK {
			t.Errorf("readyz through nginx = %d %s", status, body)
		}
	})

	t.Run("kill -9 of one replica under onboarding through nginx", func(t *testing.T) {
		var (
			mu        sync.Mutex
			reqs      []*onboardReq
			afterKill = map[*onboardReq]bool{} // sent once the replica was dead
			dead      atomic.Bool
			counter   atomic.Int64
			acks      atomic.Int64
			stop      atomic.Bool
			wg        sync.WaitGroup
		)
		for range 8 {
			wg.Go(func() {
				for !stop.Load() {
					n := counter.Add(1)
					r := &onboardReq{tag: "lb-" + strconv.FormatInt(n, 10),
						wallets: []common.Address{common.BigToAddress(big.NewInt(0x9000000 + n))}}
					if n%4 == 0 {
						r.wallets = append(r.wallets, contested[int(n/4)%len(contested)])
					}
					mu.Lock()
					reqs = append(reqs, r)
					afterKill[r] = dead.Load()
					mu.Unlock()
					send(client, c.lb.URL, c.key, r)
					// nginx's 502 for a request in flight at the kill
					// (a POST that reached the replica is not re-sent):
					// its outcome is unknown.
					if r.outcome == rejected && strings.HasPrefix(r.unexpected, "502 ") && strings.Contains(r.unexpected, "nginx") {
						r.outcome, r.unexpected = unknown, ""
					}
					if r.outcome == acked {
						acks.Add(1)
					}
				}
			})
		}
		deadline := time.Now().Add(20 * time.Second)
		for acks.Load() < 60 && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		c.kill(t, 0)
		// nginx closes its idle connections to the dead replica as it
		// reads their end; a POST written to one before is answered 502
		// like one in flight.
		time.Sleep(100 * time.Millisecond)
		dead.Store(true)
		before := acks.Load()
		for acks.Load() < before+60 && time.Now().Before(deadline.Add(10*time.Second)) {
			time.Sleep(5 * time.Millisecond)
		}
		stop.Store(true)
		wg.Wait()
		if acks.Load() < before+60 {
			t.Errorf("nginx got %d writes acknowledged after the kill, want 60", acks.Load()-before)
		}
		var nAfter, cutOff int
		for _, r := range reqs {
			if r.unexpected != "" {
				t.Errorf("request %s: unexpected response %s", r.tag, r.unexpected)
			}
			if afterKill[r] {
				nAfter++
				if r.outcome == unknown {
					t.Errorf("request %s, sent after the kill, got no answer: nginx did not pass it to a live replica", r.tag)
				}
			} else if r.outcome == unknown {
				cutOff++
			}
		}
		t.Logf("%d requests through nginx, %d sent after the kill; %d in flight at the kill (nginx's 502: the POST reached the replica)", len(reqs), nAfter, cutOff)
		checkReplicaStore(t, c.dsn, reqs)
		// Reads keep working on the two left.
		var last *onboardReq
		for _, r := range reqs {
			if r.outcome == acked {
				last = r
			}
		}
		for range 6 {
			if status, _, body := httpDo(t, "GET", c.lb.URL+"/customer/"+last.id, c.key, ""); status != http.StatusOK {
				t.Fatalf("GET through nginx after the kill = %d %s", status, body)
			}
		}
	})
	if t.Failed() {
		t.FailNow()
	}
	c.restart(t, 0)

	rc := newClusterReceiver(t, c)
	wallets := []common.Address{anviltest.DevAddress(7), anviltest.DevAddress(8), anviltest.DevAddress(9)}
	var endpoint string
	t.Run("three replicas, one receiver: each event delivered once", func(t *testing.T) {
		status, _, body := httpDo(t, "POST", c.lb.URL+"/webhooks", c.key, `{"url":"`+rc.URL+`/hooks","types":["balance.updated"]}`)
		if status != http.StatusCreated {
			t.Fatalf("POST /webhooks through nginx = %d %s", status, body)
		}
		var ep struct{ ID, Secret string }
		if err := json.Unmarshal(body, &ep); err != nil || ep.Secret == "" {
			t.Fatalf("POST /webhooks body %s: %v", body, err)
		}
		endpoint = ep.ID
		rc.setSecret(ep.Secret)
		for _, w := range wallets {
			status, _, body := httpDo(t, "POST", c.lb.URL+"/customer", c.key, `{"type":"INDIVIDUAL","countryCode":"US","wallets":["`+w.Hex()+`"]}`)
			if status != http.StatusOK {
				t.Fatalf("onboard = %d %s", status, body)
			}
		}
		// One block and one event each.
		tok.Mint(t, wallets[0], big.NewInt(100))
		tok.Mint(t, wallets[1], big.NewInt(200))
		tok.Mint(t, wallets[2], big.NewInt(300))
		tok.SetFrozen(t, wallets[0], big.NewInt(40))
		tok.SetFrozenFlag(t, wallets[1], true)
		tok.SetFrozenFlag(t, wallets[1], false)
		tok.Burn(t, wallets[2], big.NewInt(10))
		tok.Mint(t, wallets[0], big.NewInt(5))
		const changes = 8
		var ids []string
		waitWithin(t, 20*time.Second, "every event of the log delivered", func() bool {
			ids = eventIDs(t, c.lb.URL, c.key)
			return len(ids) >= changes && rc.acceptedAll(ids)
		})
		// A second delivery would come within a poll (1 s) of the first.
		time.Sleep(1500 * time.Millisecond)
		ids = eventIDs(t, c.lb.URL, c.key)
		if len(ids) != changes {
			t.Errorf("%d events in the log for %d changes", len(ids), changes)
		}
		got := rc.snapshot()
		rc.checkVerified(t)
		inLog := map[string]bool{}
		perReplica := map[int]int{}
		for _, id := range ids {
			inLog[id] = true
		}
		for _, d := range got {
			if !inLog[d.id] {
				t.Errorf("the receiver got %s, which is not in the event log", d.id)
			}
			perReplica[d.replica]++
		}
		byID := rc.acceptedCount()
		dups := 0
		for _, id := range ids {
			if byID[id] != 1 {
				t.Errorf("event %s delivered %d times, want exactly once", id, byID[id])
			}
			dups += max(byID[id]-1, 0)
		}
		if len(got) != len(ids) {
			t.Errorf("%d requests for %d events", len(got), len(ids))
		}
		if perReplica[-1] > 0 {
			t.Errorf("%d deliveries came from no replica the test knows", perReplica[-1])
		}
		t.Logf("%d events, %d requests, %d duplicates; requests by replica %v", len(ids), len(got), dups, perReplica)
	})
	if t.Failed() {
		t.FailNow()
	}

	t.Run("one replica killed mid-delivery", func(t *testing.T) {
		rc.reset()
		rc.hold.Store(true)
		// Minted from another goroutine: the kill must follow the first
		// delivery within webhooks.timeout.
		changed := make(chan struct{})
		go func() {
			defer close(changed)
			for i, w := range wallets {
				if _, err := tok.Chain.TryTransact(tok.Owner, tok.Address, plaintoken.NewPlainToken().PackMint(w, big.NewInt(int64(i+1)))); err != nil {
					t.Errorf("mint: %v", err)
					return
				}
			}
		}()
		// Kill the first replica seen sending: its request is held open,
		// so its delivery is claimed and in flight.
		var h0 clusterDelivery
		select {
		case h0 = <-rc.holding:
		case <-time.After(15 * time.Second):
			t.Fatal("no delivery reached the receiver within 15 s")
		}
		victim, first := h0.replica, h0.id
		if victim < 0 {
			t.Fatalf("the held delivery of %s came from no replica the test knows", first)
		}
		c.kill(t, victim)
		killed := time.Now()
		// The receiver notices the dead replica's connections closing
		// before the held requests are answered.
		held := []clusterDelivery{h0}
	drain:
		for {
			select {
			case h := <-rc.holding:
				held = append(held, h)
			default:
				break drain
			}
		}
		for _, h := range held {
			if h.replica != victim {
				continue
			}
			select {
			case <-h.gone:
			case <-time.After(5 * time.Second):
				t.Fatalf("the receiver's request from the killed replica (%s) is still open 5 s after the kill", h.id)
			}
		}
		rc.releaseAll()
		<-changed
		const changes = 8 + 3
		var ids []string
		waitWithin(t, 30*time.Second, "every event of the log delivered", func() bool {
			ids = eventIDs(t, c.lb.URL, c.key)
			return len(ids) >= changes && rc.acceptedAll(ids[8:])
		})
		ids = ids[8:]
		rc.checkVerified(t)
		got := rc.snapshot()
		var cut []string
		for _, d := range got {
			if d.replica == victim && !d.accepted {
				if d.at.Before(killed.Add(-100 * time.Millisecond)) {
					t.Fatalf("the victim's delivery of %s ended %s before the kill (webhooks.timeout): the test was too slow to kill it in flight", d.id, killed.Sub(d.at))
				}
				cut = append(cut, d.id)
			}
			if d.replica == victim && d.accepted {
				t.Errorf("the killed replica's delivery of %s was answered", d.id)
			}
		}
		if !slices.Contains(cut, first) {
			t.Fatalf("the receiver saw the deliveries %v of the killed replica cut off, want %s among them", cut, first)
		}
		for _, id := range cut {
			var redone *clusterDelivery
			for i, d := range got {
				if d.id == id && d.accepted {
					redone = &got[i]
					break
				}
			}
			lease := 2*clusterWebhookTimeout + 5*time.Second
			switch {
			case redone == nil:
				t.Errorf("the delivery of %s, in flight on the killed replica, was never made again", id)
			case redone.replica == victim || redone.replica < 0:
				t.Errorf("the delivery of %s was made again by replica %d, want another live one", id, redone.replica)
			// Not before the lease could lapse: the claim was made at
			// most webhooks.timeout (and a margin) before the kill.
			case redone.at.Sub(killed) < lease-clusterWebhookTimeout-2*time.Second:
				t.Errorf("the delivery of %s was made again %s after the kill, before its lease (%s) could lapse", id, redone.at.Sub(killed), lease)
			default:
				t.Logf("delivery of %s cut off by the kill of replica %d, made again by replica %d %s later", id, victim, redone.replica, redone.at.Sub(killed).Round(time.Millisecond))
			}
		}
		byID := rc.acceptedCount()
		dups := 0
		for _, id := range ids {
			if byID[id] == 0 {
				t.Errorf("event %s never delivered", id)
			}
			dups += max(byID[id]-1, 0)
		}
		// The delivery log of the endpoint, read through nginx, agrees. A
		// sender records the outcome after the receiver's answer, so the
		// last one may still be pending for a moment after the receiver
		// accepted it; it must be delivered within a few seconds.
		var log struct {
			Data []struct {
				EventID string `json:"eventId"`
				Status  string `json:"status"`
			} `json:"data"`
		}
		settled := func() bool {
			for _, d := range log.Data {
				if d.Status != "delivered" {
					return false
				}
			}
			return len(log.Data) == changes
		}
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			status, _, body := httpDo(t, "GET", c.lb.URL+"/webhooks/"+endpoint+"/deliveries?limit=100", c.key, "")
			if status != http.StatusOK {
				t.Fatalf("GET deliveries = %d %s", status, body)
			}
			log.Data = nil
			if err := json.Unmarshal(body, &log); err != nil {
				t.Fatal(err)
			}
			if settled() || time.Now().After(deadline) {
				break
			}
		}
		for _, d := range log.Data {
			if d.Status != "delivered" {
				t.Errorf("delivery of %s is %s, want delivered", d.EventID, d.Status)
			}
		}
		if len(log.Data) != changes {
			t.Errorf("%d deliveries in the endpoint's log, want %d", len(log.Data), changes)
		}
		var unanswered []string
		for _, d := range got {
			if !d.accepted && d.replica != victim {
				// Held past webhooks.timeout: the sender gave up, and
				// retried.
				unanswered = append(unanswered, fmt.Sprintf("%s from replica %d, %s after the kill", d.id, d.replica, d.at.Sub(killed).Round(time.Millisecond)))
			}
		}
		t.Logf("%d events, %d requests (%d cut off by the kill of replica %d; others not answered: %v), %d duplicates", len(ids), len(got), len(cut), victim, unanswered, dups)
	})
	t.Logf("TestCluster: %s", time.Since(start).Round(time.Millisecond))
}

// clusterDelivery is one request the receiver got.
type clusterDelivery struct {
	id       string
	replica  int // the sender, by the socket's owner; -1 when unknown
	at       time.Time
	accepted bool // answered 204; else the sender hung up while it was held
	// gone is closed when the sender hangs up (set on held requests).
	gone <-chan struct{}
}

// clusterReceiver is a loopback webhook receiver that verifies each
// request with the Standard Webhooks library, knows which replica sent it
// (the owner of the client socket, from /proc) and, while hold is set,
// keeps requests open until releaseAll.
type clusterReceiver struct {
	*httptest.Server
	hold    atomic.Bool
	holding chan clusterDelivery // each held request, as it arrives

	mu      sync.Mutex
	secret  string
	release chan struct{}
	got     []clusterDelivery
	bad     []string
}

func newClusterReceiver(t *testing.T, c *cluster) *clusterReceiver {
	rc := &clusterReceiver{holding: make(chan clusterDelivery, 64), release: make(chan struct{})}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		local := r.Context().Value(http.LocalAddrContextKey).(net.Addr).String()
		d := clusterDelivery{id: r.Header.Get("webhook-id"), replica: c.replicaOfPid(socketOwner(r.RemoteAddr, local, c.pids()))}
		if rc.hold.Load() {
			rc.mu.Lock()
			release := rc.release
			rc.mu.Unlock()
			h := d
			h.gone = r.Context().Done()
			rc.holding <- h
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}
		d.at = time.Now()
		d.accepted = r.Context().Err() == nil
		rc.mu.Lock()
		defer rc.mu.Unlock()
		wh, err := standardwebhooks.NewWebhook(rc.secret)
		if err == nil {
			err = wh.Verify(body, r.Header)
		}
		var ev struct{ ID string }
		if err == nil {
			err = json.Unmarshal(body, &ev)
		}
		if err == nil && ev.ID != d.id {
			err = fmt.Errorf("the body's id is %s", ev.ID)
		}
		if err != nil {
			rc.bad = append(rc.bad, d.id+": "+err.Error())
		}
		rc.got = append(rc.got, d)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(func() {
		rc.releaseAll()
		rc.Close()
	})
	return rc
}

func (rc *clusterReceiver) setSecret(s string) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.secret = s
}

// releaseAll answers the held requests and holds no more.
func (rc *clusterReceiver) releaseAll() {
	rc.hold.Store(false)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	select {
	case <-rc.release:
	default:
		close(rc.release)
	}
}

// reset forgets what was received.
func (rc *clusterReceiver) reset() {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.got, rc.release = nil, make(chan struct{})
}

func (rc *clusterReceiver) snapshot() []clusterDelivery {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]clusterDelivery(nil), rc.got...)
}

// acceptedCount is the number of 204 answers by webhook-id.
func (rc *clusterReceiver) acceptedCount() map[string]int {
	n := map[string]int{}
	for _, d := range rc.snapshot() {
		if d.accepted {
			n[d.id]++
		}
	}
	return n
}

func (rc *clusterReceiver) acceptedAll(ids []string) bool {
	n := rc.acceptedCount()
	for _, id := range ids {
		if n[id] == 0 {
			return false
		}
	}
	return true
}

func (rc *clusterReceiver) checkVerified(t *testing.T) {
	t.Helper()
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for _, b := range rc.bad {
		t.Errorf("delivery not verified by the Standard Webhooks library: %s", b)
	}
}

// socketOwner returns which of pids holds the loopback TCP connection
// from remote to local (as a server sees it), or 0: the client socket's
// inode from /proc/net/tcp, then the process whose descriptors include it.
func socketOwner(remote, local string, pids []int) int {
	hexAddr := func(s string) string {
		ap, err := netip.ParseAddrPort(s)
		if err != nil || !ap.Addr().Is4() {
			return ""
		}
		ip := ap.Addr().As4()
		return fmt.Sprintf("%02X%02X%02X%02X:%04X", ip[3], ip[2], ip[1], ip[0], ap.Port())
	}
	from, to := hexAddr(remote), hexAddr(local)
	tcp, err := os.ReadFile("/proc/net/tcp")
	if from == "" || to == "" || err != nil {
		return 0
	}
	inode := ""
	for _, line := range strings.Split(string(tcp), "\n") {
		// An old connection of the same port waits in TIME_WAIT without
		// an inode (0).
		if f := strings.Fields(line); len(f) > 9 && f[1] == from && f[2] == to && f[9] != "0" {
			inode = f[9]
			break
		}
	}
	if inode == "" {
		return 0
	}
	want := "socket:[" + inode + "]"
	for _, pid := range pids {
		dir := "/proc/" + strconv.Itoa(pid) + "/fd"
		fds, _ := os.ReadDir(dir)
		for _, fd := range fds {
			if link, _ := os.Readlink(filepath.Join(dir, fd.Name())); link == want {
				return pid
			}
		}
	}
	return 0
}

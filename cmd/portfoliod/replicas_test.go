package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/api"
	"github.com/portfoliod/portfoliod/customers/postgres"
	"github.com/portfoliod/portfoliod/internal/pgtest"
)

func TestMain(m *testing.M) {
	code := pgtest.Main(m)
	if binDir != "" {
		os.RemoveAll(binDir) // buildBinary's
	}
	os.Exit(code)
}

// replicaConfig is serveConfig on the PostgreSQL store at dsn, without
// rate limits (the load is the point).
func replicaConfig(t *testing.T, dsn, rpcURL string, chainID uint64, token, keyHash string) string {
	t.Helper()
	dir := t.TempDir()
	body := serveConfig(dir, rpcURL, chainID, token, "replicas", keyHash)
	body = strings.Replace(body, "store:\n", fmt.Sprintf("store:\n  driver: postgres\n  dsn: %q\n  max_conns: 8\n", dsn), 1)
	body += "rate_limit:\n  requests_per_second: 100000\n  burst: 100000\n"
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// post sends body to url with the key (and an Idempotency-Key when idem
// is set) and returns the status and body; a transport error is status 0.
func post(client *http.Client, url, key, idem, body string) (int, []byte) {
	req, err := http.NewRequest("POST", url, strings.NewReader(body))
	if err != nil {
		return 0, nil
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("x-api-key", key)
	if idem != "" {
		req.Header.Set("Idempotency-Key", idem)
	}
	res, err := client.Do(req)
	if err != nil {
		return 0, nil
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, nil
	}
	return res.StatusCode, b
}

// Two real `portfoliod serve` replicas on one PostgreSQL database behave
// as one service: a wallet onboarded on both at once goes to exactly one
// customer (one 200, one 409, fifty times over), what one replica writes
// the other reads, and an idempotent retry landing on the other replica
// replays the first response. Then one replica is SIGKILLed under
// concurrent onboarding on both: every acknowledged customer is stored,
// the index check is clean, and the survivor keeps serving. Last, the
// database going away makes readiness fail on the store check.
func TestReplicasOnPostgres(t *testing.T) {
	bin := buildBinary(t)
	node, dep := seededAnvil(t)
	key, hash, err := api.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	// Trust authentication ignores the password: it is there to be hidden.
	dsn := strings.Replace(pgtest.NewDatabase(t), "postgres@", "postgres:s3cret-pw@", 1)
	cfg := replicaConfig(t, dsn, node.URL, dep.ChainID, dep.Token.Hex(), hash)
	// Started at once on a new database: both migrate, one waits for the
	// other's lock.
	var replicas [2]*process
	var wg sync.WaitGroup
	for i := range replicas {
		wg.Go(func() { replicas[i] = startProcess(t, bin, cfg) })
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	a, b := replicas[0], replicas[1]
	client := &http.Client{Timeout: 20 * time.Second}

	t.Run("same wallet on both replicas", func(t *testing.T) {
		for r := range 50 {
			w := strings.ToLower(common.BigToAddress(big.NewInt(int64(0xa11ce000 + r))).Hex())
			body := fmt.Sprintf(`{"type":"INDIVIDUAL","countryCode":"US","wallets":[%q]}`, w)
			var (
				start    = make(chan struct{})
				statuses [2]int
				bodies   [2][]byte
				wg       sync.WaitGroup
			)
			for i, p := range replicas {
				wg.Go(func() {
					<-start
					statuses[i], bodies[i] = post(client, p.URL+"/customer", key, "", body)
				})
			}
			close(start)
			wg.Wait()
			got := []int{statuses[0], statuses[1]}
			if !(got[0] == 200 && got[1] == 409 || got[0] == 409 && got[1] == 200) {
				t.Fatalf("round %d: statuses %v (%s | %s), want one 200 and one 409", r, got, bodies[0], bodies[1])
			}
			loser := bodies[0]
			if got[1] == 409 {
				loser = bodies[1]
			}
			if !bytes.Contains(loser, []byte(w)) {
				t.Errorf("round %d: the 409 %s does not name wallet %s", r, loser, w)
			}
		}
	})

	t.Run("read your writes across replicas", func(t *testing.T) {
		status, body := post(client, a.URL+"/customer", key, "", `{"type":"ORGANIZATION","countryCode":"DE","name":"Acme"}`)
		if status != 200 {
			t.Fatalf("onboard on A = %d %s", status, body)
		}
		id := string(body[bytes.Index(body, []byte("customer_")):][:len("customer_")+12])
		if status, _, got := httpDo(t, "GET", b.URL+"/customer/"+id, key, ""); status != 200 || !bytes.Contains(got, []byte(`"Acme"`)) {
			t.Errorf("GET on B of the customer A just created = %d %s", status, got)
		}
	})

	t.Run("idempotent retry on the other replica replays", func(t *testing.T) {
		body := `{"type":"INDIVIDUAL","countryCode":"FR","name":"Retry"}`
		s1, b1 := post(client, a.URL+"/customer", key, "retry-1", body)
		s2, b2 := post(client, b.URL+"/customer", key, "retry-1", body)
		if s1 != 200 || s2 != 200 || !bytes.Equal(b1, b2) {
			t.Errorf("first on A = %d %s, retry on B = %d %s, want the same 200 twice", s1, b1, s2, b2)
		}
		if s3, b3 := post(client, b.URL+"/customer", key, "retry-1", `{"type":"INDIVIDUAL","countryCode":"FR","name":"Other"}`); s3 != 409 {
			t.Errorf("same key, other body on B = %d %s, want 409", s3, b3)
		}
	})

	t.Run("kill -9 of one replica under load", func(t *testing.T) {
		var (
			mu      sync.Mutex
			reqs    []*onboardReq
			counter atomic.Int64
			acks    atomic.Int64
			stop    atomic.Bool
			wg      sync.WaitGroup
		)
		const workers = 8
		for w := range workers {
			target := replicas[w%2]
			wg.Go(func() {
				for !stop.Load() {
					n := counter.Add(1)
					r := &onboardReq{tag: "kill-" + strconv.FormatInt(n, 10),
						wallets: []common.Address{common.BigToAddress(big.NewInt(0x7000000 + n))}}
					if n%4 == 0 {
						r.wallets = append(r.wallets, contested[int(n/4)%len(contested)])
					}
					mu.Lock()
					reqs = append(reqs, r)
					mu.Unlock()
					send(client, target.URL, key, r)
					if r.outcome == acked {
						acks.Add(1)
					}
					if r.outcome == unknown && target == a {
						time.Sleep(20 * time.Millisecond) // A is dead: do not spin
					}
				}
			})
		}
		deadline := time.Now().Add(20 * time.Second)
		for acks.Load() < 40 && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		if err := a.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		<-a.Exited()
		// B carries on alone for a moment.
		before := acks.Load()
		for acks.Load() < before+20 && time.Now().Before(deadline.Add(10*time.Second)) {
			time.Sleep(5 * time.Millisecond)
		}
		stop.Store(true)
		wg.Wait()
		if acks.Load() < before+20 {
			t.Errorf("the surviving replica acknowledged %d writes after the kill, want 20", acks.Load()-before)
		}
		for _, r := range reqs {
			if r.unexpected != "" {
				t.Errorf("request %s: unexpected response %s", r.tag, r.unexpected)
			}
		}
		checkReplicaStore(t, dsn, reqs)
	})

	t.Run("the DSN's password is never logged", func(t *testing.T) {
		for i, p := range replicas {
			logs := p.stderr.String()
			if strings.Contains(logs, "s3cret-pw") || !strings.Contains(logs, "postgres://postgres@127.0.0.1:") {
				t.Errorf("replica %d logs show the password, or not the database:\n%s", i, logs)
			}
		}
	})

	t.Run("readiness names the database", func(t *testing.T) {
		if status, _, body := httpDo(t, "GET", b.URL+"/readyz", "", ""); status != 200 {
			t.Fatalf("readyz = %d %s", status, body)
		}
		db := dsn[strings.LastIndex(dsn, "/")+1 : strings.Index(dsn, "?")]
		if out, err := pgtest.Start(t).Psql("postgres", "DROP DATABASE "+db+" WITH (FORCE)"); err != nil {
			t.Fatalf("drop database: %v\n%s", err, out)
		}
		status, _, body := httpDo(t, "GET", b.URL+"/readyz", "", "")
		if status != http.StatusServiceUnavailable || !bytes.Contains(body, []byte(`"name":"store","status":"failing"`)) {
			t.Errorf("readyz without the database = %d %s, want 503 with the store check failing", status, body)
		}
	})
}

// checkReplicaStore opens the PostgreSQL store the replicas share and
// checks it against what the clients were told: every acknowledged
// customer stored with its id and wallets, no rejected one, each
// contested wallet held once, and the index check clean.
func checkReplicaStore(t *testing.T, dsn string, reqs []*onboardReq) {
	t.Helper()
	ctx := context.Background()
	store, err := postgres.Open(ctx, dsn, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	stored := map[string]portfoliod.Customer{}
	err = store.ForEach(ctx, func(c portfoliod.Customer) error {
		if tag := c.Metadata["req"]; tag != "" {
			stored[tag] = c
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var nAcked, nUnknown int
	for _, r := range reqs {
		c, ok := stored[r.tag]
		switch r.outcome {
		case acked:
			nAcked++
			if !ok || c.ID != r.id {
				t.Errorf("acknowledged customer %s (request %s) is missing: stored %+v", r.id, r.tag, c)
			} else if diff := cmp.Diff(r.wallets, c.Wallets); diff != "" {
				t.Errorf("customer %s: wallets differ from the request (-want +got):\n%s", c.ID, diff)
			}
		case rejected:
			if ok {
				t.Errorf("customer %s of rejected request %s is stored", c.ID, r.tag)
			}
		default:
			nUnknown++
		}
	}
	if nAcked == 0 {
		t.Error("no write was acknowledged")
	}
	for _, w := range contested {
		n := 0
		for _, c := range stored {
			for _, cw := range c.Wallets {
				if cw == w {
					n++
				}
			}
		}
		if n > 1 {
			t.Errorf("contested wallet %s is held by %d customers", w.Hex(), n)
		}
	}
	if err := store.VerifyIndex(ctx); err != nil {
		t.Error(err)
	}
	t.Logf("%d requests: %d acknowledged, %d without an answer (in flight at the kill, or sent to the dead replica)", len(reqs), nAcked, nUnknown)
}

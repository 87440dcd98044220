package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"math/rand/v2"
	"net/http"
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
	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/api"
	"github.com/portfoliod/portfoliod/customers/bolt"
	"github.com/portfoliod/portfoliod/internal/localnet"
)

// The real binary, built once per test binary run into a directory that
// TestMain removes: linking it with the race detector takes longer than
// most of the tests that run it.
var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

// buildBinary returns the real binary, built with the race detector when
// the test binary has it.
func buildBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		root, err := localnet.ModuleRoot()
		if err != nil {
			binErr = err
			return
		}
		if binDir, binErr = os.MkdirTemp("", "portfoliod-test-bin-"); binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "portfoliod")
		binErr = localnet.BuildPortfoliod(context.Background(), root, binPath, localnet.RaceEnabled())
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// process is the real binary running `serve` as a subprocess, with its
// logs.
type process struct {
	*localnet.Portfoliod
	stderr *localnet.Output
}

// startProcess runs `bin serve --config cfg` and waits until it listens.
// Cleanup kills it if the test has not stopped it.
func startProcess(t *testing.T, bin, cfg string) *process {
	t.Helper()
	p := &process{stderr: &localnet.Output{}}
	var err error
	if p.Portfoliod, err = localnet.StartPortfoliod(context.Background(), bin, cfg, p.stderr); err != nil {
		t.Fatalf("%v\n%s", err, p.stderr)
	}
	t.Cleanup(p.Kill)
	return p
}

// outcome is what the client learnt of one onboarding request.
type outcome int

const (
	acked    outcome = iota // 2xx: the customer must be stored
	rejected                // 4xx: it must not be
	unknown                 // no response: in flight at the kill, may or may not be stored
)

// onboardReq is one onboarding request, tagged by metadata.req so a stored
// customer can be traced back to the request that made it.
type onboardReq struct {
	tag     string
	wallets []common.Address
	outcome outcome
	id      string           // from the 2xx response
	got     []common.Address // wallets of the 2xx response
	// unexpected describes a response that is neither 200 nor the 409 of a
	// contested wallet.
	unexpected string
}

func (r *onboardReq) body() string {
	ws := make([]string, len(r.wallets))
	for i, w := range r.wallets {
		ws[i] = strconv.Quote(strings.ToLower(w.Hex()))
	}
	return fmt.Sprintf(`{"type":"INDIVIDUAL","countryCode":"US","metadata":{"req":%q},"wallets":[%s]}`, r.tag, strings.Join(ws, ","))
}

// contested wallets appear in many requests: exactly one may win each.
var contested = []common.Address{
	common.HexToAddress("0x00000000000000000000000000000000c0de0001"),
	common.HexToAddress("0x00000000000000000000000000000000c0de0002"),
	common.HexToAddress("0x00000000000000000000000000000000c0de0003"),
}

// The real binary, SIGKILLed three times in the middle of concurrent
// onboarding, loses no acknowledged write, keeps no rejected one, keeps
// in-flight ones whole or not at all, and its wallet index agrees with the
// customers.
func TestCrashSafety(t *testing.T) {
	bin := buildBinary(t)
	node, dep := seededAnvil(t)
	key, hash, err := api.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	storePath := filepath.Join(dir, "p.db")
	cfg := filepath.Join(dir, "config.yaml")
	// Rate limits off: the load is the point.
	cfgYAML := serveConfig(dir, node.URL, dep.ChainID, dep.Token.Hex(), "crash", hash) +
		"rate_limit:\n  requests_per_second: 100000\n  burst: 100000\n"
	if err := os.WriteFile(cfg, []byte(cfgYAML), 0o600); err != nil {
		t.Fatal(err)
	}

	const rounds, workers = 3, 8
	var (
		mu      sync.Mutex
		reqs    []*onboardReq
		counter atomic.Int64
	)
	client := &http.Client{Timeout: 20 * time.Second}
	for round := range rounds {
		p := startProcess(t, bin, cfg)
		var (
			stop   atomic.Bool
			acks   atomic.Int64
			wg     sync.WaitGroup
			failed atomic.Value // string: an unexpected response
		)
		for w := range workers {
			wg.Go(func() {
				rng := rand.New(rand.NewPCG(uint64(round), uint64(w)))
				for !stop.Load() {
					n := counter.Add(1)
					r := &onboardReq{tag: strconv.FormatInt(n, 10)}
					for j := range 1 + rng.IntN(3) {
						r.wallets = append(r.wallets, common.BigToAddress(big.NewInt(0x100000+n<<2|int64(j))))
					}
					if rng.IntN(4) == 0 {
						r.wallets = append(r.wallets, contested[rng.IntN(len(contested))])
					}
					mu.Lock()
					reqs = append(reqs, r)
					mu.Unlock()
					send(client, p.URL, key, r)
					switch r.outcome {
					case acked:
						acks.Add(1)
					case rejected:
						if r.unexpected != "" {
							failed.Store(r.unexpected)
						}
					}
				}
			})
		}
		// Kill at a random moment once writes are being acknowledged.
		deadline := time.Now().Add(20 * time.Second)
		for acks.Load() < 20 && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(time.Duration(100+rand.IntN(400)) * time.Millisecond)
		// Stop starting requests first, so that the requests without an
		// answer are those really in flight at the kill.
		stop.Store(true)
		if err := p.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		<-p.Exited()
		wg.Wait()
		if s, ok := failed.Load().(string); ok {
			t.Fatalf("round %d: unexpected response: %s\n%s", round, s, p.stderr)
		}
		if acks.Load() == 0 {
			t.Fatalf("round %d: no write was acknowledged before the kill\n%s", round, p.stderr)
		}
		if st := p.State(); st == nil || st.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Fatalf("round %d: process did not die by SIGKILL: %v", round, st)
		}
	}

	// The service comes back on the crashed store, serves, and stops
	// cleanly.
	p := startProcess(t, bin, cfg)
	if status, _, body := httpDo(t, "GET", p.URL+"/readyz", "", ""); status != http.StatusOK {
		t.Errorf("readyz after the crashes = %d %s", status, body)
	}
	var lastAcked *onboardReq
	for _, r := range reqs {
		if r.outcome == acked {
			lastAcked = r
		}
	}
	if status, _, body := httpDo(t, "GET", p.URL+"/customer/"+lastAcked.id, key, ""); status != http.StatusOK {
		t.Errorf("GET acknowledged customer %s after restart = %d %s", lastAcked.id, status, body)
	}
	if err := p.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.Exited():
	case <-time.After(20 * time.Second):
		t.Fatalf("no clean shutdown within 20s\n%s", p.stderr)
	}
	if !p.State().Success() {
		t.Fatalf("shutdown after SIGTERM: %v\n%s", p.State(), p.stderr)
	}

	checkStore(t, storePath, reqs)
}

// send posts r and records its outcome.
func send(client *http.Client, url, key string, r *onboardReq) {
	r.outcome = unknown
	req, err := http.NewRequest("POST", url+"/customer", strings.NewReader(r.body()))
	if err != nil {
		return
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("x-api-key", key)
	res, err := client.Do(req)
	if err != nil {
		return
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return // cut off mid-body: the status alone does not prove the write
	}
	switch {
	case res.StatusCode == http.StatusOK:
		var c struct {
			ID      string `json:"id"`
			Wallets []struct {
				Address string `json:"address"`
			} `json:"wallets"`
		}
		if err := json.Unmarshal(b, &c); err != nil {
			return
		}
		r.outcome, r.id = acked, c.ID
		for _, w := range c.Wallets {
			r.got = append(r.got, common.HexToAddress(w.Address))
		}
	case res.StatusCode == http.StatusConflict:
		r.outcome = rejected
	default:
		r.outcome, r.unexpected = rejected, fmt.Sprintf("%d %s", res.StatusCode, bytes.TrimSpace(b))
	}
}

// checkStore opens the store of the stopped service and checks it against
// what the clients were told.
func checkStore(t *testing.T, path string, reqs []*onboardReq) {
	t.Helper()
	store, err := bolt.Open(path, bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()

	byTag := map[string]*onboardReq{}
	var nAcked, nRejected, nUnknown int
	for _, r := range reqs {
		byTag[r.tag] = r
		switch r.outcome {
		case acked:
			nAcked++
		case rejected:
			nRejected++
		default:
			nUnknown++
		}
	}
	if nUnknown == 0 {
		t.Errorf("no request was in flight at any kill: the kills did not interrupt the load")
	}

	stored := map[string]portfoliod.Customer{} // by tag
	walletSum := 0
	err = store.ForEach(ctx, func(c portfoliod.Customer) error {
		walletSum += len(c.Wallets)
		tag := c.Metadata["req"]
		r, ok := byTag[tag]
		if !ok {
			t.Errorf("customer %s (tag %q) was never requested", c.ID, tag)
			return nil
		}
		if _, dup := stored[tag]; dup {
			t.Errorf("request %s stored twice", tag)
		}
		stored[tag] = c
		switch r.outcome {
		case rejected:
			t.Errorf("customer %s of rejected request %s is stored", c.ID, tag)
		case acked:
			if c.ID != r.id {
				t.Errorf("request %s: stored as %s, acknowledged as %s", tag, c.ID, r.id)
			}
		}
		if diff := cmp.Diff(r.wallets, c.Wallets); diff != "" {
			t.Errorf("customer %s of request %s: wallets differ from the request (-want +got):\n%s", c.ID, tag, diff)
		}
		if c.Type != portfoliod.Individual || c.CountryCode != "US" || c.VerificationStatus != portfoliod.InProgress || c.CreatedAt.IsZero() {
			t.Errorf("customer %s of request %s is incomplete: %+v", c.ID, tag, c)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reqs {
		if r.outcome != acked {
			continue
		}
		if _, ok := stored[r.tag]; !ok {
			t.Errorf("acknowledged customer %s (request %s) is missing", r.id, r.tag)
		}
		if diff := cmp.Diff(r.wallets, r.got); diff != "" {
			t.Errorf("request %s: acknowledged wallets differ from the request (-want +got):\n%s", r.tag, diff)
		}
	}
	t.Logf("%d requests: %d acknowledged, %d rejected (contested wallet), %d in flight at a kill (%d of them stored)",
		len(reqs), nAcked, nRejected, nUnknown, len(stored)-nAcked)
	nCust, nWallets, err := store.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if nCust != len(stored) || nWallets != walletSum {
		t.Errorf("Count = %d customers, %d wallets; the records hold %d customers, %d wallets", nCust, nWallets, len(stored), walletSum)
	}
	// The wallet index points every wallet back at its customer, and
	// holds nothing else.
	if err := store.VerifyIndex(ctx); err != nil {
		t.Error(err)
	}
	for _, w := range contested {
		n := 0
		for _, c := range stored {
			if slices.Contains(c.Wallets, w) {
				n++
			}
		}
		if n > 1 {
			t.Errorf("contested wallet %s is held by %d customers", w.Hex(), n)
		}
	}
}

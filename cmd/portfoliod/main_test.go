package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod/api"
	"github.com/portfoliod/portfoliod/devnet"
	"github.com/portfoliod/portfoliod/internal/anviltest"
	"github.com/portfoliod/portfoliod/internal/apitest"
	"github.com/portfoliod/portfoliod/internal/localnet"
)

// running is a `run` invocation in the background.
type running struct {
	stdout, stderr *localnet.Output
	cancel         context.CancelFunc
	done           chan error
}

// startRun runs the real program in-process and stops it (checking it
// shuts down cleanly) at cleanup.
func startRun(t *testing.T, args []string, getenv func(string) string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{stdout: &localnet.Output{}, stderr: &localnet.Output{}, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- run(ctx, args, getenv, strings.NewReader(""), r.stdout, r.stderr) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-r.done:
			if err != nil {
				t.Errorf("run %v returned %v after cancel", args[0], err)
			}
		case <-time.After(20 * time.Second):
			t.Errorf("run %v did not shut down within 20s", args[0])
		}
	})
	return r
}

// waitFor waits until stdout matches re and returns the submatches.
func (r *running) waitFor(t *testing.T, re *regexp.Regexp) []string {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(r.stdout.String()); m != nil {
			return m
		}
		select {
		case err := <-r.done:
			t.Fatalf("run exited early: %v\nstdout:\n%s\nstderr:\n%s", err, r.stdout, r.stderr)
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("timed out waiting for %s\nstdout:\n%s\nstderr:\n%s", re, r.stdout, r.stderr)
	return nil
}

func httpDo(t *testing.T, method, url, key, body string) (int, http.Header, []byte) {
	t.Helper()
	res, b := apitest.Do(t, method, url, key, body)
	return res.StatusCode, res.Header, b
}

var curlLine = regexp.MustCompile(`curl -s -H 'x-api-key: ([^']+)' (http://\S+/customer/customer_c7a968e665d9/portfolio)`)
var tokenLine = regexp.MustCompile(`token\s+(0x[0-9a-f]{40})`)

// The README's first command: `portfoliod dev` on the in-process chain,
// then the printed curl line, must return the reference example exactly
// (except the token address, which is the deployed demo token).
func TestDevServesReferenceExample(t *testing.T) {
	r := startRun(t, []string{"dev", "--addr", "127.0.0.1:0"}, env(nil))
	m := r.waitFor(t, curlLine)
	key, url := m[1], m[2]
	token := tokenLine.FindStringSubmatch(r.stdout.String())[1]

	status, hdr, body := httpDo(t, "GET", url, key, "")
	if status != http.StatusOK {
		t.Fatalf("GET %s = %d %s", url, status, body)
	}
	want := readGolden(t, "reference_portfolio.json")
	want[0]["wallets"].([]any)[0].(map[string]any)["balances"].(map[string]any)["token"] = token
	var got []map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("dev portfolio mismatch with the reference example (-want +got):\n%s", diff)
	}
	if hdr.Get("X-Block-Number") == "" || !strings.HasPrefix(hdr.Get("X-Block-Hash"), "0x") {
		t.Errorf("block headers missing: %v", hdr)
	}
}

func readGolden(t *testing.T, name string) []map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var v []map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// serve end to end against a real anvil: a generated key, a temp store,
// onboarding and reading back over HTTP, then a clean shutdown.
func TestServeEndToEnd(t *testing.T) {
	node, dep := seededAnvil(t)
	key, hash, err := api.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.yaml")
	cfgYAML := serveConfig(filepath.Join(dir, "data"), node.URL, dep.ChainID, dep.Token.Hex(), "e2e", hash)
	if err := os.WriteFile(cfgPath, []byte(cfgYAML), 0o600); err != nil {
		t.Fatal(err)
	}
	r := startRun(t, []string{"serve", "--config", cfgPath}, env(nil))
	base := "http://" + r.waitFor(t, regexp.MustCompile(`listening on http://(\S+)`))[1]

	status, hdr, body := httpDo(t, "POST", base+"/customer", key,
		`{"type":"INDIVIDUAL","countryCode":"US","name":"E2E","wallets":[{"address":"`+devnet.AcmeTreasury.Hex()+`"}]}`)
	if status != 200 {
		t.Fatalf("POST /customer = %d %s", status, body)
	}
	if w := hdr.Get("Warning"); w != "" {
		t.Errorf("unexpected Warning %q with a healthy node", w)
	}
	var c struct {
		ID      string `json:"id"`
		Wallets []struct {
			Balances struct {
				Total  string `json:"total"`
				Frozen struct {
					Amount string `json:"amount"`
				} `json:"frozen"`
			} `json:"balances"`
		} `json:"wallets"`
	}
	if err := json.Unmarshal(body, &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Wallets) != 1 || c.Wallets[0].Balances.Total != "250000" || c.Wallets[0].Balances.Frozen.Amount != "50000" {
		t.Errorf("onboarding balances = %s", body)
	}
	status, phdr, body := httpDo(t, "GET", base+"/customer/"+c.ID+"/portfolio", key, "")
	if status != 200 || !strings.Contains(string(body), `"total":"250000"`) {
		t.Errorf("portfolio = %d %s", status, body)
	}
	if status, _, _ := httpDo(t, "GET", base+"/readyz", "", ""); status != 200 {
		t.Errorf("readyz = %d", status)
	}
	// A latest read may be served from the follower's figures; a read at
	// a numbered block goes to the chain cache, and its repeat within the
	// block is a hit.
	at := base + "/customer/" + c.ID + "/portfolio?block=" + phdr.Get("X-Block-Number")
	httpDo(t, "GET", at, key, "")
	httpDo(t, "GET", at, key, "")

	status, _, body = httpDo(t, "GET", base+"/metrics", "", "")
	if status != 200 {
		t.Fatalf("metrics = %d", status)
	}
	for _, re := range []string{
		`portfoliod_http_requests_total\{method="GET",route="/customer/:id/portfolio",status="200"\} [1-9]`,
		`portfoliod_http_request_duration_seconds_bucket\{method="POST",route="/customer"`,
		`portfoliod_node_requests_total\{endpoint="http://127\.0\.0\.1:\d+",method="[^"]+",outcome="ok"\} [1-9]`,
		`portfoliod_node_batch_calls_count [1-9]`,
		`portfoliod_cache_hits_total [1-9]`,
		`portfoliod_cache_misses_total [1-9]`,
		`portfoliod_head_block_number [1-9]`,
		`portfoliod_head_age_seconds \d`,
		`portfoliod_rate_limited_total 0`,
		`go_goroutines \d`,
	} {
		if !regexp.MustCompile(re).Match(body) {
			t.Errorf("metrics lack %s", re)
		}
	}
}

// `dev --rpc-url` against a fresh anvil: the demo token lands at the
// address README and config.example.yaml name, and the reference example is
// served from that node.
func TestDevWithAnvil(t *testing.T) {
	node := anviltest.Start(t)
	r := startRun(t, []string{"dev", "--addr", "127.0.0.1:0", "--rpc-url", node.URL, "--api-key", "devkey"}, env(nil))
	m := r.waitFor(t, curlLine)
	if m[1] != "devkey" {
		t.Errorf("curl line key = %q, want the --api-key", m[1])
	}
	const readmeToken = "0x5fbdb2315678afecb367f032d93f642f64180aa3"
	if got := tokenLine.FindStringSubmatch(r.stdout.String())[1]; got != readmeToken {
		t.Errorf("demo token at %s, README and config.example.yaml say %s", got, readmeToken)
	}
	status, _, body := httpDo(t, "GET", m[2], "devkey", "")
	if status != http.StatusOK {
		t.Fatalf("GET %s = %d %s", m[2], status, body)
	}
	want := readGolden(t, "reference_portfolio.json")
	want[0]["wallets"].([]any)[0].(map[string]any)["balances"].(map[string]any)["token"] = readmeToken
	var got []map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("dev --rpc-url portfolio mismatch (-want +got):\n%s", diff)
	}
}

// seededAnvil starts anvil and seeds the demo token on it.
func seededAnvil(t *testing.T) (*anviltest.Node, devnet.Deployment) {
	t.Helper()
	node := anviltest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dep, err := devnet.Seed(ctx, node.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	return node, dep
}

// serveConfig is a serve config for tests: a store in dir, one node, the
// demo token, one key with read and write scopes, a 1s call timeout.
func serveConfig(dir, rpcURL string, chainID uint64, token, keyName, keyHash string) string {
	return fmt.Sprintf(`
http:
  addr: "127.0.0.1:0"
store:
  path: %q
chain:
  chain_id: %d
  rpc_urls: [%q]
  call_timeout: 1s
tokens:
  - address: %q
    freeze: erc3643
auth:
  keys:
    - name: %s
      sha256: %q
      scopes: [read, write]
log:
  format: text
`, filepath.Join(dir, "p.db"), chainID, rpcURL, token, keyName, keyHash)
}

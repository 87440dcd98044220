package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/portfoliod/portfoliod/api"
	"github.com/portfoliod/portfoliod/devnet"
	"github.com/portfoliod/portfoliod/internal/localnet"
)

// serve refuses to start, with a message naming the problem, when the node
// is unreachable, serves another chain, or no token is configured; and a
// start-up that fails leaves no store file or directory behind (the
// default store.path is data/portfoliod.db, in the working directory).
func TestServeRefusesToStart(t *testing.T) {
	node, dep := seededAnvil(t)
	hash := strings.Repeat("ab", 32)
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	tests := []struct {
		name string
		yaml func(dataDir string) string
		want []string
	}{
		{"node unreachable", func(d string) string {
			return serveConfig(d, "http://127.0.0.1:1", dep.ChainID, dep.Token.Hex(), "k", hash)
		}, []string{"chain", "unavailable"}},
		{"wrong chain id", func(d string) string { return serveConfig(d, node.URL, 1, dep.Token.Hex(), "k", hash) },
			[]string{"chain id", "1", fmt.Sprint(dep.ChainID)}},
		{"token without code", func(d string) string {
			return serveConfig(d, node.URL, dep.ChainID, "0x00000000000000000000000000000000000000aa", "k", hash)
		}, []string{"no contract code"}},
		{"no tokens", func(d string) string {
			return regexp.MustCompile(`(?s)tokens:.*?auth:`).ReplaceAllString(serveConfig(d, node.URL, dep.ChainID, dep.Token.Hex(), "k", hash), "tokens: []\nauth:")
		}, []string{"no tokens"}},
		{"address in use", func(d string) string {
			return strings.Replace(serveConfig(d, node.URL, dep.ChainID, dep.Token.Hex(), "k", hash), "127.0.0.1:0", busy.Addr().String(), 1)
		}, []string{"listen on", busy.Addr().String()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dataDir := filepath.Join(t.TempDir(), "data")
			p := writeConfig(t, tt.yaml(dataDir))
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			var out localnet.Output
			err := run(ctx, []string{"serve", "--config", p}, env(nil), strings.NewReader(""), &out, &out)
			if err == nil {
				t.Fatal("serve started, want a start-up error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if _, err := os.Stat(dataDir); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("after a failed start-up, the store directory %s: %v; want it never created", dataDir, err)
			}
		})
	}
}

// Keys rotate on SIGHUP without a restart; a bad config is rejected and the
// running keys kept.
func TestSIGHUPReloadsKeys(t *testing.T) {
	node, dep := seededAnvil(t)
	keyA, hashA, _ := api.GenerateKey()
	keyB, hashB, _ := api.GenerateKey()
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.yaml")
	write := func(body string) {
		if err := os.WriteFile(cfgPath, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(serveConfig(dir, node.URL, dep.ChainID, dep.Token.Hex(), "a", hashA))
	r := startRun(t, []string{"serve", "--config", cfgPath}, env(nil))
	base := "http://" + r.waitFor(t, regexp.MustCompile(`listening on http://(\S+)`))[1]
	status := func(key string) int {
		s, _, _ := httpDo(t, "GET", base+"/customer", key, "")
		return s
	}
	if status(keyA) != 200 || status(keyB) != 401 {
		t.Fatalf("before reload: A=%d B=%d", status(keyA), status(keyB))
	}

	write(serveConfig(dir, node.URL, dep.ChainID, dep.Token.Hex(), "b", hashB))
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, func() bool { return status(keyB) == 200 && status(keyA) == 401 })
	if logs := r.stderr.String(); !strings.Contains(logs, "config reloaded: API keys applied") || strings.Contains(logs, "restart_needed") {
		t.Errorf("keys-only reload logged:\n%s", logs)
	}

	// Settings other than keys need a restart, and the reload says which.
	write(serveConfig(dir, node.URL, dep.ChainID, dep.Token.Hex(), "b", hashB) + "rate_limit:\n  requests_per_second: 1\n")
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, func() bool { return regexp.MustCompile(`restart_needed=\[?rate_limit`).MatchString(r.stderr.String()) })

	// The same key under a second name is refused, not resolved by
	// whichever entry comes last.
	write(strings.Replace(serveConfig(dir, node.URL, dep.ChainID, dep.Token.Hex(), "b", hashB), "log:\n",
		fmt.Sprintf("    - name: b2\n      sha256: %q\n      scopes: [read]\n    - name: a\n      sha256: %q\n      scopes: [read]\nlog:\n", hashB, hashA), 1))
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, func() bool { return strings.Contains(r.stderr.String(), "config reload rejected") })
	if logs := r.stderr.String(); !strings.Contains(logs, `key hash used by both \"b\" and \"b2\"`) {
		t.Errorf("duplicate key hash reload logged:\n%s", logs)
	}
	if status(keyB) != 200 || status(keyA) != 401 {
		t.Errorf("a reload rejected for a duplicate key hash changed the running keys: A=%d B=%d", status(keyA), status(keyB))
	}

	write("http: [this is not valid\n")
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, func() bool { return strings.Count(r.stderr.String(), "config reload rejected") == 2 })
	if status(keyB) != 200 {
		t.Errorf("a rejected reload dropped the running keys")
	}
}

// serve refuses a config that lists one key hash under two names before
// it touches the node or the store.
func TestServeRejectsDuplicateKeyHash(t *testing.T) {
	hash := strings.Repeat("ab", 32)
	dir := t.TempDir()
	cfg := strings.Replace(serveConfig(dir, "http://127.0.0.1:1", 31337, "0x5FbDB2315678afecb367f032d93F642f64180aa3", "reader", hash), "log:\n",
		fmt.Sprintf("    - name: writer\n      sha256: %q\n      scopes: [write]\nlog:\n", strings.ToUpper(hash)), 1)
	var out localnet.Output
	err := run(t.Context(), []string{"serve", "--config", writeConfig(t, cfg)}, env(nil), strings.NewReader(""), &out, &out)
	if err == nil || !strings.Contains(err.Error(), `key hash used by both "reader" and "writer"`) {
		t.Errorf("serve with one key hash under two names = %v, want it refused naming both", err)
	}
}

func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached within 10s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Node URLs carry credentials (user info, path or query keys at hosted
// providers): they must never reach the logs, not even when the node fails.
func TestLogsHideRPCCredentials(t *testing.T) {
	node, dep := seededAnvil(t)
	// A stand-in for a hosted provider: accepts any path (where providers
	// put the key) and forwards to anvil's root.
	target, _ := url.Parse(node.URL)
	rp := httputil.NewSingleHostReverseProxy(target)
	provider := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.URL.Path, r.URL.RawQuery = "/", ""
		rp.ServeHTTP(w, r)
	}))
	defer provider.Close()
	secretURL := strings.Replace(provider.URL, "http://", "http://alice:s3cretpass@", 1) + "/v3/APIKEY123?token=QUERYSECRET"

	key, hash, _ := api.GenerateKey()
	dir := t.TempDir()
	cfg := strings.Replace(serveConfig(dir, secretURL, dep.ChainID, dep.Token.Hex(), "k", hash), "format: text", "format: json\n  level: debug", 1)
	r := startRun(t, []string{"serve", "--config", writeConfig(t, cfg)}, env(nil))
	base := "http://" + r.waitFor(t, regexp.MustCompile(`listening on http://(\S+)`))[1]
	status, _, body := httpDo(t, "GET", base+"/wallet/"+devnet.ReferenceWallet.Hex(), key, "")
	if status != 200 {
		t.Fatalf("wallet = %d %s", status, body)
	}
	provider.CloseClientConnections()
	provider.Close() // the node "fails": errors get logged
	// Another wallet: the first one's balance is cached for this block.
	status, _, _ = httpDo(t, "GET", base+"/wallet/"+devnet.JaneWallet.Hex(), key, "")
	if status != 503 {
		t.Errorf("wallet with the node gone = %d, want 503", status)
	}
	httpDo(t, "GET", base+"/readyz", "", "")
	logs := r.stderr.String() + r.stdout.String()
	for _, secret := range []string{"s3cretpass", "alice", "APIKEY123", "QUERYSECRET"} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain %q:\n%s", secret, logs)
		}
	}
	if !strings.Contains(logs, "request_id") {
		t.Errorf("no request logs captured:\n%s", logs)
	}
}

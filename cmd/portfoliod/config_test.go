package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod/chain"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func writeConfig(tb testing.TB, body string) string {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), "config.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		tb.Fatal(err)
	}
	return p
}

// The example must load through the real loader, so it cannot drift from
// the code; and it must show every default.
func TestExampleConfigLoads(t *testing.T) {
	cfg, err := LoadConfig("../../config.example.yaml", env(nil))
	if err != nil {
		t.Fatalf("LoadConfig(config.example.yaml): %v", err)
	}
	want := DefaultConfig()
	want.Tokens = []TokenConfig{{Address: "0x5FbDB2315678afecb367f032d93F642f64180aa3", Freeze: "erc3643"}}
	want.HTTP.TrustedProxies = []string{}
	want.Auth.Keys = []KeyConfig{}
	if diff := cmp.Diff(want, cfg); diff != "" {
		t.Errorf("example config differs from DefaultConfig (-defaults +example):\n%s", diff)
	}
}

// http.addr takes any host net.Listen does, names included.
func TestHTTPAddrHosts(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:8080", "[::1]:8080", ":8080", "localhost:0", "portfoliod.internal:8080"} {
		if _, err := LoadConfig(writeConfig(t, "http:\n  addr: \""+addr+"\"\n"), env(nil)); err != nil {
			t.Errorf("http.addr %q: %v", addr, err)
		}
	}
}

func TestLoadConfigErrors(t *testing.T) {
	tests := []struct {
		name, yaml string
		env        map[string]string
		wantErr    []string
	}{
		{"unknown key names key and line", "http:\n  addr: \"127.0.0.1:1\"\n  adress: x\n", nil, []string{"line 3", "adress"}},
		{"unknown section", "htp:\n  addr: x\n", nil, []string{`unknown key "htp" at line 1`}},
		{"bad duration", "http:\n  request_timeout: soon\n", nil, []string{"soon"}},
		{"bad mode", "chain:\n  multicall:\n    mode: fastest\n", nil, []string{"chain.multicall.mode", "fastest"}},
		{"max head age past the stale time", "chain:\n  max_head_age: 1m\n", nil, []string{"chain.max_head_age", "chain.head_stale_after"}},
		{"max head age zero", "chain:\n  max_head_age: 0s\n", nil, []string{"chain.max_head_age", "positive"}},
		{"bad change event", "tokens:\n  - address: \"0x5FbDB2315678afecb367f032d93F642f64180aa3\"\n    freeze: custom\n    amount_fns: [\"lockedOf(address)\"]\n    change_events: [\"Locked(address indexed account, uint256)\", \"Moved(addres from, uint256)\"]\n", nil,
			[]string{"tokens[0].change_events", "0x5fbdb2315678afecb367f032d93f642f64180aa3", `"Moved(addres from, uint256)"`, `type "addres"`}},
		{"change events on a preset", "tokens:\n  - address: \"0x5FbDB2315678afecb367f032d93F642f64180aa3\"\n    freeze: erc3643\n    change_events: [\"Locked(address indexed account)\"]\n", nil,
			[]string{"tokens[0].change_events", "need freeze: custom"}},
		{"max reorg depth zero", "live:\n  max_reorg_depth: 0\n", nil, []string{"live.max_reorg_depth", "got 0"}},
		{"backfill chunk zero", "live:\n  backfill_chunk: 0\n", nil, []string{"live.backfill_chunk", "got 0"}},
		{"bad token address", "tokens:\n  - address: 0x12\n    freeze: none\n", nil, []string{"tokens[0].address"}},
		{"unknown freeze", "tokens:\n  - address: \"0x5FbDB2315678afecb367f032d93F642f64180aa3\"\n    freeze: magic\n", nil, []string{"tokens[0].freeze", "magic"}},
		{"custom without fns", "tokens:\n  - address: \"0x5FbDB2315678afecb367f032d93F642f64180aa3\"\n    freeze: custom\n", nil, []string{"tokens[0].freeze"}},
		{"bad key hash", "auth:\n  keys:\n    - name: a\n      sha256: abc\n      scopes: [read]\n", nil, []string{"auth.keys[0].sha256"}},
		{"bad scope", "auth:\n  keys:\n    - name: a\n      sha256: \"" + strings.Repeat("ab", 32) + "\"\n      scopes: [root]\n", nil, []string{"root"}},
		{"bad env int", "", map[string]string{"PORTFOLIO_CHAIN_CHAIN_ID": "x"}, []string{"PORTFOLIO_CHAIN_CHAIN_ID"}},
		{"rpc url scheme, credentials redacted", "chain:\n  rpc_urls: [\"ftp://user:secret@node.example/key123\"]\n", nil, []string{"chain.rpc_urls", "ftp://node.example"}},
		{"empty rpc urls from env", "", map[string]string{"PORTFOLIO_CHAIN_RPC_URLS": " , "}, []string{"chain.rpc_urls"}},
		{"addr without port", "http:\n  addr: \"portfoliod.internal\"\n", nil, []string{"http.addr", "host:port"}},
		{"addr port out of range", "http:\n  addr: \"127.0.0.1:99999\"\n", nil, []string{"http.addr", "99999"}},
		{"same key hash under two names", "auth:\n  keys:\n    - name: a\n      sha256: \"" + strings.Repeat("ab", 32) + "\"\n      scopes: [read]\n    - name: b\n      sha256: \"" + strings.Repeat("AB", 32) + "\"\n      scopes: [write]\n", nil, []string{"auth.keys[1].sha256", `key hash used by both "a" and "b"`}},
		{"same key name twice", "auth:\n  keys:\n    - name: a\n      sha256: \"" + strings.Repeat("ab", 32) + "\"\n      scopes: [read]\n    - name: a\n      sha256: \"" + strings.Repeat("cd", 32) + "\"\n      scopes: [read]\n", nil, []string{"auth.keys[1].name", `"a" is used twice`}},
		{"token checksum typo", "tokens:\n  - address: \"0x5FbDB2315678afecb367f032d93F642f64180aA3\"\n    freeze: none\n", nil, []string{"tokens[0].address", "EIP-55"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadConfig(writeConfig(t, tt.yaml), env(tt.env))
			if err == nil {
				t.Fatalf("LoadConfig succeeded, want error containing %q", tt.wantErr)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), "key123") {
				t.Errorf("error leaks URL credentials: %q", err)
			}
		})
	}
}

func TestEnvOverrides(t *testing.T) {
	cfg, err := LoadConfig(writeConfig(t, "http:\n  addr: \"127.0.0.1:1\"\n"), env(map[string]string{
		"PORTFOLIO_HTTP_ADDR":                      "127.0.0.1:9999",
		"PORTFOLIO_STORE_PATH":                     "/tmp/x.db",
		"PORTFOLIO_CHAIN_RPC_URLS":                 "http://a:1, http://b:2",
		"PORTFOLIO_CHAIN_CALL_TIMEOUT":             "2s",
		"PORTFOLIO_CHAIN_MULTICALL_MODE":           "batch",
		"PORTFOLIO_RATE_LIMIT_BURST":               "7",
		"PORTFOLIO_RATE_LIMIT_REQUESTS_PER_SECOND": "2.5",
		"PORTFOLIO_CHAIN_CHAIN_ID":                 "1",
		"PORTFOLIO_LIVE_ENABLED":                   "false",
		"PORTFOLIO_LIVE_CONFIRMATIONS":             "3",
	}))
	if err != nil {
		t.Fatal(err)
	}
	got := []any{cfg.HTTP.Addr, cfg.Store.Path, cfg.Chain.RPCURLs, cfg.Chain.CallTimeout, cfg.Chain.Multicall.Mode, cfg.RateLimit.Burst, cfg.RateLimit.RequestsPerSecond, cfg.Chain.ChainID, cfg.Live.Enabled, cfg.Live.Confirmations}
	want := []any{"127.0.0.1:9999", "/tmp/x.db", []string{"http://a:1", "http://b:2"}, 2 * time.Second, "batch", 7, 2.5, uint64(1), false, uint64(3)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("env overrides mismatch (-want +got):\n%s", diff)
	}
}

// A misspelt key is named by its YAML path and line, never by the Go type
// it would have been decoded into.
func TestUnknownKeyNamesYAMLPath(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"nested", "http:\n  addr: \"127.0.0.1:1\"\n  adr: x\n", []string{`unknown key "http.adr" at line 3`}},
		{"two levels", "chain:\n  multicall:\n    mdoe: batch\n", []string{`unknown key "chain.multicall.mdoe" at line 3`}},
		{"in a list", "tokens:\n  - address: \"0x5FbDB2315678afecb367f032d93F642f64180aa3\"\n    frezee: none\n", []string{`unknown key "tokens[0].frezee" at line 3`}},
		{"in a key entry", "auth:\n  keys:\n    - name: a\n      sha256: \"" + strings.Repeat("ab", 32) + "\"\n      scope: [read]\n", []string{`unknown key "auth.keys[0].scope" at line 5`}},
		{"every one", "http:\n  adr: x\nlog:\n  levle: debug\n", []string{`unknown key "http.adr" at line 2`, `unknown key "log.levle" at line 4`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadConfig(writeConfig(t, tt.yaml), env(nil))
			if err == nil {
				t.Fatalf("LoadConfig succeeded, want an unknown key error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "main.") {
				t.Errorf("error %q names a Go type", err)
			}
		})
	}
}

// The config loader judges chain settings by the chain package's own
// rules, and its defaults are the chain package's: one source for each.
func TestChainSettingsHaveOneSource(t *testing.T) {
	d := DefaultConfig().Chain
	if d.CallTimeout != chain.DefaultCallTimeout || d.MaxCallsPerBatch != chain.DefaultMaxCallsPerBatch ||
		d.HeadPollInterval != chain.DefaultHeadPollInterval || d.HeadStaleAfter != chain.DefaultHeadStaleAfter ||
		d.CacheSize != chain.DefaultCacheSize || d.Multicall.Mode != chain.ModeAuto {
		t.Errorf("config defaults %+v differ from the chain package's", d)
	}
	for _, tc := range []struct{ key, yaml, want string }{
		{"mode", "chain:\n  multicall:\n    mode: fast\n", chain.CheckMode("fast").Error()},
		{"rpc url", "chain:\n  rpc_urls: [\"ftp://user:pw@node\"]\n", chain.CheckRPCURL("ftp://user:pw@node").Error()},
		{"ws url", "chain:\n  ws_url: \"http://node\"\n", chain.CheckWSURL("http://node").Error()},
	} {
		_, err := LoadConfig(writeConfig(t, tc.yaml), env(nil))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.key, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "pw") {
			t.Errorf("%s: the error shows the URL's credentials: %v", tc.key, err)
		}
	}
}

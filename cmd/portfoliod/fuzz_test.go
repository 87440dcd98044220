package main

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoadConfig: any file content is either a valid config or an error;
// the loader never panics, and a config it accepts passes Validate.
func FuzzLoadConfig(f *testing.F) {
	example, err := os.ReadFile("../../config.example.yaml")
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{string(example), "", "http: {}", "tokens: [{address: 1}]", "chain: {chain_id: -1}",
		"http:\n  request_timeout: 1h1h1h\n", "auth: {keys: [{name: a, sha256: zz, scopes: [read]}]}", "!!binary AAAA", "a: &a [*a]"} {
		f.Add(s)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, body string) {
		p := filepath.Join(dir, "c.yaml")
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := LoadConfig(p, env(nil))
		if err == nil {
			if verr := cfg.Validate(); verr != nil {
				t.Fatalf("LoadConfig accepted a config that fails Validate: %v", verr)
			}
		}
	})
}

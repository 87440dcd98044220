package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
	"testing"
)

func TestKeysGenerate(t *testing.T) {
	var out bytes.Buffer
	if err := run(t.Context(), []string{"keys", "generate", "--name", "wallet-app", "--scopes", "read,write"}, env(nil), nil, &out, &out); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`API key \(shown once; store it now\): (pfd_\S+)`).FindStringSubmatch(out.String())
	h := regexp.MustCompile(`sha256: "([0-9a-f]{64})"`).FindStringSubmatch(out.String())
	if m == nil || h == nil {
		t.Fatalf("output lacks the key or its hash:\n%s", out.String())
	}
	sum := sha256.Sum256([]byte(m[1]))
	if hex.EncodeToString(sum[:]) != h[1] {
		t.Errorf("printed sha256 %s is not the SHA-256 of the printed key", h[1])
	}
	if !regexp.MustCompile(`scopes: \[read, write\]`).MatchString(out.String()) || !bytes.Contains(out.Bytes(), []byte("name: wallet-app")) {
		t.Errorf("config entry wrong:\n%s", out.String())
	}
	for _, bad := range [][]string{{"keys", "generate"}, {"keys", "generate", "--name", "x", "--scopes", "root"}, {"keys"}} {
		if err := run(t.Context(), bad, env(nil), nil, &out, &out); err == nil {
			t.Errorf("run %v succeeded, want a usage error", bad)
		}
	}
}

// A name that is given but not allowed is reported as such, with the rule,
// not as a missing --name.
func TestKeysGenerateNameErrors(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    []string
		notWant string
	}{
		{"missing", []string{"keys", "generate"}, []string{"--name is required", "letters, digits"}, ""},
		{"space", []string{"keys", "generate", "--name", "a b"}, []string{`--name "a b"`, "letters, digits, '.', '_' or '-'"}, "required"},
		{"leading dot", []string{"keys", "generate", "--name", ".a"}, []string{`--name ".a"`, "starting with a letter or digit"}, "required"},
		{"too long", []string{"keys", "generate", "--name", strings.Repeat("a", 65)}, []string{"65 characters", "at most 64"}, "required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(t.Context(), tt.args, env(nil), nil, &out, &out)
			if err == nil {
				t.Fatalf("run %q succeeded, want a usage error", tt.args)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if tt.notWant != "" && strings.Contains(err.Error(), tt.notWant) {
				t.Errorf("error %q says %q", err, tt.notWant)
			}
		})
	}
}

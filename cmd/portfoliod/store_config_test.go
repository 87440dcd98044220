package main

import (
	"strings"
	"testing"
	"time"
)

func TestStoreConfig(t *testing.T) {
	t.Run("postgres from the environment", func(t *testing.T) {
		cfg, err := LoadConfig(writeConfig(t, "store:\n  max_conns: 4\n"), env(map[string]string{
			"PORTFOLIO_STORE_DRIVER":            "postgres",
			"PORTFOLIO_STORE_DSN":               "postgres://app:s3cret@db:5432/portfoliod",
			"PORTFOLIO_STORE_STATEMENT_TIMEOUT": "2s",
		}))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Store.Driver != "postgres" || cfg.Store.DSN != "postgres://app:s3cret@db:5432/portfoliod" || cfg.Store.MaxConns != 4 || cfg.Store.StatementTimeout != 2*time.Second {
			t.Errorf("store config = %+v", cfg.Store)
		}
	})
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"postgres without dsn", "store:\n  driver: postgres\n", []string{"store.dsn", "must be set"}},
		{"unknown driver", "store:\n  driver: sqlite\n", []string{"store.driver", "bbolt or postgres", "sqlite"}},
		{"pool size", "store:\n  max_conns: 0\n", []string{"store.max_conns"}},
		{"statement timeout", "store:\n  statement_timeout: 0s\n", []string{"store.statement_timeout"}},
		{"bbolt without path", "store:\n  path: \"\"\n", []string{"store.path"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadConfig(writeConfig(t, tt.yaml), env(nil))
			for _, w := range tt.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("LoadConfig: err = %v, want it to say %q", err, w)
				}
			}
		})
	}
	// postgres needs no path.
	if _, err := LoadConfig(writeConfig(t, "store:\n  driver: postgres\n  path: \"\"\n  dsn: \"postgres://db/x\"\n"), env(nil)); err != nil {
		t.Errorf("postgres without store.path: %v", err)
	}
}

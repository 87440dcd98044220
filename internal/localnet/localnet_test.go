package localnet

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestFindAnvil(t *testing.T) {
	t.Run("missing ANVIL", func(t *testing.T) {
		t.Setenv("ANVIL", filepath.Join(t.TempDir(), "no-anvil"))
		_, err := FindAnvil("")
		if err == nil || !strings.Contains(err.Error(), "anvil not found: run `make anvil` or set ANVIL") {
			t.Errorf("FindAnvil() error = %v, want the anvil not found hint", err)
		}
	})
	t.Run("nothing installed", func(t *testing.T) {
		t.Setenv("ANVIL", "")
		t.Setenv("PATH", t.TempDir())
		t.Chdir(t.TempDir())
		_, err := FindAnvil("")
		if err == nil || err.Error() != "anvil not found: run `make anvil` or set ANVIL" {
			t.Errorf("FindAnvil() error = %v, want the anvil not found hint", err)
		}
	})
}

// StartAnvil answers eth_chainId with the asked id, Stop frees the port,
// and a second Stop is harmless.
func TestStartAnvil(t *testing.T) {
	bin, err := FindAnvil("")
	if err != nil {
		t.Fatal(err)
	}
	a, err := StartAnvil(context.Background(), AnvilOptions{Bin: bin, ChainID: 777, Args: []string{"--quiet"}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Stop()
	if !strings.HasPrefix(a.URL, "http://127.0.0.1:") || a.Port == 0 {
		t.Errorf("URL %q, Port %d", a.URL, a.Port)
	}
	if _, err := StartAnvil(context.Background(), AnvilOptions{Bin: bin, Port: a.Port}); err == nil {
		t.Error("a second anvil on a taken port started, want an error")
	}
	a.Stop()
	a.Stop()
	b, err := StartAnvil(context.Background(), AnvilOptions{Bin: bin, Port: a.Port, Args: []string{"--quiet"}})
	if err != nil {
		t.Fatalf("restart on the freed port %d: %v", a.Port, err)
	}
	b.Stop()
}

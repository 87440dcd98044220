package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/customers/bolt"
	"github.com/portfoliod/portfoliod/internal/anviltest"
)

// reportSetup is anvil with the T-REX token, and a bbolt store in dir of
// customers owning three wallets each, their holdings written at block
// past and changed at the head.
type reportSetup struct {
	node    *anviltest.Node
	token   *anviltest.Token
	dir     string
	past    uint64
	wallets int
}

func mustReportSetup(t *testing.T, customers int) *reportSetup {
	t.Helper()
	node := anviltest.Start(t)
	c := node.Chain(t)
	anviltest.PlaceMulticall3(t, node.URL)
	tok := c.DeployToken(t, anviltest.TREX, "Security", "SEC", 0)
	tok.Unpause(t)
	dir := t.TempDir()
	store, err := bolt.Open(filepath.Join(dir, "p.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var batch []portfoliod.Customer
	var hs []anviltest.Holding
	for i := range customers {
		cu := portfoliod.Customer{ID: fmt.Sprintf("customer_%012x", i+1), Type: portfoliod.Individual, CountryCode: "US"}
		for j := range 3 {
			w := common.BytesToAddress(crypto.Keccak256([]byte(fmt.Sprintf("cli wallet %d %d", i, j)))[:20])
			cu.Wallets = append(cu.Wallets, w)
			hs = append(hs, anviltest.Holding{Wallet: w, Total: big.NewInt(int64(100 + len(hs)))})
		}
		batch = append(batch, cu)
	}
	if errs, err := store.Import(context.Background(), batch); err != nil || errors.Join(errs...) != nil {
		t.Fatalf("import: %v %v", err, errs)
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	past := tok.WriteHoldings(t, hs)
	for i := range hs {
		hs[i].Total = big.NewInt(1)
	}
	tok.WriteHoldings(t, hs)
	return &reportSetup{node: node, token: tok, dir: dir, past: past, wallets: len(hs)}
}

// config writes a config naming the store, rpcURL and the token.
func (s *reportSetup) config(t *testing.T, rpcURL string) string {
	t.Helper()
	return writeConfig(t, serveConfig(s.dir, rpcURL, s.node.ChainID, s.token.Address.Hex(), "ops", strings.Repeat("ab", 32)))
}

// leftovers lists the files in dir other than the store and want.
func leftovers(t *testing.T, dir string, want ...string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if e.Name() != "p.db" && !contains(want, e.Name()) {
			out = append(out, e.Name())
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// The CLI writes the register at a past block, complete, to --out and
// leaves no temporary file; when the node fails mid-export (a proxy, as a
// real node cannot be made to fail on cue) it writes no --out at all.
func TestReportPositions(t *testing.T) {
	s := mustReportSetup(t, 500)

	t.Run("complete", func(t *testing.T) {
		out := filepath.Join(s.dir, "register.csv")
		stdout, _, err := runCmd(t, nil, "report", "positions", "--config", s.config(t, s.node.URL),
			"--out", out, "--block", fmt.Sprint(s.past))
		if err != nil {
			t.Fatalf("report positions: %v", err)
		}
		if !strings.Contains(stdout, fmt.Sprintf("wrote %d positions", s.wallets)) {
			t.Errorf("stdout = %q", stdout)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(string(b), fmt.Sprintf("# complete, %d rows\n", s.wallets)) {
			t.Errorf("the file does not end with its completeness line: %q", b[max(0, len(b)-80):])
		}
		r := csv.NewReader(strings.NewReader(string(b)))
		r.Comment = '#'
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		// At the past block the first wallet held 100; at the head, 1.
		if len(recs) != s.wallets+1 || recs[1][8] != fmt.Sprint(s.past) || recs[1][10] != "100" {
			t.Errorf("%d records, first row %q", len(recs), recs[1])
		}
		if st, err := os.Stat(out); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("--out mode = %v (%v), want 0600: the register holds personal data", st.Mode().Perm(), err)
		}
		if extra := leftovers(t, s.dir, "register.csv"); len(extra) > 0 {
			t.Errorf("files left behind: %q", extra)
		}
	})

	t.Run("node fails", func(t *testing.T) {
		proxy := anviltest.NewProxy(t, s.node.URL)
		// Forward the first aggregate3 (0x82ad56cb) eth_call, fail from
		// the second: the register's second batch.
		proxy.FailAfter("82ad56cb", 1)
		out := filepath.Join(s.dir, "failed.csv")
		_, _, err := runCmd(t, nil, "report", "positions", "--config", s.config(t, proxy.URL), "--out", out)
		if err == nil || !strings.Contains(err.Error(), "no "+out+" written") {
			t.Fatalf("report positions through a failing node = %v, want an error saying no file was written", err)
		}
		if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("--out exists after a failure: %v", err)
		}
		if extra := leftovers(t, s.dir, "register.csv"); len(extra) > 0 {
			t.Errorf("files left behind: %q", extra)
		}
	})

	t.Run("bad arguments", func(t *testing.T) {
		for _, args := range [][]string{
			{"--format", "xlsx"}, {"--block", "yesterday"}, {"--token", "0x12"}, {"--include", "email"}, {},
		} {
			out := filepath.Join(s.dir, "bad.csv")
			if len(args) > 0 {
				args = append(args, "--out", out)
			}
			_, _, err := runCmd(t, nil, append([]string{"report", "positions", "--config", s.config(t, s.node.URL)}, args...)...)
			var ue usageError
			if !errors.As(err, &ue) {
				t.Errorf("report positions %q = %v, want a usage error", args, err)
			}
			if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("report positions %q wrote %s", args, out)
			}
		}
	})
}

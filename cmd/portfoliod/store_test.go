package main

import (
	"bytes"
	"context"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/customers/bolt"
	"github.com/portfoliod/portfoliod/customers/postgres"
	"github.com/portfoliod/portfoliod/internal/pgtest"
)

// runCmd runs the program in-process with env and returns its stdout and
// error.
func runCmd(t *testing.T, vars map[string]string, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), args, env(vars), strings.NewReader(""), &stdout, &stderr)
	return stdout.String(), stderr.String(), err
}

// all returns every customer of s.
func all(t *testing.T, s interface {
	ForEach(context.Context, func(portfoliod.Customer) error) error
}) []portfoliod.Customer {
	t.Helper()
	var out []portfoliod.Customer
	if err := s.ForEach(context.Background(), func(c portfoliod.Customer) error { out = append(out, c); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

// store copy moves a 10,000-customer bbolt store into PostgreSQL record
// for record, verifies it, and refuses to copy into a non-empty database
// without --force.
func TestStoreCopy(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "src.db")
	src, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	const n = 10_000
	batch := make([]portfoliod.Customer, n)
	for i := range batch {
		batch[i] = portfoliod.Customer{Type: portfoliod.Individual, CountryCode: "FR", Name: fmt.Sprint("c", i),
			Metadata: map[string]string{"i": fmt.Sprint(i)}, Address: &portfoliod.PostalAddress{City: "Lyon"},
			Wallets: []common.Address{common.BigToAddress(big.NewInt(int64(2*i + 1))), common.BigToAddress(big.NewInt(int64(2*i + 2)))}}
	}
	if errs, err := src.Import(ctx, batch); err != nil || errs[0] != nil {
		t.Fatalf("seeding the source: %v %v", errs[0], err)
	}
	want := all(t, src)
	src.Close()

	dsn := pgtest.NewDatabase(t)
	out, _, err := runCmd(t, nil, "store", "copy", "--from", "bbolt:"+path, "--to", "postgres:"+dsn)
	if err != nil {
		t.Fatalf("store copy: %v", err)
	}
	if !strings.Contains(out, fmt.Sprintf("copied %d customers (%d wallets)", n, 2*n)) || !strings.Contains(out, "verified") {
		t.Errorf("store copy printed %q", out)
	}
	dst, err := postgres.Open(ctx, dsn, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	if diff := cmp.Diff(want, all(t, dst)); diff != "" {
		t.Errorf("copied customers differ from the source (-bbolt +postgres):\n%s", diff)
	}

	_, _, err = runCmd(t, nil, "store", "copy", "--from", "bbolt:"+path, "--to", "postgres:"+dsn)
	if err == nil || !strings.Contains(err.Error(), "already holds 10000 customers") || !strings.Contains(err.Error(), "--force") {
		t.Errorf("second copy: err = %v, want a refusal naming --force", err)
	}
	if _, _, err := runCmd(t, nil, "store", "copy", "--from", "bbolt:"+filepath.Join(t.TempDir(), "typo.db"), "--to", "postgres:"+dsn); err == nil {
		t.Error("copy from a missing bbolt file succeeded")
	}
	if _, _, err := runCmd(t, nil, "store", "copy", "--from", path); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Errorf("copy without --to: err = %v, want usage", err)
	}
}

func TestStoreMigrateCommand(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	vars := map[string]string{"PORTFOLIO_STORE_DRIVER": "postgres", "PORTFOLIO_STORE_DSN": dsn}
	out, _, err := runCmd(t, vars, "store", "migrate")
	if err != nil || !strings.Contains(out, fmt.Sprintf("migrated from schema version 0 to %d", postgres.SchemaVersion())) {
		t.Fatalf("store migrate = %q, %v", out, err)
	}
	out, _, err = runCmd(t, vars, "store", "migrate")
	if err != nil || !strings.Contains(out, "nothing to migrate") {
		t.Errorf("second store migrate = %q, %v", out, err)
	}
	if strings.Contains(out, "postgres@") == false {
		t.Errorf("store migrate output %q does not name the database", out)
	}
	out, _, err = runCmd(t, nil, "store", "migrate")
	if err != nil || !strings.Contains(out, "bbolt") {
		t.Errorf("store migrate with bbolt = %q, %v", out, err)
	}
}

// backup on PostgreSQL says to use pg_dump and writes nothing; customers
// import and export work on it as on bbolt.
func TestOfflineCommandsOnPostgres(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	vars := map[string]string{"PORTFOLIO_STORE_DRIVER": "postgres", "PORTFOLIO_STORE_DSN": dsn}
	outFile := filepath.Join(t.TempDir(), "backup.db")
	_, _, err := runCmd(t, vars, "backup", "--out", outFile)
	if err == nil || !strings.Contains(err.Error(), "pg_dump") {
		t.Errorf("backup on postgres: err = %v, want it to point to pg_dump", err)
	}
	in := filepath.Join(t.TempDir(), "in.jsonl")
	line := `{"type":"INDIVIDUAL","countryCode":"US","name":"Jo","wallets":["0x1234567890123456789012345678901234567890"]}`
	if err := writeFile(in, line+"\n"); err != nil {
		t.Fatal(err)
	}
	if out, _, err := runCmd(t, vars, "customers", "import", in); err != nil || !strings.Contains(out, "imported 1 customers") {
		t.Fatalf("customers import = %q, %v", out, err)
	}
	out, _, err := runCmd(t, vars, "customers", "export")
	if err != nil || !strings.Contains(out, `"name":"Jo"`) || !strings.Contains(out, "0x1234567890123456789012345678901234567890") {
		t.Errorf("customers export = %q, %v", out, err)
	}
}

func writeFile(path, body string) error { return os.WriteFile(path, []byte(body), 0o600) }

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
	"time"

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
// for record, with its webhook endpoint (secrets included), event log and
// deliveries (a delivered one and a pending one keep their attempts, and
// the pending one its due time), verifies it, and refuses to copy into a
// non-empty database without --force.
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
	ep, wantEvents := seedOutbox(t, src, batch[0].Wallets[0])
	wantDeliveries := allDeliveries(t, src)
	src.Close()

	dsn := pgtest.NewDatabase(t)
	out, _, err := runCmd(t, nil, "store", "copy", "--from", "bbolt:"+path, "--to", "postgres:"+dsn)
	if err != nil {
		t.Fatalf("store copy: %v", err)
	}
	if !strings.Contains(out, fmt.Sprintf("copied %d customers (%d wallets), 1 webhook endpoints, 2 events and 2 webhook deliveries (1 pending)", n, 2*n)) ||
		!strings.Contains(out, "verified") {
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
	if got, err := dst.Webhook(ctx, ep.ID); err != nil || got.Secret != ep.Secret {
		t.Errorf("copied endpoint = %+v, %v; want its secret %q", got, err, ep.Secret)
	} else if diff := cmp.Diff(ep, got); diff != "" {
		t.Errorf("copied endpoint differs from the source (-bbolt +postgres):\n%s", diff)
	}
	if diff := cmp.Diff(wantDeliveries, allDeliveries(t, dst)); diff != "" {
		t.Errorf("copied deliveries differ from the source (-bbolt +postgres):\n%s", diff)
	}
	gotEvents, _, err := dst.Events(ctx, portfoliod.EventQuery{Limit: portfoliod.MaxEventPage})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantEvents, gotEvents, cmp.Comparer(func(a, b *big.Int) bool { return a.Cmp(b) == 0 })); diff != "" {
		t.Errorf("copied event log differs from the source (-bbolt +postgres):\n%s", diff)
	}
	// The target's outbox takes over: the pending delivery is claimed
	// when the source had it due, not before, and its event is there.
	pending := wantDeliveries[1]
	if ds, err := dst.ClaimDeliveries(ctx, pending.NextAttempt.Add(-time.Millisecond), time.Minute, 10, nil); err != nil || len(ds) != 0 {
		t.Errorf("claim before the pending delivery is due = %v, %v; want none", ds, err)
	}
	if ds, err := dst.ClaimDeliveries(ctx, pending.NextAttempt, time.Minute, 10, nil); err != nil || len(ds) != 1 || ds[0].ID != pending.ID || ds[0].AttemptCount != 1 {
		t.Errorf("claim when the pending delivery is due = %+v, %v; want %s after 1 attempt", ds, err, pending.ID)
	}
	if _, err := dst.Event(ctx, pending.EventID); err != nil {
		t.Errorf("the pending delivery's event on the target: %v", err)
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

// seedOutbox gives s an endpoint, two events of wallet w and their
// deliveries: the first delivered after a 503, the second pending after a
// refused connection, due at a time with microseconds. It returns the
// endpoint and the log.
func seedOutbox(t *testing.T, s *bolt.Store, w common.Address) (portfoliod.WebhookEndpoint, []portfoliod.Event) {
	t.Helper()
	ctx := context.Background()
	t0 := time.Unix(1_800_000_000, 0).UTC()
	ep := portfoliod.WebhookEndpoint{ID: portfoliod.NewWebhookID(), URL: "https://hooks.example/in", Types: []string{portfoliod.EventBalanceUpdated},
		Description: "ledger", Secret: portfoliod.NewWebhookSecret(), CreatedAt: t0, UpdatedAt: t0}
	if err := s.CreateWebhook(ctx, ep); err != nil {
		t.Fatal(err)
	}
	token := common.HexToAddress("0x00000000000000000000000000000000000000a1")
	figs := func(total int64) portfoliod.Figures {
		return portfoliod.Figures{Total: big.NewInt(total), Frozen: big.NewInt(0), Available: big.NewInt(total)}
	}
	var events []portfoliod.Event
	for n := uint64(1); n <= 2; n++ {
		b := portfoliod.Block{Number: n, Hash: common.BigToHash(big.NewInt(int64(100 + n))), Time: t0.Add(time.Duration(n) * time.Second)}
		prev, cur := figs(int64(n-1)), figs(int64(n))
		e := portfoliod.Event{ID: portfoliod.EventID(b.Hash, token, w), Type: portfoliod.EventBalanceUpdated, CreatedAt: b.Time,
			Data: portfoliod.BalanceChange{CustomerID: "customer_000000000001", Wallet: w, Token: token, Block: b, Previous: prev, Balances: cur, Changed: prev.Changed(cur)}}
		err := s.CommitBlock(ctx, portfoliod.BlockCommit{Block: b, Parent: common.BigToHash(big.NewInt(int64(99 + n))), Events: []portfoliod.Event{e},
			Figures: []portfoliod.TokenWalletFigures{{TokenWallet: portfoliod.TokenWallet{Token: token, Wallet: w}, Known: portfoliod.KnownFigures{Figures: cur, Block: b}}}})
		if err != nil {
			t.Fatal(err)
		}
		events = append(events, e)
	}
	if _, err := s.ClaimDeliveries(ctx, t0.Add(time.Minute), time.Minute, 10, nil); err != nil {
		t.Fatal(err)
	}
	at := t0.Add(time.Minute)
	for _, r := range []struct {
		ev int
		o  portfoliod.DeliveryOutcome
	}{
		{0, portfoliod.DeliveryOutcome{Attempt: portfoliod.DeliveryAttempt{At: at, Duration: 12 * time.Millisecond, StatusCode: 503, Response: "busy"},
			Status: portfoliod.DeliveryPending, NextAttempt: at.Add(5 * time.Second)}},
		{0, portfoliod.DeliveryOutcome{Attempt: portfoliod.DeliveryAttempt{At: at.Add(5 * time.Second), Duration: time.Millisecond, StatusCode: 204},
			Status: portfoliod.DeliveryDelivered}},
		{1, portfoliod.DeliveryOutcome{Attempt: portfoliod.DeliveryAttempt{At: at, Error: "connection refused"},
			Status: portfoliod.DeliveryPending, NextAttempt: at.Add(5*time.Minute + 250*time.Microsecond)}},
	} {
		if err := s.RecordAttempt(ctx, portfoliod.DeliveryID(ep.ID, events[r.ev].ID), r.o); err != nil {
			t.Fatal(err)
		}
	}
	ep, err := s.Webhook(ctx, ep.ID)
	if err != nil {
		t.Fatal(err)
	}
	return ep, events
}

// allDeliveries returns every delivery of s, checking the seeded ones'
// statuses.
func allDeliveries(t *testing.T, s portfoliod.WebhookStore) []portfoliod.Delivery {
	t.Helper()
	var ds []portfoliod.Delivery
	if err := s.ForEachDelivery(context.Background(), func(d portfoliod.Delivery) error { ds = append(ds, d); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(ds) != 2 || ds[0].Status != portfoliod.DeliveryDelivered || ds[0].AttemptCount != 2 || ds[1].Status != portfoliod.DeliveryPending {
		t.Fatalf("deliveries = %+v, want one delivered after 2 attempts, then one pending", ds)
	}
	return ds
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

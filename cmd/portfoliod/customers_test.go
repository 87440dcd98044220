package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/api"
	"github.com/portfoliod/portfoliod/customers/bolt"
)

// Import validates each line as POST /customer does, reports rejected lines
// by number, stores the rest; export writes what import reads back; the
// offline backup opens as an identical store.
func TestImportExportBackup(t *testing.T) {
	dir := t.TempDir()
	getenv := env(map[string]string{"PORTFOLIO_STORE_PATH": filepath.Join(dir, "store.db")})
	var lines []string
	for i := 0; i < 12; i++ {
		lines = append(lines, fmt.Sprintf(`{"type":"INDIVIDUAL","countryCode":"US","name":"c%d","wallets":["0x%040x"]}`, i, i+1))
	}
	lines = append(lines,
		`{"type":"INDIVIDUAL","countryCode":"ZZ"}`, // line 13: bad country
		``, // blank lines are skipped
		`{"type":"INDIVIDUAL","countryCode":"US","wallets":["0x0000000000000000000000000000000000000001"]}`, // line 15: wallet taken
		`{not json`, // line 16
		`{"id":"customer_0000000000aa","type":"ORGANIZATION","countryCode":"DE","createdAt":"2024-01-02T03:04:05Z"}`,
	)
	in := filepath.Join(dir, "in.jsonl")
	if err := os.WriteFile(in, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"customers", "import", in}, getenv, nil, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "3 lines rejected") {
		t.Errorf("import err = %v, want 3 lines rejected", err)
	}
	if !strings.Contains(stdout.String(), "imported 13 customers (12 wallets), rejected 3 lines") {
		t.Errorf("summary = %q", stdout.String())
	}
	// In line order, though line 15 is rejected by the store at the end
	// and lines 13 and 16 as soon as they are read.
	if got := regexp.MustCompile(`line \d+:`).FindAllString(stderr.String(), -1); !slices.Equal(got, []string{"line 13:", "line 15:", "line 16:"}) {
		t.Errorf("rejected lines reported %v, want lines 13, 15, 16 in order:\n%s", got, stderr.String())
	}

	var exported bytes.Buffer
	if err := run(context.Background(), []string{"customers", "export"}, getenv, nil, &exported, &stderr); err != nil {
		t.Fatal(err)
	}
	var got []portfoliod.Customer
	sc := bufio.NewScanner(&exported)
	for sc.Scan() {
		c, err := api.ParseCustomerJSON(sc.Bytes())
		if err != nil {
			t.Fatalf("exported line does not import: %v: %s", err, sc.Text())
		}
		got = append(got, c)
	}
	if len(got) != 13 {
		t.Fatalf("exported %d customers, want 13", len(got))
	}

	out := filepath.Join(dir, "backup.db")
	stdout.Reset()
	if err := run(context.Background(), []string{"backup", "--out", out}, getenv, nil, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	restored, err := bolt.Open(out, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	for _, c := range got {
		r, err := restored.Get(context.Background(), c.ID)
		if err != nil {
			t.Fatalf("backup lacks %s: %v", c.ID, err)
		}
		if diff := cmp.Diff(c, r); diff != "" {
			t.Errorf("backup of %s differs (-exported +backup):\n%s", c.ID, diff)
		}
	}
	if c, err := restored.Get(context.Background(), "customer_0000000000aa"); err != nil || c.CreatedAt.Year() != 2024 {
		t.Errorf("imported id/createdAt not kept: %+v %v", c, err)
	}
}

// The offline commands check their arguments before touching the store, and
// those that read a store refuse to create an empty one.
func TestOfflineCommandsCreateNoStore(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "data", "typo.db")
	getenv := env(map[string]string{"PORTFOLIO_STORE_PATH": store})
	for _, tc := range []struct {
		args    []string
		wantErr string // "" for success (help)
	}{
		{[]string{"customers", "--help"}, ""},
		{[]string{"keys", "--help"}, ""},
		{[]string{"customers", "frob"}, "unknown customers command"},
		{[]string{"customers", "import"}, "usage"},
		{[]string{"customers", "import", filepath.Join(dir, "missing.jsonl")}, "no such file"},
		{[]string{"customers", "export"}, "does not exist"},
		{[]string{"backup", "--out", filepath.Join(dir, "b.db")}, "does not exist"},
		{[]string{"backup", "--out", filepath.Join(dir, "b.db"), "extra"}, "usage"},
	} {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), tc.args, getenv, nil, &stdout, &stderr)
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%v: err = %v, want help and no error", tc.args, err)
		case tc.wantErr == "" && !strings.Contains(stdout.String(), "usage"):
			t.Errorf("%v: stdout = %q, want the usage", tc.args, stdout.String())
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%v: err = %v, want one containing %q", tc.args, err, tc.wantErr)
		}
		if _, err := os.Stat(filepath.Join(dir, "data")); err == nil {
			t.Fatalf("%v created the store directory", tc.args)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "b.db")); err == nil {
		t.Error("backup of a missing store wrote a file")
	}
}

// A file of mostly bad lines is reported while it is read (memory stays
// bounded), still in line order, and nothing is counted twice.
func TestImportManyRejections(t *testing.T) {
	dir := t.TempDir()
	getenv := env(map[string]string{"PORTFOLIO_STORE_PATH": filepath.Join(dir, "store.db")})
	var b strings.Builder
	b.WriteString(`{"type":"INDIVIDUAL","countryCode":"US","wallets":["0x0000000000000000000000000000000000000001"]}` + "\n")
	b.WriteString(`{"type":"INDIVIDUAL","countryCode":"US","wallets":["0x0000000000000000000000000000000000000001"]}` + "\n") // taken by line 1
	for range importBatchSize + 10 {
		b.WriteString("{\n")
	}
	b.WriteString(`{"type":"INDIVIDUAL","countryCode":"FR"}` + "\n")
	in := filepath.Join(dir, "in.jsonl")
	if err := os.WriteFile(in, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"customers", "import", in}, getenv, nil, &stdout, &stderr)
	want := importBatchSize + 11
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%d lines rejected", want)) {
		t.Fatalf("err = %v, want %d lines rejected", err, want)
	}
	if !strings.Contains(stdout.String(), "imported 2 customers") {
		t.Errorf("summary = %q", stdout.String())
	}
	nums := regexp.MustCompile(`(?m)^line (\d+):`).FindAllStringSubmatch(stderr.String(), -1)
	if len(nums) != want {
		t.Fatalf("%d rejected lines reported, want %d", len(nums), want)
	}
	for i, m := range nums {
		if m[1] != strconv.Itoa(i+2) {
			t.Fatalf("report %d is line %s, want line %d (in order, once each)", i, m[1], i+2)
		}
	}
}

// batchRecorder is a real bbolt store that records the batches Import is
// given.
type batchRecorder struct {
	*bolt.Store
	customers, wallets []int
}

func (r *batchRecorder) Import(ctx context.Context, batch []portfoliod.Customer) ([]error, error) {
	n := 0
	for _, c := range batch {
		n += len(c.Wallets)
	}
	r.customers, r.wallets = append(r.customers, len(batch)), append(r.wallets, n)
	return r.Store.Import(ctx, batch)
}

// An import batch ends at importBatchSize customers, or sooner once it
// holds importBatchWallets wallets: what bounds an import's memory.
func TestImportBatchBounds(t *testing.T) {
	wallet := 0
	line := func(wallets int) string {
		ws := make([]string, wallets)
		for i := range ws {
			wallet++
			ws[i] = fmt.Sprintf(`"0x%040x"`, wallet)
		}
		return `{"type":"INDIVIDUAL","countryCode":"US","wallets":[` + strings.Join(ws, ",") + "]}\n"
	}
	for _, tc := range []struct {
		name               string
		in                 []int // wallets per customer
		customers, wallets []int // per batch
	}{
		{"small customers", slices.Repeat([]int{1}, importBatchSize+5), []int{importBatchSize, 5}, []int{importBatchSize, 5}},
		{"customers with 1,000 wallets", append(slices.Repeat([]int{portfoliod.MaxWallets}, 10), 1, 1),
			[]int{importBatchWallets / portfoliod.MaxWallets, 10 - importBatchWallets/portfoliod.MaxWallets + 2},
			[]int{importBatchWallets, (10-importBatchWallets/portfoliod.MaxWallets)*portfoliod.MaxWallets + 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			for _, n := range tc.in {
				b.WriteString(line(n))
			}
			store, err := bolt.Open(filepath.Join(t.TempDir(), "store.db"), bolt.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			rec := &batchRecorder{Store: store}
			var out bytes.Buffer
			res, err := importCustomers(context.Background(), rec, strings.NewReader(b.String()), 0, &out, &out)
			if err != nil || res.imported != len(tc.in) {
				t.Fatalf("import: %d of %d customers, err %v\n%s", res.imported, len(tc.in), err, out.String())
			}
			if !slices.Equal(rec.customers, tc.customers) || !slices.Equal(rec.wallets, tc.wallets) {
				t.Errorf("batches of %v customers holding %v wallets, want %v and %v", rec.customers, rec.wallets, tc.customers, tc.wallets)
			}
			if err := store.VerifyIndex(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
}

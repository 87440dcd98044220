package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/aggregator"
	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/customers/bolt"
	"github.com/portfoliod/portfoliod/internal/anviltest"
)

// registerEnv is anvil with the T-REX token and a bbolt store whose
// customers each own wallets holding tokens.
type registerEnv struct {
	node  *anviltest.Node
	token *anviltest.Token
	store *bolt.Store
	names []string // of the customers, in id order
}

// mustRegisterEnv stores a customer per name, each owning perCustomer
// wallets with a balance (every third partly frozen).
func mustRegisterEnv(tb testing.TB, names []string, perCustomer int) *registerEnv {
	tb.Helper()
	node := anviltest.Start(tb)
	c := node.Chain(tb)
	anviltest.PlaceMulticall3(tb, node.URL)
	tok := c.DeployToken(tb, anviltest.TREX, "Security", "SEC", 0)
	tok.Unpause(tb)
	store := mustOpenStore(tb)
	var batch []portfoliod.Customer
	var hs []anviltest.Holding
	for i, name := range names {
		cu := portfoliod.Customer{ID: fmt.Sprintf("customer_%012x", i+1), Type: portfoliod.Organization, CountryCode: "DE", Name: name}
		for j := range perCustomer {
			w := common.BytesToAddress(crypto.Keccak256([]byte(fmt.Sprintf("api wallet %d %d", i, j)))[:20])
			cu.Wallets = append(cu.Wallets, w)
			h := anviltest.Holding{Wallet: w, Total: big.NewInt(int64(1000 + len(hs)))}
			if len(hs)%3 == 0 {
				h.FrozenPartial = big.NewInt(10)
			}
			hs = append(hs, h)
		}
		batch = append(batch, cu)
	}
	if errs, err := store.Import(context.Background(), batch); err != nil || errors.Join(errs...) != nil {
		tb.Fatalf("import: %v %v", err, errs)
	}
	tok.WriteHoldings(tb, hs)
	return &registerEnv{node: node, token: tok, store: store, names: names}
}

// register is a Register over rpcURL (the node, or a proxy before it).
func (e *registerEnv) register(tb testing.TB, rpcURL string, opts ...aggregator.RegisterOption) *aggregator.Register {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r, err := chain.Dial(ctx, chain.Config{
		ChainID: e.node.ChainID, RPCURLs: []string{rpcURL}, CallTimeout: 2 * time.Second,
		Tokens:       []chain.TokenConfig{{Address: e.token.Address, Freeze: "erc3643"}},
		RetryBackoff: 20 * time.Millisecond, MaxRetryBackoff: 50 * time.Millisecond, HeadPollInterval: -1,
	})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(r.Close)
	return aggregator.NewRegister(e.store, r, opts...)
}

// export writes the register to a buffer.
func export(tb testing.TB, reg *aggregator.Register, opts ReportOptions) (string, int, error) {
	tb.Helper()
	rep, err := reg.OpenPositions(context.Background(), portfoliod.ReadOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	n, err := WritePositions(context.Background(), &buf, reg, rep, opts)
	return buf.String(), n, err
}

// unguard undoes csvCell.
func unguard(s string) string { return strings.TrimPrefix(s, "'") }

// Names with commas, quotes, newlines and formulas round-trip through
// encoding/csv's reader, every cell a formula could start is guarded, and
// the file ends with its completeness line; JSON Lines carries the names
// as stored.
func TestPositionsHostileNames(t *testing.T) {
	hostile := []string{
		`Smith, John`, `The "Best" Corp`, "two\nlines", "=cmd|' /C calc'!A0", "+1", "-2+3", "@SUM(A1)",
		"\ttab", "\rcr", "'quoted", "# not a comment", "plain", "",
	}
	e := mustRegisterEnv(t, hostile, 2)
	reg := e.register(t, e.node.URL)

	out, n, err := export(t, reg, ReportOptions{Format: ReportCSV, IncludeName: true})
	if err != nil {
		t.Fatal(err)
	}
	if want := 2 * len(hostile); n != want {
		t.Fatalf("WritePositions wrote %d rows, want %d", n, want)
	}
	if !strings.HasSuffix(out, fmt.Sprintf("\n# complete, %d rows\n", n)) {
		t.Fatalf("the CSV does not end with its completeness line:\n%s", out)
	}
	r := csv.NewReader(strings.NewReader(out))
	r.Comment = '#'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("encoding/csv cannot read the export: %v\n%s", err, out)
	}
	wantHeader := append(append([]string{}, positionColumns...), "name")
	if diff := cmp.Diff(wantHeader, recs[0]); diff != "" {
		t.Errorf("CSV header mismatch (-want +got):\n%s", diff)
	}
	var names []string
	for i, rec := range recs[1:] {
		name := rec[len(rec)-1]
		if name != "" && strings.ContainsRune("=+-@\t\r'", rune(name[0])) && name[0] != '\'' {
			t.Errorf("row %d: name cell %q starts a formula unguarded", i, name)
		}
		if i%2 == 0 {
			names = append(names, unguard(name))
		}
		if rec[5] != strings.ToLower(e.token.Address.Hex()) || rec[6] != "SEC" || rec[7] != "0" {
			t.Errorf("row %d: token columns %q", i, rec[5:8])
		}
	}
	if diff := cmp.Diff(hostile, names); diff != "" {
		t.Errorf("names after encoding/csv and the guard mismatch (-want +got):\n%s", diff)
	}
	if got := recs[1+2*3][len(recs[0])-1]; got != "'=cmd|' /C calc'!A0" {
		t.Errorf("the formula name is written %q, want it behind a single quote", got)
	}

	out, _, err = export(t, reg, ReportOptions{Format: ReportJSONL, IncludeName: true})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if want := fmt.Sprintf(`{"object":"report_end","rows":%d}`, 2*len(hostile)); lines[len(lines)-1] != want {
		t.Errorf("last JSON line = %s, want %s", lines[len(lines)-1], want)
	}
	names = nil
	for i, l := range lines[:len(lines)-1] {
		var p struct {
			Object, CustomerID, Name, Wallet, Total, Frozen, Available string
			BlockNumber                                                uint64
		}
		dec := json.NewDecoder(strings.NewReader(l))
		if err := dec.Decode(&p); err != nil || p.Object != "position" {
			t.Fatalf("line %d is no position: %v %s", i, err, l)
		}
		if i%2 == 0 {
			names = append(names, p.Name)
		}
	}
	if diff := cmp.Diff(hostile, names); diff != "" {
		t.Errorf("JSON Lines names mismatch (-want +got):\n%s", diff)
	}
}

// Without include=name, no name: neither a column nor a field.
func TestPositionsWithoutNames(t *testing.T) {
	e := mustRegisterEnv(t, []string{"Secret Name"}, 1)
	reg := e.register(t, e.node.URL)
	for _, f := range []ReportFormat{ReportCSV, ReportJSONL} {
		out, _, err := export(t, reg, ReportOptions{Format: f})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(out, "Secret") || strings.Contains(out, "name") {
			t.Errorf("%s export without include=name names the customer:\n%s", f, out)
		}
	}
}

// A node that starts failing mid-export (a proxy, since a real node cannot
// be made to fail on cue) ends the file with an error line and no
// completeness line, in both formats.
func TestPositionsNodeFailsMidExport(t *testing.T) {
	names := make([]string, 200)
	for i := range names {
		names[i] = fmt.Sprintf("c%d", i)
	}
	e := mustRegisterEnv(t, names, 2)
	for _, f := range []ReportFormat{ReportCSV, ReportJSONL} {
		t.Run(string(f), func(t *testing.T) {
			proxy := anviltest.NewProxy(t, e.node.URL)
			reg := e.register(t, proxy.URL, aggregator.WithBatches(20, 2))
			src := failAfter{Positions: reg, rows: 50, fail: func() { proxy.Fail(true) }}
			rep, err := reg.OpenPositions(context.Background(), portfoliod.ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			n, err := WritePositions(context.Background(), &buf, src, rep, ReportOptions{Format: f})
			if portfoliod.ErrorCode(err) != portfoliod.EUNAVAILABLE {
				t.Fatalf("WritePositions = %v, want the node's EUNAVAILABLE", err)
			}
			out := buf.String()
			if n < 50 || n >= 400 || strings.Contains(out, "complete") || strings.Contains(out, "report_end") {
				t.Errorf("%d rows, and the file looks complete:\n%.300s", n, out[max(0, len(out)-300):])
			}
			last := out[strings.LastIndex(strings.TrimSuffix(out, "\n"), "\n")+1:]
			switch f {
			case ReportCSV:
				if !strings.HasPrefix(last, "# error: ") {
					t.Errorf("last CSV line = %q, want # error: ...", last)
				}
			case ReportJSONL:
				var end struct {
					Object string
					Rows   int
					Error  struct{ Code, Message string }
				}
				if err := json.Unmarshal([]byte(last), &end); err != nil || end.Object != "report_error" || end.Rows != n || end.Error.Code != codeChainUnavailable {
					t.Errorf("last JSON line = %s (%v), want a report_error of %d rows", last, err, n)
				}
			}
		})
	}
}

// failAfter calls fail once rows positions were handed on.
type failAfter struct {
	Positions
	rows int
	fail func()
}

func (f failAfter) EachPosition(ctx context.Context, rep portfoliod.PositionReport, fn func(portfoliod.Position) error) error {
	n := 0
	return f.Positions.EachPosition(ctx, rep, func(p portfoliod.Position) error {
		if n++; n == f.rows {
			f.fail()
		}
		return fn(p)
	})
}

// A writer that fails (a disk full, a client gone) stops the export with
// its error.
func TestPositionsWriterFails(t *testing.T) {
	e := mustRegisterEnv(t, []string{"a", "b", "c"}, 1)
	reg := e.register(t, e.node.URL)
	rep, err := reg.OpenPositions(context.Background(), portfoliod.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	_, err = WritePositions(context.Background(), failingWriter{boom}, reg, rep, ReportOptions{Format: ReportJSONL})
	if !errors.Is(err, boom) {
		t.Errorf("WritePositions = %v, want %v", err, boom)
	}
}

type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }

var _ io.Writer = failingWriter{}

func TestCSVCell(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "plain": "plain", "=1+1": "'=1+1", "+1": "'+1", "-1": "'-1", "@x": "'@x",
		"\tx": "'\tx", "\rx": "'\rx", "'x": "''x", "a=b": "a=b",
	} {
		if got := csvCell(in); got != want || unguard(got) != in {
			t.Errorf("csvCell(%q) = %q, want %q (undone: %q)", in, got, want, unguard(got))
		}
	}
}

// The validator reads the export's bodies as text.
func init() {
	openapi3filter.RegisterBodyDecoder("text/csv", openapi3filter.FileBodyDecoder)
	openapi3filter.RegisterBodyDecoder("application/x-ndjson", openapi3filter.FileBodyDecoder)
}

// The route over real HTTP: the block headers and the attachment name;
// HEAD answers the headers alone; and a client that goes away stops the
// node reads (behind a slow proxy, as no real node is slow on cue).
func TestPositionsRoute(t *testing.T) {
	names := make([]string, 200)
	for i := range names {
		names[i] = fmt.Sprintf("c%d", i)
	}
	e := mustRegisterEnv(t, names, 2)
	reg := e.register(t, e.node.URL)
	env := serveStore(t, e.store, nil, func(c *Config) { c.Positions = reg })

	r := env.do(t, "GET", "/reports/positions?format=jsonl", adminKey, "")
	if r.Status != 200 || r.Header.Get("Content-Type") != "application/x-ndjson" || r.Header.Get("X-Block-Number") == "" ||
		!strings.HasPrefix(r.Header.Get("Content-Disposition"), `attachment; filename="positions-`+strings.ToLower(e.token.Address.Hex())) {
		t.Fatalf("GET = %d %v", r.Status, r.Header)
	}
	if !strings.HasSuffix(string(r.Body), `{"object":"report_end","rows":400}`+"\n") {
		t.Errorf("the JSON Lines export does not end with its report_end: %.200s", r.Body[max(0, len(r.Body)-200):])
	}
	h := env.do(t, "HEAD", "/reports/positions", adminKey, "")
	if h.Status != 200 || len(h.Body) != 0 || h.Header.Get("X-Block-Hash") == "" || h.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Errorf("HEAD = %d, %d bytes, %v", h.Status, len(h.Body), h.Header)
	}

	proxy := anviltest.NewProxy(t, e.node.URL)
	slow := serveStore(t, e.store, nil, func(c *Config) {
		c.Positions = e.register(t, proxy.URL, aggregator.WithBatches(10, 2))
	})
	proxy.Delay(50 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", slow.url+"/reports/positions", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("x-api-key", adminKey)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	time.Sleep(200 * time.Millisecond) // the server notices, the reads in flight end
	n := proxy.Requests()
	time.Sleep(300 * time.Millisecond)
	if later := proxy.Requests(); later != n {
		t.Errorf("%d node requests after the client went away", later-n)
	}
	t.Logf("%d node requests before the client went away", n)
	// 40 batches of 10 wallets at 50 ms, 2 at a time, take a second.
	if n >= 40 {
		t.Errorf("%d node requests: the export ran to its end after the client went away", n)
	}
}

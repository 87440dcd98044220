package chain

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod/abi/multicall3"
)

// cannedNode records each request and answers with a set status and body.
type cannedNode struct {
	mu      sync.Mutex
	status  int
	answer  string
	bodies  [][]byte
	headers []http.Header
}

func newCannedNode(t *testing.T) (*cannedNode, *httptest.Server) {
	t.Helper()
	n := &cannedNode{status: http.StatusOK}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		n.mu.Lock()
		n.bodies = append(n.bodies, body)
		n.headers = append(n.headers, r.Header.Clone())
		status, answer := n.status, n.answer
		n.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, answer)
	}))
	t.Cleanup(srv.Close)
	return n, srv
}

func (n *cannedNode) set(status int, answer string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.status, n.answer, n.bodies, n.headers = status, answer, nil, nil
}

func (n *cannedNode) last() ([]byte, http.Header) {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.bodies[len(n.bodies)-1], n.headers[len(n.headers)-1]
}

// viaGeth is what execMulticalls did with go-ethereum's client: a fresh
// client numbers its requests from 1, as multicallBody does.
func (r *Reader) viaGeth(ctx context.Context, url string, block common.Hash, token common.Address, chunks [][]call) ([][]byte, error) {
	client, err := rpc.DialOptions(ctx, url)
	if err != nil {
		return nil, err
	}
	defer client.Close()
	args := make([][]any, len(chunks))
	for i, calls := range chunks {
		args[i] = []any{callArgs{To: r.mcAddr, Data: appendAggregate3(nil, token, calls), Gas: r.gas}, blockParam{BlockHash: block}}
		if r.mode == ModeOverride {
			args[i] = append(args[i], map[common.Address]overrideAccount{r.mcAddr: {Code: multicall3.RuntimeCode}})
		}
	}
	rets := make([]hexutil.Bytes, len(chunks))
	out := func(err error) ([][]byte, error) {
		b := make([][]byte, len(rets))
		for i := range rets {
			b[i] = rets[i]
		}
		return b, err
	}
	if len(chunks) == 1 {
		return out(client.CallContext(ctx, &rets[0], "eth_call", args[0]...))
	}
	elems := make([]rpc.BatchElem, len(chunks))
	for i := range elems {
		elems[i] = rpc.BatchElem{Method: "eth_call", Args: args[i], Result: &rets[i]}
	}
	if err := client.BatchCallContext(ctx, elems); err != nil {
		return out(err)
	}
	if err := requestProblem(outcomes(elems), true); err != nil {
		return out(err)
	}
	for _, el := range elems {
		if el.Error != nil {
			return out(el.Error)
		}
	}
	return out(nil)
}

// viaPost is the same through multicallBody, postJSON and multicallRets.
func (r *Reader) viaPost(ctx context.Context, ep *endpoint, block common.Hash, token common.Address, chunks [][]call) ([][]byte, error) {
	body := r.multicallBody(block, token, chunks, r.mode == ModeOverride)
	defer body.release()
	resp := new([]byte)
	rets := make([][]byte, len(chunks))
	replies, err := ep.postJSON(ctx, body, resp, len(chunks) > 1)
	if err == nil {
		err = multicallRets(replies, rets, len(chunks) > 1)
	}
	for i := range rets {
		rets[i] = bytes.Clone(rets[i]) // resp is reused by the caller in the Reader
	}
	return rets, err
}

func randomChunks(rng *rand.Rand, n int) [][]call {
	chunks := make([][]call, n)
	for i := range chunks {
		for range 1 + rng.IntN(5) {
			var w common.Address
			for k := range w {
				w[k] = byte(rng.UintN(256))
			}
			data := make([]byte, rng.IntN(70))
			for k := range data {
				data[k] = byte(rng.UintN(256))
			}
			chunks[i] = append(chunks[i], call{wallet: w, data: data})
		}
	}
	return chunks
}

// TestMulticallWireCompat sends random multicalls through go-ethereum's
// client and through postJSON to the same node and checks that the
// requests are byte for byte the same (headers included, basic auth from
// the URL among them) and that every answer, well formed or not, gives the
// same results and errors.
func TestMulticallWireCompat(t *testing.T) {
	node, srv := newCannedNode(t)
	u, _ := url.Parse(srv.URL)
	u.User = url.UserPassword("user", "hunter2")
	u.Path = "/v3/KEY"
	rawURL := u.String()
	ep, err := dialEndpoint(context.Background(), rawURL, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	defer ep.client.Close()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	block := common.HexToHash("0xabcdef")
	token := common.HexToAddress("0x1234")

	// hexCase writes random data as a node may: any case of prefix and digits.
	hexCase := func(data []byte) string {
		s := hex.EncodeToString(data)
		if rng.IntN(2) == 0 {
			s = strings.ToUpper(s)
		}
		return []string{"0x", "0X"}[rng.IntN(2)] + s
	}
	results := func(n int) string {
		var parts []string
		for i := range n {
			data := make([]byte, rng.IntN(100))
			for k := range data {
				data[k] = byte(rng.UintN(256))
			}
			parts = append(parts, fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"result":%q}`, i+1, hexCase(data)))
		}
		rng.Shuffle(len(parts), func(i, j int) { parts[i], parts[j] = parts[j], parts[i] })
		if n == 1 {
			return parts[0]
		}
		return "[" + strings.Join(parts, ",") + "]"
	}

	type answer struct {
		name      string
		status    int
		body      string
		malformed bool // malformed JSON or JSON-RPC: only the error's kind must match, not its text
	}
	single := []answer{
		{name: "result", body: `{"jsonrpc":"2.0","id":1,"result":"0x00ff"}`},
		{name: "spaces", body: " \n{ \"id\" : 1 , \"result\" : \"0xAb\" }\n"},
		{name: "revert", body: `{"jsonrpc":"2.0","id":1,"error":{"code":3,"message":"execution reverted","data":"0x08c379a0"}}`},
		{name: "unknown block", body: `{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"header for hash not found"}}`},
		{name: "invalid params", body: `{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"invalid argument 0"}}`},
		{name: "error null", body: `{"jsonrpc":"2.0","id":1,"error":null,"result":"0x00"}`},
		{name: "error string", body: `{"jsonrpc":"2.0","id":1,"error":"boom"}`},
		{name: "error wrong code type", body: `{"jsonrpc":"2.0","id":1,"error":{"code":"3","message":"m"}}`},
		{name: "no result", body: `{"jsonrpc":"2.0","id":1}`},
		{name: "result null", body: `{"jsonrpc":"2.0","id":1,"result":null}`},
		{name: "result number", body: `{"jsonrpc":"2.0","id":1,"result":12}`},
		{name: "result odd", body: `{"jsonrpc":"2.0","id":1,"result":"0x0"}`},
		{name: "result no prefix", body: `{"jsonrpc":"2.0","id":1,"result":"00"}`},
		{name: "result bad digit", body: `{"jsonrpc":"2.0","id":1,"result":"0x0g"}`},
		{name: "result escaped", body: `{"jsonrpc":"2.0","id":1,"result":"0x\u0030\u0030"}`},
		{name: "result empty", body: `{"jsonrpc":"2.0","id":1,"result":""}`},
		{name: "result 0x", body: `{"jsonrpc":"2.0","id":1,"result":"0x"}`},
		{name: "keys any case", body: `{"JSONRPC":"2.0","Id":1,"RESULT":"0x01"}`},
		{name: "escaped key", body: `{"jsonrpc":"2.0","id":1,"res\u0075lt":"0x01"}`},
		{name: "last duplicate wins", body: `{"id":1,"result":"0x01","result":"0x02"}`},
		{name: "jsonrpc number", body: `{"jsonrpc":2,"id":1,"result":"0x01"}`, malformed: true},
		{name: "method object", body: `{"method":{},"id":1,"result":"0x01"}`, malformed: true},
		{name: "other members", body: `{"id":1,"x":[1,-2.5e+3,true,false,null,{"a":"\n\"\\"}],"result":"0x01"}`},
		{name: "null", body: `null`},
		{name: "array", body: `[{"id":1,"result":"0x01"}]`, malformed: true},
		{name: "string", body: `"0x01"`, malformed: true},
		{name: "empty", body: ``, malformed: true},
		{name: "truncated", body: `{"jsonrpc":"2.0","id":1,"result":"0x0`, malformed: true},
		{name: "html", body: `<html>bad gateway</html>`, malformed: true},
		{name: "double comma", body: `{"id":1,,"result":"0x01"}`, malformed: true},
		{name: "bad escape", body: `{"id":1,"result":"0x\q"}`, malformed: true},
		{name: "control character", body: "{\"id\":1,\"result\":\"0x\t\"}", malformed: true},
		{name: "bad number", body: `{"id":01,"result":"0x01"}`, malformed: true},
		{name: "503", status: http.StatusServiceUnavailable, body: "node overloaded\n"},
		{name: "503 empty", status: http.StatusServiceUnavailable},
		{name: "301", status: http.StatusMovedPermanently, body: "moved"},
		{name: "204", status: http.StatusNoContent},
	}
	batch := []answer{
		{name: "results out of order", body: `[{"id":3,"result":"0x03"},{"id":1,"result":"0x01"},{"id":2,"result":"0x02"}]`},
		{name: "one reverts", body: `[{"id":1,"result":"0x01"},{"id":2,"error":{"code":3,"message":"execution reverted"}},{"id":3,"result":"0x03"}]`},
		{name: "one unknown block", body: `[{"id":1,"result":"0x01"},{"id":2,"error":{"code":-32000,"message":"header not found"}},{"id":3,"result":"0x03"}]`},
		{name: "rejected", body: `[{"id":1,"error":{"code":-32600,"message":"bad"}},{"id":2,"result":"0x"},{"id":3,"result":"0x"}]`},
		{name: "missing", body: `[{"id":1,"result":"0x01"},{"id":3,"result":"0x03"}]`},
		{name: "batch too large", body: `[{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"batch too large"}}]`},
		{name: "nulls, repeats and strangers", body: `[null,{"id":1,"result":"0x01"},{"id":1,"result":"0xff"},{"id":"2","result":"0x"},{"id":2.0,"result":"0x"},{"id":2,"result":"0x02"},{"id":4,"result":"0x"},{"id":3,"result":"0x03"}]`},
		{name: "one bad hex", body: `[{"id":1,"result":"0x01"},{"id":2,"result":"0xzz"},{"id":3,"result":"0x03"}]`},
		{name: "one without result", body: `[{"id":1,"result":"0x01"},{"id":2},{"id":3,"result":"0x03"}]`},
		{name: "error null", body: `[{"id":1,"result":"0x01"},{"id":2,"error":null,"result":"0x02"},{"id":3,"result":"0x03"}]`},
		{name: "null", body: `null`},
		{name: "empty array", body: `[]`},
		{name: "object", body: `{"id":1,"result":"0x01"}`, malformed: true},
		{name: "number element", body: `[1,{"id":1,"result":"0x01"}]`, malformed: true},
		{name: "jsonrpc number", body: `[{"jsonrpc":2,"id":1,"result":"0x01"},{"id":2,"result":"0x"},{"id":3,"result":"0x"}]`, malformed: true},
		{name: "truncated", body: `[{"id":1,"result":"0x01"},{"id":2,`, malformed: true},
		{name: "missing comma", body: `[{"id":1,"result":"0x01"} {"id":2,"result":"0x02"}]`, malformed: true},
		{name: "bad literal", body: `[nul]`, malformed: true},
		{name: "503", status: http.StatusServiceUnavailable, body: "node overloaded"},
	}
	for i := range 20 {
		n := 1 + rng.IntN(4)
		a := answer{name: fmt.Sprintf("random %d", i), body: results(n)}
		if n == 1 {
			single = append(single, a)
		} else {
			batch = append(batch, a)
		}
	}

	run := func(t *testing.T, mode string, chunks [][]call, a answer) {
		r := &Reader{mcAddr: multicall3.Address, gas: hexutil.Uint64(DefaultCallGas), mode: mode}
		status := a.status
		if status == 0 {
			status = http.StatusOK
		}
		node.set(status, a.body)
		wantRets, wantErr := r.viaGeth(ctx, rawURL, block, token, chunks)
		wantBody, wantHeader := node.last()
		gotRets, gotErr := r.viaPost(ctx, ep, block, token, chunks)
		gotBody, gotHeader := node.last()
		if !bytes.Equal(wantBody, gotBody) {
			t.Errorf("request body\n%s\nwant\n%s", gotBody, wantBody)
		}
		if diff := cmp.Diff(wantHeader, gotHeader); diff != "" {
			t.Errorf("request header mismatch (-want +got):\n%s", diff)
		}
		if wk, gk := classify(ctx, wantErr), classify(ctx, gotErr); wk != gk {
			t.Errorf("error %v classified %d, want %d as %v", gotErr, gk, wk, wantErr)
		}
		if !a.malformed && fmt.Sprint(wantErr) != fmt.Sprint(gotErr) {
			t.Errorf("error %q, want %q", fmt.Sprint(gotErr), fmt.Sprint(wantErr))
		}
		if wantErr == nil {
			if diff := cmp.Diff(wantRets, gotRets); diff != "" {
				t.Errorf("results mismatch (-want +got):\n%s", diff)
			}
		}
	}
	for _, mode := range []string{ModeContract, ModeOverride} {
		for _, a := range single {
			t.Run(mode+"/single/"+a.name, func(t *testing.T) { run(t, mode, randomChunks(rng, 1), a) })
		}
		for _, a := range batch {
			n := 3
			if strings.HasPrefix(a.name, "random") {
				n = strings.Count(a.body, `"id"`)
			}
			t.Run(mode+"/batch/"+a.name, func(t *testing.T) { run(t, mode, randomChunks(rng, n), a) })
		}
	}
}

// TestDecodeHexInPlace compares decodeHexInPlace with json.Unmarshal into
// a hexutil.Bytes on random strings.
func TestDecodeHexInPlace(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const alphabet = `0123456789abcdefABCDEFxXg"\ `
	for i := range 20000 {
		var b []byte
		if rng.IntN(2) == 0 {
			b = append(b, '"')
		}
		if rng.IntN(4) > 0 {
			b = append(b, '0', "xX"[rng.IntN(2)])
		}
		for range rng.IntN(12) {
			b = append(b, alphabet[rng.IntN(len(alphabet)-6*rng.IntN(2))])
		}
		if rng.IntN(8) > 0 {
			b = append(b, '"')
		}
		if i%3 == 0 {
			b = append([]byte{'"', '0', 'x'}, append(hex.AppendEncode(nil, b), '"')...)
		}
		var want hexutil.Bytes
		wantErr := want.UnmarshalJSON(bytes.Clone(b))
		got, gotErr := decodeHexInPlace(bytes.Clone(b))
		if fmt.Sprint(wantErr) != fmt.Sprint(gotErr) || wantErr == nil && !bytes.Equal(want, got) {
			t.Fatalf("decodeHexInPlace(%s) = %x, %v; want %x, %v", b, got, gotErr, []byte(want), wantErr)
		}
	}
}

// TestParseReplies: the shapes of answer go-ethereum's client accepts, and
// the one deliberate difference (data after the answer is an error).
func TestParseReplies(t *testing.T) {
	tests := []struct {
		name, body string
		batch      bool
		want       []reply
		wantErr    bool
	}{
		{"batch", `[{"jsonrpc":"2.0","id":1,"result":"0x01"},{"jsonrpc":"2.0","id":2,"error":{"code":3,"message":"execution reverted"}}]`, true,
			[]reply{{id: []byte("1"), result: []byte(`"0x01"`)}, {id: []byte("2"), err: []byte(`{"code":3,"message":"execution reverted"}`)}}, false},
		{"null elements skipped", `[null,{"id":1,"result":"0x"}]`, true, []reply{{id: []byte("1"), result: []byte(`"0x"`)}}, false},
		{"null batch is no element", `null`, true, []reply{}, false},
		{"single", `{"jsonrpc":"2.0","id":7,"result":"0xff"}`, false, []reply{{id: []byte("7"), result: []byte(`"0xff"`)}}, false},
		{"member names match case-insensitively", `{"ID":7,"Result":"0xff"}`, false, []reply{{id: []byte("7"), result: []byte(`"0xff"`)}}, false},
		{"error null is still an error member", `{"id":1,"error":null}`, false, []reply{{id: []byte("1"), err: []byte("null")}}, false},
		{"wrong jsonrpc type", `{"jsonrpc":2,"id":1,"result":"0x"}`, false, nil, true},
		{"object where a batch was expected", `{"id":1,"result":"0x"}`, true, nil, true},
		{"truncated", `[{"id":1,"result":"0x`, true, nil, true},
		{"data after the answer", `{"id":1,"result":"0x"} x`, false, nil, true},
		{"empty", ``, false, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseReplies([]byte(tt.body), tt.batch)
			if (err != nil) != tt.wantErr {
				t.Fatalf("parseReplies(%q) error %v, want error %v", tt.body, err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			norm := func(rs []reply) []string {
				out := []string{}
				for _, r := range rs {
					out = append(out, fmt.Sprintf("id=%s result=%s err=%s", r.id, r.result, r.err))
				}
				return out
			}
			if diff := cmp.Diff(norm(tt.want), norm(got)); diff != "" {
				t.Errorf("parseReplies(%q) mismatch (-want +got):\n%s", tt.body, diff)
			}
		})
	}
}

// TestRequestBodyPooling: a body goes back to the pool only when every
// reader handed out was closed.
func TestRequestBodyPooling(t *testing.T) {
	b := &requestBody{buf: new([]byte)}
	r1, r2 := b.reader(), b.reader()
	r1.Close()
	r1.Close()
	if got := b.open.Load(); got != 1 {
		t.Errorf("open readers = %d after closing one of two (twice), want 1", got)
	}
	r2.Close()
	if got := b.open.Load(); got != 0 {
		t.Errorf("open readers = %d after closing both, want 0", got)
	}
}

// A node that answers without end (or with more than any real answer) is
// cut off at maxResponseBytes rather than read into memory whole; an error
// body is kept to its first maxErrorBody bytes. A real node cannot be made
// to answer like this.
func TestPostJSONBoundsWhatItReads(t *testing.T) {
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		_, _ = io.Copy(w, io.LimitReader(zeros{}, maxResponseBytes+1<<20))
	}))
	defer srv.Close()
	ep := &endpoint{url: srv.URL, http: srv.Client()}
	body := &requestBody{buf: &[]byte{}}
	resp := new([]byte)
	_, err := ep.postJSON(context.Background(), body, resp, false)
	if err == nil || !strings.Contains(err.Error(), "exceeds") {
		t.Errorf("endless answer: err = %v, want one saying it exceeds the bound", err)
	}
	status = http.StatusBadGateway
	_, err = ep.postJSON(context.Background(), body, resp, false)
	var he rpc.HTTPError
	if !errors.As(err, &he) || len(he.Body) != maxErrorBody {
		t.Errorf("endless error body: err %T, body %d bytes, want an HTTPError with %d", err, len(he.Body), maxErrorBody)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

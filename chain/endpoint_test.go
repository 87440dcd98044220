package chain

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod/abi/multicall3"
)

func TestRedactURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"http://127.0.0.1:8545", "http://127.0.0.1:8545"},
		{"http://127.0.0.1:8545/", "http://127.0.0.1:8545"},
		{"https://user:secret@node.example.com/rpc?key=abc", "https://node.example.com/…"},
		{"https://mainnet.infura.io/v3/0123456789abcdef", "https://mainnet.infura.io/…"},
		{"https://node.example.com?apikey=abc", "https://node.example.com"},
		{"not a url", "invalid-url"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := RedactURL(tt.in); got != tt.want {
				t.Errorf("RedactURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

type fakeRPCError struct {
	code int
	msg  string
}

func (e fakeRPCError) Error() string  { return e.msg }
func (e fakeRPCError) ErrorCode() int { return e.code }

func TestClassify(t *testing.T) {
	live := context.Background()
	done, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name   string
		parent context.Context
		err    error
		want   errKind
	}{
		{"nil", live, nil, kindOK},
		{"http 503", live, rpc.HTTPError{StatusCode: 503, Status: "503 Service Unavailable"}, kindDown},
		{"http 429", live, rpc.HTTPError{StatusCode: 429, Status: "429 Too Many Requests"}, kindDown},
		{"transport", live, &url.Error{Op: "Post", URL: "http://x", Err: errors.New("connection refused")}, kindDown},
		{"call timeout", live, fmt.Errorf("call: %w", context.DeadlineExceeded), kindDown},
		{"caller canceled", done, context.Canceled, kindCanceled},
		{"missing batch response", live, rpc.ErrMissingBatchResponse, kindDown},
		{"revert", live, fakeRPCError{3, "execution reverted: header not found"}, kindAnswer},
		{"method missing", live, fakeRPCError{-32601, "the method eth_x does not exist/is not available"}, kindAnswer},
		{"geth unknown hash", live, fakeRPCError{-32000, "header for hash not found"}, kindLagging},
		{"anvil unknown hash", live, fakeRPCError{-32001, "Resource not found"}, kindLagging},
		{"pruned state", live, fakeRPCError{-32000, "historical state 0xabc is not available"}, kindLagging},
		{"other rpc error", live, fakeRPCError{-32602, "invalid argument 0"}, kindAnswer},
		{"read error", live, &ReadError{Reason: "reverted"}, kindAnswer},
		{"block not found", live, fmt.Errorf("%w: block 9 is beyond the head 5", ErrBlockNotFound), kindAnswer},
		{"final", live, final(errors.New("malformed")), kindAnswer},
		{"unknown block", live, fmt.Errorf("%w: x", errUnknownBlock), kindLagging},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := classify(tt.parent, tt.err); got != tt.want {
				t.Errorf("classify(%v) = %d, want %d", tt.err, got, tt.want)
			}
		})
	}
}

func TestDescribeHidesURL(t *testing.T) {
	err := &url.Error{Op: "Post", URL: "https://node.example.com/v3/SECRETKEY", Err: errors.New("dial tcp: connection refused")}
	if got := describe(err); got != "dial tcp: connection refused" {
		t.Errorf("describe = %q", got)
	}
}

func TestBackoff(t *testing.T) {
	ep := &endpoint{}
	now := time.Now()
	var got []time.Duration
	for range 7 {
		got = append(got, ep.markFailed(now, time.Second, 30*time.Second))
	}
	want := []time.Duration{1 * time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 30 * time.Second, 30 * time.Second}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("back-off mismatch (-want +got):\n%s", diff)
	}
	if ep.healthy(now.Add(29 * time.Second)) {
		t.Error("healthy during back-off")
	}
	ep.markOK()
	if !ep.healthy(now) {
		t.Error("not healthy after success")
	}
}

func TestAggregate3RoundTrip(t *testing.T) {
	mc := multicall3.NewMulticall3()
	token := common.HexToAddress("0x00000000000000000000000000000000000000aa")
	calls := []multicall3.Multicall3Call3{
		{Target: token, AllowFailure: true, CallData: callData(selector("balanceOf(address)"), common.HexToAddress("0x1"))},
		{Target: token, AllowFailure: true, CallData: callData(selector("isFrozen(address)"), common.HexToAddress("0x2"))},
	}
	data, err := mc.TryPackAggregate3(calls)
	if err != nil {
		t.Fatal(err)
	}
	// Decode the input as the contract would and compare.
	method := mustABI(t).Methods["aggregate3"]
	if got := common.Bytes2Hex(data[:4]); got != common.Bytes2Hex(method.ID) || got != "82ad56cb" {
		t.Fatalf("aggregate3 selector = %s", got)
	}
	in, err := method.Inputs.Unpack(data[4:])
	if err != nil {
		t.Fatal(err)
	}
	gotCalls := *abi.ConvertType(in[0], new([]multicall3.Multicall3Call3)).(*[]multicall3.Multicall3Call3)
	if diff := cmp.Diff(calls, gotCalls); diff != "" {
		t.Errorf("aggregate3 input mismatch (-want +got):\n%s", diff)
	}

	results := []multicall3.Multicall3Result{
		{Success: true, ReturnData: word(7)},
		{Success: false, ReturnData: nil},
		{Success: true, ReturnData: []byte("broken!")},
	}
	ret, err := method.Outputs.Pack(results)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeAggregate3(ret, 3)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(results, asMulticall3Results(got), cmp.Comparer(func(a, b []byte) bool { return string(a) == string(b) })); diff != "" {
		t.Errorf("decodeAggregate3 mismatch (-want +got):\n%s", diff)
	}

	bad := []struct {
		name string
		ret  []byte
		n    int
	}{
		{"empty", nil, 3},
		{"wrong count", ret, 2},
		{"truncated", ret[:len(ret)-40], 3},
		{"garbage", []byte("not abi encoded at all, not abi encoded at all"), 3},
		{"huge offset", append(word(0xff, 0xff, 0xff, 0xff), word(1)...), 1},
		{"bool not 0 or 1", bytes.Replace(ret, word(1), word(2), 1), 3},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := decodeAggregate3(tt.ret, tt.n); err == nil {
				t.Errorf("decodeAggregate3(%s) = nil error", tt.name)
			}
		})
	}
}

func asMulticall3Results(rs []callResult) []multicall3.Multicall3Result {
	out := make([]multicall3.Multicall3Result, len(rs))
	for i, r := range rs {
		out[i] = multicall3.Multicall3Result{Success: r.ok, ReturnData: r.data}
	}
	return out
}

// FuzzDecodeAggregate3 checks the hand-written decoder against
// go-ethereum's ABI decoder: whatever it accepts, the ABI decoder accepts
// with the same results, and no input makes it panic.
func FuzzDecodeAggregate3(f *testing.F) {
	method := mustABI(f).Methods["aggregate3"]
	for _, rs := range [][]multicall3.Multicall3Result{
		nil,
		{{Success: true, ReturnData: word(7)}},
		{{Success: true, ReturnData: word(1)}, {Success: false, ReturnData: []byte("broken!")}, {Success: true}},
	} {
		ret, err := method.Outputs.Pack(rs)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(ret, len(rs))
	}
	mc := multicall3.NewMulticall3()
	f.Fuzz(func(t *testing.T, ret []byte, n int) {
		got, err := decodeAggregate3(ret, n)
		if err != nil {
			return
		}
		want, err := mc.UnpackAggregate3(ret)
		if err != nil {
			t.Fatalf("decodeAggregate3 accepted what the ABI decoder refuses (%v): %x", err, ret)
		}
		if diff := cmp.Diff(want, asMulticall3Results(got), cmp.Comparer(func(a, b []byte) bool { return string(a) == string(b) })); diff != "" {
			t.Errorf("decodeAggregate3 mismatch with the ABI decoder (-abi +got):\n%s", diff)
		}
	})
}

func mustABI(t testing.TB) *abi.ABI {
	t.Helper()
	parsed, err := multicall3.Multicall3MetaData.ParseABI()
	if err != nil {
		t.Fatal(err)
	}
	return parsed
}

// TestDecodeAmounts decodes one wallet's return data as a snapshot read
// does: decodeAmounts, then balancesOf.
func TestDecodeAmounts(t *testing.T) {
	token := common.HexToAddress("0xaa")
	wallet := common.HexToAddress("0xbb")
	p := erc3643Plan(t, token)
	tests := []struct {
		name    string
		raw     [][]byte
		want    Balance
		wantErr *ReadError
	}{
		{name: "partial", raw: [][]byte{word(0x03, 0xe8), word(0x01, 0x90), word()},
			want: Balance{Wallet: wallet, Total: big.NewInt(1000), Frozen: big.NewInt(400), Available: big.NewInt(600)}},
		{name: "flag", raw: [][]byte{word(0x03, 0xe8), word(0x01, 0x90), word(1)},
			want: Balance{Wallet: wallet, Total: big.NewInt(1000), Frozen: big.NewInt(1000), Available: big.NewInt(0), AddressFrozen: true}},
		{name: "empty balance", raw: [][]byte{nil, word(), word()},
			wantErr: &ReadError{Token: token, Wallet: wallet, Function: "balanceOf(address)", Reason: reasonEmpty}},
		{name: "short amount", raw: [][]byte{word(1), []byte("broken!"), word()},
			wantErr: &ReadError{Token: token, Wallet: wallet, Function: "getFrozenTokens(address)", Reason: "malformed return data: 7 bytes, want 32"}},
		{name: "bad bool", raw: [][]byte{word(1), word(), word(2)},
			wantErr: &ReadError{Token: token, Wallet: wallet, Function: "isFrozen(address)", Reason: "malformed return data: not a bool"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := decodeAmounts(p, wallet, tt.raw)
			if tt.wantErr != nil {
				var re *ReadError
				if !errors.As(err, &re) {
					t.Fatalf("decodeAmounts error = %v, want a *ReadError", err)
				}
				if diff := cmp.Diff(tt.wantErr, re); diff != "" {
					t.Errorf("decodeAmounts error mismatch (-want +got):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := balancesOf([]common.Address{wallet}, map[common.Address]amounts{wallet: a})[0]
			if diff := cmp.Diff(tt.want, got, cmp.Comparer(bigEqual)); diff != "" {
				t.Errorf("decoded balance mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRevertReason(t *testing.T) {
	// Error(string) "frozen view broken"
	data := common.FromHex("0x08c379a0" +
		"0000000000000000000000000000000000000000000000000000000000000020" +
		"0000000000000000000000000000000000000000000000000000000000000012" +
		"66726f7a656e20766965772062726f6b656e0000000000000000000000000000")
	if got := revertReason(data); got != "reverted: frozen view broken" {
		t.Errorf("revertReason = %q", got)
	}
	if got := revertReason(nil); got != "reverted" {
		t.Errorf("revertReason(nil) = %q", got)
	}
}

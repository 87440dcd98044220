package chain

import (
	"bytes"
	"context"
	"fmt"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/go-cmp/cmp"
	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/portfoliod/portfoliod/abi/multicall3"
)

// erc3643Plan is the plan of an erc3643 token at token.
func erc3643Plan(tb testing.TB, token common.Address) *tokenPlan {
	tb.Helper()
	model, err := Preset(FreezeERC3643)
	if err != nil {
		tb.Fatal(err)
	}
	return newPlan(token, model)
}

// snapshotFixture is what the node answers for n erc3643 wallets in
// chunks of 333 wallets: aggregate3 return data per chunk, and the balances
// it encodes.
type snapshotFixture struct {
	plan    *tokenPlan
	wallets []common.Address
	rets    [][]byte
	want    []Balance
}

func newSnapshotFixture(tb testing.TB, n int) snapshotFixture {
	tb.Helper()
	f := snapshotFixture{plan: erc3643Plan(tb, common.HexToAddress("0xaa"))}
	method := mustABI(tb).Methods["aggregate3"]
	const perChunk = DefaultMaxCallsPerBatch / 3
	var results []multicall3.Multicall3Result
	for i := range n {
		w := common.BigToAddress(big.NewInt(int64(0x10000 + i)))
		total, frozen := big.NewInt(int64(1_000_000+i)), big.NewInt(int64(i))
		flag := i%10 == 0
		f.wallets = append(f.wallets, w)
		results = append(results,
			multicall3.Multicall3Result{Success: true, ReturnData: common.LeftPadBytes(total.Bytes(), 32)},
			multicall3.Multicall3Result{Success: true, ReturnData: common.LeftPadBytes(frozen.Bytes(), 32)},
			multicall3.Multicall3Result{Success: true, ReturnData: boolWord(flag)})
		if flag {
			frozen = total
		}
		f.want = append(f.want, Balance{Wallet: w, Total: total, Frozen: frozen, Available: new(big.Int).Sub(total, frozen), AddressFrozen: flag})
		if (i+1)%perChunk == 0 || i == n-1 {
			ret, err := method.Outputs.Pack(results)
			if err != nil {
				tb.Fatal(err)
			}
			f.rets = append(f.rets, ret)
			results = nil
		}
	}
	return f
}

func boolWord(v bool) []byte {
	if v {
		return word(1)
	}
	return word()
}

// decode runs the decoding of a snapshot read on the node's answer: the
// Reader's chunks of the wallets, their aggregate3 results and amounts
// (decodeChunks, as readMulticallChunks), and the Balances (balancesOf,
// as BalancesAt).
func (f snapshotFixture) decode() ([]Balance, error) {
	out := make([]amounts, len(f.wallets))
	chunks := splitChunks(f.plan, f.wallets, out, DefaultMaxCallsPerBatch)
	if len(chunks) != len(f.rets) {
		return nil, fmt.Errorf("%d chunks for %d aggregate3 results", len(chunks), len(f.rets))
	}
	calls := make([][]call, len(chunks))
	results := make([][]callResult, len(chunks))
	for i, c := range chunks {
		calls[i] = c.calls(f.plan)
		var err error
		if results[i], err = decodeAggregate3(f.rets[i], len(calls[i])); err != nil {
			return nil, err
		}
	}
	if err := decodeChunks(f.plan, chunks, calls, results); err != nil {
		return nil, err
	}
	found := make(map[common.Address]amounts, len(f.wallets))
	for i, w := range f.wallets {
		found[w] = out[i]
	}
	return balancesOf(f.wallets, found), nil
}

// resultCount reads the array length of aggregate3 return data.
func resultCount(ret []byte) int {
	n, _ := wordInt(ret, 32)
	return n
}

func TestSnapshotDecode(t *testing.T) {
	f := newSnapshotFixture(t, 1000)
	got, err := f.decode()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(f.want, got, cmp.Comparer(bigEqual)); diff != "" {
		t.Errorf("decoded snapshot mismatch (-want +got):\n%s", diff)
	}
}

// BenchmarkSnapshotDecode1000 decodes the node's answer for 1,000 erc3643
// wallets (4 aggregate3 results, 3,000 values) into Balances, no I/O;
// "abi-unpack" is go-ethereum's ABI decoder on the same data, for
// comparison:
//
//	go test -run '^$' -bench SnapshotDecode -benchmem ./chain/
func BenchmarkSnapshotDecode1000(b *testing.B) {
	f := newSnapshotFixture(b, 1000)
	b.Run("snapshot", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := f.decode(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("aggregate3", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, ret := range f.rets {
				if _, err := decodeAggregate3(ret, resultCount(ret)); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("abi-unpack", func(b *testing.B) {
		mc := multicall3.NewMulticall3()
		b.ReportAllocs()
		for b.Loop() {
			for _, ret := range f.rets {
				if _, err := mc.UnpackAggregate3(ret); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// BenchmarkCachedSnapshot1000 is a repeat within the block: 1,000 wallets
// all served from the cache, no I/O.
func BenchmarkCachedSnapshot1000(b *testing.B) {
	f := newSnapshotFixture(b, 1000)
	cache, err := lru.New[cacheKey, amounts](DefaultCacheSize)
	if err != nil {
		b.Fatal(err)
	}
	r := &Reader{plans: map[common.Address]*tokenPlan{f.plan.token.Address: f.plan}, cache: cache, flights: map[string]*flight{}}
	block := Block{Number: 7, Hash: common.HexToHash("0xb10c")}
	for i, w := range f.wallets {
		var a amounts
		f.want[i].Total.FillBytes(a.total[:])
		f.want[i].Frozen.FillBytes(a.frozen[:])
		cache.Add(cacheKey{block: block.Hash, token: f.plan.token.Address, wallet: w}, a)
	}
	snap, err := r.BalancesAt(context.Background(), block, f.plan.token.Address, f.wallets)
	if err != nil {
		b.Fatal(err)
	}
	if diff := cmp.Diff(f.want, snap.Balances, cmp.Comparer(bigEqual)); diff != "" {
		b.Fatalf("cached snapshot mismatch (-want +got):\n%s", diff)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.BalancesAt(context.Background(), block, f.plan.token.Address, f.wallets); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPackAggregate3 checks the hand-written encoder against go-ethereum's
// ABI encoder, for the call data the Reader sends and for other lengths.
func TestPackAggregate3(t *testing.T) {
	mc := multicall3.NewMulticall3()
	token := common.HexToAddress("0x00000000000000000000000000000000000000aa")
	var calls []call
	for i, data := range [][]byte{
		callData(selector("balanceOf(address)"), common.HexToAddress("0x1")),
		nil,
		{1},
		make([]byte, 32),
		make([]byte, 33),
		callData(selector("isFrozen(address)"), common.HexToAddress("0x2")),
	} {
		for j := range data {
			data[j] |= byte(i + j)
		}
		calls = append(calls, call{data: data})
	}
	for n := range len(calls) + 1 {
		c3 := make([]multicall3.Multicall3Call3, n)
		for i, c := range calls[:n] {
			c3[i] = multicall3.Multicall3Call3{Target: token, AllowFailure: true, CallData: c.data}
		}
		want, err := mc.TryPackAggregate3(c3)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendAggregate3(nil, token, calls[:n]); !bytes.Equal(want, got) {
			t.Errorf("appendAggregate3(%d calls) =\n%x\nwant\n%x", n, got, want)
		}
	}
}

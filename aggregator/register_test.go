package aggregator

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/customers/bolt"
	"github.com/portfoliod/portfoliod/internal/anviltest"
)

// registerChain is anvil with the T-REX token, a bbolt store of customers
// owning wallets, and the holdings written at two blocks: past, then
// every figure changed at the head.
type registerChain struct {
	node    *anviltest.Node
	token   *anviltest.Token
	store   *bolt.Store
	past    uint64
	wallets int
}

// mustRegisterChain onboards customers owning perCustomer wallets each
// and gives each wallet a balance, a partial freeze for every third and an
// address freeze for every seventh at block past, then changes every
// balance at a later block.
func mustRegisterChain(tb testing.TB, customers, perCustomer int) *registerChain {
	tb.Helper()
	node := anviltest.Start(tb)
	c := node.Chain(tb)
	anviltest.PlaceMulticall3(tb, node.URL)
	tok := c.DeployToken(tb, anviltest.TREX, "Security", "SEC", 0)
	tok.Unpause(tb)

	store := mustStore(tb)
	var batch []portfoliod.Customer
	var hs []anviltest.Holding
	for i := range customers {
		cu := portfoliod.Customer{ID: fmt.Sprintf("customer_%012x", i*7919+1), Type: portfoliod.Individual,
			CountryCode: "FR", Name: fmt.Sprintf("Customer %d", i)}
		for j := range perCustomer {
			w := common.BytesToAddress(crypto.Keccak256([]byte(fmt.Sprintf("wallet %d %d", i, j)))[:20])
			cu.Wallets = append(cu.Wallets, w)
			// Amounts above 2^64, as real 18-decimal tokens have.
			total := new(big.Int).Lsh(big.NewInt(int64(len(hs)+1)), 70)
			h := anviltest.Holding{Wallet: w, Total: total, AddressFrozen: len(hs)%7 == 3}
			if len(hs)%3 == 1 {
				h.FrozenPartial = new(big.Int).Div(total, big.NewInt(3))
			}
			hs = append(hs, h)
		}
		batch = append(batch, cu)
	}
	errs, err := store.Import(context.Background(), batch)
	if err != nil {
		tb.Fatal(err)
	}
	for i, e := range errs {
		if e != nil {
			tb.Fatalf("import customer %d: %v", i, e)
		}
	}
	past := tok.WriteHoldings(tb, hs)
	for i := range hs {
		hs[i].Total = new(big.Int).Add(hs[i].Total, big.NewInt(12345))
		hs[i].AddressFrozen = !hs[i].AddressFrozen
	}
	tok.WriteHoldings(tb, hs)
	node.Mine(tb, 3)
	return &registerChain{node: node, token: tok, store: store, past: past, wallets: len(hs)}
}

// dialChain connects a chain reader through rpcURL (the node or a proxy
// in front of it), closed at cleanup.
func dialChain(tb testing.TB, rc *registerChain, rpcURL string) *chain.Reader {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r, err := chain.Dial(ctx, chain.Config{
		ChainID: rc.node.ChainID, RPCURLs: []string{rpcURL}, CallTimeout: 2 * time.Second,
		Tokens:       []chain.TokenConfig{{Address: rc.token.Address, Freeze: "erc3643"}},
		RetryBackoff: 20 * time.Millisecond, MaxRetryBackoff: 50 * time.Millisecond,
		HeadPollInterval: -1,
	})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(r.Close)
	return r
}

// row is a position as the test compares it.
type row struct {
	Customer, Wallet     string
	Total, Frozen, Avail string
	BlockNumber          uint64
	BlockHash            string
}

// independentRows reads every customer wallet at block number n with
// plain eth_calls of balanceOf, getFrozenTokens and isFrozen pinned by
// number, in JSON-RPC batches: neither Multicall3 nor the chain package,
// and the freeze rule of SPEC section 2 applied here.
func independentRows(tb testing.TB, rc *registerChain, n uint64) []row {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	client, err := rpc.DialContext(ctx, rc.node.URL)
	if err != nil {
		tb.Fatal(err)
	}
	defer client.Close()
	var hdr struct {
		Hash common.Hash `json:"hash"`
	}
	if err := client.CallContext(ctx, &hdr, "eth_getBlockByNumber", hexutil.EncodeUint64(n), false); err != nil {
		tb.Fatal(err)
	}
	sel := func(sig string) []byte { return crypto.Keccak256([]byte(sig))[:4] }
	fns := [][]byte{sel("balanceOf(address)"), sel("getFrozenTokens(address)"), sel("isFrozen(address)")}
	var out []row
	after := ""
	for {
		page, more, err := rc.store.List(ctx, portfoliod.ListOptions{Limit: portfoliod.MaxListLimit, StartingAfter: after})
		if err != nil {
			tb.Fatal(err)
		}
		for _, c := range page {
			res := make([]hexutil.Bytes, len(c.Wallets)*len(fns))
			batch := make([]rpc.BatchElem, 0, len(res))
			for i, w := range c.Wallets {
				for j, fn := range fns {
					data := append(append([]byte{}, fn...), common.LeftPadBytes(w.Bytes(), 32)...)
					batch = append(batch, rpc.BatchElem{Method: "eth_call", Result: &res[i*len(fns)+j],
						Args: []any{map[string]any{"to": rc.token.Address, "data": hexutil.Bytes(data)}, hexutil.EncodeUint64(n)}})
				}
			}
			if err := client.BatchCallContext(ctx, batch); err != nil {
				tb.Fatal(err)
			}
			for i, w := range c.Wallets {
				for j := range fns {
					if err := batch[i*len(fns)+j].Error; err != nil {
						tb.Fatal(err)
					}
				}
				total := new(big.Int).SetBytes(res[i*3])
				frozen := new(big.Int).SetBytes(res[i*3+1])
				if new(big.Int).SetBytes(res[i*3+2]).Sign() != 0 || frozen.Cmp(total) > 0 {
					frozen.Set(total)
				}
				out = append(out, row{Customer: c.ID, Wallet: strings.ToLower(w.Hex()), Total: total.String(),
					Frozen: frozen.String(), Avail: new(big.Int).Sub(total, frozen).String(), BlockNumber: n, BlockHash: hdr.Hash.Hex()})
			}
		}
		if !more {
			break
		}
		after = page[len(page)-1].ID
	}
	return out
}

// registerRows reads the register at rep.
func registerRows(ctx context.Context, reg *Register, rep portfoliod.PositionReport) ([]row, error) {
	var out []row
	err := reg.EachPosition(ctx, rep, func(p portfoliod.Position) error {
		out = append(out, row{Customer: p.Customer.ID, Wallet: strings.ToLower(p.Balance.Wallet.Hex()),
			Total: p.Balance.Total.String(), Frozen: p.Balance.Frozen.String(), Avail: p.Balance.Available.String(),
			BlockNumber: rep.Block.Number, BlockHash: rep.Block.Hash.Hex()})
		return nil
	})
	return out, err
}

// The register at a past block equals independent reads at that block,
// row for row, for a few thousand wallets (the head holds other figures
// for every one of them, so a read off the pinned block shows).
func TestRegisterAtPastBlock(t *testing.T) {
	rc := mustRegisterChain(t, 1667, 3) // 5,001 wallets, as issue 12 asks
	reg := NewRegister(rc.store, dialChain(t, rc, rc.node.URL), WithBatches(500, 4))
	ctx := context.Background()
	at := portfoliod.BlockRef{Number: rc.past}
	rep, err := reg.OpenPositions(ctx, portfoliod.ReadOptions{Block: &at})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Block.Number != rc.past || rep.Token.Symbol != "SEC" {
		t.Fatalf("OpenPositions = block %d token %q, want block %d SEC", rep.Block.Number, rep.Token.Symbol, rc.past)
	}
	start := time.Now()
	got, err := registerRows(ctx, reg, rep)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("register of %d wallets read in %s", len(got), time.Since(start).Round(time.Millisecond))
	want := independentRows(t, rc, rc.past)
	if len(want) != rc.wallets {
		t.Fatalf("independent reads gave %d rows, want %d", len(want), rc.wallets)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("register at block %d mismatch (-want +got):\n%s", rc.past, diff)
	}
	// Every figure differs at the head: a row read off the pinned block
	// would show.
	head := independentRows(t, rc, rc.past+5)
	for i := range head {
		if head[i].Total == got[i].Total || head[i].Frozen == got[i].Frozen && got[i].Frozen != "0" {
			t.Fatalf("row %d: the head's figures %+v equal the past block's %+v: the test proves no pinning", i, head[i], got[i])
		}
	}
	// And the past block holds what was written there.
	if want := new(big.Int).Lsh(big.NewInt(1), 70).String(); got[0].Total != want {
		t.Errorf("first row total = %s, want %s as written at block %d", got[0].Total, want, rc.past)
	}
}

// Bad input fails before any balance read: an unconfigured token and a
// block beyond the head.
func TestOpenPositionsErrors(t *testing.T) {
	rc := mustRegisterChain(t, 1, 1)
	reg := NewRegister(rc.store, dialChain(t, rc, rc.node.URL))
	ctx := context.Background()
	if _, err := reg.OpenPositions(ctx, portfoliod.ReadOptions{Token: common.HexToAddress("0x01")}); err != portfoliod.ErrUnknownToken {
		t.Errorf("unknown token: err = %v, want ErrUnknownToken", err)
	}
	far := portfoliod.BlockRef{Number: 1 << 40}
	if _, err := reg.OpenPositions(ctx, portfoliod.ReadOptions{Block: &far}); portfoliod.ErrorCode(err) != portfoliod.EINVALID || portfoliod.ErrorParam(err) != "block" {
		t.Errorf("block beyond the head: err = %v (code %s), want EINVALID about block", err, portfoliod.ErrorCode(err))
	}
}

// A node that starts failing mid-register ends EachPosition with the
// node's error after fewer rows than there are wallets, and a consumer
// that stops (a client gone) stops the node reads: no request reaches the
// node once EachPosition has returned.
func TestRegisterStops(t *testing.T) {
	rc := mustRegisterChain(t, 300, 2)
	t.Run("node fails", func(t *testing.T) {
		proxy := anviltest.NewProxy(t, rc.node.URL)
		reg := NewRegister(rc.store, dialChain(t, rc, proxy.URL), WithBatches(20, 2))
		rep, err := reg.OpenPositions(context.Background(), portfoliod.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		rows := 0
		err = reg.EachPosition(context.Background(), rep, func(portfoliod.Position) error {
			if rows++; rows == 50 {
				proxy.Fail(true)
			}
			return nil
		})
		if portfoliod.ErrorCode(err) != portfoliod.EUNAVAILABLE || rows >= rc.wallets {
			t.Errorf("EachPosition = %v (code %s) after %d of %d rows, want EUNAVAILABLE before the end", err, portfoliod.ErrorCode(err), rows, rc.wallets)
		}
	})
	t.Run("consumer stops", func(t *testing.T) {
		proxy := anviltest.NewProxy(t, rc.node.URL)
		reg := NewRegister(rc.store, dialChain(t, rc, proxy.URL), WithBatches(20, 2))
		rep, err := reg.OpenPositions(context.Background(), portfoliod.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		rows := 0
		err = reg.EachPosition(ctx, rep, func(portfoliod.Position) error {
			if rows++; rows == 30 {
				cancel()
			}
			return nil
		})
		if err != context.Canceled {
			t.Errorf("EachPosition = %v, want context.Canceled", err)
		}
		// A request cancelled as it was sent may still reach the proxy
		// just after the return (the proxy counts on receipt): count from
		// a moment later, so what is measured is new work.
		time.Sleep(100 * time.Millisecond)
		n := proxy.Requests()
		time.Sleep(300 * time.Millisecond)
		if later := proxy.Requests(); later != n {
			t.Errorf("%d node requests after EachPosition returned", later-n)
		}
		if n > 12 {
			t.Errorf("%d node requests for 30 rows of batches of 20, 2 in flight: the reads ran ahead unbounded", n)
		}
	})
}

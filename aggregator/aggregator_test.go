package aggregator

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/customers/bolt"
)

// fakeReader stands in for the node where a real one cannot produce the
// case: a read that hangs, or one that returns a malformed result. Chain
// semantics are tested against anvil and the simulated chain in chain/ and
// end to end in api/ and cmd/.
type fakeReader struct {
	tokens []portfoliod.Token
	calls  atomic.Int64
	fn     func(ctx context.Context, at portfoliod.BlockRef, token common.Address, wallets []common.Address) (portfoliod.Snapshot, error)
}

// Balances rejects an unconfigured token as portfoliod.Reader does, before the
// "node" is asked.
func (f *fakeReader) Balances(ctx context.Context, at portfoliod.BlockRef, token common.Address, wallets []common.Address) (portfoliod.Snapshot, error) {
	if !slices.ContainsFunc(f.tokens, func(t portfoliod.Token) bool { return t.Address == token }) {
		return portfoliod.Snapshot{}, fmt.Errorf("%w: %s", portfoliod.ErrUnknownToken, token.Hex())
	}
	f.calls.Add(1)
	return f.fn(ctx, at, token, wallets)
}

func (f *fakeReader) Tokens() []portfoliod.Token { return f.tokens }

var (
	tokenA = common.HexToAddress("0x00000000000000000000000000000000000000a1")
	tokenB = common.HexToAddress("0x00000000000000000000000000000000000000b2")
	w1     = common.HexToAddress("0x0000000000000000000000000000000000000001")
	w2     = common.HexToAddress("0x0000000000000000000000000000000000000002")
)

// echo returns total = last byte of the wallet, nothing frozen.
func echo(_ context.Context, at portfoliod.BlockRef, token common.Address, wallets []common.Address) (portfoliod.Snapshot, error) {
	s := portfoliod.Snapshot{Block: portfoliod.Block{Number: 7}, Token: token}
	for _, w := range wallets {
		t := big.NewInt(int64(w[19]))
		s.Balances = append(s.Balances, portfoliod.Balance{Wallet: w, Total: t, Frozen: new(big.Int), Available: t})
	}
	return s, nil
}

func mustStore(tb testing.TB) *bolt.Store {
	tb.Helper()
	s, err := bolt.Open(filepath.Join(tb.TempDir(), "agg.db"), bolt.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func TestPortfolio(t *testing.T) {
	store := mustStore(t)
	ctx := context.Background()
	c, err := store.Create(ctx, portfoliod.Customer{Type: portfoliod.Individual, CountryCode: "US", Wallets: []common.Address{w2, w1}})
	if err != nil {
		t.Fatal(err)
	}
	r := &fakeReader{tokens: []portfoliod.Token{{Address: tokenA}, {Address: tokenB}}, fn: echo}
	svc := New(store, r)

	t.Run("default token, wallet order kept", func(t *testing.T) {
		p, err := svc.Portfolio(ctx, c.ID, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if p.Token != tokenA {
			t.Errorf("token = %s, want the first configured", p.Token.Hex())
		}
		var got []string
		for i, b := range p.Balances {
			if b.Wallet != p.Customer.Wallets[i] {
				t.Errorf("balance %d is for %s, wallet is %s", i, b.Wallet.Hex(), p.Customer.Wallets[i].Hex())
			}
			got = append(got, b.Total.String())
		}
		want := make([]string, len(p.Customer.Wallets))
		for i, w := range p.Customer.Wallets {
			want[i] = big.NewInt(int64(w[19])).String()
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Portfolio(%q) totals mismatch (-want +got):\n%s", c.ID, diff)
		}
	})
	t.Run("explicit token", func(t *testing.T) {
		p, err := svc.Portfolio(ctx, c.ID, Options{Token: tokenB})
		if err != nil || p.Token != tokenB {
			t.Fatalf("token = %s, err %v", p.Token.Hex(), err)
		}
	})
	t.Run("block", func(t *testing.T) {
		var asked []portfoliod.BlockRef
		r := &fakeReader{tokens: []portfoliod.Token{{Address: tokenA}}, fn: func(ctx context.Context, at portfoliod.BlockRef, token common.Address, ws []common.Address) (portfoliod.Snapshot, error) {
			asked = append(asked, at)
			return echo(ctx, at, token, ws)
		}}
		svc := New(store, r)
		genesis, safe := portfoliod.BlockRef{Number: 0}, portfoliod.BlockRef{Tag: portfoliod.Safe}
		for _, o := range []Options{{}, {Block: &genesis}, {Block: &safe}} {
			if _, err := svc.Portfolio(ctx, c.ID, o); err != nil {
				t.Fatal(err)
			}
		}
		// Block 0 is the genesis block, not "unset".
		if diff := cmp.Diff([]portfoliod.BlockRef{portfoliod.LatestBlock, genesis, safe}, asked); diff != "" {
			t.Errorf("blocks asked of the reader (-want +got):\n%s", diff)
		}
	})
	t.Run("unknown token", func(t *testing.T) {
		_, err := svc.Portfolio(ctx, c.ID, Options{Token: w1})
		if !errors.Is(err, portfoliod.ErrUnknownToken) {
			t.Fatalf("err = %v, want ErrUnknownToken", err)
		}
	})
	t.Run("unknown customer reads no chain", func(t *testing.T) {
		before := r.calls.Load()
		_, err := svc.Portfolio(ctx, "customer_000000000000", Options{})
		if !errors.Is(err, portfoliod.ErrCustomerNotFound) {
			t.Fatalf("err = %v, want ErrNotFound", err)
		}
		if r.calls.Load() != before {
			t.Error("chain was read for an unknown customer")
		}
	})
}

func TestPortfolioNeverReturnsUnreadBalances(t *testing.T) {
	store := mustStore(t)
	ctx := context.Background()
	c, err := store.Create(ctx, portfoliod.Customer{Type: portfoliod.Individual, CountryCode: "US", Wallets: []common.Address{w1, w2}})
	if err != nil {
		t.Fatal(err)
	}
	readErr := &portfoliod.ReadError{Token: tokenA, Wallet: w2, Function: "getFrozenTokens(address)", Reason: "reverted"}
	tests := []struct {
		name string
		fn   func(ctx context.Context, at portfoliod.BlockRef, token common.Address, wallets []common.Address) (portfoliod.Snapshot, error)
		want error
	}{
		{"read error passes through", func(context.Context, portfoliod.BlockRef, common.Address, []common.Address) (portfoliod.Snapshot, error) {
			return portfoliod.Snapshot{}, readErr
		}, readErr},
		{"node down", func(context.Context, portfoliod.BlockRef, common.Address, []common.Address) (portfoliod.Snapshot, error) {
			return portfoliod.Snapshot{}, portfoliod.ErrChainUnavailable
		}, portfoliod.ErrChainUnavailable},
		{"short snapshot is an error, not a partial portfolio", func(ctx context.Context, at portfoliod.BlockRef, token common.Address, wallets []common.Address) (portfoliod.Snapshot, error) {
			s, _ := echo(ctx, at, token, wallets[:1])
			return s, nil
		}, nil},
		{"balances for other wallets are an error, not a mispaired portfolio", func(ctx context.Context, at portfoliod.BlockRef, token common.Address, wallets []common.Address) (portfoliod.Snapshot, error) {
			s, err := echo(ctx, at, token, wallets)
			s.Balances[0], s.Balances[1] = s.Balances[1], s.Balances[0]
			return s, err
		}, nil},
		{"hang ends with the context", func(ctx context.Context, _ portfoliod.BlockRef, _ common.Address, _ []common.Address) (portfoliod.Snapshot, error) {
			<-ctx.Done()
			return portfoliod.Snapshot{}, ctx.Err()
		}, context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := New(store, &fakeReader{tokens: []portfoliod.Token{{Address: tokenA}}, fn: tt.fn})
			ctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
			defer cancel()
			start := time.Now()
			p, err := svc.Portfolio(ctx, c.ID, Options{})
			if err == nil {
				t.Fatalf("Portfolio succeeded with %d balances, want an error", len(p.Balances))
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %s", d)
			}
		})
	}
}

// A burst over the in-flight bound queues for the wait, then sheds with
// ErrOverloaded instead of reaching the node.
func TestMaxInFlightSheds(t *testing.T) {
	store := mustStore(t)
	ctx := context.Background()
	release := make(chan struct{})
	started := make(chan struct{}, 4)
	r := &fakeReader{tokens: []portfoliod.Token{{Address: tokenA}}, fn: func(ctx context.Context, at portfoliod.BlockRef, token common.Address, wallets []common.Address) (portfoliod.Snapshot, error) {
		started <- struct{}{}
		<-release
		return echo(ctx, at, token, wallets)
	}}
	svc := New(store, r, WithMaxInFlight(2, 50*time.Millisecond))
	errc := make(chan error, 2)
	for i := 0; i < 2; i++ {
		go func() { _, err := svc.Wallet(ctx, w1, Options{}); errc <- err }()
	}
	<-started
	<-started
	start := time.Now()
	_, err := svc.Wallet(ctx, w1, Options{})
	if !errors.Is(err, portfoliod.ErrOverloaded) {
		t.Fatalf("third read err = %v, want ErrOverloaded", err)
	}
	if d := time.Since(start); d < 40*time.Millisecond || d > time.Second {
		t.Errorf("shed after %s, want about the 50ms queue wait", d)
	}
	close(release)
	for i := 0; i < 2; i++ {
		if err := <-errc; err != nil {
			t.Errorf("in-flight read failed: %v", err)
		}
	}
	if _, err := svc.Wallet(ctx, w1, Options{}); err != nil {
		t.Errorf("read after the burst: %v", err)
	}
}

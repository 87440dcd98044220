package chain_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/sync/errgroup"

	"github.com/portfoliod/portfoliod/abi/trextoken"
	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/internal/anviltest"
)

func TestReadErrors(t *testing.T) {
	for _, start := range testNets() {
		net := start(t)
		t.Run(net.name, func(t *testing.T) {
			broken := net.chain.DeployToken(t, anviltest.Broken, "Broken", "BRK", 18)
			plain := net.chain.DeployToken(t, anviltest.Plain, "Plain", "PLN", 18)
			holder := common.HexToAddress("0x00000000000000000000000000000000000b0b01")
			broken.Mint(t, holder, bi(10))
			wallets := []common.Address{common.HexToAddress("0x00000000000000000000000000000000000b0b00"), holder}
			tests := []struct {
				name string
				tc   chain.TokenConfig
				want *chain.ReadError
			}{
				{name: "revert", tc: chain.TokenConfig{Address: broken.Address, Freeze: "erc3643"},
					want: &chain.ReadError{Token: broken.Address, Wallet: wallets[0], Function: "getFrozenTokens(address)", Reason: "reverted: frozen view broken"}},
				{name: "malformed", tc: chain.TokenConfig{Address: broken.Address, Freeze: "oz-freezable"},
					want: &chain.ReadError{Token: broken.Address, Wallet: wallets[0], Function: "frozen(address)", Reason: "malformed return data: 7 bytes, want 32"}},
				{name: "missing function", tc: chain.TokenConfig{Address: plain.Address, Freeze: "custom", FlagFns: []string{"isSanctioned(address)"}},
					want: &chain.ReadError{Token: plain.Address, Wallet: wallets[0], Function: "isSanctioned(address)", Reason: "reverted"}},
			}
			for _, tt := range tests {
				for _, mode := range strategies {
					t.Run(tt.name+"/"+mode, func(t *testing.T) {
						r := mustDial(t, dialConfig(net, mode, tt.tc))
						snap, err := r.Balances(context.Background(), chain.LatestBlock, tt.tc.Address, wallets)
						var got *chain.ReadError
						if !errors.As(err, &got) {
							t.Fatalf("Balances = %+v, %v; want a *ReadError", snap, err)
						}
						if diff := cmp.Diff(tt.want, got); diff != "" {
							t.Errorf("Balances error mismatch (-want +got):\n%s", diff)
						}
						if snap.Balances != nil {
							t.Errorf("Balances returned values with the error: %+v", snap.Balances)
						}
					})
				}
			}
		})
	}
}

// TestHistoricBlock reads an older block: values are those of that block.
func TestHistoricBlock(t *testing.T) {
	net := startAnvil(t)
	tok := net.chain.DeployToken(t, anviltest.ERC7943, "T", "T", 0)
	w := common.HexToAddress("0x0000000000000000000000000000000000012345")
	tok.Mint(t, w, bi(10))
	for _, mode := range strategies {
		t.Run(mode, func(t *testing.T) {
			r := mustDial(t, dialConfig(net, mode, chain.TokenConfig{Address: tok.Address, Freeze: "erc7943"}))
			before, err := r.Balances(context.Background(), chain.LatestBlock, tok.Address, []common.Address{w, w})
			if err != nil {
				t.Fatal(err)
			}
			tok.SetFrozen(t, w, bi(3))
			again, err := r.Balances(context.Background(), chain.BlockRef{Number: before.Block.Number}, tok.Address, []common.Address{w})
			if err != nil {
				t.Fatal(err)
			}
			want := []chain.Balance{balance(w, bi(10), bi(0))}
			if diff := cmp.Diff(want, again.Balances, bigCmp); diff != "" {
				t.Errorf("Balances(block %d) mismatch (-want +got):\n%s", before.Block.Number, diff)
			}
			if diff := cmp.Diff(append(want, want...), before.Balances, bigCmp); diff != "" {
				t.Errorf("Balances(duplicate wallets) mismatch (-want +got):\n%s", diff)
			}
			now, err := r.Balances(context.Background(), chain.LatestBlock, tok.Address, []common.Address{w})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]chain.Balance{balance(w, bi(10), bi(3))}, now.Balances, bigCmp); diff != "" {
				t.Errorf("Balances(latest) mismatch (-want +got):\n%s", diff)
			}
			tok.SetFrozen(t, w, bi(0))
		})
	}
}

// TestThousandWalletsWhileMining takes 1,000-wallet snapshots in several
// chunks and HTTP requests while another goroutine mines transactions that
// change those very wallets: every value must equal the single-call value
// at the snapshot's block.
func TestThousandWalletsWhileMining(t *testing.T) {
	net := startAnvil(t)
	tok := net.chain.DeployToken(t, anviltest.TREX, "T", "T", 0)
	wallets := seqWallets(1000, 0x20000)
	for i := 0; i < len(wallets); i += 100 {
		tok.Mint(t, wallets[i], bi(int64(1000+i)))
	}

	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	miner := make(chan int)
	go func() {
		defer close(miner)
		n := 0
		for i := 0; ctx.Err() == nil; i++ {
			// Mostly wallets of the later chunks, which are read after
			// several blocks have been mined.
			pick := func(i int) common.Address { return wallets[len(wallets)-1-(i*7)%(len(wallets)/2)] }
			data := trextoken.NewTREXToken().PackMint(pick(i), bi(int64(i+1)))
			if i%3 == 2 { // freeze part of what the previous step minted
				data = trextoken.NewTREXToken().PackFreezePartialTokens(pick(i-1), bi(1))
			}
			if _, err := net.chain.TryTransact(tok.Owner, tok.Address, data); err != nil {
				if ctx.Err() == nil {
					t.Errorf("miner: %v", err)
				}
				return
			}
			n++
		}
		miner <- n
	}()

	for _, mode := range strategies {
		t.Run(mode, func(t *testing.T) {
			cfg := dialConfig(net, mode, chain.TokenConfig{Address: tok.Address, Freeze: "erc3643"})
			cfg.MaxCallsPerBatch = 150 // 50 wallets per chunk: 20 chunks
			// One request at a time, each after a new block: the snapshot
			// spans several blocks and must still read only its own.
			cfg.MaxConcurrency = 1
			waiter := &blockWaiter{tb: t, c: net.chain}
			cfg.Observer = waiter
			r := mustDial(t, cfg)
			waiter.armed.Store(true)
			before := r.Stats()[0].Requests
			snap, err := r.Balances(context.Background(), chain.LatestBlock, tok.Address, wallets)
			if err != nil {
				t.Fatal(err)
			}
			// Batch mode sends one HTTP request per chunk; the multicall
			// modes up to 16 chunks per request: 16, then 4.
			requests := uint64(20)
			if mode != chain.ModeBatch {
				requests = 2
			}
			if got, want := r.Stats()[0].Requests-before, 1+requests; got != want {
				t.Errorf("node requests = %d, want %d (one block lookup, %d for the chunks)", got, want, requests)
			}
			head, err := net.chain.Client.HeaderByNumber(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			want := make([]chain.Balance, len(wallets))
			g := new(errgroup.Group)
			g.SetLimit(8)
			for i, w := range wallets {
				g.Go(func() error {
					total, frozen, _ := truth(t, net.chain, tok, w, snap.Block.Number)
					want[i] = balance(w, total, frozen)
					return nil
				})
			}
			_ = g.Wait()
			if diff := cmp.Diff(want, snap.Balances, bigCmp); diff != "" {
				t.Errorf("Balances at block %d mismatch with single calls (-want +got):\n%s", snap.Block.Number, diff)
			}
			if head.Number.Uint64() < snap.Block.Number+requests {
				t.Errorf("head %d: fewer than %d blocks mined during the snapshot at %d", head.Number, requests, snap.Block.Number)
			}
			t.Logf("%s: snapshot at block %d, head %d after verification", mode, snap.Block.Number, head.Number)
		})
	}
	stop()
	if n := <-miner; n < 3 {
		t.Errorf("only %d transactions mined during the snapshots", n)
	}
}

// blockWaiter is an Observer that, once armed, holds every chunk's call
// until the chain has a new block.
type blockWaiter struct {
	tb    testing.TB
	c     *anviltest.Chain
	armed atomic.Bool
	mu    sync.Mutex
	last  uint64
}

func (b *blockWaiter) OnBatch(int) {}

func (b *blockWaiter) OnCache(int, int) {}

func (b *blockWaiter) OnHead(uint64, time.Time) {}

func (b *blockWaiter) OnCall(method, _, _ string, _ time.Duration) {
	if !b.armed.Load() || (method != "eth_call" && method != "batch:eth_call") {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		h, err := b.c.Client.HeaderByNumber(context.Background(), nil)
		if err == nil && h.Number.Uint64() > b.last {
			b.last = h.Number.Uint64()
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	b.tb.Errorf("no new block within 5s")
	b.armed.Store(false)
}

// TestMulticallGas checks that a chunk of 1,000 (and 3,000) sub-calls fits
// far below DefaultCallGas.
func TestMulticallGas(t *testing.T) {
	net := startAnvil(t)
	tok := net.chain.DeployToken(t, anviltest.TREX, "T", "T", 0)
	wallets := seqWallets(1000, 0x30000)
	tok.Mint(t, wallets[0], bi(1))
	for _, calls := range []int{1000, 3000} {
		t.Run(fmt.Sprint(calls), func(t *testing.T) {
			gas := estimateAggregate3(t, net, tok.Address, wallets, calls)
			t.Logf("aggregate3 with %d erc3643 sub-calls: %d gas (%d per sub-call)", calls, gas, gas/uint64(calls))
			if gas > chain.DefaultCallGas/2 {
				t.Errorf("aggregate3 with %d sub-calls needs %d gas, more than half of DefaultCallGas", calls, gas)
			}
		})
	}
}

// TestBatchAboveNodeLimit: geth answers a JSON-RPC batch above its limit
// (1000) with one error; that is a clear error, never a *ReadError or zeros.
func TestBatchAboveNodeLimit(t *testing.T) {
	net := startSimulated(t)
	tok := net.chain.DeployToken(t, anviltest.Plain, "P", "P", 0)
	cfg := dialConfig(net, chain.ModeBatch, chain.TokenConfig{Address: tok.Address})
	cfg.MaxCallsPerBatch = 1500
	r := mustDial(t, cfg)
	wallets := seqWallets(1500, 1) // distinct: duplicates are read once
	snap, err := r.Balances(context.Background(), chain.LatestBlock, tok.Address, wallets)
	var readErr *chain.ReadError
	if err == nil || errors.As(err, &readErr) || !strings.Contains(err.Error(), "max_calls_per_batch") {
		t.Fatalf("Balances = %d balances, %v; want an error pointing at max_calls_per_batch", len(snap.Balances), err)
	}
}

// TestBlockBeforeMulticall3 reads a block from before Multicall3 was
// deployed, as an archive node serves them: auto mode, which chose the
// deployed contract, reads it with the state override instead, and
// explicit contract mode says why it cannot, rather than failing without a
// reason.
func TestBlockBeforeMulticall3(t *testing.T) {
	n := anviltest.Start(t)
	c := n.Chain(t)
	tok := c.DeployToken(t, anviltest.ERC7943, "T", "T", 0)
	w := common.HexToAddress("0x0000000000000000000000000000000000012346")
	tok.Mint(t, w, bi(10))
	tok.SetFrozen(t, w, bi(4))
	net := &testNet{name: "anvil", chain: c, url: n.URL, chainID: n.ChainID, node: n}
	tc := chain.TokenConfig{Address: tok.Address, Freeze: "erc7943"}
	before, err := mustDial(t, dialConfig(net, chain.ModeBatch, tc)).Balances(context.Background(), chain.LatestBlock, tok.Address, []common.Address{w})
	if err != nil {
		t.Fatal(err)
	}
	// anvil_setCode changes the latest block's state in place: mine past
	// the block read first.
	n.Mine(t, 1)
	anviltest.PlaceMulticall3(t, n.URL)
	n.Mine(t, 1)
	at := chain.BlockRef{Number: before.Block.Number}

	r := mustDial(t, dialConfig(net, chain.ModeAuto, tc))
	if r.Mode() != chain.ModeContract {
		t.Fatalf("auto mode chose %q, want contract", r.Mode())
	}
	got, err := r.Balances(context.Background(), at, tok.Address, []common.Address{w})
	if err != nil {
		t.Fatalf("auto mode at block %d (before Multicall3): %v", at.Number, err)
	}
	if diff := cmp.Diff([]chain.Balance{balance(w, bi(10), bi(4))}, got.Balances, bigCmp); diff != "" {
		t.Errorf("Balances(block %d) mismatch (-want +got):\n%s", at.Number, diff)
	}

	_, err = mustDial(t, dialConfig(net, chain.ModeContract, tc)).Balances(context.Background(), at, tok.Address, []common.Address{w})
	var re *chain.ReadError
	if !errors.As(err, &re) || re.Token != tok.Address || !strings.Contains(re.Reason, "no code at block") {
		t.Errorf("contract mode before Multicall3: %v, want a *ReadError saying Multicall3 has no code", err)
	}
}

// TestNodeExecutionError gives the token code that loops until it runs out
// of gas, so the node answers the whole eth_call with an error rather than
// a failed sub-call: every strategy reports a *ReadError for the token
// (a 502), none an unclassified error (a 500).
func TestNodeExecutionError(t *testing.T) {
	net := startAnvil(t)
	tok := net.chain.DeployToken(t, anviltest.Plain, "Plain", "PLN", 18)
	// Each looping sub-call burns 63/64 of the gas left, so after a few
	// the aggregate3 frame itself runs out: the node's answer is an error.
	wallets := seqWallets(8, 0xb0b10)
	tc := chain.TokenConfig{Address: tok.Address}
	readers := map[string]*chain.Reader{}
	for _, mode := range strategies {
		readers[mode] = mustDial(t, dialConfig(net, mode, tc)) // Dial reads the metadata of a working token
	}
	anviltest.SetCode(t, net.url, tok.Address, common.FromHex("0x5b600056")) // JUMPDEST PUSH1 0 JUMP: loops forever
	for _, mode := range strategies {
		t.Run(mode, func(t *testing.T) {
			snap, err := readers[mode].Balances(context.Background(), chain.LatestBlock, tok.Address, wallets)
			var re *chain.ReadError
			if !errors.As(err, &re) || re.Token != tok.Address {
				t.Fatalf("Balances = %+v, %v; want a *ReadError for token %s", snap.Balances, err, tok.Address.Hex())
			}
			if snap.Balances != nil {
				t.Errorf("values returned with the error: %+v", snap.Balances)
			}
		})
	}
}

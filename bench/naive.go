package main

import (
	"context"
	"fmt"
	"math/big"
	"net/http"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/portfoliod/portfoliod/abi/trextoken"
)

// naiveMaxConnsPerHost caps the baseline's connections to the node. The
// baseline otherwise uses Go's default transport (2 idle connections per
// host), as a naive client would; without a cap, 16 clients × 3,000
// goroutines would open more sockets than the file-descriptor limit.
const naiveMaxConnsPerHost = 512

// naiveReader is the baseline: the same portfolio as portfoliod, computed
// with one goroutine and one eth_call per value (balanceOf, getFrozenTokens,
// isFrozen for each wallet), no batching, no cache. Like portfoliod it pins
// every call to one block (resolved first with eth_getBlockByNumber), so its
// answer is comparable value for value.
type naiveReader struct {
	rpc   *rpcClient
	token common.Address
	abi   *trextoken.TREXToken
}

func newNaiveReader(nodeURL string, token common.Address) *naiveReader {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxConnsPerHost = naiveMaxConnsPerHost
	return &naiveReader{
		rpc:   &rpcClient{url: nodeURL, hc: &http.Client{Transport: tr, Timeout: 2 * time.Minute}},
		token: token,
		abi:   trextoken.NewTREXToken(),
	}
}

// walletBalance is one wallet's balances, in base units.
type walletBalance struct {
	Wallet    common.Address
	Total     *big.Int
	Frozen    *big.Int
	Available *big.Int
}

// naivePortfolio is the baseline's answer.
type naivePortfolio struct {
	Block    uint64
	Hash     common.Hash
	Balances []walletBalance
}

// Portfolio reads wallets at the latest block. Any failed read fails the
// portfolio: an amount that could not be read is never reported as 0.
func (n *naiveReader) Portfolio(ctx context.Context, wallets []common.Address) (naivePortfolio, error) {
	num, hash, err := n.rpc.headerByTag(ctx, "latest")
	if err != nil {
		return naivePortfolio{}, err
	}
	at := map[string]any{"blockHash": hash}
	totals := make([]*big.Int, len(wallets))
	amounts := make([]*big.Int, len(wallets))
	flags := make([]bool, len(wallets))

	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
	}
	for i, w := range wallets {
		wg.Add(3)
		go func() {
			defer wg.Done()
			v, err := ethCallDecode(ctx, n.rpc, n.token, n.abi.PackBalanceOf(w), at, n.abi.UnpackBalanceOf)
			if err != nil {
				fail(fmt.Errorf("balanceOf(%s): %w", w.Hex(), err))
			}
			totals[i] = v
		}()
		go func() {
			defer wg.Done()
			v, err := ethCallDecode(ctx, n.rpc, n.token, n.abi.PackGetFrozenTokens(w), at, n.abi.UnpackGetFrozenTokens)
			if err != nil {
				fail(fmt.Errorf("getFrozenTokens(%s): %w", w.Hex(), err))
			}
			amounts[i] = v
		}()
		go func() {
			defer wg.Done()
			v, err := ethCallDecode(ctx, n.rpc, n.token, n.abi.PackIsFrozen(w), at, n.abi.UnpackIsFrozen)
			if err != nil {
				fail(fmt.Errorf("isFrozen(%s): %w", w.Hex(), err))
			}
			flags[i] = v
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return naivePortfolio{}, firstErr
	}
	out := naivePortfolio{Block: num, Hash: hash, Balances: make([]walletBalance, len(wallets))}
	for i, w := range wallets {
		out.Balances[i] = balanceOf(w, totals[i], amounts[i], flags[i])
	}
	return out, nil
}

// balanceOf applies the ERC-3643 freeze model of SPEC section 2:
// frozen = isFrozen ? total : min(total, getFrozenTokens).
func balanceOf(w common.Address, total, frozenAmount *big.Int, addressFrozen bool) walletBalance {
	frozen := new(big.Int).Set(frozenAmount)
	if addressFrozen || frozen.Cmp(total) > 0 {
		frozen.Set(total)
	}
	return walletBalance{Wallet: w, Total: total, Frozen: frozen, Available: new(big.Int).Sub(total, frozen)}
}

// expectedBalances is what a correct reader must report for holdings.
func expectedBalances(hs []holding) []walletBalance {
	out := make([]walletBalance, len(hs))
	for i, h := range hs {
		out[i] = balanceOf(h.Wallet, h.Total, h.FrozenPartial, h.AddressFrozen)
	}
	return out
}

func walletsOf(hs []holding) []common.Address {
	out := make([]common.Address, len(hs))
	for i, h := range hs {
		out[i] = h.Wallet
	}
	return out
}

// compareBalances returns an error naming the first difference.
func compareBalances(want, got []walletBalance) error {
	if len(want) != len(got) {
		return fmt.Errorf("%d wallets, want %d", len(got), len(want))
	}
	for i := range want {
		w, g := want[i], got[i]
		if w.Wallet != g.Wallet || w.Total.Cmp(g.Total) != 0 || w.Frozen.Cmp(g.Frozen) != 0 || w.Available.Cmp(g.Available) != 0 {
			return fmt.Errorf("wallet %d %s: got total %s frozen %s available %s, want %s %s %s",
				i, w.Wallet.Hex(), g.Total, g.Frozen, g.Available, w.Total, w.Frozen, w.Available)
		}
	}
	return nil
}

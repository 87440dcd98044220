package anviltest

import (
	"context"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"
)

// Holding is one wallet's state in a TREX token: its balance, the part of
// it frozen, and whether the whole address is frozen.
type Holding struct {
	Wallet        common.Address
	Total         *big.Int
	FrozenPartial *big.Int // nil: none
	AddressFrozen bool
}

// Storage slots of TREXToken (contracts/ERC20.sol then TREXToken.sol):
// balanceOf 5, _frozen 8, _frozenTokens 9 (bench/chainsetup.go uses the
// same layout). WriteHoldings checks them by reading values back.
const (
	slotBalanceOf    = 5
	slotFrozen       = 8
	slotFrozenTokens = 9
)

// WriteHoldings writes every holding straight into the storage of TREX
// token t with anvil_setStorageAt, in JSON-RPC batches (thousands of
// wallets take well under a second, where mints would take minutes), then
// mines blocks and returns the number of one that holds the new state and
// keeps it: later writes change only the blocks after it. Total
// supply is not adjusted: readers of a holder register do not read it. It
// reads the first holdings back through the ABI to prove the layout.
func (t *Token) WriteHoldings(tb testing.TB, hs []Holding) uint64 {
	tb.Helper()
	if t.Kind != TREX {
		tb.Fatalf("anviltest: WriteHoldings needs a TREX token, not %s", t.Kind)
	}
	ctx, cancel := context.WithTimeout(context.Background(), txTimeout)
	defer cancel()
	client, err := rpc.DialContext(ctx, t.Chain.RPCURL)
	if err != nil {
		tb.Fatalf("anviltest: dial: %v", err)
	}
	defer client.Close()
	var batch []rpc.BatchElem
	flush := func() {
		if len(batch) == 0 {
			return
		}
		if err := client.BatchCallContext(ctx, batch); err != nil {
			tb.Fatalf("anviltest: anvil_setStorageAt batch: %v", err)
		}
		for _, e := range batch {
			if e.Error != nil {
				tb.Fatalf("anviltest: anvil_setStorageAt: %v", e.Error)
			}
		}
		batch = batch[:0]
	}
	set := func(w common.Address, slot int64, v *big.Int) {
		key := crypto.Keccak256Hash(common.LeftPadBytes(w.Bytes(), 32), common.LeftPadBytes(big.NewInt(slot).Bytes(), 32))
		batch = append(batch, rpc.BatchElem{Method: "anvil_setStorageAt", Result: new(any),
			Args: []any{t.Address, key, common.BigToHash(v)}})
		if len(batch) == 500 {
			flush()
		}
	}
	for _, h := range hs {
		set(h.Wallet, slotBalanceOf, h.Total)
		partial := h.FrozenPartial
		if partial == nil {
			partial = new(big.Int)
		}
		set(h.Wallet, slotFrozenTokens, partial)
		flag := new(big.Int)
		if h.AddressFrozen {
			flag.SetInt64(1)
		}
		set(h.Wallet, slotFrozen, flag)
	}
	flush()
	// anvil_setStorageAt changes the state of the latest block in place,
	// and the next one's until a block is mined on top: two blocks, so
	// that the first keeps the holdings whatever is written after.
	var head string
	if err := client.CallContext(ctx, nil, "anvil_mine", hexutil.Uint64(2)); err != nil {
		tb.Fatalf("anviltest: anvil_mine: %v", err)
	}
	if err := client.CallContext(ctx, &head, "eth_blockNumber"); err != nil {
		tb.Fatalf("anviltest: eth_blockNumber: %v", err)
	}
	for i := 0; i < len(hs) && i < 3; i++ {
		if got := t.BalanceOf(tb, hs[i].Wallet); got.Cmp(hs[i].Total) != 0 {
			tb.Fatalf("anviltest: WriteHoldings: balanceOf(%s) = %s after writing %s: the storage layout changed", hs[i].Wallet.Hex(), got, hs[i].Total)
		}
	}
	n, ok := new(big.Int).SetString(head[2:], 16)
	if !ok {
		tb.Fatalf("anviltest: eth_blockNumber answered %q", head)
	}
	return n.Uint64() - 1
}

package anviltest

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/portfoliod/portfoliod/abi/multicall3"
	"github.com/portfoliod/portfoliod/devnet"
)

// txTimeout bounds one helper's node calls, including waiting for a receipt.
const txTimeout = 30 * time.Second

// Backend is the client side of a test chain: an *ethclient.Client dialled
// to anvil, or the simulated.Client of an in-process simulated chain. It is
// what abigen v2's bind functions need.
type Backend interface {
	bind.ContractBackend
	bind.DeployBackend
	ChainID(ctx context.Context) (*big.Int, error)
}

// Chain is a chain a test sends transactions to: an anvil node (Node.Chain)
// or go-ethereum's in-process simulated chain (NewSimulated). Its helpers
// sign with the given key, wait for the receipt and fail the test on any
// error. Safe for concurrent use as long as concurrent senders use
// different keys.
type Chain struct {
	// Client talks to the chain.
	Client Backend
	// ChainID is the id transactions are signed for.
	ChainID *big.Int
	// RPCURL is the node's HTTP endpoint; empty for a simulated chain.
	RPCURL string
	// Sim is the simulated chain; nil for anvil. Helpers commit a block
	// after each transaction they send.
	Sim *simulated.Backend
}

// Chain dials the node and returns a Chain for it; the client is closed when
// the test ends. The Chain keeps working across Restart (on a fresh state).
func (n *Node) Chain(tb testing.TB) *Chain {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), txTimeout)
	defer cancel()
	client, err := ethclient.DialContext(ctx, n.URL)
	if err != nil {
		tb.Fatalf("anviltest: dial %s: %v", n.URL, err)
	}
	tb.Cleanup(client.Close)
	return &Chain{Client: client, ChainID: new(big.Int).SetUint64(n.ChainID), RPCURL: n.URL}
}

// NewSimulated starts go-ethereum's in-process simulated chain (chain id
// 1337, a block only on Commit) with the DevKey accounts funded with 10000
// ether each, plus alloc (e.g. Multicall3Alloc()). It is closed when the test
// ends.
func NewSimulated(tb testing.TB, alloc types.GenesisAlloc) *Chain {
	tb.Helper()
	genesis := types.GenesisAlloc{}
	funds := new(big.Int).Mul(big.NewInt(10_000), big.NewInt(1e18))
	for i := range DevKeys {
		genesis[DevAddress(i)] = types.Account{Balance: new(big.Int).Set(funds)}
	}
	for addr, acc := range alloc {
		genesis[addr] = acc
	}
	sim := simulated.NewBackend(genesis)
	tb.Cleanup(func() { _ = sim.Close() })
	client := sim.Client()
	ctx, cancel := context.WithTimeout(context.Background(), txTimeout)
	defer cancel()
	id, err := client.ChainID(ctx)
	if err != nil {
		tb.Fatalf("anviltest: simulated chain id: %v", err)
	}
	return &Chain{Client: client, ChainID: id, Sim: sim}
}

// Multicall3Alloc returns a genesis alloc placing Multicall3's runtime code at
// its canonical address, for NewSimulated.
func Multicall3Alloc() types.GenesisAlloc {
	return types.GenesisAlloc{
		multicall3.Address: {Code: multicall3.RuntimeCode, Balance: new(big.Int)},
	}
}

// Deploy deploys the contract described by meta (an abigen v2
// <Name>MetaData) from key with the ABI-encoded constructorInput (from
// New<Name>().PackConstructor, or nil) and returns its address once mined.
func (c *Chain) Deploy(tb testing.TB, key *ecdsa.PrivateKey, meta *bind.MetaData, constructorInput []byte) common.Address {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), txTimeout)
	defer cancel()
	addr, tx, err := bind.DeployContract(c.transactOpts(ctx, key), common.FromHex(meta.Bin), c.Client, constructorInput)
	if err != nil {
		tb.Fatalf("anviltest: deploy %s: %v", meta.ID, err)
	}
	if _, err := c.waitMined(ctx, tx); err != nil {
		tb.Fatalf("anviltest: deploy %s: %v", meta.ID, err)
	}
	return addr
}

// Transact sends data to the contract at to, signed by key, and returns the
// receipt once mined. The test fails if the transaction cannot be sent (for
// example because gas estimation hits a revert) or does not succeed.
func (c *Chain) Transact(tb testing.TB, key *ecdsa.PrivateKey, to common.Address, data []byte) *types.Receipt {
	tb.Helper()
	receipt, err := c.TryTransact(key, to, data)
	if err != nil {
		tb.Fatalf("anviltest: transact to %s from %s: %v", to, crypto.PubkeyToAddress(key.PublicKey), err)
	}
	return receipt
}

// TryTransact is Transact returning the error instead of failing the test;
// a revert shows up as the gas estimation error, whose message carries the
// revert reason.
func (c *Chain) TryTransact(key *ecdsa.PrivateKey, to common.Address, data []byte) (*types.Receipt, error) {
	ctx, cancel := context.WithTimeout(context.Background(), txTimeout)
	defer cancel()
	bound := bind.NewBoundContract(to, abi.ABI{}, c.Client, c.Client, c.Client)
	tx, err := bind.Transact(bound, c.transactOpts(ctx, key), data)
	if err != nil {
		return nil, err
	}
	return c.waitMined(ctx, tx)
}

// Call runs eth_call of data against to at the latest block and returns the
// raw return data; the test fails if the call errors or reverts.
func (c *Chain) Call(tb testing.TB, to common.Address, data []byte) []byte {
	tb.Helper()
	out, err := c.TryCall(to, data)
	if err != nil {
		tb.Fatalf("anviltest: call %s: %v", to, err)
	}
	return out
}

// TryCall is Call returning the error (a revert included) instead of failing
// the test.
func (c *Chain) TryCall(to common.Address, data []byte) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), txTimeout)
	defer cancel()
	return c.Client.CallContract(ctx, ethereum.CallMsg{To: &to, Data: data}, nil)
}

// Commit mines a block on a simulated chain; on anvil it does nothing.
func (c *Chain) Commit() {
	if c.Sim != nil {
		c.Sim.Commit()
	}
}

func (c *Chain) transactOpts(ctx context.Context, key *ecdsa.PrivateKey) *bind.TransactOpts {
	opts := bind.NewKeyedTransactor(key, c.ChainID)
	opts.Context = ctx
	return opts
}

func (c *Chain) waitMined(ctx context.Context, tx *types.Transaction) (*types.Receipt, error) {
	// The simulated chain only mines on Commit; anvil mines by itself.
	var mine devnet.Miner
	if c.Sim != nil {
		mine = func(context.Context) error { c.Sim.Commit(); return nil }
	}
	receipt, err := devnet.WaitMined(ctx, c.Client, tx.Hash(), mine)
	if err != nil {
		return nil, err
	}
	if receipt.Status != types.ReceiptStatusSuccessful {
		return receipt, fmt.Errorf("transaction %s failed (status %d)", tx.Hash(), receipt.Status)
	}
	return receipt, nil
}

// SetCode places code at addr with anvil_setCode on the anvil node at
// rpcURL, without a transaction; it needs no block to take effect.
func SetCode(tb testing.TB, rpcURL string, addr common.Address, code []byte) {
	tb.Helper()
	if err := rpcCall(rpcURL, "anvil_setCode", addr, hexutil.Bytes(code)); err != nil {
		tb.Fatalf("anviltest: anvil_setCode %s: %v", addr, err)
	}
}

// PlaceMulticall3 puts Multicall3's runtime code at its canonical address
// (multicall3.Address) on the anvil node at rpcURL, as on chains where it is
// deployed.
func PlaceMulticall3(tb testing.TB, rpcURL string) {
	tb.Helper()
	SetCode(tb, rpcURL, multicall3.Address, multicall3.RuntimeCode)
}

// Mine makes the node mine blocks empty blocks at once (anvil_mine).
func (n *Node) Mine(tb testing.TB, blocks int) {
	tb.Helper()
	if blocks < 1 {
		tb.Fatalf("anviltest: Mine(%d): need at least one block", blocks)
	}
	if err := rpcCall(n.URL, "anvil_mine", hexutil.Uint64(blocks)); err != nil {
		tb.Fatalf("anviltest: anvil_mine: %v", err)
	}
}

// Snapshot takes a snapshot of the chain (evm_snapshot) and returns the
// function that goes back to it (evm_revert): the blocks mined after the
// snapshot are orphaned, and the next ones mined take their heights, as
// in a reorg.
func (n *Node) Snapshot(tb testing.TB) (revert func()) {
	tb.Helper()
	var id string
	if err := rpcCallResult(n.URL, &id, "evm_snapshot"); err != nil {
		tb.Fatalf("anviltest: evm_snapshot: %v", err)
	}
	return func() {
		tb.Helper()
		var ok bool
		if err := rpcCallResult(n.URL, &ok, "evm_revert", id); err != nil || !ok {
			tb.Fatalf("anviltest: evm_revert(%s) = %v, %v", id, ok, err)
		}
	}
}

func rpcCall(rpcURL, method string, args ...any) error {
	return rpcCallResult(rpcURL, nil, method, args...)
}

// rpcCallResult calls method on the node at rpcURL, decoding its result
// into result (nil: ignored).
func rpcCallResult(rpcURL string, result any, method string, args ...any) error {
	ctx, cancel := context.WithTimeout(context.Background(), txTimeout)
	defer cancel()
	client, err := rpc.DialContext(ctx, rpcURL)
	if err != nil {
		return err
	}
	defer client.Close()
	return client.CallContext(ctx, result, method, args...)
}

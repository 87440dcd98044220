package devnet

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/portfoliod/portfoliod/abi/trextoken"
)

// Holding is a demo wallet's position in the demo token.
type Holding struct {
	Wallet        common.Address
	Balance       int64
	FrozenPartial int64 // freezePartialTokens
	AddressFrozen bool  // setAddressFrozen(true): the whole balance is frozen
}

// Demo wallets. ReferenceWallet is the reference API example's wallet:
// 1000 held, 1000 frozen.
var (
	ReferenceWallet = common.HexToAddress("0x1234567890123456789012345678901234567890")
	AcmeTreasury    = common.HexToAddress("0x2222222222222222222222222222222222222222")
	AcmeOperations  = common.HexToAddress("0x3333333333333333333333333333333333333333")
	JaneWallet      = common.HexToAddress("0x4444444444444444444444444444444444444444")
	KenjiWallet     = common.HexToAddress("0x5555555555555555555555555555555555555555")
)

// DemoHoldings are the positions Seed creates.
var DemoHoldings = []Holding{
	{Wallet: ReferenceWallet, Balance: 1000, FrozenPartial: 1000},
	{Wallet: AcmeTreasury, Balance: 250000, FrozenPartial: 50000},
	{Wallet: AcmeOperations, Balance: 75000},
	{Wallet: JaneWallet, Balance: 5000, AddressFrozen: true},
	{Wallet: KenjiWallet, Balance: 0},
}

// Deployment describes the seeded demo chain.
type Deployment struct {
	ChainID        uint64
	Token          common.Address
	Deployer       common.Address
	Multicall3Set  bool // Multicall3 was placed with anvil_setCode
	DemoTokenName  string
	DemoTokenSym   string
	DemoTokenDecim uint8
}

// Miner seals pending transactions into a block; nil for automining nodes
// like anvil. Seed calls it whenever a receipt it waits for is missing, so
// sealing an empty block must be harmless.
type Miner func(ctx context.Context) error

// Seed deploys the demo token from the dev account, places Multicall3 where
// absent, mints and freezes DemoHoldings and unpauses the token (T-REX
// tokens start paused). On a fresh anvil the token lands at
// 0x5FbDB2315678afecb367f032d93F642f64180aa3 (the dev account's first
// deployment).
func Seed(ctx context.Context, rpcURL string, mine Miner) (Deployment, error) {
	rc, err := rpc.DialContext(ctx, rpcURL)
	if err != nil {
		return Deployment{}, fmt.Errorf("dial %s: %w", rpcURL, err)
	}
	defer rc.Close()
	ec := ethclient.NewClient(rc)
	chainID, err := ec.ChainID(ctx)
	if err != nil {
		return Deployment{}, fmt.Errorf("eth_chainId: %w", err)
	}
	key := DevKey()
	from := crypto.PubkeyToAddress(key.PublicKey)
	d := Deployment{ChainID: chainID.Uint64(), Deployer: from,
		DemoTokenName: "Demo Security Token", DemoTokenSym: "DST", DemoTokenDecim: 0}

	if d.Multicall3Set, err = placeMulticall3(ctx, rc); err != nil {
		return Deployment{}, fmt.Errorf("placing Multicall3: %w", err)
	}

	nonce, err := ec.PendingNonceAt(ctx, from)
	if err != nil {
		return Deployment{}, err
	}
	gasPrice, err := ec.SuggestGasPrice(ctx)
	if err != nil {
		return Deployment{}, err
	}
	gasPrice.Mul(gasPrice, big.NewInt(2))
	signer := types.LatestSignerForChainID(chainID)
	tok := trextoken.NewTREXToken()

	// Gas limits are fixed because the calls follow a deployment that is not
	// mined yet, and generous because go-ethereum's dev chain runs upcoming
	// forks whose state-growth pricing makes a first mint cost ~250k gas.
	var sent []common.Hash
	send := func(to *common.Address, data []byte, gas uint64) error {
		tx, err := types.SignNewTx(key, signer, &types.LegacyTx{
			Nonce: nonce, GasPrice: gasPrice, Gas: gas, To: to, Data: data,
		})
		if err != nil {
			return err
		}
		if err := ec.SendTransaction(ctx, tx); err != nil {
			return fmt.Errorf("send tx %d: %w", nonce, err)
		}
		nonce++
		sent = append(sent, tx.Hash())
		return nil
	}

	d.Token = crypto.CreateAddress(from, nonce)
	deploy := append(append([]byte{}, trextoken.CreationCode...), tok.PackConstructor(d.DemoTokenName, d.DemoTokenSym, d.DemoTokenDecim)...)
	if err := send(nil, deploy, 10_000_000); err != nil {
		return Deployment{}, err
	}
	for _, h := range DemoHoldings {
		if h.Balance > 0 {
			if err := send(&d.Token, tok.PackMint(h.Wallet, big.NewInt(h.Balance)), 1_000_000); err != nil {
				return Deployment{}, err
			}
		}
		if h.FrozenPartial > 0 {
			if err := send(&d.Token, tok.PackFreezePartialTokens(h.Wallet, big.NewInt(h.FrozenPartial)), 1_000_000); err != nil {
				return Deployment{}, err
			}
		}
		if h.AddressFrozen {
			if err := send(&d.Token, tok.PackSetAddressFrozen(h.Wallet, true), 1_000_000); err != nil {
				return Deployment{}, err
			}
		}
	}
	if err := send(&d.Token, tok.PackUnpause(), 1_000_000); err != nil {
		return Deployment{}, err
	}
	for i, h := range sent {
		r, err := WaitMined(ctx, ec, h, mine)
		if err != nil {
			return Deployment{}, fmt.Errorf("seed transaction %d: %w", i, err)
		}
		if r.Status != types.ReceiptStatusSuccessful {
			return Deployment{}, fmt.Errorf("seed transaction %d (%s) reverted (gas used %d, block %d)", i, h.Hex(), r.GasUsed, r.BlockNumber)
		}
	}
	return d, nil
}

// ReceiptReader is the one method of a chain client WaitMined needs.
type ReceiptReader interface {
	TransactionReceipt(ctx context.Context, h common.Hash) (*types.Receipt, error)
}

// WaitMined polls r for the receipt of transaction h for up to 30 s and
// returns it, whatever its status. With a miner it seals a block whenever
// the receipt is missing: go-ethereum's block builder gives up on
// transactions it cannot fit in its time allowance (two seconds, easily
// spent on a loaded machine), leaving them for the next block.
func WaitMined(ctx context.Context, r ReceiptReader, h common.Hash, mine Miner) (*types.Receipt, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		rcpt, err := r.TransactionReceipt(ctx, h)
		if err == nil {
			return rcpt, nil
		}
		if !receiptPending(err) && ctx.Err() == nil {
			return nil, fmt.Errorf("receipt of %s: %w", h.Hex(), err)
		}
		if mine != nil && ctx.Err() == nil {
			if err := mine(ctx); err != nil {
				return nil, fmt.Errorf("sealing a block: %w", err)
			}
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for %s: %w", h.Hex(), ctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// receiptPending reports whether a receipt lookup failed only because the
// transaction is not in a block yet, or (go-ethereum) because the node has
// not indexed the newest block yet.
func receiptPending(err error) bool {
	if errors.Is(err, ethereum.NotFound) {
		return true
	}
	var de rpc.DataError
	return errors.As(err, &de) && de.ErrorData() == "transaction indexing is in progress"
}

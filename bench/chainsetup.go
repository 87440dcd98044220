package main

import (
	"context"
	"fmt"
	"math/big"
	"net/http"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/portfoliod/portfoliod/abi/trextoken"
	"github.com/portfoliod/portfoliod/devnet"
	"github.com/portfoliod/portfoliod/internal/localnet"
)

// anvilKeptStates is how many recent block states anvil keeps in memory.
// Uncached reads pin distinct recent blocks, so every case mines at most
// this many blocks minus a margin; with history pruning anvil persists no
// state to disk (which makes mining slow and fills ~/.foundry).
const anvilKeptStates = 1200

// startAnvil starts anvil on a free loopback port with automine and its
// history pruned to anvilKeptStates; cacheDir receives anything anvil
// writes.
func startAnvil(ctx context.Context, bin, cacheDir string) (*localnet.Anvil, error) {
	return localnet.StartAnvil(ctx, localnet.AnvilOptions{Bin: bin, Args: []string{
		"--quiet", "--prune-history", strconv.Itoa(anvilKeptStates), "--cache-path", cacheDir,
	}})
}

// holding is a wallet's position in the benchmark token.
type holding struct {
	Wallet        common.Address
	Total         *big.Int
	FrozenPartial *big.Int // getFrozenTokens
	AddressFrozen bool     // isFrozen
}

// walletAddress derives the i-th wallet of a namespace; deterministic so
// that the store files and the chain agree across runs.
func walletAddress(namespace string, i int) common.Address {
	return common.BytesToAddress(crypto.Keccak256([]byte("portfoliod-bench/" + namespace + "/" + strconv.Itoa(i)))[12:])
}

// makeHoldings returns n funded wallets of namespace: uint256 amounts well
// above 2^64, a partial freeze on every 3rd wallet, a whole-address freeze
// on every 7th, and an empty wallet every 11th.
func makeHoldings(namespace string, n int) []holding {
	unit := new(big.Int).Exp(big.NewInt(10), big.NewInt(24), nil)
	hs := make([]holding, n)
	for i := range hs {
		h := holding{Wallet: walletAddress(namespace, i), Total: new(big.Int), FrozenPartial: new(big.Int)}
		if i%11 != 10 {
			h.Total.Mul(unit, big.NewInt(int64(i+1)))
			h.Total.Add(h.Total, big.NewInt(int64(i)))
		}
		if i%3 == 1 {
			h.FrozenPartial.Div(h.Total, big.NewInt(3))
		}
		h.AddressFrozen = i%7 == 3
		hs[i] = h
	}
	return hs
}

// Storage slots of TREXToken (contracts/ERC20.sol then TREXToken.sol):
// name 0, symbol 1, decimals 2, totalSupply 3, owner 4, balanceOf 5,
// allowance 6, _agents 7, _frozen 8, _frozenTokens 9, _tokenPaused 10.
// setupChain checks them by reading the values back through the ABI.
const (
	slotBalanceOf    = 5
	slotFrozen       = 8
	slotFrozenTokens = 9
)

// mappingSlot is the storage slot of m[key] for a mapping at slot m:
// keccak256(pad32(key) ++ pad32(m)).
func mappingSlot(key common.Address, m int64) common.Hash {
	return crypto.Keccak256Hash(common.LeftPadBytes(key.Bytes(), 32), common.LeftPadBytes(big.NewInt(m).Bytes(), 32))
}

// chainSetup is the deployed benchmark chain.
type chainSetup struct {
	Token common.Address
}

// setupChain deploys the demo ERC-3643-style token and Multicall3 with
// devnet.Seed, then writes every holding straight into the token's storage
// with anvil_setStorageAt (in JSON-RPC batches: thousands of wallets take
// well under a second, where mint transactions would take minutes), mines
// a block so the state is in a block, and reads a sample back through the
// ABI to prove the slot layout.
func setupChain(ctx context.Context, anvilURL string, holdings []holding) (chainSetup, error) {
	dep, err := devnet.Seed(ctx, anvilURL, nil)
	if err != nil {
		return chainSetup{}, fmt.Errorf("seed demo token: %w", err)
	}
	rc := &rpcClient{url: anvilURL, hc: &http.Client{Timeout: 60 * time.Second}}
	word := func(v *big.Int) string { return common.BytesToHash(common.LeftPadBytes(v.Bytes(), 32)).Hex() }
	var reqs []rpcRequest
	flush := func() error {
		if len(reqs) == 0 {
			return nil
		}
		_, err := rc.batch(ctx, reqs)
		reqs = reqs[:0]
		return err
	}
	set := func(slot common.Hash, v *big.Int) error {
		reqs = append(reqs, rpcRequest{Method: "anvil_setStorageAt", Params: []any{dep.Token, slot.Hex(), word(v)}})
		if len(reqs) == 500 {
			return flush()
		}
		return nil
	}
	for _, h := range holdings {
		if err := set(mappingSlot(h.Wallet, slotBalanceOf), h.Total); err != nil {
			return chainSetup{}, err
		}
		if h.FrozenPartial.Sign() > 0 {
			if err := set(mappingSlot(h.Wallet, slotFrozenTokens), h.FrozenPartial); err != nil {
				return chainSetup{}, err
			}
		}
		if h.AddressFrozen {
			if err := set(mappingSlot(h.Wallet, slotFrozen), big.NewInt(1)); err != nil {
				return chainSetup{}, err
			}
		}
	}
	if err := flush(); err != nil {
		return chainSetup{}, fmt.Errorf("anvil_setStorageAt: %w", err)
	}
	if err := rc.call(ctx, nil, "evm_mine"); err != nil {
		return chainSetup{}, err
	}
	if err := verifyHoldings(ctx, rc, dep.Token, holdings); err != nil {
		return chainSetup{}, fmt.Errorf("storage layout check: %w", err)
	}
	return chainSetup{Token: dep.Token}, nil
}

// verifyHoldings reads up to 32 holdings back with balanceOf,
// getFrozenTokens and isFrozen.
func verifyHoldings(ctx context.Context, rc *rpcClient, token common.Address, holdings []holding) error {
	tok := trextoken.NewTREXToken()
	for i := 0; i < len(holdings) && i < 32; i++ {
		h := holdings[i]
		total, err := ethCallDecode(ctx, rc, token, tok.PackBalanceOf(h.Wallet), "latest", tok.UnpackBalanceOf)
		if err != nil {
			return err
		}
		frozen, err := ethCallDecode(ctx, rc, token, tok.PackGetFrozenTokens(h.Wallet), "latest", tok.UnpackGetFrozenTokens)
		if err != nil {
			return err
		}
		flag, err := ethCallDecode(ctx, rc, token, tok.PackIsFrozen(h.Wallet), "latest", tok.UnpackIsFrozen)
		if err != nil {
			return err
		}
		if total.Cmp(h.Total) != 0 || frozen.Cmp(h.FrozenPartial) != 0 || flag != h.AddressFrozen {
			return fmt.Errorf("wallet %s: read (%s, %s, %v), wrote (%s, %s, %v)",
				h.Wallet.Hex(), total, frozen, flag, h.Total, h.FrozenPartial, h.AddressFrozen)
		}
	}
	return nil
}

// ethCallDecode runs one eth_call at block (a tag string or a
// {"blockHash": ...} object) and decodes its result.
func ethCallDecode[T any](ctx context.Context, rc *rpcClient, to common.Address, data []byte, block any, decode func([]byte) (T, error)) (T, error) {
	var zero T
	var out string
	call := map[string]string{"to": to.Hex(), "data": "0x" + common.Bytes2Hex(data)}
	if err := rc.call(ctx, &out, "eth_call", call, block); err != nil {
		return zero, err
	}
	raw := common.FromHex(out)
	if len(raw) == 0 {
		// A call to a codeless address succeeds with no data: never read
		// that as zero.
		return zero, fmt.Errorf("eth_call to %s: %w", to.Hex(), errEmptyResult)
	}
	return decode(raw)
}

// mineBlocks mines n empty blocks directly on anvil (never through the
// proxy) and returns the new head number.
func mineBlocks(ctx context.Context, rc *rpcClient, n int) (uint64, error) {
	if n <= 0 {
		return rc.blockNumber(ctx)
	}
	if err := rc.call(ctx, nil, "anvil_mine", hexUint(uint64(n))); err != nil {
		return 0, err
	}
	return rc.blockNumber(ctx)
}

// blockHeader is the part of a block the benchmark reads.
type blockHeader struct {
	Number string      `json:"number"`
	Hash   common.Hash `json:"hash"`
}

func (rc *rpcClient) headerByTag(ctx context.Context, tag string) (uint64, common.Hash, error) {
	var b blockHeader
	if err := rc.call(ctx, &b, "eth_getBlockByNumber", tag, false); err != nil {
		return 0, common.Hash{}, err
	}
	n, err := parseHexUint(b.Number)
	return n, b.Hash, err
}

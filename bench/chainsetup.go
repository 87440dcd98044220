package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/portfoliod/portfoliod/abi/trextoken"
	"github.com/portfoliod/portfoliod/devnet"
)

// anvilRelPath is where `make anvil` installs the pinned anvil, relative to
// the module root (the same place internal/anviltest looks).
const anvilRelPath = ".tools/anvil/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"

// anvilStartTimeout bounds how long startAnvil waits for eth_chainId.
const anvilStartTimeout = 20 * time.Second

// anvilChainID is anvil's default chain id.
const anvilChainID = 31337

// anvilKeptStates is how many recent block states anvil keeps in memory.
// Uncached reads pin distinct recent blocks, so every case mines at most
// this many blocks minus a margin; with history pruning anvil persists no
// state to disk (which makes mining slow and fills ~/.foundry).
const anvilKeptStates = 1200

// anvilNode is an anvil process on a loopback port.
type anvilNode struct {
	URL     string
	Version string
	cmd     *exec.Cmd
	done    chan struct{}
	out     *boundedBuffer
}

// findAnvil returns the anvil binary: flagPath, else $ANVIL, else anvil on
// PATH, else the copy `make anvil` installs under the module root.
func findAnvil(flagPath, root string) (string, error) {
	const hint = "anvil not found: run `make anvil` or set ANVIL"
	for _, p := range []string{flagPath, os.Getenv("ANVIL")} {
		if p == "" {
			continue
		}
		if isExecutable(p) {
			return p, nil
		}
		return "", fmt.Errorf("%s (%s is not an executable file)", hint, p)
	}
	if p, err := exec.LookPath("anvil"); err == nil {
		return p, nil
	}
	if p := filepath.Join(root, filepath.FromSlash(anvilRelPath)); isExecutable(p) {
		return p, nil
	}
	return "", errors.New(hint)
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}

// startAnvil starts anvil on a free loopback port with automine and waits
// until it answers eth_chainId. cacheDir receives anything anvil writes.
func startAnvil(ctx context.Context, bin, cacheDir string) (*anvilNode, error) {
	version := "unknown"
	if out, err := exec.CommandContext(ctx, bin, "--version").Output(); err == nil {
		version = strings.TrimSpace(strings.SplitN(string(out), "\n", 2)[0])
		version = strings.TrimPrefix(version, "anvil Version: ")
	}
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		n := &anvilNode{URL: "http://127.0.0.1:" + strconv.Itoa(port), Version: version, done: make(chan struct{}), out: &boundedBuffer{}}
		n.cmd = exec.Command(bin,
			"--host", "127.0.0.1", "--port", strconv.Itoa(port),
			"--chain-id", strconv.Itoa(anvilChainID), "--quiet",
			"--prune-history", strconv.Itoa(anvilKeptStates),
			"--cache-path", cacheDir,
		)
		n.cmd.Stdout, n.cmd.Stderr = n.out, n.out
		n.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		if err := n.cmd.Start(); err != nil {
			return nil, fmt.Errorf("run %s: %w", bin, err)
		}
		go func() { _ = n.cmd.Wait(); close(n.done) }()
		if lastErr = waitChainID(ctx, n.URL, n.done); lastErr == nil {
			return n, nil
		}
		n.Stop()
		lastErr = fmt.Errorf("%w; anvil output: %s", lastErr, n.out.String())
	}
	return nil, lastErr
}

// Stop kills anvil and waits for it to exit.
func (n *anvilNode) Stop() {
	if n == nil || n.cmd == nil || n.cmd.Process == nil {
		return
	}
	_ = n.cmd.Process.Kill()
	select {
	case <-n.done:
	case <-time.After(10 * time.Second):
	}
}

func waitChainID(ctx context.Context, url string, exited <-chan struct{}) error {
	ctx, cancel := context.WithTimeout(ctx, anvilStartTimeout)
	defer cancel()
	c := &rpcClient{url: url, hc: &http.Client{Timeout: time.Second}}
	for {
		var id string
		err := c.call(ctx, &id, "eth_chainId")
		if err == nil {
			if n, _ := parseHexUint(id); n != anvilChainID {
				return fmt.Errorf("anvil reports chain id %s, want %d", id, anvilChainID)
			}
			return nil
		}
		select {
		case <-exited:
			return errors.New("anvil exited before answering eth_chainId")
		case <-ctx.Done():
			return fmt.Errorf("anvil did not answer eth_chainId within %v: %v", anvilStartTimeout, err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// boundedBuffer collects a child's output, keeping the first 256 KiB.
type boundedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *boundedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf.Len()+len(p) <= 256<<10 {
		b.buf.Write(p)
	}
	return len(p), nil
}

func (b *boundedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
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

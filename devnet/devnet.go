// Package devnet provides the demo chain of `portfoliod dev`: an in-process
// go-ethereum chain served over loopback JSON-RPC, and a seeder that deploys
// the demo ERC-3643-style token (and Multicall3 where absent) and gives the
// demo wallets their balances and freezes.
//
// devnet writes to a chain; it never reads balances for the service (that is
// the chain package's job, over the same JSON-RPC a real node speaks).
package devnet

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"net"
	"sync"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/portfoliod/portfoliod/abi/multicall3"
)

// DevKeyHex is the private key of anvil's first funded dev account
// (0xf39F...2266), also funded on the simulated chain. It is public: never
// use it on a real network.
const DevKeyHex = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"

// DevKey returns the dev account's key.
func DevKey() *ecdsa.PrivateKey {
	k, err := crypto.HexToECDSA(DevKeyHex)
	if err != nil {
		panic(err)
	}
	return k
}

// SimulatedChainID is the chain id of go-ethereum's simulated backend.
const SimulatedChainID = 1337

// Simulated is an in-process go-ethereum chain with its JSON-RPC served on
// a loopback port, so clients read it over HTTP like any node. Blocks are
// sealed every interval once Run has been called.
type Simulated struct {
	URL     string
	backend *simulated.Backend
	mu      sync.Mutex // serializes Commit; guards running
	running bool
	stop    chan struct{}
	done    chan struct{}
	once    sync.Once
}

// StartSimulated starts the chain with Multicall3 at its canonical address
// from genesis, the dev account funded with a million ether and each of
// funded with ten thousand (tests use anvil's other dev accounts).
//
// The chain is an archive: it keeps the state of every block, so a read
// pinned to an old block (?block=5) works however long `dev` has run. That
// costs about 4 KB of memory per block more than a pruned chain (some 15 MB
// an hour at one block a second).
func StartSimulated(funded ...common.Address) (*Simulated, error) {
	return startSimulated(true, funded)
}

// StartPrunedSimulated is StartSimulated without the archive: like a
// default geth full node, the chain keeps the state of only its last 128
// blocks, and calls at an older block fail ("historical state ... is not
// available"). For tests of that case.
func StartPrunedSimulated(funded ...common.Address) (*Simulated, error) {
	return startSimulated(false, funded)
}

// portTries bounds how often the chain is started on another port when the
// one picked was taken before the node could bind it.
const portTries = 5

// pickPort returns a loopback port that was free a moment ago; a test
// replaces it to lose that race on purpose.
var pickPort = func() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// startSimulated starts the chain on a free loopback port. go-ethereum's
// simulated backend binds the port itself and does not expose its node
// (nor the port it would bind for 0), so no listener can be handed over:
// a port another process takes between the pick and the bind is retried
// on a new one instead of failing start-up.
func startSimulated(archive bool, funded []common.Address) (*Simulated, error) {
	var errs []error
	for range portTries {
		port, err := pickPort()
		if err != nil {
			return nil, err
		}
		s, err := startSimulatedOn(port, archive, funded)
		if err == nil {
			return s, nil
		}
		if !errors.Is(err, syscall.EADDRINUSE) {
			return nil, err
		}
		errs = append(errs, err)
	}
	return nil, errors.Join(errs...)
}

func startSimulatedOn(port int, archive bool, funded []common.Address) (*Simulated, error) {
	alloc := types.GenesisAlloc{}
	for _, a := range funded {
		alloc[a] = types.Account{Balance: new(big.Int).Mul(big.NewInt(1e4), big.NewInt(1e18))}
	}
	alloc[crypto.PubkeyToAddress(DevKey().PublicKey)] = types.Account{Balance: new(big.Int).Mul(big.NewInt(1e6), big.NewInt(1e18))}
	alloc[multicall3.Address] = types.Account{Code: multicall3.RuntimeCode, Balance: new(big.Int)}
	var backend *simulated.Backend
	err := func() (err error) {
		// NewBackend panics when the node cannot start (say the port was
		// taken in between); report that as an error.
		defer func() {
			if r := recover(); r != nil {
				if perr, ok := r.(error); ok {
					err = fmt.Errorf("start simulated chain on port %d: %w", port, perr)
				} else {
					err = fmt.Errorf("start simulated chain on port %d: %v", port, r)
				}
			}
		}()
		backend = simulated.NewBackend(alloc, func(nc *node.Config, ec *ethconfig.Config) {
			nc.HTTPHost = "127.0.0.1"
			nc.HTTPPort = port
			nc.HTTPModules = []string{"eth", "net", "web3"}
			nc.HTTPVirtualHosts = []string{"*"}
			if archive {
				// geth's --gcmode archive. The path scheme (the default)
				// serves historical state from its state history, which
				// the simulated chain's in-memory database does not keep
				// beyond 128 blocks; the hash scheme commits every block's
				// trie.
				ec.NoPruning = true
				ec.StateScheme = rawdb.HashScheme
			}
		})
		return nil
	}()
	if err != nil {
		return nil, err
	}
	s := &Simulated{
		URL:     fmt.Sprintf("http://127.0.0.1:%d", port),
		backend: backend,
		stop:    make(chan struct{}),
		done:    make(chan struct{}),
	}
	return s, nil
}

// Backend is the simulated chain itself, for tests that send transactions
// and commit blocks directly. Do not use it while Run produces blocks.
func (s *Simulated) Backend() *simulated.Backend { return s.backend }

// Commit seals the pending transactions into a block.
func (s *Simulated) Commit() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.backend.Commit()
}

// Mine seals a block (for Seed's miner argument).
func (s *Simulated) Mine(context.Context) error {
	s.Commit()
	return nil
}

// Run seals a block every interval until Close, so transactions sent by
// users get mined and the head moves like a real chain's.
func (s *Simulated) Run(interval time.Duration) {
	s.mu.Lock()
	s.running = true
	s.mu.Unlock()
	go func() {
		defer close(s.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-t.C:
				s.Commit()
			}
		}
	}()
}

// Close stops block production and the node.
func (s *Simulated) Close() error {
	var err error
	s.once.Do(func() {
		close(s.stop)
		s.mu.Lock()
		running := s.running
		s.mu.Unlock()
		if running {
			<-s.done
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		err = s.backend.Close()
	})
	return err
}

// placeMulticall3 makes sure Multicall3 is at its canonical address: it
// uses anvil_setCode (anvil, hardhat) when the code is absent. On nodes
// without that method it leaves things as they are: the reader then uses a
// state override or a JSON-RPC batch.
func placeMulticall3(ctx context.Context, rc *rpc.Client) (bool, error) {
	ec := ethclient.NewClient(rc)
	code, err := ec.CodeAt(ctx, multicall3.Address, nil)
	if err != nil {
		return false, err
	}
	if len(code) > 0 {
		return false, nil
	}
	if err := rc.CallContext(ctx, nil, "anvil_setCode", multicall3.Address, "0x"+common.Bytes2Hex(multicall3.RuntimeCode)); err != nil {
		var rpcErr rpc.Error
		if errors.As(err, &rpcErr) {
			return false, nil // not anvil: fine
		}
		return false, err
	}
	return true, nil
}

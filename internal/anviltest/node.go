// Package anviltest starts anvil nodes and go-ethereum simulated chains for
// tests, and deploys the contracts of abi/ on them.
//
// It is a test helper: import it only from _test.go files. Every function
// that takes a testing.TB fails the test (tb.Fatalf) instead of returning an
// error, and releases what it started with tb.Cleanup.
package anviltest

import (
	"context"
	"strconv"
	"sync"
	"testing"

	"github.com/portfoliod/portfoliod/internal/localnet"
)

// DefaultChainID is anvil's default chain id, used unless WithChainID is given.
const DefaultChainID = localnet.DefaultChainID

// Node is an anvil process started for a test. URL and Port stay the same
// across Restart. Its methods are safe for concurrent use.
type Node struct {
	// URL is the node's HTTP JSON-RPC endpoint, http://127.0.0.1:<Port>.
	URL string
	// Port is the TCP port anvil listens on, on 127.0.0.1.
	Port int
	// ChainID is the chain id anvil reports.
	ChainID uint64

	bin string
	cfg config

	mu   sync.Mutex
	proc *localnet.Anvil // the latest run, kept after Stop for Output
	live bool            // proc is running
}

type config struct {
	chainID   uint64
	blockTime float64 // seconds; 0 = automine
	port      int     // 0 = pick a free one
	logs      bool    // keep anvil's per-request log
	args      []string
}

// Option configures Start.
type Option func(*config)

// WithChainID sets the chain id anvil reports (default DefaultChainID).
func WithChainID(id uint64) Option {
	return func(c *config) { c.chainID = id }
}

// WithBlockTime makes anvil mine a block every seconds seconds (fractions
// allowed) instead of one block per transaction (automine, the default).
func WithBlockTime(seconds float64) Option {
	return func(c *config) { c.blockTime = seconds }
}

// WithPort makes anvil listen on 127.0.0.1:port instead of a free port.
func WithPort(port int) Option {
	return func(c *config) { c.port = port }
}

// WithLogs keeps anvil's log of every request in Output; by default anvil
// runs with --quiet, which still reports errors, to spare the CPU.
func WithLogs() Option {
	return func(c *config) { c.logs = true }
}

// WithArgs appends raw command-line arguments for anvil, e.g.
// WithArgs("--hardfork", "cancun").
func WithArgs(args ...string) Option {
	return func(c *config) { c.args = append(c.args, args...) }
}

// Start starts anvil on a free port of 127.0.0.1 (or the WithPort one),
// waits until it answers eth_chainId, and stops it when the test ends.
//
// The binary is $ANVIL if set, else `anvil` on PATH, else the one `make
// anvil` installs under the module root. Without one the test fails: it is
// never skipped. Accounts are anvil's defaults (see DevKey), each funded with
// 10000 ether.
func Start(tb testing.TB, opts ...Option) *Node {
	tb.Helper()
	cfg := config{chainID: DefaultChainID}
	for _, o := range opts {
		o(&cfg)
	}
	bin, err := localnet.FindAnvil("")
	if err != nil {
		tb.Fatalf("%v", err)
	}
	n := &Node{ChainID: cfg.chainID, bin: bin, cfg: cfg, Port: cfg.port}
	tb.Cleanup(n.Stop)
	if err := n.start(); err != nil {
		tb.Fatalf("anviltest: start anvil: %v", err)
	}
	// URL and Port are written only here, before the node is shared, so
	// that readers need no lock; Restart reuses them.
	n.Port = n.proc.Port
	n.URL = n.proc.URL
	return n
}

// Stop kills the anvil process and waits for it to exit, so that its port
// refuses connections (for node-down tests). It is idempotent, and a no-op
// on a stopped node.
func (n *Node) Stop() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.stopLocked()
}

// Restart stops the node if it runs and starts a new anvil process on the
// same port with the same options. The new node starts from a fresh genesis:
// blocks, deployed contracts and balances of the previous run are gone.
func (n *Node) Restart(tb testing.TB) {
	tb.Helper()
	n.Stop()
	if err := n.start(); err != nil {
		tb.Fatalf("anviltest: restart anvil on port %d: %v", n.Port, err)
	}
}

// Output returns what the latest anvil run wrote to stdout and stderr, for
// diagnosing a failing test.
func (n *Node) Output() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.proc == nil {
		return ""
	}
	return n.proc.Output()
}

func (n *Node) stopLocked() {
	if n.live {
		n.proc.Stop()
		n.live = false
	}
}

// start runs anvil on n.Port (a free port when 0) with n's options.
func (n *Node) start() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.stopLocked()
	var args []string
	if !n.cfg.logs {
		args = append(args, "--quiet")
	}
	if n.cfg.blockTime > 0 {
		args = append(args, "--block-time", strconv.FormatFloat(n.cfg.blockTime, 'f', -1, 64))
	}
	args = append(args, n.cfg.args...)
	p, err := localnet.StartAnvil(context.Background(), localnet.AnvilOptions{
		Bin: n.bin, Port: n.Port, ChainID: n.cfg.chainID, Args: args,
	})
	if err != nil {
		return err
	}
	n.proc, n.live = p, true
	return nil
}

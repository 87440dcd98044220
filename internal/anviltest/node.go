// Package anviltest starts anvil nodes and go-ethereum simulated chains for
// tests, and deploys the contracts of abi/ on them.
//
// It is a test helper: import it only from _test.go files. Every function
// that takes a testing.TB fails the test (tb.Fatalf) instead of returning an
// error, and releases what it started with tb.Cleanup.
package anviltest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// DefaultChainID is anvil's default chain id, used unless WithChainID is given.
const DefaultChainID uint64 = 31337

// startTimeout bounds how long Start waits for eth_chainId to answer.
const startTimeout = 20 * time.Second

// anvilRelPath is where `make anvil` installs the pinned anvil, relative to
// the module root.
const anvilRelPath = ".tools/anvil/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"

// Node is an anvil process started for a test. URL and Port stay the same
// across Restart. Its methods are safe for concurrent use.
type Node struct {
	// URL is the node's HTTP JSON-RPC endpoint, http://127.0.0.1:<Port>.
	URL string
	// Port is the TCP port anvil listens on, on 127.0.0.1.
	Port int
	// ChainID is the chain id anvil reports.
	ChainID uint64

	bin       string
	cfg       config
	fixedPort bool

	mu     sync.Mutex
	proc   *process    // nil when stopped
	output *syncBuffer // of the latest run, kept after Stop
}

// process is one run of the anvil binary.
type process struct {
	cmd    *exec.Cmd
	done   chan struct{} // closed when cmd.Wait returns
	output *syncBuffer
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
	bin, err := findAnvil()
	if err != nil {
		tb.Fatalf("%v", err)
	}
	n := &Node{ChainID: cfg.chainID, bin: bin, cfg: cfg, fixedPort: cfg.port != 0}
	tb.Cleanup(n.Stop)

	// A free port found by listening on :0 can be taken again before anvil
	// binds it; try a few ports before giving up.
	attempts := 3
	if n.fixedPort {
		attempts = 1
	}
	for i := range attempts {
		port := cfg.port
		if !n.fixedPort {
			if port, err = freePort(); err != nil {
				tb.Fatalf("anviltest: find a free port: %v", err)
			}
		}
		n.Port = port
		n.URL = "http://127.0.0.1:" + strconv.Itoa(port)
		if err = n.start(); err == nil {
			return n
		}
		tb.Logf("anviltest: attempt %d: %v", i+1, err)
	}
	tb.Fatalf("anviltest: start anvil: %v", err)
	return nil
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
	if n.output == nil {
		return ""
	}
	return n.output.String()
}

func (n *Node) stopLocked() {
	if n.proc == nil {
		return
	}
	_ = n.proc.cmd.Process.Kill()
	<-n.proc.done
	n.proc = nil
}

// start runs anvil on n.Port. URL and Port are written only by Start, before
// the node is shared, so that readers need no lock.
func (n *Node) start() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.stopLocked()

	args := []string{
		"--host", "127.0.0.1",
		"--port", strconv.Itoa(n.Port),
		"--chain-id", strconv.FormatUint(n.cfg.chainID, 10),
	}
	if !n.cfg.logs {
		args = append(args, "--quiet")
	}
	if n.cfg.blockTime > 0 {
		args = append(args, "--block-time", strconv.FormatFloat(n.cfg.blockTime, 'f', -1, 64))
	}
	args = append(args, n.cfg.args...)

	out := &syncBuffer{}
	n.output = out
	cmd := exec.Command(n.bin, args...)
	cmd.Stdout = out
	cmd.Stderr = out
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("run %s: %w", n.bin, err)
	}
	p := &process{cmd: cmd, done: make(chan struct{}), output: out}
	go func() {
		_ = cmd.Wait()
		close(p.done)
	}()

	if err := waitReady(n.URL, n.cfg.chainID, p.done); err != nil {
		_ = cmd.Process.Kill()
		<-p.done
		return fmt.Errorf("%w; anvil output:\n%s", err, out.String())
	}
	n.proc = p
	return nil
}

// waitReady polls eth_chainId until anvil answers with the expected id, the
// process exits, or startTimeout passes.
func waitReady(url string, chainID uint64, exited <-chan struct{}) error {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	client := &http.Client{Timeout: time.Second}
	var lastErr error
	for {
		got, err := queryChainID(ctx, client, url)
		if err == nil {
			if got != chainID {
				return fmt.Errorf("anvil at %s reports chain id %d, want %d", url, got, chainID)
			}
			return nil
		}
		lastErr = err
		select {
		case <-exited:
			return errors.New("anvil exited before answering eth_chainId")
		case <-ctx.Done():
			return fmt.Errorf("anvil at %s did not answer eth_chainId within %v: %v", url, startTimeout, lastErr)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func queryChainID(ctx context.Context, client *http.Client, url string) (uint64, error) {
	body := strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}`)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, body)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var msg struct {
		Result string `json:"result"`
		Error  *struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&msg); err != nil {
		return 0, fmt.Errorf("decode eth_chainId response: %w", err)
	}
	if msg.Error != nil {
		return 0, fmt.Errorf("eth_chainId: %s", msg.Error.Message)
	}
	return strconv.ParseUint(strings.TrimPrefix(msg.Result, "0x"), 16, 64)
}

// findAnvil returns the anvil binary to run: $ANVIL, else anvil on PATH,
// else the copy `make anvil` installs under the module root.
func findAnvil() (string, error) {
	const hint = "anvil not found: run `make anvil` or set ANVIL"
	if p := os.Getenv("ANVIL"); p != "" {
		if isExecutable(p) {
			return p, nil
		}
		return "", fmt.Errorf("%s (ANVIL=%s is not an executable file)", hint, p)
	}
	if p, err := exec.LookPath("anvil"); err == nil {
		return p, nil
	}
	if root, err := moduleRoot(); err == nil {
		if p := filepath.Join(root, filepath.FromSlash(anvilRelPath)); isExecutable(p) {
			return p, nil
		}
	}
	return "", errors.New(hint)
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}

// moduleRoot walks up from the working directory (a test's package
// directory) to the directory holding go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found")
		}
		dir = parent
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

// syncBuffer collects process output; exec writes to it from its own
// goroutines while tests may read it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// maxOutput bounds the kept output of a long-running anvil.
const maxOutput = 1 << 20

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf.Len()+len(p) > maxOutput {
		return len(p), nil // drop, but do not fail anvil's writes
	}
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

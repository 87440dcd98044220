// Package localnet runs the local processes of the tests (through
// internal/anviltest), the benchmark and the soak: anvil nodes on loopback
// ports and the portfoliod binary itself, so that they find, build, start
// and stop them the same way. It also finds free loopback ports.
package localnet

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
	"syscall"
	"time"
)

// DefaultChainID is anvil's default chain id.
const DefaultChainID uint64 = 31337

// StartTimeout bounds how long StartAnvil waits for eth_chainId to answer.
const StartTimeout = 20 * time.Second

// anvilRelPath is where `make anvil` installs the pinned anvil, relative to
// the module root.
const anvilRelPath = ".tools/anvil/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"

// notFoundHint is the first thing a newcomer without anvil reads.
const notFoundHint = "anvil not found: run `make anvil` or set ANVIL"

// FreePort returns a TCP port that was free on 127.0.0.1 a moment ago.
// Another process can take it before the caller binds it: callers retry.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// ModuleRoot walks up from the working directory to the directory holding
// go.mod.
func ModuleRoot() (string, error) {
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
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// FindAnvil returns the anvil binary to run: path if not empty, else
// $ANVIL, else anvil on PATH, else the copy `make anvil` installs under the
// module root. The error says how to get one.
func FindAnvil(path string) (string, error) {
	for _, p := range []string{path, os.Getenv("ANVIL")} {
		if p == "" {
			continue
		}
		if isExecutable(p) {
			return p, nil
		}
		return "", fmt.Errorf("%s (%s is not an executable file)", notFoundHint, p)
	}
	if p, err := exec.LookPath("anvil"); err == nil {
		return p, nil
	}
	if root, err := ModuleRoot(); err == nil {
		if p := filepath.Join(root, filepath.FromSlash(anvilRelPath)); isExecutable(p) {
			return p, nil
		}
	}
	return "", errors.New(notFoundHint)
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}

// AnvilVersion returns what `anvil --version` reports, or "unknown".
func AnvilVersion(ctx context.Context, bin string) string {
	out, err := exec.CommandContext(ctx, bin, "--version").Output()
	if err != nil {
		return "unknown"
	}
	v := strings.TrimSpace(strings.SplitN(string(out), "\n", 2)[0])
	return strings.TrimPrefix(v, "anvil Version: ")
}

// AnvilOptions configure StartAnvil.
type AnvilOptions struct {
	// Bin is the anvil binary (see FindAnvil).
	Bin string
	// Port is the port on 127.0.0.1; 0 picks a free one (retried a few
	// times, since a free port can be taken before anvil binds it).
	Port int
	// ChainID is the chain id anvil reports (default DefaultChainID).
	ChainID uint64
	// Args are further anvil flags, e.g. "--quiet", "--block-time", "1".
	Args []string
}

// Anvil is a running anvil process. Its methods are safe for concurrent use.
type Anvil struct {
	// URL is the HTTP JSON-RPC endpoint, http://127.0.0.1:<Port>.
	URL  string
	Port int

	cmd    *exec.Cmd
	done   chan struct{} // closed when the process has exited
	output *Output
	stop   sync.Once
}

// StartAnvil starts anvil and waits until it answers eth_chainId with the
// expected id. The process is killed if this process dies (Pdeathsig), so
// an interrupted run leaves no node behind.
func StartAnvil(ctx context.Context, opts AnvilOptions) (*Anvil, error) {
	if opts.ChainID == 0 {
		opts.ChainID = DefaultChainID
	}
	attempts := 1
	if opts.Port == 0 {
		attempts = 3
	}
	var err error
	for range attempts {
		port := opts.Port
		if port == 0 {
			if port, err = FreePort(); err != nil {
				return nil, err
			}
		}
		var a *Anvil
		if a, err = startAnvil(ctx, opts, port); err == nil {
			return a, nil
		}
	}
	return nil, err
}

func startAnvil(ctx context.Context, opts AnvilOptions, port int) (*Anvil, error) {
	args := append([]string{
		"--host", "127.0.0.1",
		"--port", strconv.Itoa(port),
		"--chain-id", strconv.FormatUint(opts.ChainID, 10),
	}, opts.Args...)
	a := &Anvil{
		URL:    "http://127.0.0.1:" + strconv.Itoa(port),
		Port:   port,
		cmd:    exec.Command(opts.Bin, args...),
		done:   make(chan struct{}),
		output: &Output{},
	}
	a.cmd.Stdout, a.cmd.Stderr = a.output, a.output
	a.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := a.cmd.Start(); err != nil {
		return nil, fmt.Errorf("run %s: %w", opts.Bin, err)
	}
	go func() {
		_ = a.cmd.Wait()
		close(a.done)
	}()
	if err := waitReady(ctx, a.URL, opts.ChainID, a.done); err != nil {
		a.Stop()
		return nil, fmt.Errorf("%w; anvil output:\n%s", err, a.output.String())
	}
	return a, nil
}

// Stop kills anvil and waits for it to exit, so that its port refuses
// connections. It is idempotent.
func (a *Anvil) Stop() {
	a.stop.Do(func() {
		_ = a.cmd.Process.Kill()
		<-a.done
	})
}

// Pid is the process id, e.g. for reading /proc.
func (a *Anvil) Pid() int { return a.cmd.Process.Pid }

// Output returns what anvil wrote to stdout and stderr (the first MiB).
func (a *Anvil) Output() string { return a.output.String() }

// waitReady polls eth_chainId until anvil answers with chainID, the process
// exits, or StartTimeout passes.
func waitReady(ctx context.Context, url string, chainID uint64, exited <-chan struct{}) error {
	ctx, cancel := context.WithTimeout(ctx, StartTimeout)
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
			return fmt.Errorf("anvil at %s did not answer eth_chainId within %v: %v", url, StartTimeout, lastErr)
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

// maxOutput bounds the kept output of a long-running child process.
const maxOutput = 1 << 20

// Output collects a child process's output (exec writes from its own
// goroutines while others read), keeping the first MiB.
type Output struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (o *Output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.buf.Len()+len(p) <= maxOutput {
		o.buf.Write(p)
	}
	return len(p), nil // never fail the child's writes
}

// String returns the output so far.
func (o *Output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

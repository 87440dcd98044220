package localnet

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/debug"
	"strings"
	"syscall"
	"time"
)

// RaceEnabled reports whether the running binary was built with the race
// detector. Tests pass it to BuildPortfoliod so that the child is checked
// too (its packages are then already compiled, and the build is mostly a
// link).
func RaceEnabled() bool {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "-race" && s.Value == "true" {
				return true
			}
		}
	}
	return false
}

// BuildPortfoliod builds ./cmd/portfoliod of the module at root into out,
// with -race when race is set. $GO names the go tool (default "go").
func BuildPortfoliod(ctx context.Context, root, out string, race bool) error {
	goTool := os.Getenv("GO")
	if goTool == "" {
		goTool = "go"
	}
	args := []string{"build", "-o", out}
	if race {
		args = append(args, "-race")
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goTool, append(args, "./cmd/portfoliod")...)
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s %s ./cmd/portfoliod: %w\n%s", goTool, strings.Join(args, " "), err, b)
	}
	return nil
}

// Portfoliod is `portfoliod serve` running as a subprocess. It is killed
// if this process dies (Pdeathsig).
type Portfoliod struct {
	// URL is the API's base URL, from its "portfoliod listening on" line.
	URL    string
	cmd    *exec.Cmd
	exited chan struct{}
}

// StartPortfoliod runs `bin serve --config cfgPath`, writing its stderr
// (the logs) to stderr, and waits up to a minute for it to listen. If it
// exits or ctx ends first, the error says so.
func StartPortfoliod(ctx context.Context, bin, cfgPath string, stderr io.Writer) (*Portfoliod, error) {
	p := &Portfoliod{cmd: exec.Command(bin, "serve", "--config", cfgPath), exited: make(chan struct{})}
	p.cmd.Stderr = stderr
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "portfoliod listening on "); ok {
				select {
				case urls <- strings.TrimSpace(u):
				default:
				}
			}
		}
		_ = p.cmd.Wait() // after stdout is drained, as Wait closes the pipe
		close(p.exited)
	}()
	select {
	case p.URL = <-urls:
		return p, nil
	case <-p.exited:
		return nil, fmt.Errorf("portfoliod exited before listening: %v", p.cmd.ProcessState)
	case <-time.After(time.Minute):
		p.Kill()
		return nil, fmt.Errorf("portfoliod did not listen within a minute")
	case <-ctx.Done():
		p.Kill()
		return nil, ctx.Err()
	}
}

// Pid is the process id, e.g. for reading /proc.
func (p *Portfoliod) Pid() int { return p.cmd.Process.Pid }

// Signal sends sig to the process.
func (p *Portfoliod) Signal(sig os.Signal) error { return p.cmd.Process.Signal(sig) }

// Exited is closed once the process has exited; State is then its exit
// status.
func (p *Portfoliod) Exited() <-chan struct{} { return p.exited }

// State is the exit status, nil before the process exits.
func (p *Portfoliod) State() *os.ProcessState {
	select {
	case <-p.exited:
		return p.cmd.ProcessState
	default:
		return nil
	}
}

// Kill kills the process and waits for it to exit.
func (p *Portfoliod) Kill() {
	_ = p.cmd.Process.Kill()
	<-p.exited
}

// Stop sends SIGTERM, waits up to wait for the graceful exit, then kills.
func (p *Portfoliod) Stop(wait time.Duration) {
	_ = p.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(wait):
		p.Kill()
	}
}

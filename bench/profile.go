package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/portfoliod/portfoliod/internal/localnet"
)

// profiler records `perf record` CPU profiles of processes during chosen
// cases (-profile DIR): where the time goes when a target is missed. It
// needs perf and permission to attach (root, or perf_event_paranoid ≤ 1).
type profiler struct {
	dir string
}

// recording is a running `perf record`.
type recording struct {
	name string
	data string
	cmd  *exec.Cmd
	done chan error
	out  *localnet.Output
}

// start attaches perf to pid; name names the output files.
func (p *profiler) start(name string, pid int) (*recording, error) {
	if p == nil {
		return nil, nil
	}
	rec := &recording{name: name, data: filepath.Join(p.dir, name+".perf.data"), done: make(chan error, 1), out: &localnet.Output{}}
	rec.cmd = exec.Command("perf", "record", "-F", "499", "-g", "-p", strconv.Itoa(pid), "-o", rec.data)
	rec.cmd.Stdout, rec.cmd.Stderr = rec.out, rec.out
	rec.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := rec.cmd.Start(); err != nil {
		return nil, fmt.Errorf("perf record: %w", err)
	}
	go func() { rec.done <- rec.cmd.Wait() }()
	time.Sleep(200 * time.Millisecond) // let perf attach before the case starts
	return rec, nil
}

// stop ends the recording and writes name.txt, perf's flat report of the
// hottest symbols; it returns the report's first lines.
func (rec *recording) stop(ctx context.Context) (string, error) {
	if rec == nil {
		return "", nil
	}
	_ = rec.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-rec.done:
	case <-time.After(30 * time.Second):
		_ = rec.cmd.Process.Kill()
		<-rec.done
		return "", fmt.Errorf("perf record did not stop: %s", rec.out.String())
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, "perf", "report", "-i", rec.data, "--stdio", "--no-children",
		"--sort", "dso,symbol", "--percent-limit", "1", "-g", "none")
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("perf report: %w", err)
	}
	txt := strings.TrimSuffix(rec.data, ".perf.data") + ".txt"
	if err := os.WriteFile(txt, out.Bytes(), 0o644); err != nil {
		return "", err
	}
	var top []string
	for _, line := range strings.Split(out.String(), "\n") {
		if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "#") {
			t = strings.TrimSpace(strings.TrimSuffix(strings.Join(strings.Fields(t), " "), "- -"))
			top = append(top, t)
			if len(top) == 6 {
				break
			}
		}
	}
	return strings.Join(top, "; "), nil
}

// profiled runs fn while perf records each of pids (name → pid), and
// returns one summary line per process.
func profiled(ctx context.Context, p *profiler, label string, pids map[string]int, fn func()) []string {
	if p == nil {
		fn()
		return nil
	}
	var recs []*recording
	var notes []string
	for name, pid := range pids {
		rec, err := p.start(label+"-"+name, pid)
		if err != nil {
			notes = append(notes, fmt.Sprintf("%s %s: %v", label, name, err))
			continue
		}
		recs = append(recs, rec)
	}
	fn()
	for _, rec := range recs {
		top, err := rec.stop(ctx)
		if err != nil {
			notes = append(notes, fmt.Sprintf("%s: %v", rec.name, err))
			continue
		}
		notes = append(notes, fmt.Sprintf("profile %s (%s.txt): %s", rec.name, rec.name, top))
	}
	return notes
}

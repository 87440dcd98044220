// Package nginxtest runs a real nginx for tests from the config file
// operators use (deploy/nginx.conf): Debian's nginx, in the foreground, in
// a temporary prefix directory of its own (logs, pid file, temporary
// files), listening on a free loopback port. Only the upstream servers and
// the listen address of the file are replaced, so a test exercises the
// deployed balancing, retry and timeout rules. A test that needs nginx
// fails, never skips, when it is missing: `make test` installs it.
package nginxtest

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/portfoliod/portfoliod/internal/localnet"
)

// notFoundHint is what a newcomer without nginx reads.
const notFoundHint = "nginx not found: run `make nginx` (apt-get install nginx) or set NGINX to the nginx binary"

// Server is a running nginx.
type Server struct {
	// URL is http://127.0.0.1:<Port>.
	URL string
	// Port is the loopback port it listens on.
	Port int
	// Config is the config nginx runs: the given file with the test's
	// upstreams and listen address.
	Config string

	dir    string
	cmd    *exec.Cmd
	exited chan struct{}
	stderr *localnet.Output
}

// FindBinary returns $NGINX, else /usr/sbin/nginx (Debian's), else nginx
// on $PATH.
func FindBinary() (string, error) {
	if bin := os.Getenv("NGINX"); bin != "" {
		if _, err := exec.LookPath(bin); err != nil {
			return "", fmt.Errorf("%s (NGINX=%s: %v)", notFoundHint, bin, err)
		}
		return bin, nil
	}
	if _, err := os.Stat("/usr/sbin/nginx"); err == nil {
		return "/usr/sbin/nginx", nil
	}
	if bin, err := exec.LookPath("nginx"); err == nil {
		return bin, nil
	}
	return "", errors.New(notFoundHint)
}

var (
	upstreamBlock = regexp.MustCompile(`(?s)upstream\s+\w+\s*\{.*?\n\s*\}`)
	serverLine    = regexp.MustCompile(`(?m)^(\s*server\s+)(\S+)`)
	listenLine    = regexp.MustCompile(`(?m)^(\s*listen\s+)([^;\s]+)`)
)

// Render returns conf with the servers of its one upstream block replaced,
// in order, by upstreams (as many as the file lists), and its one listen
// address by listen. Everything else is left as the file has it.
func Render(conf []byte, listen string, upstreams []string) ([]byte, error) {
	blocks := upstreamBlock.FindAllIndex(conf, -1)
	if len(blocks) != 1 {
		return nil, fmt.Errorf("the config has %d upstream blocks, want 1", len(blocks))
	}
	start, end := blocks[0][0], blocks[0][1]
	block := conf[start:end]
	if n := len(serverLine.FindAll(block, -1)); n != len(upstreams) {
		return nil, fmt.Errorf("the config's upstream lists %d servers, the test gives %d", n, len(upstreams))
	}
	i := 0
	block = serverLine.ReplaceAllFunc(block, func(m []byte) []byte {
		sub := serverLine.FindSubmatch(m)
		i++
		return append(append([]byte(nil), sub[1]...), upstreams[i-1]...)
	})
	if n := len(listenLine.FindAll(conf, -1)); n != 1 {
		return nil, fmt.Errorf("the config has %d listen directives, want 1", n)
	}
	out := append(append(append([]byte(nil), conf[:start]...), block...), conf[end:]...)
	out = listenLine.ReplaceAll(out, []byte("${1}"+listen))
	return out, nil
}

// Start runs nginx from the config file conf with its upstream servers
// replaced by upstreams (host:port each) and waits until it accepts
// connections. Cleanup stops it.
func Start(tb testing.TB, conf string, upstreams ...string) *Server {
	tb.Helper()
	bin, err := FindBinary()
	if err != nil {
		tb.Fatal(err)
	}
	raw, err := os.ReadFile(conf)
	if err != nil {
		tb.Fatal(err)
	}
	// Not t.TempDir: nginx's workers drop root for nobody, who must reach
	// the temporary files under the prefix.
	dir, err := os.MkdirTemp("", "nginxtest-")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { os.RemoveAll(dir) })
	for _, d := range []string{"logs", "tmp"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	// A port taken between FreePort and the bind makes nginx exit: try
	// another.
	for attempt := 0; ; attempt++ {
		s, err := run(bin, dir, raw, upstreams)
		if err == nil {
			tb.Cleanup(s.stop)
			return s
		}
		if attempt == 4 || !strings.Contains(err.Error(), "Address already in use") {
			tb.Fatal(err)
		}
	}
}

func run(bin, dir string, raw []byte, upstreams []string) (*Server, error) {
	port, err := localnet.FreePort()
	if err != nil {
		return nil, err
	}
	body, err := Render(raw, "127.0.0.1:"+strconv.Itoa(port), upstreams)
	if err != nil {
		return nil, err
	}
	cfg := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(cfg, body, 0o644); err != nil {
		return nil, err
	}
	s := &Server{URL: "http://127.0.0.1:" + strconv.Itoa(port), Port: port, Config: string(body), dir: dir,
		exited: make(chan struct{}), stderr: &localnet.Output{}}
	s.cmd = exec.Command(bin, "-p", dir+"/", "-c", cfg, "-g", "daemon off;")
	s.cmd.Dir = dir
	s.cmd.Stdout, s.cmd.Stderr = s.stderr, s.stderr
	// Its own process group, so that stop reaches the workers too; the
	// master dies with the test binary.
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start nginx: %w", err)
	}
	go func() { _ = s.cmd.Wait(); close(s.exited) }()
	deadline := time.Now().Add(20 * time.Second)
	for {
		select {
		case <-s.exited:
			return nil, fmt.Errorf("nginx exited at start-up: %v\n%s%s", s.cmd.ProcessState, s.stderr, s.ErrorLog())
		default:
		}
		if c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), time.Second); err == nil {
			c.Close()
			return s, nil
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("nginx did not listen within 20s\n%s%s", s.stderr, s.ErrorLog())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// ErrorLog returns nginx's error log so far.
func (s *Server) ErrorLog() string {
	b, _ := os.ReadFile(filepath.Join(s.dir, "logs", "error.log"))
	return string(b)
}

// AccessLog returns nginx's access log so far (written as requests end).
func (s *Server) AccessLog() string {
	b, _ := os.ReadFile(filepath.Join(s.dir, "logs", "access.log"))
	return string(b)
}

// stop shuts nginx down fast (SIGTERM to its process group) and waits.
func (s *Server) stop() {
	pgid := s.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-s.exited
	}
}

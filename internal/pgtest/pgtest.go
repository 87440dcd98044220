// Package pgtest runs a real PostgreSQL server for tests: Debian's
// postgresql binaries (initdb, postgres, psql), one server per test binary
// in a temporary directory on a free loopback port, and a fresh database
// per test. A test that needs PostgreSQL fails, never skips, when the
// binaries are missing: `make test` installs them.
//
// A package using it runs its tests through Main, which stops the server
// when they end:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
//
// It speaks to the server only through psql, so the store package stays
// the only importer of the driver.
package pgtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/portfoliod/portfoliod/internal/localnet"
)

// notFoundHint is what a newcomer without PostgreSQL reads.
const notFoundHint = "PostgreSQL not found: run `make postgres` (apt-get install postgresql) or set PG_BIN to the directory holding initdb"

// Server is a running PostgreSQL server with trust authentication for the
// superuser "postgres" on 127.0.0.1.
type Server struct {
	// Port is the TCP port it listens on.
	Port int
	// BinDir holds initdb, postgres and psql.
	BinDir string

	dir       string
	data      string
	dedicated bool
	durable   bool // fsync and synchronous commit on (Launch's option)
	cred      *syscall.Credential
	cmd       *exec.Cmd
	exited    chan struct{}
	logs      *localnet.Output
}

var (
	once    sync.Once
	shared  *Server
	failure error
	nextDB  atomic.Int64
)

// Main runs the tests of m and then stops the server, if one started.
func Main(m *testing.M) int {
	code := m.Run()
	if shared != nil {
		shared.stop()
	}
	return code
}

// Start returns the test binary's server, starting it on first use; it
// fails tb if PostgreSQL is missing or does not start.
func Start(tb testing.TB) *Server {
	tb.Helper()
	once.Do(func() { shared, failure = start() })
	if failure != nil {
		tb.Fatal(failure)
	}
	return shared
}

// StartDedicated starts a server of tb's own, which tb may Stop and
// Restart: the server of Start is shared by the test binary's tests and
// must never stop under them. It is shut down and removed when tb ends.
func StartDedicated(tb testing.TB) *Server {
	tb.Helper()
	s, err := start()
	if err != nil {
		tb.Fatal(err)
	}
	s.dedicated = true
	tb.Cleanup(s.stop)
	return s
}

// Launch starts a server outside a test (the benchmark), which the caller
// stops with Close. With durable, fsync, synchronous commit and full-page
// writes stay on, as in production; the tests' servers turn them off.
func Launch(durable bool) (*Server, error) {
	s, err := startWith(durable)
	if err != nil {
		return nil, err
	}
	s.dedicated = true
	return s, nil
}

// Close shuts a server of Launch down and removes its directory.
func (s *Server) Close() { s.stop() }

// CreateDatabase creates the empty database name on s and returns its DSN.
func (s *Server) CreateDatabase(name string) (string, error) {
	if out, err := s.Psql("postgres", "CREATE DATABASE "+name); err != nil {
		return "", fmt.Errorf("create database %s: %w: %s", name, err, out)
	}
	return s.DSN(name), nil
}

// Pid is the postmaster's process id (its backends are its children).
func (s *Server) Pid() int { return s.cmd.Process.Pid }

// Stop shuts the dedicated server s down and keeps its data, as an
// operator's restart does: a fast shutdown, which ends every session with
// 57P01 admin_shutdown and rolls back their open transactions. It fails
// tb on the shared server.
func (s *Server) Stop(tb testing.TB) {
	tb.Helper()
	if !s.dedicated {
		tb.Fatal("pgtest: Stop on the shared server; use StartDedicated")
	}
	s.halt()
}

// Restart starts the dedicated server s again, on its port (the DSNs
// handed out stay valid), and waits until it accepts connections.
func (s *Server) Restart(tb testing.TB) {
	tb.Helper()
	if !s.dedicated {
		tb.Fatal("pgtest: Restart on the shared server; use StartDedicated")
	}
	var err error
	// The port may be taken for a moment by a client's ephemeral port.
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		if err = s.listen(s.Port); err == nil {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("restart postgres on port %d: %v", s.Port, err)
		}
	}
}

// NewDatabase creates an empty database on the test binary's server and
// returns its DSN (a postgres:// URL).
func NewDatabase(tb testing.TB) string {
	tb.Helper()
	return Start(tb).NewDatabase(tb)
}

// NewDatabase creates an empty database on s and returns its DSN.
func (s *Server) NewDatabase(tb testing.TB) string {
	tb.Helper()
	name := fmt.Sprintf("test_%d_%d", os.Getpid(), nextDB.Add(1))
	if out, err := s.Psql("postgres", "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("create database %s: %v\n%s", name, err, out)
	}
	return s.DSN(name)
}

// DSN is the connection URL of database db on s.
func (s *Server) DSN(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", s.Port, db)
}

// Psql runs sql on database db with psql and returns its output
// (unaligned, tuples only).
func (s *Server) Psql(db, sql string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(s.BinDir, "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
		"-h", "127.0.0.1", "-p", strconv.Itoa(s.Port), "-U", "postgres", "-d", db, "-c", sql)
	out, err := cmd.CombinedOutput()
	return string(bytes.TrimSpace(out)), err
}

// Logs returns what the server has logged so far.
func (s *Server) Logs() string { return s.logs.String() }

// FindBinDir returns the directory holding PostgreSQL's initdb: $PG_BIN,
// else the newest /usr/lib/postgresql/*/bin (Debian's layout).
func FindBinDir() (string, error) {
	if dir := os.Getenv("PG_BIN"); dir != "" {
		if _, err := os.Stat(filepath.Join(dir, "initdb")); err != nil {
			return "", fmt.Errorf("%s (PG_BIN=%s has no initdb)", notFoundHint, dir)
		}
		return dir, nil
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(found) == 0 {
		return "", errors.New(notFoundHint)
	}
	slices.SortFunc(found, func(a, b string) int { return versionOf(a) - versionOf(b) })
	return filepath.Dir(found[len(found)-1]), nil
}

// versionOf is the major version in /usr/lib/postgresql/N/bin/initdb.
func versionOf(initdb string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(initdb))))
	return n
}

// serverUser is who runs initdb and postgres, which both refuse root: the
// current user, or, as root, the postgres system user the package
// creates (else nobody).
func serverUser() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, _ := strconv.ParseUint(u.Uid, 10, 32)
		gid, _ := strconv.ParseUint(u.Gid, 10, 32)
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}, nil
	}
	return nil, errors.New("running as root, and neither the postgres nor the nobody user exists to run PostgreSQL as")
}

func start() (*Server, error) { return startWith(false) }

func startWith(durable bool) (*Server, error) {
	bin, err := FindBinDir()
	if err != nil {
		return nil, err
	}
	cred, err := serverUser()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return nil, err
	}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	s := &Server{BinDir: bin, dir: dir, data: filepath.Join(dir, "data"), cred: cred, logs: &localnet.Output{}, durable: durable}
	initdb := s.command(filepath.Join(bin, "initdb"), "-D", s.data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync")
	if out, err := initdb.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %w\n%s", err, out)
	}
	// A port taken between FreePort and the bind makes postgres exit:
	// try another.
	for attempt := 0; ; attempt++ {
		err := s.run()
		if err == nil {
			return s, nil
		}
		if attempt == 4 {
			os.RemoveAll(dir)
			return nil, err
		}
	}
}

// run starts postgres on a free port and waits until it accepts
// connections.
func (s *Server) run() error {
	port, err := localnet.FreePort()
	if err != nil {
		return err
	}
	return s.listen(port)
}

// listen starts postgres on port and waits until it accepts connections.
func (s *Server) listen(port int) error {
	s.Port = port
	// Durability settings are off unless durable (Launch): the tests
	// kill portfoliod, and stop a dedicated server cleanly (which writes
	// everything out), never crash the machine, and the whole cluster is
	// thrown away at the end.
	args := []string{"-D", s.data, "-p", strconv.Itoa(port), "-h", "127.0.0.1", "-k", s.dir,
		"-c", "max_connections=300", "-c", "shared_buffers=64MB"}
	if !s.durable {
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	s.cmd = s.command(filepath.Join(s.BinDir, "postgres"), args...)
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	s.cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	s.exited = make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(s.exited) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case <-s.exited:
			return fmt.Errorf("postgres exited at start-up: %v\n%s", s.cmd.ProcessState, s.logs.String())
		default:
		}
		if _, err := s.Psql("postgres", "SELECT 1"); err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			s.halt() // the directory stays: start retries in it, Restart keeps its data
			return fmt.Errorf("postgres did not accept connections within 30s\n%s", s.logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// command runs name as the server's user.
func (s *Server) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	cmd.Dir = s.dir
	return cmd
}

// stop shuts the server down fast and removes its directory.
func (s *Server) stop() {
	s.halt()
	os.RemoveAll(s.dir)
}

// halt shuts the server down fast, if it runs.
func (s *Server) halt() {
	if s.cmd != nil && s.cmd.Process != nil {
		select {
		case <-s.exited:
			return
		default:
		}
		_ = s.cmd.Process.Signal(syscall.SIGINT) // fast shutdown
		select {
		case <-s.exited:
		case <-time.After(10 * time.Second):
			_ = s.cmd.Process.Kill()
			<-s.exited
		}
	}
}

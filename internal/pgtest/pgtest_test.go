package pgtest

import (
	"os"
	"strings"
	"testing"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

// Each database is new and empty, and the server answers SQL as the
// postgres superuser.
func TestNewDatabase(t *testing.T) {
	a, b := NewDatabase(t), NewDatabase(t)
	if a == b {
		t.Fatalf("two NewDatabase calls gave the same DSN %s", a)
	}
	s := Start(t)
	db := a[strings.LastIndex(a, "/")+1 : strings.Index(a, "?")]
	out, err := s.Psql(db, "SELECT current_user || ' ' || count(*) FROM pg_tables WHERE schemaname = 'public'")
	if err != nil {
		t.Fatalf("psql: %v\n%s", err, out)
	}
	if out != "postgres 0" {
		t.Errorf("new database: got %q, want %q", out, "postgres 0")
	}
}

func TestFindBinDirHonoursPGBin(t *testing.T) {
	t.Setenv("PG_BIN", t.TempDir())
	if _, err := FindBinDir(); err == nil || !strings.Contains(err.Error(), "make postgres") {
		t.Errorf("FindBinDir with an empty PG_BIN: err = %v, want the install hint", err)
	}
}

// A dedicated server stops (refusing connections) and restarts on its
// port with its data.
func TestDedicatedStopRestart(t *testing.T) {
	s := StartDedicated(t)
	if shared != nil && s.Port == shared.Port {
		t.Fatalf("dedicated server on the shared server's port %d", s.Port)
	}
	dsn := s.NewDatabase(t)
	db := dsn[strings.LastIndex(dsn, "/")+1 : strings.Index(dsn, "?")]
	if out, err := s.Psql(db, "CREATE TABLE t (v int); INSERT INTO t VALUES (42)"); err != nil {
		t.Fatalf("psql: %v\n%s", err, out)
	}
	port := s.Port
	s.Stop(t)
	if out, err := s.Psql(db, "SELECT 1"); err == nil {
		t.Fatalf("a stopped server answered: %s", out)
	}
	s.Restart(t)
	if s.Port != port {
		t.Errorf("restarted on port %d, want %d", s.Port, port)
	}
	out, err := s.Psql(db, "SELECT v FROM t")
	if err != nil || out != "42" {
		t.Errorf("after restart: %q, %v; want 42", out, err)
	}
}

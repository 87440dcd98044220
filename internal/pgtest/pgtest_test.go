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

package main

import (
	"debug/buildinfo"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestFormatVersion(t *testing.T) {
	settings := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	const rev = "cfd6c47a4a34fe8a3c3c35f9080a502d843695a1"
	tests := []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"go build in a clean checkout", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.0.0-20261201221716-cfd6c47a4a34"},
			Settings: settings("vcs", "git", "vcs.revision", rev, "vcs.time", "2026-12-01T22:17:16Z", "vcs.modified", "false")},
			"v0.0.0-20261201221716-cfd6c47a4a34 (revision " + rev + ", committed 2026-12-01T22:17:16Z) go1.26.8"},
		{"uncommitted changes", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.0.0-20261201221716-cfd6c47a4a34+dirty"},
			Settings: settings("vcs.revision", rev, "vcs.time", "2026-12-01T22:17:16Z", "vcs.modified", "true")},
			"v0.0.0-20261201221716-cfd6c47a4a34+dirty (revision " + rev + " with uncommitted changes, committed 2026-12-01T22:17:16Z) go1.26.8"},
		{"tagged", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0"}}, "v1.2.0 go1.26.8"},
		{"go run", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}},
			"(devel) (no VCS revision recorded: `go run` and -buildvcs=false leave it out; `go build` in a git checkout records it) go1.26.8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := formatVersion(tt.bi); got != tt.want {
				t.Errorf("formatVersion() = %q, want %q", got, tt.want)
			}
		})
	}
}

// A binary built from this checkout prints its own build information: the
// module version and, where the go command recorded it (go build in a git
// checkout; not go run, nor a git worktree, which it does not recognise),
// the whole VCS revision.
func TestVersionNamesRevision(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "portfoliod")
	build := exec.Command("go", "build", "-buildvcs=auto", "-o", bin, "./cmd/portfoliod")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	bi, err := buildinfo.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatalf("portfoliod version: %v", err)
	}
	if want := "portfoliod " + formatVersion(bi) + "\n"; string(out) != want {
		t.Errorf("portfoliod version = %q, want %q", out, want)
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && !strings.Contains(string(out), "revision "+s.Value) {
			t.Errorf("portfoliod version = %q, want it to name the revision %s", out, s.Value)
		}
	}
}

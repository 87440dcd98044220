package main

import (
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// Every file the README has users create in the repository root (a built
// binary, a config copy, an export, a backup) and the default store is
// git-ignored, so following the README never leaves them to be committed.
func TestReadmeFilesAreIgnored(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	files := []string{"data/portfoliod.db"} // DefaultConfig's store.path
	for _, re := range []*regexp.Regexp{
		regexp.MustCompile(`go build -o (\S+)`),
		regexp.MustCompile(`\bcp \S+ ([a-z]\S*)`),
		regexp.MustCompile(`-o ([a-z]\S*\.\w+)`),
		regexp.MustCompile(`> ([a-z][\w.-]*\.\w+)`),
		regexp.MustCompile(`--out ([a-z]\S*)`),
	} {
		for _, m := range re.FindAllStringSubmatch(string(readme), -1) {
			if f := strings.Trim(m[1], "`"); !slices.Contains(files, f) {
				files = append(files, f)
			}
		}
	}
	for _, want := range []string{"portfoliod", "config.yaml", "backup.db", "customers.jsonl"} {
		if !slices.Contains(files, want) {
			t.Errorf("found no README command creating %s (files found: %q); update this test", want, files)
		}
	}
	for _, f := range files {
		cmd := exec.Command("git", "check-ignore", "--no-index", "-q", f)
		cmd.Dir = "../.."
		if err := cmd.Run(); err != nil {
			t.Errorf("%s, which the README has users create in the repository root, is not git-ignored (git check-ignore: %v)", f, err)
		}
	}
}

package main

import (
	"os/exec"
	"strings"
	"testing"
)

// The shipped binary links no test machinery: the anvil and process
// runners are for tests, the benchmark and the soak only.
func TestBinaryLinksNoTestRunner(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasPrefix(pkg, "github.com/portfoliod/portfoliod/internal/localnet") ||
			strings.HasPrefix(pkg, "github.com/portfoliod/portfoliod/internal/anviltest") ||
			pkg == "testing" {
			t.Errorf("cmd/portfoliod links %s", pkg)
		}
	}
}

// A build with -tags nodev leaves the in-process chain out of the binary:
// no go-ethereum node, miner or simulated backend, no devnet.
func TestNodevBuildLeavesTheDevChainOut(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-tags", "nodev", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps -tags nodev: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		switch pkg {
		case "github.com/portfoliod/portfoliod/devnet", "github.com/ethereum/go-ethereum/node",
			"github.com/ethereum/go-ethereum/miner", "github.com/ethereum/go-ethereum/ethclient/simulated":
			t.Errorf("the nodev build links %s", pkg)
		}
	}
}

// Command soak is portfoliod's soak test (`make soak`).
//
// It starts anvil, seeds the demo token (devnet.Seed), starts the service
// in-process through the wiring `portfoliod serve` uses (service.Start), so
// that the race detector covers all of it, and
// runs concurrent clients mixing onboarding, patches, profile, portfolio,
// wallet and list reads for a fixed duration. It prints requests, statuses,
// latency percentiles and goroutine and heap growth, and exits 1 on any 5xx,
// any status an operation does not expect, any transport error, wrong
// balances, a store that disagrees with the acknowledged writes, or
// goroutine growth beyond a small margin.
//
//	go run -race ./soak -duration 60s -clients 64
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := runMain(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
}

// runMain parses args, runs the soak and prints its report to stdout. It
// returns an error if the soak could not run or failed.
func runMain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := defaultConfig()
	fs := flag.NewFlagSet("soak", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.DurationVar(&cfg.Duration, "duration", cfg.Duration, "how long the clients run")
	fs.IntVar(&cfg.Clients, "clients", cfg.Clients, "concurrent clients")
	fs.StringVar(&cfg.Anvil, "anvil", "", "anvil binary (default: $ANVIL, PATH, or .tools/ under the module root)")
	fs.StringVar(&cfg.RPCURL, "rpc-url", "", "use this anvil node instead of starting one (the demo token is deployed on it)")
	fs.IntVar(&cfg.GoroutineMargin, "goroutine-margin", cfg.GoroutineMargin, "goroutines the process may gain over the run before it counts as a leak")
	fs.Uint64Var(&cfg.Seed, "seed", uint64(time.Now().UnixNano()), "seed of the clients' random choices")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if cfg.Duration <= 0 || cfg.Clients < 1 || cfg.GoroutineMargin < 0 {
		return errors.New("-duration and -clients must be positive, -goroutine-margin not negative")
	}
	cfg.Log = stderr
	rep, err := run(ctx, cfg)
	if rep != nil {
		rep.print(stdout)
	}
	if err != nil {
		return err
	}
	if fails := rep.failures(); len(fails) > 0 {
		return fmt.Errorf("FAIL: %d problem(s), first: %s", len(fails), fails[0])
	}
	return nil
}

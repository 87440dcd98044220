// Command bench is portfoliod's benchmark (SPEC section 8, `make bench`).
//
// It starts anvil, deploys the ERC-3643-style demo token and Multicall3,
// writes balances and freezes for the benchmark wallets, puts a counting,
// delaying HTTP proxy in front of anvil, builds and runs portfoliod against
// the proxy, and measures portfoliod side by side with a naive baseline
// (one goroutine and one eth_call per value). It prints a markdown table of
// the SPEC section 8 targets and writes it, with a description of the
// machine, to docs/benchmarks.md.
//
// BENCH_QUICK=1 runs small sizes in a few seconds (the test in this
// directory does that, so `make test` keeps the benchmark working).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/portfoliod/portfoliod/internal/localnet"
)

// benchConfig is one benchmark run's settings.
type benchConfig struct {
	Sizes              []int         // wallets per portfolio
	Delay              time.Duration // added by the proxy to every node HTTP request
	Clients            int           // concurrent clients per case
	Duration           time.Duration // time budget per case
	MaxRequests        int           // request cap per case (naive, repeat, profile)
	UncachedRequests   int           // request cap per uncached case (one mined block each)
	FreshRequests      int           // sequential new-head requests per size
	FreshBlocks        int           // blocks of the freshness rows; 0 skips them
	Idle               time.Duration // idle window that measures head tracking
	StoreSmall         int           // customers of the small store
	StoreLarge         int           // customers of the large store; 0 skips it
	WalletsPerCustomer int           // wallets of each store customer
	ImportLarge        int           // customers of the bounded-import row (a store of its own); 0 skips it
	MaxCallsPerBatch   int           // chain.max_calls_per_batch; 0 keeps portfoliod's default
	Live               bool          // run the live-layer rows (the follower)
	LiveBlocks         int           // blocks per push-latency case
	LiveCostBlocks     int           // blocks per follower-cost case
	CatchupBlocks      int           // blocks behind in each follower catch-up case; 0 skips them
	CatchupMints       int           // of them, blocks minting to a customer wallet
	FanOutClients      int           // SSE clients of the fan-out rows; 0 skips them
	FanOutBlocks       int           // blocks delivered to them
	Register           bool          // the register rows (GET /frozen at each store size)
	Export             bool          // the positions export row (with Register)
	Postgres           bool          // the PostgreSQL rows (vs bbolt, import)
	Replicas           int           // onboarding through 1..Replicas replicas on PostgreSQL; 0 skips it
	Out                string        // markdown report path; "" writes none
	Portfoliod         string        // prebuilt portfoliod binary; "" builds one
	Anvil              string        // anvil binary; "" finds one
	Root               string        // module root; "" finds it from the working directory
	Keep               bool          // keep the temporary directory
	ProfileDir         string        // perf profiles of the uncached and repeat cases; "" records none
	Quick              bool
	Command            string // how the run was started, for the report
	Log                io.Writer
}

func defaultConfig() benchConfig {
	return benchConfig{
		Sizes:              []int{1, 10, 100, 1000},
		Delay:              2 * time.Millisecond,
		Clients:            16,
		Duration:           5 * time.Second,
		MaxRequests:        3000,
		UncachedRequests:   400,
		FreshRequests:      20,
		FreshBlocks:        20,
		Idle:               5 * time.Second,
		StoreSmall:         1000,
		StoreLarge:         100000,
		WalletsPerCustomer: 3,
		ImportLarge:        1000000,
		Live:               true,
		LiveBlocks:         20,
		LiveCostBlocks:     8,
		CatchupBlocks:      1000,
		CatchupMints:       20,
		FanOutClients:      1000,
		FanOutBlocks:       10,
		Register:           true,
		Export:             true,
		Postgres:           true,
		Replicas:           3,
	}
}

// quickConfig is BENCH_QUICK=1: 1- and 10-wallet portfolios, the 1,000
// customer store only, about a second per case.
func quickConfig() benchConfig {
	c := defaultConfig()
	c.Sizes = []int{1, 10}
	c.Duration = 500 * time.Millisecond
	c.MaxRequests = 200
	c.UncachedRequests = 48
	c.FreshRequests = 3
	c.FreshBlocks = 4
	c.Idle = 2 * time.Second
	c.StoreLarge = 0
	c.ImportLarge = 5000
	c.LiveBlocks = 4
	c.LiveCostBlocks = 4
	c.CatchupBlocks = 200
	c.CatchupMints = 5
	c.FanOutClients = 100
	c.FanOutBlocks = 3
	c.Quick = true
	return c
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := runMain(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func runMain(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	quick := getenv("BENCH_QUICK") == "1"
	cfg := defaultConfig()
	if quick {
		cfg = quickConfig()
	}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sizes := fs.String("sizes", joinInts(cfg.Sizes), "comma-separated wallets per portfolio")
	fs.DurationVar(&cfg.Delay, "delay", cfg.Delay, "delay the proxy adds to every node HTTP request")
	fs.IntVar(&cfg.Clients, "clients", cfg.Clients, "concurrent clients per case")
	fs.DurationVar(&cfg.Duration, "duration", cfg.Duration, "time budget per case")
	fs.IntVar(&cfg.MaxRequests, "requests", cfg.MaxRequests, "request cap per case (naive, repeat, profile)")
	fs.IntVar(&cfg.UncachedRequests, "uncached-requests", cfg.UncachedRequests, fmt.Sprintf("request cap per uncached case; each mines a block (max %d)", anvilKeptStates-200))
	fs.IntVar(&cfg.FreshRequests, "fresh-requests", cfg.FreshRequests, "sequential new-head requests per size")
	fs.IntVar(&cfg.FreshBlocks, "fresh-blocks", cfg.FreshBlocks, "blocks of the freshness rows (new block to the first latest response naming it; 0 skips them)")
	fs.DurationVar(&cfg.Idle, "idle", cfg.Idle, "idle window measuring head-tracking node requests")
	fs.IntVar(&cfg.StoreSmall, "store-small", cfg.StoreSmall, "customers in the small store")
	fs.IntVar(&cfg.StoreLarge, "store-large", cfg.StoreLarge, "customers in the large store (0 skips it)")
	fs.IntVar(&cfg.WalletsPerCustomer, "wallets-per-customer", cfg.WalletsPerCustomer, "wallets of each store customer")
	fs.IntVar(&cfg.ImportLarge, "import-large", cfg.ImportLarge, "customers of the bounded-import row: customers import into a store of its own, memory sampled (0 skips it)")
	fs.IntVar(&cfg.MaxCallsPerBatch, "max-calls-per-batch", 0, "portfoliod chain.max_calls_per_batch (0: its default)")
	fs.BoolVar(&cfg.Live, "live", cfg.Live, "run the live-layer rows (push latency, follower cost) with the follower on")
	fs.IntVar(&cfg.LiveBlocks, "live-blocks", cfg.LiveBlocks, "blocks per push-latency case")
	// Retired: the register phase measures the follower rows on the large
	// store after its follower's sweep. Accepted so that old commands run.
	fs.Bool("live-large", false, "ignored (retired): the register phase measures the follower-cost rows on the large store")
	fs.IntVar(&cfg.LiveCostBlocks, "live-cost-blocks", cfg.LiveCostBlocks, "blocks per follower-cost case (and untouched-head portfolios)")
	fs.IntVar(&cfg.CatchupBlocks, "catchup-blocks", cfg.CatchupBlocks, fmt.Sprintf("blocks the follower is behind at a restart in the catch-up rows, ranged then block by block (max %d; 0 skips them)", maxCatchupBlocks))
	fs.IntVar(&cfg.CatchupMints, "catchup-mints", cfg.CatchupMints, "of the catch-up blocks, those minting to a customer wallet (distinct wallets, spread over the blocks)")
	fs.IntVar(&cfg.FanOutClients, "fanout-clients", cfg.FanOutClients, "SSE stream clients on one customer in the fan-out rows (0 skips them)")
	fs.IntVar(&cfg.FanOutBlocks, "fanout-blocks", cfg.FanOutBlocks, "blocks delivered to the fan-out clients")
	fs.BoolVar(&cfg.Register, "register", cfg.Register, "run the register rows: GET /frozen on each store with the follower (the first wallet of every store customer frozen)")
	fs.BoolVar(&cfg.Export, "export", cfg.Export, "run the positions export row on the largest store (with -register)")
	fs.BoolVar(&cfg.Postgres, "postgres", cfg.Postgres, "run the PostgreSQL rows: profile and portfolio vs bbolt at each store size, import (needs Debian's postgresql, as make test)")
	fs.IntVar(&cfg.Replicas, "replicas", cfg.Replicas, "onboarding throughput through 1 to N replicas on one PostgreSQL database (0 skips it)")
	out := fs.String("out", "", "markdown report path (default docs/benchmarks.md under the module root; \"-\" for none)")
	fs.StringVar(&cfg.Portfoliod, "portfoliod", "", "prebuilt portfoliod binary (default: go build ./cmd/portfoliod)")
	fs.StringVar(&cfg.Anvil, "anvil", "", "anvil binary (default: $ANVIL, PATH, or .tools/)")
	fs.BoolVar(&cfg.Keep, "keep", false, "keep the temporary directory (stores, configs, logs)")
	fs.StringVar(&cfg.ProfileDir, "profile", "", "record perf CPU profiles of anvil and portfoliod during the uncached and repeat cases into this directory")
	timeout := fs.Duration("timeout", 45*time.Minute, "abort the whole run after this long")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	var err error
	if cfg.Sizes, err = parseInts(*sizes); err != nil {
		return fmt.Errorf("-sizes: %w", err)
	}
	if cfg.Root, err = localnet.ModuleRoot(); err != nil {
		return err
	}
	switch *out {
	case "":
		cfg.Out = filepath.Join(cfg.Root, "docs", "benchmarks.md")
	case "-":
	default:
		cfg.Out = *out
	}
	cfg.Command = "go run ./bench"
	if len(args) > 0 {
		cfg.Command += " " + strings.Join(args, " ")
	}
	if quick {
		cfg.Command = "BENCH_QUICK=1 " + cfg.Command
	}
	if getenv("BENCH_COMMAND") != "" {
		cfg.Command = getenv("BENCH_COMMAND") + " (" + cfg.Command + ")"
	}
	cfg.Log = stderr
	rep, err := run(ctx, cfg)
	if rep != nil {
		fmt.Fprint(stdout, rep.Markdown())
	}
	return err
}

func (c benchConfig) validate() error {
	if len(c.Sizes) == 0 || c.Clients < 1 || c.MaxRequests < 1 || c.UncachedRequests < 1 || c.FreshRequests < 1 {
		return errors.New("sizes, clients and request counts must be positive")
	}
	if c.UncachedRequests > anvilKeptStates-200 {
		return fmt.Errorf("uncached-requests is at most %d (anvil keeps %d block states)", anvilKeptStates-200, anvilKeptStates)
	}
	for _, s := range c.Sizes {
		if s < 1 || s > 1000 {
			return fmt.Errorf("size %d: portfolios hold 1 to 1000 wallets", s)
		}
	}
	if c.Live && (c.LiveBlocks < 1 || c.LiveCostBlocks < 1) {
		return errors.New("live-blocks and live-cost-blocks must be positive")
	}
	if c.CatchupBlocks < 0 || c.CatchupBlocks > maxCatchupBlocks || c.CatchupMints < 0 || c.CatchupMints > c.CatchupBlocks {
		return fmt.Errorf("catchup-blocks must be in [0, %d] and catchup-mints in [0, catchup-blocks]", maxCatchupBlocks)
	}
	if c.StoreSmall < 1 || c.WalletsPerCustomer < 1 || c.WalletsPerCustomer > 1000 {
		return errors.New("store-small and wallets-per-customer must be positive")
	}
	if c.Duration <= 0 || c.Duration > 10*time.Minute || c.Idle <= 0 || c.Idle > time.Minute {
		return errors.New("duration must be in (0, 10m], idle in (0, 1m]")
	}
	return nil
}

func parseInts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}

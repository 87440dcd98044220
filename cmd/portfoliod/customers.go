package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"runtime/debug"
	"slices"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/api"
	"github.com/portfoliod/portfoliod/customers/bolt"
	"github.com/portfoliod/portfoliod/customers/postgres"
)

// An import batch is one store transaction (and one fsync): at most
// importBatchSize customers, and no more customers once it holds
// importBatchWallets wallets. The wallet bound is what keeps memory flat:
// each wallet is an insert at a random place in the wallet index, so a
// batch dirties about a page per wallet once the store is large, and
// bbolt holds every dirty page and its node in memory until the commit.
// Batches of 5,000 customers (15,000 wallets) peaked at 308 MiB of
// anonymous memory importing 1,000,000 customers; see the README's
// "Bounded import" row for what these bounds measure.
const (
	importBatchSize    = 2000
	importBatchWallets = 6000
)

// importMemoryLimit is the Go runtime's soft memory limit during an import
// when GOMEMLIMIT does not set one: the collector runs more often near it,
// instead of letting the heap grow to twice what is live between cycles.
// The live heap of a batch stays well under it.
const importMemoryLimit = 80 << 20

// maxImportLine bounds one JSON line (a customer with 1,000 wallets is about
// 60 KiB).
const maxImportLine = 1 << 20

func runCustomers(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	const customersUsage = "usage: portfoliod customers import [--config FILE] FILE | export [--config FILE]"
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprintln(stdout, customersUsage)
		return nil
	}
	if len(args) == 0 {
		return usageError{msg: customersUsage}
	}
	sub, rest := args[0], args[1:]
	if sub != "import" && sub != "export" {
		return usageError{msg: fmt.Sprintf("unknown customers command %q\n%s", sub, customersUsage)}
	}
	fs := newFlagSet("customers "+sub, stderr)
	configPath := fs.String("config", getenv("PORTFOLIO_CONFIG"), "YAML config file (for store.path)")
	if err := parseFlags(fs, rest); err != nil {
		return err
	}
	// Arguments first: a mistyped command must not create a store.
	switch {
	case sub == "import" && fs.NArg() != 1:
		return usageError{msg: "usage: portfoliod customers import [--config FILE] FILE (use - for stdin)"}
	case sub == "export" && fs.NArg() != 0:
		return usageError{msg: "usage: portfoliod customers export [--config FILE] > customers.jsonl"}
	}
	var in io.Reader = stdin
	var size int64 = -1
	if sub == "import" && fs.Arg(0) != "-" {
		f, err := os.Open(fs.Arg(0))
		if err != nil {
			return err
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil {
			size = st.Size()
		}
		in = f
	}
	// Import may create the store; export reads one that must exist.
	store, err := openConfiguredStore(ctx, *configPath, getenv, sub == "export")
	if err != nil {
		return err
	}
	defer store.Close()

	switch sub {
	case "import":
		if debug.SetMemoryLimit(-1) == math.MaxInt64 { // no limit set (GOMEMLIMIT)
			defer debug.SetMemoryLimit(debug.SetMemoryLimit(importMemoryLimit))
		}
		res, err := importCustomers(ctx, store, in, size, stdout, stderr)
		fmt.Fprintf(stdout, "imported %d customers (%d wallets), rejected %d lines, in %s\n",
			res.imported, res.wallets, res.rejected, res.elapsed.Round(time.Millisecond))
		if err != nil {
			return err
		}
		if res.rejected > 0 {
			return fmt.Errorf("%d lines rejected (listed above with their line numbers)", res.rejected)
		}
		return nil
	case "export":
		w := bufio.NewWriterSize(stdout, 1<<16)
		err := store.ForEach(ctx, func(c portfoliod.Customer) error {
			b, err := api.MarshalCustomer(c)
			if err != nil {
				return err
			}
			w.Write(b)
			return w.WriteByte('\n')
		})
		if err != nil {
			return err
		}
		return w.Flush()
	default:
		return usageError{msg: fmt.Sprintf("unknown customers command %q (import, export)", sub)}
	}
}

type importResult struct {
	imported, wallets, rejected int
	elapsed                     time.Duration
}

// importCustomers reads JSON Lines from in, validates each line as
// POST /customer does, and stores them in batches; each batch is one
// transaction, so a crash leaves whole batches or nothing of them. Rejected
// lines are reported to stderr with their line numbers and reasons.
func importCustomers(ctx context.Context, store cliStore, in io.Reader, size int64, stdout, stderr io.Writer) (importResult, error) {
	start := time.Now()
	var res importResult
	var bar *progressbar.ProgressBar
	if f, ok := stdout.(*os.File); ok && isatty.IsTerminal(f.Fd()) && size > 0 {
		bar = progressbar.DefaultBytes(size, "importing")
		defer bar.Finish()
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), maxImportLine)

	batch := make([]portfoliod.Customer, 0, importBatchSize)
	lines := make([]int, 0, importBatchSize)
	wallets := 0 // in batch
	// Rejections are reported at each flush, in line order: lines that do
	// not parse are known at once, store conflicts only at the flush.
	type rejection struct {
		line int
		err  error
	}
	var rejected []rejection
	report := func() {
		if len(rejected) == 0 {
			return
		}
		if bar != nil {
			_ = bar.Clear()
		}
		slices.SortFunc(rejected, func(a, b rejection) int { return a.line - b.line })
		for _, r := range rejected {
			fmt.Fprintf(stderr, "line %d: %v\n", r.line, r.err)
		}
		res.rejected += len(rejected)
		rejected = rejected[:0]
	}
	flush := func() error {
		defer report()
		if len(batch) == 0 {
			return nil
		}
		errs, err := store.Import(ctx, batch)
		if err != nil {
			return fmt.Errorf("import batch ending at line %d: %w", lines[len(lines)-1], err)
		}
		for i, e := range errs {
			if e != nil {
				rejected = append(rejected, rejection{lines[i], e})
				continue
			}
			res.imported++
			res.wallets += len(batch[i].Wallets)
		}
		clear(batch) // let the flushed customers go before the next are read
		batch, lines, wallets = batch[:0], lines[:0], 0
		return nil
	}

	n := 0
	for sc.Scan() {
		n++
		line := sc.Bytes()
		if bar != nil {
			_ = bar.Add(len(line) + 1)
		}
		if len(line) == 0 {
			continue
		}
		c, err := api.ParseCustomerJSON(line)
		if err != nil {
			rejected = append(rejected, rejection{n, err})
			// Bound what waits for the batch's flush (a file of mostly
			// bad lines), and report it while the import runs.
			if len(rejected) >= importBatchSize {
				if err := flush(); err != nil {
					res.elapsed = time.Since(start)
					return res, err
				}
			}
			continue
		}
		batch = append(batch, c)
		lines = append(lines, n)
		wallets += len(c.Wallets)
		if len(batch) == importBatchSize || wallets >= importBatchWallets {
			if err := flush(); err != nil {
				res.elapsed = time.Since(start)
				return res, err
			}
		}
	}
	err := sc.Err()
	if errors.Is(err, bufio.ErrTooLong) {
		err = fmt.Errorf("line %d is longer than %d bytes", n+1, maxImportLine)
	}
	if err == nil {
		err = flush()
	} else {
		report()
	}
	res.elapsed = time.Since(start)
	return res, err
}

// runBackup writes a consistent copy of the store to --out, offline (the
// service must be stopped, or the store lock times out with a clear error;
// use GET /admin/backup on a running service).
func runBackup(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := newFlagSet("backup", stdout)
	configPath := fs.String("config", getenv("PORTFOLIO_CONFIG"), "YAML config file (for store.path)")
	out := fs.String("out", "", "backup file to write (required)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		return usageError{msg: "usage: portfoliod backup [--config FILE] --out FILE"}
	}
	cfg, err := LoadConfig(*configPath, getenv)
	if err != nil {
		return err
	}
	if cfg.Store.Driver == "postgres" {
		return fmt.Errorf("store.driver is postgres: %s (database %s)", postgres.ErrBackupUnsupported.Message, storeName(cfg.Store))
	}
	store, err := openConfiguredStore(ctx, *configPath, getenv, true)
	if errors.Is(err, bolt.ErrLocked) {
		return fmt.Errorf("%w (the service is running? back it up online with GET /admin/backup, admin scope)", err)
	}
	if err != nil {
		return err
	}
	defer store.Close()
	tmp := *out + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	n, err := store.Backup(ctx, f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("backup: %w", err)
	}
	// Rename only a complete file into place, so --out is never half-written.
	if err := os.Rename(tmp, *out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup of %s written to %s (%d bytes)\n", cfg.Store.Path, *out, n)
	return nil
}

// openConfiguredStore opens the store named by the config at path (or the
// environment), for the offline commands. With mustExist, a missing store
// file is an error rather than a new empty store.
func openConfiguredStore(ctx context.Context, path string, getenv func(string) string, mustExist bool) (cliStore, error) {
	cfg, err := LoadConfig(path, getenv)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(cfg.Store.Path); cfg.Store.Driver == "bbolt" && mustExist && errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("store %s does not exist: pass --config FILE (or set PORTFOLIO_STORE_PATH) naming the service's store", cfg.Store.Path)
	}
	return openStore(ctx, cfg.Store)
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/customers/bolt"
	"github.com/portfoliod/portfoliod/customers/postgres"
	"github.com/portfoliod/portfoliod/internal/service"
)

// cliStore is what the offline commands use of a store, bbolt or
// PostgreSQL.
type cliStore interface {
	service.Store
	Import(ctx context.Context, batch []portfoliod.Customer) ([]error, error)
	ForEach(ctx context.Context, fn func(portfoliod.Customer) error) error
}

var (
	_ cliStore = (*bolt.Store)(nil)
	_ cliStore = (*postgres.Store)(nil)
)

// storeName is how logs and messages name the configured store: the bbolt
// path, or the database without its password.
func storeName(cfg StoreConfig) string {
	if cfg.Driver == "postgres" {
		return postgres.Redact(cfg.DSN)
	}
	return cfg.Path
}

// openStore opens the store cfg configures. A PostgreSQL store is
// migrated first (under its advisory lock), within cfg.OpenTimeout.
func openStore(ctx context.Context, cfg StoreConfig) (cliStore, error) {
	return openStoreKeeping(ctx, cfg, 0)
}

// openStoreKeeping is openStore keeping keptBlocks processed blocks for
// the follower's reorgs (0: the store's default).
func openStoreKeeping(ctx context.Context, cfg StoreConfig, keptBlocks int) (cliStore, error) {
	if cfg.Driver != "postgres" {
		return bolt.Open(cfg.Path, bolt.Options{Timeout: cfg.OpenTimeout, RecentBlocks: keptBlocks})
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.OpenTimeout)
	defer cancel()
	opts := postgresOptions(cfg)
	opts.RecentBlocks = keptBlocks
	s, err := postgres.Open(ctx, cfg.DSN, opts)
	if err != nil {
		return nil, err
	}
	return s, nil
}

func postgresOptions(cfg StoreConfig) postgres.Options {
	return postgres.Options{MaxConns: int32(cfg.MaxConns), ConnectTimeout: cfg.OpenTimeout, StatementTimeout: cfg.StatementTimeout}
}

// storeOpener is service.Options.OpenStore for cfg, keeping keptBlocks
// processed blocks for the follower.
func storeOpener(cfg StoreConfig, keptBlocks int) func(context.Context) (service.Store, error) {
	return func(ctx context.Context) (service.Store, error) {
		s, err := openStoreKeeping(ctx, cfg, keptBlocks)
		if err != nil {
			return nil, err
		}
		return s, nil
	}
}

const storeUsage = `usage:
  portfoliod store migrate [--config FILE]
  portfoliod store copy --from bbolt:PATH --to postgres:DSN [--force]`

// runStore runs `portfoliod store migrate` and `portfoliod store copy`.
func runStore(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprintln(stdout, storeUsage)
		return nil
	}
	if len(args) == 0 {
		return usageError{msg: storeUsage}
	}
	switch sub, rest := args[0], args[1:]; sub {
	case "migrate":
		return runStoreMigrate(ctx, rest, getenv, stdout, stderr)
	case "copy":
		return runStoreCopy(ctx, rest, getenv, stdout, stderr)
	default:
		return usageError{msg: fmt.Sprintf("unknown store command %q\n%s", sub, storeUsage)}
	}
}

// runStoreMigrate applies the PostgreSQL store's pending migrations, as
// serve does at start; with bbolt there is nothing to do.
func runStoreMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("store migrate", stderr)
	configPath := fs.String("config", getenv("PORTFOLIO_CONFIG"), "YAML config file (for store.driver and store.dsn)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{msg: "usage: portfoliod store migrate [--config FILE]"}
	}
	cfg, err := LoadConfig(*configPath, getenv)
	if err != nil {
		return err
	}
	if cfg.Store.Driver != "postgres" {
		fmt.Fprintf(stdout, "store.driver is %s: its schema is upgraded when the store opens, nothing to migrate\n", cfg.Store.Driver)
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Store.OpenTimeout)
	defer cancel()
	from, to, err := postgres.Migrate(ctx, cfg.Store.DSN, postgresOptions(cfg.Store))
	if err != nil {
		return err
	}
	if from == to {
		fmt.Fprintf(stdout, "%s is at schema version %d: nothing to migrate\n", postgres.Redact(cfg.Store.DSN), to)
		return nil
	}
	fmt.Fprintf(stdout, "%s migrated from schema version %d to %d\n", postgres.Redact(cfg.Store.DSN), from, to)
	return nil
}

// copyBatchSize is how many customers one Import of store copy carries.
const copyBatchSize = 5000

// runStoreCopy copies every customer of a bbolt store into a PostgreSQL
// one, then its webhook endpoints, event log and webhook deliveries
// (copyOutbox: pending ones stay pending, due when they were), then checks
// that the target gained as many of each as the source holds and that its
// wallet index is sound. A target that already holds customers is refused
// unless --force (the copy then adds to it, and customers or wallets it
// already has are reported as conflicts; an endpoint it has stops the
// copy). Idempotency records are not copied: they live a day, and a
// client's retry after the move is answered afresh. Nor are the
// follower's cursor and last known figures: on the target the follower
// starts afresh, with a sweep that records figures without events.
func runStoreCopy(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("store copy", stderr)
	from := fs.String("from", "", "source store, bbolt:PATH")
	to := fs.String("to", "", "target store, postgres:DSN")
	force := fs.Bool("force", false, "copy into a target that already holds customers")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	srcPath, ok1 := strings.CutPrefix(*from, "bbolt:")
	dsn, ok2 := strings.CutPrefix(*to, "postgres:")
	if !ok1 || !ok2 || srcPath == "" || dsn == "" || fs.NArg() > 0 {
		return usageError{msg: "usage: portfoliod store copy --from bbolt:PATH --to postgres:DSN [--force]"}
	}
	defaults := DefaultConfig().Store
	// bolt.Open would create a missing file: a typo must not copy nothing.
	if _, err := os.Stat(srcPath); err != nil {
		return fmt.Errorf("source store: %w", err)
	}
	src, err := bolt.Open(srcPath, bolt.Options{Timeout: defaults.OpenTimeout})
	if errors.Is(err, bolt.ErrLocked) {
		return fmt.Errorf("%w (stop the service using it first: the copy must see every write)", err)
	}
	if err != nil {
		return err
	}
	defer src.Close()
	openCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	dst, err := postgres.Open(openCtx, dsn, postgres.Options{})
	cancel()
	if err != nil {
		return err
	}
	defer dst.Close()
	target := dst.Name()

	srcCustomers, srcWallets, err := src.Count(ctx)
	if err != nil {
		return err
	}
	if n, _, err := dst.Count(ctx); err != nil {
		return err
	} else if n > 0 && !*force {
		return fmt.Errorf("%s already holds %d customers: copy into an empty database, or pass --force to add to it", target, n)
	}
	before, beforeWallets, _ := dst.Count(ctx)
	beforeOutbox, err := countOutbox(ctx, dst)
	if err != nil {
		return err
	}

	start := time.Now()
	var copied, rejected int
	advance, finish := func(int) {}, func() {}
	if onTerminal(stderr) {
		advance, finish = progressBar(stderr, srcCustomers, "copying customers")
	}
	batch := make([]portfoliod.Customer, 0, copyBatchSize)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		errs, err := dst.Import(ctx, batch)
		if err != nil {
			return err
		}
		for i, e := range errs {
			if e != nil {
				rejected++
				fmt.Fprintf(stderr, "customer %s: %v\n", batch[i].ID, e)
				continue
			}
			copied++
		}
		advance(len(batch))
		batch = batch[:0]
		return nil
	}
	err = src.ForEach(ctx, func(c portfoliod.Customer) error {
		batch = append(batch, c)
		if len(batch) == copyBatchSize {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	finish()
	var moved outboxCounts
	if err == nil {
		moved, err = copyOutbox(ctx, src, dst)
	}
	if err != nil {
		return fmt.Errorf("copy to %s: %w", target, err)
	}

	// Verify: the target gained exactly the source's records, and its
	// index agrees with them.
	var problems []string
	n, w, err := dst.Count(ctx)
	if err != nil {
		return err
	}
	if n-before != srcCustomers || w-beforeWallets != srcWallets {
		problems = append(problems, fmt.Sprintf("the source holds %d customers and %d wallets, the target gained %d and %d", srcCustomers, srcWallets, n-before, w-beforeWallets))
	}
	if err := dst.VerifyIndex(ctx); err != nil {
		problems = append(problems, err.Error())
	}
	afterOutbox, err := countOutbox(ctx, dst)
	if err != nil {
		return err
	}
	if gained := afterOutbox.minus(beforeOutbox); gained != moved {
		problems = append(problems, fmt.Sprintf("the source holds %d webhook endpoints, %d events and %d deliveries (%d pending), the target gained %d, %d and %d (%d)",
			moved.endpoints, moved.events, moved.deliveries, moved.pending, gained.endpoints, gained.events, gained.deliveries, gained.pending))
	}
	if rejected > 0 {
		problems = append(problems, fmt.Sprintf("%d customers rejected (listed above)", rejected))
	}
	if len(problems) > 0 {
		return errors.New("copy verification failed: " + strings.Join(problems, "; "))
	}
	fmt.Fprintf(stdout, "copied %d customers (%d wallets), %d webhook endpoints, %d events and %d webhook deliveries (%d pending) from %s to %s in %s; counts and the wallet index verified\n",
		copied, srcWallets, moved.endpoints, moved.events, moved.deliveries, moved.pending, srcPath, target, time.Since(start).Round(time.Millisecond))
	return nil
}

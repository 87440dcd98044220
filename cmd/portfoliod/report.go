package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"

	"github.com/portfoliod/portfoliod"
	"github.com/portfoliod/portfoliod/aggregator"
	"github.com/portfoliod/portfoliod/api"
	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/customers/bolt"
)

const reportUsage = "usage: portfoliod report positions --out FILE [--block N] [--token T] [--format csv|jsonl] [--include name] [--config FILE]"

// runReport runs `portfoliod report positions`: the holder register of
// GET /reports/positions, from the configured store and node, written to
// a temporary file in --out's directory that is renamed to --out only
// once the register is complete. A failure leaves no --out (an existing
// one is left as it was).
func runReport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprintln(stdout, reportUsage)
		return nil
	}
	if len(args) == 0 || args[0] != "positions" {
		return usageError{msg: reportUsage}
	}
	fs := newFlagSet("report positions", stderr)
	configPath := fs.String("config", getenv("PORTFOLIO_CONFIG"), "YAML config file (store, chain and tokens)")
	out := fs.String("out", "", "file to write (required)")
	blockFlag := fs.String("block", "", "block number or tag (default latest)")
	tokenFlag := fs.String("token", "", "token address (default: the first configured)")
	formatFlag := fs.String("format", "csv", "csv or jsonl")
	include := fs.String("include", "", "name: add the customer's name")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		return usageError{msg: reportUsage}
	}
	// Every argument is checked before the store or the node is touched.
	var opts portfoliod.ReadOptions
	if *blockFlag != "" {
		b, err := portfoliod.ParseBlockRef(*blockFlag)
		if err != nil {
			return usageError{msg: "--block: " + err.Error()}
		}
		opts.Block = &b
	}
	if *tokenFlag != "" {
		t, err := portfoliod.ParseAddress(*tokenFlag)
		if err != nil {
			return usageError{msg: "--token: " + err.Error()}
		}
		opts.Token = t
	}
	format, err := api.ParseReportFormat(*formatFlag)
	if err != nil {
		return usageError{msg: "--format: " + err.Error()}
	}
	if *include != "" && *include != "name" {
		return usageError{msg: "--include takes only name"}
	}
	ropts := api.ReportOptions{Format: format, IncludeName: *include == "name"}

	cfg, err := LoadConfig(*configPath, getenv)
	if err != nil {
		return err
	}
	if len(cfg.Tokens) == 0 {
		return errors.New("config lists no tokens: add at least one under tokens: (see config.example.yaml)")
	}
	store, err := openConfiguredStore(ctx, *configPath, getenv, true)
	if errors.Is(err, bolt.ErrLocked) {
		return fmt.Errorf("%w (the service is running? export online with GET /reports/positions, admin scope)", err)
	}
	if err != nil {
		return err
	}
	defer store.Close()

	cc := chainConfig(cfg)
	// One block, resolved once: no head tracking and no cache to fill.
	cc.HeadPollInterval, cc.WSURL, cc.CacheSize = -1, "", 0
	cc.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	dialCtx, cancel := context.WithTimeout(ctx, 2*max(cfg.Chain.CallTimeout, chain.DefaultCallTimeout))
	reader, err := chain.Dial(dialCtx, cc)
	cancel()
	if err != nil {
		return fmt.Errorf("connecting to the chain: %w", err)
	}
	defer reader.Close()

	start := time.Now()
	reg := aggregator.NewRegister(store, reader)
	rep, err := reg.OpenPositions(ctx, opts)
	if err != nil {
		return fmt.Errorf("report positions: %s", portfoliod.ErrorMessage(err))
	}
	var src api.Positions = reg
	if onTerminal(stderr) {
		_, wallets, err := store.Count(ctx)
		if err != nil {
			return err
		}
		add, finish := progressBar(stderr, wallets, fmt.Sprintf("positions at block %d", rep.Block.Number))
		defer finish()
		src = progress{Positions: reg, add: func() { add(1) }}
	}
	rows, err := writeReport(ctx, *out, src, rep, ropts)
	if err != nil {
		return fmt.Errorf("report positions: %s (no %s written)", exportMessage(err), *out)
	}
	fmt.Fprintf(stdout, "wrote %d positions in %s (%s) at block %d (%s) to %s in %s\n",
		rows, rep.Token.Symbol, strings.ToLower(rep.Token.Address.Hex()), rep.Block.Number, rep.Block.Hash.Hex(), *out,
		time.Since(start).Round(time.Millisecond))
	return nil
}

// writeReport writes the register to a temporary file next to out (the
// same file system, so the rename is atomic), synced, then renamed to
// out; on any failure the temporary file is removed.
func writeReport(ctx context.Context, out string, src api.Positions, rep portfoliod.PositionReport, ropts api.ReportOptions) (rows int, err error) {
	f, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*.tmp") // mode 0600: personal data
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<16)
	if rows, err = api.WritePositions(ctx, bw, src, rep, ropts); err != nil {
		return rows, err
	}
	if err = bw.Flush(); err != nil {
		return rows, err
	}
	if err = f.Sync(); err != nil {
		return rows, err
	}
	if err = f.Close(); err != nil {
		return rows, err
	}
	return rows, os.Rename(f.Name(), out)
}

// exportMessage is err as the operator reads it: the domain's message, or
// the error itself when it has none (a file system error).
func exportMessage(err error) string {
	var de *portfoliod.Error
	if errors.As(err, &de) {
		return de.Message
	}
	return err.Error()
}

// onTerminal reports whether w is a terminal, where a progress bar is
// drawn (not in a log or a pipe).
func onTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
}

// progressBar draws a bar of n steps on w; add advances it, finish ends it.
func progressBar(w io.Writer, n int, desc string) (add func(int), finish func()) {
	bar := progressbar.NewOptions(n, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription(desc),
		progressbar.OptionShowCount(), progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
	return func(k int) { _ = bar.Add(k) }, func() { _ = bar.Finish() }
}

// progress counts the positions of a register as they are written.
type progress struct {
	api.Positions
	add func()
}

func (p progress) EachPosition(ctx context.Context, rep portfoliod.PositionReport, fn func(portfoliod.Position) error) error {
	return p.Positions.EachPosition(ctx, rep, func(pos portfoliod.Position) error {
		p.add()
		return fn(pos)
	})
}

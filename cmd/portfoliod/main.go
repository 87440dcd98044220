// Command portfoliod serves customer portfolios: profiles from an embedded
// bbolt store merged with ERC-20 balances and frozen amounts read live from
// an EVM node.
//
// Usage:
//
//	portfoliod serve --config FILE      run the service
//	portfoliod dev [flags]              zero-setup demo on an embedded chain
//	portfoliod keys generate --name N --scopes read,write
//	portfoliod customers import FILE    bulk import (JSON Lines)
//	portfoliod customers export         JSON Lines to stdout
//	portfoliod backup --out FILE        offline store backup (bbolt; pg_dump for PostgreSQL)
//	portfoliod report positions --out FILE  the holder register at one block
//	portfoliod store migrate            apply the PostgreSQL store's migrations
//	portfoliod store copy --from bbolt:PATH --to postgres:DSN
//	portfoliod version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// After the first signal starts the graceful shutdown, a second
		// one stops the process at once.
		<-ctx.Done()
		stop()
	}()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintln(os.Stderr, "portfoliod:", err)
			if !ue.flagsShown {
				fmt.Fprint(os.Stderr, usage)
			}
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "portfoliod:", err)
		os.Exit(1)
	}
}

const usage = `usage:
  portfoliod serve --config FILE
  portfoliod dev [--addr A] [--rpc-url URL] [--api-key KEY] [--data DIR] [--block-time D]
  portfoliod keys generate --name NAME --scopes read,write,admin
  portfoliod customers import [--config FILE] FILE
  portfoliod customers export [--config FILE]
  portfoliod backup [--config FILE] --out FILE
  portfoliod report positions --out FILE [--block N] [--token T] [--format csv|jsonl] [--include name] [--config FILE]
  portfoliod store migrate [--config FILE]
  portfoliod store copy --from bbolt:PATH --to postgres:DSN [--force]
  portfoliod version
`

// usageError is a command-line mistake; main prints the usage after it,
// unless the flag set already printed its own (flagsShown).
type usageError struct {
	msg        string
	flagsShown bool
}

func (e usageError) Error() string { return e.msg }

// run is the whole program behind main, with its environment injected so
// tests can run it in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{msg: "missing command"}
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		return runServe(ctx, rest, getenv, stdout, stderr)
	case "dev":
		return runDev(ctx, rest, getenv, stdout, stderr)
	case "keys":
		return runKeys(rest, stdout)
	case "customers":
		return runCustomers(ctx, rest, getenv, stdin, stdout, stderr)
	case "backup":
		return runBackup(ctx, rest, getenv, stdout)
	case "store":
		return runStore(ctx, rest, getenv, stdout, stderr)
	case "report":
		return runReport(ctx, rest, getenv, stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "portfoliod", version())
		return nil
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		return usageError{msg: fmt.Sprintf("unknown command %q", cmd)}
	}
}

// version reports the module version and VCS revision the binary was built
// from.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown (built without module support)"
	}
	return formatVersion(bi)
}

// formatVersion renders bi's main module version, VCS revision, whether
// the tree had uncommitted changes, the commit time and the Go version on
// one line, e.g. "v0.0.0-2026…-cfd6c47a4a34 (revision cfd6c47…, committed
// 2026-12-01T22:17:16Z) go1.26.8".
func formatVersion(bi *debug.BuildInfo) string {
	var rev, modified, at string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		case "vcs.time":
			at = s.Value
		}
	}
	v := bi.Main.Version
	switch {
	case rev != "":
		v += " (revision " + rev
		if modified == "true" {
			v += " with uncommitted changes"
		}
		if at != "" {
			v += ", committed " + at
		}
		v += ")"
	case v == "(devel)" || v == "":
		v = "(devel) (no VCS revision recorded: `go run` and -buildvcs=false leave it out; `go build` in a git checkout records it)"
	}
	return v + " " + bi.GoVersion
}

// newFlagSet returns a flag set that reports errors instead of exiting.
func newFlagSet(name string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	return fs
}

// parseFlags parses args, turning flag errors into usage errors.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{msg: err.Error(), flagsShown: true}
	}
	return nil
}

// isHelp reports whether arg asks for help rather than naming a
// subcommand.
func isHelp(arg string) bool {
	return arg == "help" || arg == "-h" || arg == "--help" || arg == "-help"
}

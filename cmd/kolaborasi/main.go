// Command kolaborasi runs the Kolaborasi platform: the web server, the demo,
// migrations and the operator's tools. Run `kolaborasi help` for the list.
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
	"strings"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = "dev"

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "run the web server", runServe},
		{"demo", "run the web server on a fresh database with the demo data", runDemo},
		{"migrate", "apply database migrations and load the region data", runMigrate},
		{"user", "add a user and print a one-time link to set the password", runUser},
		{"publiccode", "check publiccode.yml files against the standard (no database)", func(_ context.Context, args []string, stdout, stderr io.Writer) error {
			return exitCode(runPublicCode(args, stdout, stderr))
		}},
		{"keygen", "make a signatory's Ed25519 key pair (the private key stays on this computer)", runKeygen},
		{"sign", "sign an agreement's signed content with a private key file", runSign},
		{"verify", "verify an agreement's signature bundle offline", runVerify},
		{"log", "the public log: verify it extends an old checkpoint; keygen, export-key for its signing key file", runLog},
		{"backup", "copy a SQLite database consistently while the server runs", runBackup},
		{"restore", "put a backup in place of a SQLite database (the server stopped)", runRestore},
		{"import", "import publiccode.yml files as a region's software solutions", runImport},
		{"gen", "add a synthetic national catalog of solutions (benchmarks, load tests)", runGen},
		{"load", "drive a running server with many concurrent clients and report latencies (load test)", runLoad},
		{"version", "print the version", runVersion},
	}
}

// usageError is a mistake in how the command was called; it exits 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes the command line and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:], stdout, stderr)
		var ue usageError
		switch {
		case err == nil, errors.Is(err, flag.ErrHelp):
			return 0
		case errors.As(err, &ue):
			fmt.Fprintf(stderr, "kolaborasi %s: %v (see kolaborasi %s --help)\n", c.name, err, c.name)
			return 2
		case errors.Is(err, errInvalidFiles), errors.Is(err, errLoadFailed):
			return 1
		case errors.Is(err, errUsagePrinted):
			return 2
		default:
			fmt.Fprintf(stderr, "kolaborasi %s: %s\n", c.name, oneLine(err.Error()))
			return 1
		}
	}
	fmt.Fprintf(stderr, "kolaborasi: unknown command %q (see kolaborasi help)\n", args[0])
	return 2
}

// exitCode turns a command's exit code into the error run maps back to it.
func exitCode(code int) error {
	switch code {
	case 0:
		return nil
	case 2:
		return errUsagePrinted
	default:
		return errInvalidFiles
	}
}

// errUsagePrinted reports a usage mistake whose message is already printed.
var errUsagePrinted = errors.New("usage")

// errInvalidFiles reports that a checking command found problems it has
// already printed.
var errInvalidFiles = errors.New("invalid files")

// oneLine folds a multi-line error (drivers like to list every address they
// tried) into one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Kolaborasi: Indonesian regions share, adopt and exchange proven smart-city solutions.")
	fmt.Fprintln(w, "\nUsage: kolaborasi COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun kolaborasi COMMAND --help for the flags of a command.")
}

// newFlagSet returns a flag set that reports errors instead of exiting and
// prints its usage to stderr.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: kolaborasi %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags, turning a parse error into a usageError (the flag
// package has already printed the usage).
func parse(fs *flag.FlagSet, args []string) error {
	out := fs.Output()
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	fs.SetOutput(out)
	if errors.Is(err, flag.ErrHelp) {
		fs.Usage()
		return err
	}
	if err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}

func runVersion(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("version", "version", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	v := version
	if bi, ok := debug.ReadBuildInfo(); ok && v == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	goVersion := "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		goVersion = bi.GoVersion
	}
	fmt.Fprintf(stdout, "kolaborasi %s (%s)\n", v, goVersion)
	return nil
}

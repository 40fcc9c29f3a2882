package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/kolaborasi/kolaborasi/publiccode"
)

// runPublicCode implements "kolaborasi publiccode validate [--json] [--lang id|en] FILE...": it validates
// publiccode.yml files offline (no database, no network). Exit status: 0 if every file is valid (warnings
// allowed), 1 if any file has errors or cannot be read, 2 for usage errors.
func runPublicCode(args []string, stdout, stderr io.Writer) int {
	usage := func() {
		fmt.Fprint(stderr, "usage: kolaborasi publiccode validate [--json] [--lang id|en] FILE...\n\n"+
			"Validate publiccode.yml files against the standard (versions 0.2 to "+publiccode.LatestVersion+").\n"+
			"Exit status 0: all valid (warnings allowed); 1: some file invalid; 2: usage error.\n\nFlags:\n")
	}
	if len(args) == 0 || (args[0] != "validate" && args[0] != "-h" && args[0] != "--help" && args[0] != "-help") {
		usage()
		if len(args) > 0 {
			fmt.Fprintf(stderr, "\nunknown subcommand %q\n", args[0])
		}
		return 2
	}
	if args[0] != "validate" {
		stderr = stdout
		usage()
		return 0
	}
	fs := flag.NewFlagSet("kolaborasi publiccode validate", flag.ContinueOnError)
	// Help that was asked for goes to stdout; usage shown because of a mistake goes to stderr.
	fs.SetOutput(stderr)
	for _, a := range args[1:] {
		if a == "--" {
			break
		}
		if a == "-h" || a == "-help" || a == "--help" || a == "--h" {
			fs.SetOutput(stdout)
			stderr = stdout
		}
	}
	asJSON := fs.Bool("json", false, "print the results as JSON")
	lang := fs.String("lang", "id", "language of the messages: id (Indonesian) or en (English)")
	checkURLs := fs.Bool("check-urls", false, "also fetch every URL and image the file names (network; findings are warnings)")
	fs.Usage = func() {
		usage()
		fs.PrintDefaults()
	}
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *lang != "id" && *lang != "en" {
		fmt.Fprintf(stderr, "--lang must be id or en, not %q\n", *lang)
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		fmt.Fprintln(stderr, "\nno FILE given")
		return 2
	}
	code := 0
	var reports []publiccode.Report
	for _, name := range fs.Args() {
		var opt publiccode.Options
		if *checkURLs {
			opt.URLChecker = newHTTPChecker()
		}
		res, err := validateFile(name, opt)
		if err != nil {
			code = 1
			res = publiccode.Result{Messages: []publiccode.Message{{Severity: publiccode.SeverityError, Code: "unreadable",
				Text: err.Error(), TextID: "berkas tidak dapat dibaca: " + err.Error()}}}
		}
		if !res.Valid() {
			code = 1
		}
		if *asJSON {
			reports = append(reports, publiccode.NewReport(name, res))
			continue
		}
		if err := publiccode.WriteTextLang(stdout, name, res, *lang); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		summary := map[bool]map[string]string{
			true:  {"en": "%s: valid (%d warnings)\n", "id": "%s: sah (%d peringatan)\n"},
			false: {"en": "%s: invalid (%d errors, %d warnings)\n", "id": "%s: tidak sah (%d galat, %d peringatan)\n"},
		}
		if res.Valid() {
			fmt.Fprintf(stdout, summary[true][*lang], name, len(res.Warnings()))
		} else {
			fmt.Fprintf(stdout, summary[false][*lang], name, len(res.Errors()), len(res.Warnings()))
		}
	}
	if *asJSON {
		if err := publiccode.WriteJSON(stdout, reports); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
	}
	return code
}

// validateFile reads at most one byte more than the size limit, so that a huge file is refused without
// loading it whole, and validates it.
func validateFile(name string, opt publiccode.Options) (publiccode.Result, error) {
	fh, err := os.Open(name)
	if err != nil {
		return publiccode.Result{}, err
	}
	defer fh.Close()
	data, size, err := publiccode.ReadLimited(fh)
	if err != nil {
		return publiccode.Result{}, fmt.Errorf("read %s: %w", name, err)
	}
	if size > publiccode.MaxSize {
		return publiccode.Oversized(size), nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	_, res := publiccode.ParseContext(ctx, data, opt)
	return res, nil
}

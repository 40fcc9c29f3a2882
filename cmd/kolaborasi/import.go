package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/publiccode"
)

// runImport implements "kolaborasi import --region CODE FILE...": it imports
// publiccode.yml files as the region's software solutions (creating or
// updating by the file's url), as the operator (kolaborasi.System). Rejected
// files are listed with their errors; the exit status is 1 if any was.
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config
	var region, lang string
	fs := newFlagSet("import", "import --region CODE [--db ...] FILE...", stderr)
	cfg.bind(fs, "", true)
	fs.StringVar(&region, "region", "", "the publishing region's Kemendagri code, e.g. 32.73 (required)")
	fs.StringVar(&lang, "lang", "id", "language of the messages: id or en")
	out := fs.Output()
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	fs.SetOutput(out)
	if errors.Is(err, flag.ErrHelp) {
		fs.Usage()
		return err
	} else if err != nil {
		return usageError{err.Error()}
	}
	files := fs.Args()
	if region == "" || len(files) == 0 {
		return usageError{"give --region and at least one publiccode.yml file"}
	}
	if !kolaborasi.ValidRegionCode(region) {
		return usageError{fmt.Sprintf("--region %q is not a region code such as 32.73", region)}
	}
	if lang != "id" && lang != "en" {
		return usageError{"--lang must be id or en"}
	}
	db, a, err := cfg.openApp(ctx, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := a.Region(ctx, region); err != nil {
		return fmt.Errorf("%s", kolaborasi.ErrorMessage(err))
	}
	ctx = kolaborasi.WithUser(ctx, kolaborasi.System)
	bar := newProgress(stdout, "importing", len(files))
	var created, updated, rejected int
	var report strings.Builder
	for i, name := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		data, size, err := readImportFile(name)
		if err != nil {
			rejected++
			fmt.Fprintf(&report, "%s: %v\n", name, err)
			bar.set(i + 1)
			continue
		}
		if size > publiccode.MaxSize {
			rejected++
			publiccode.WriteTextLang(&report, name, publiccode.Oversized(size), lang)
			bar.set(i + 1)
			continue
		}
		s, res, err := a.ImportPublicCode(ctx, region, data)
		switch {
		case err != nil && kolaborasi.ErrorCode(err) == kolaborasi.EINVALID:
			rejected++
			if len(res.Messages) > 0 {
				publiccode.WriteTextLang(&report, name, publiccode.Result{Messages: res.Errors()}, lang)
			} else {
				fmt.Fprintf(&report, "%s: %s%s\n", name, kolaborasi.ErrorMessage(err), fieldText(err))
			}
		case err != nil:
			return fmt.Errorf("import %s: %w", name, err)
		case s.Version == 1:
			created++
		default:
			updated++
		}
		bar.set(i + 1)
	}
	bar.done()
	io.WriteString(stderr, report.String())
	fmt.Fprintf(stdout, "%d files: %d created, %d updated, %d rejected (region %s).\n", len(files), created, updated, rejected, region)
	if rejected > 0 {
		return errInvalidFiles
	}
	return nil
}

// readImportFile reads a file without loading more than publiccode.MaxSize+1
// bytes of it, and returns its real size.
func readImportFile(name string) ([]byte, int64, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, 0, fmt.Errorf("cannot read the file: %v", err)
	}
	defer f.Close()
	data, size, err := publiccode.ReadLimited(f)
	if err != nil {
		return nil, 0, fmt.Errorf("cannot read the file: %v", err)
	}
	return data, size, nil
}

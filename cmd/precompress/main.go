// Command precompress writes the brotli (.br) and gzip (.gz) variants of
// the static assets next to them (make generate), or with -check fails when
// a committed variant is stale, missing or left over (make check-assets).
//
//	precompress [-check] web/ui/static
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"ngoportal/internal/precompress"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "precompress:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fl := flag.NewFlagSet("precompress", flag.ContinueOnError)
	check := fl.Bool("check", false, "fail when a committed variant differs from what would be written, instead of writing")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() != 1 {
		return fmt.Errorf("usage: precompress [-check] DIR")
	}
	dir := fl.Arg(0)
	if !*check {
		_, err := precompress.Write(dir)
		return err
	}
	stale, err := precompress.Stale(dir)
	if err != nil {
		return err
	}
	for _, p := range stale {
		fmt.Printf("stale precompressed asset: %s (run make generate and commit it)\n", filepath.Join(dir, filepath.FromSlash(p)))
	}
	if len(stale) > 0 {
		return fmt.Errorf("stale precompressed assets: %d", len(stale))
	}
	return nil
}

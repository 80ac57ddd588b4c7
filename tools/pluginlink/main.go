// Command pluginlink links a Go plugin (-buildmode=plugin .so) from compiled
// archives. It is the link step of the go_plugin Bazel rule, run directly
// (no shell) as an exec-configuration tool, and does what cmd/go's
// gcToolchain.ld does for 'go build -buildmode=plugin':
//
//   - writes an importcfg ("packagefile path=file" lines, sorted) for the
//     -stdlib_pkg_dir archives, the -arc archives and the main archive;
//   - runs the SDK's link tool in the output directory with a bare -o name
//     (so no build directory path ends up in the .so) and
//     -buildmode=plugin -linkmode=external -pluginpath P
//     -importcfg F -buildid=redacted -extld CC [-extldflags ...]
//     [-X ...] [linkopts...] main.a;
//   - optionally writes the linked packages and their fingerprints, read
//     back from the .so (see package tools/internal/gofingerprint), for
//     ABI checks against a host.
//
// The linker runs in the current directory (Bazel's execroot), with -o
// relative to it, so no absolute output path reaches the external linker.
// File arguments are made absolute; -link and -extld only if they contain a
// slash (a bare name is looked up in $PATH). -extldflag and -linkopt values
// are passed through verbatim: relative paths in them resolve against the
// execroot, as do the C archives recorded in Go archives by cgo.
//
// The linker inherits the environment (GOOS, GOARCH, GOEXPERIMENT, ...)
// except GOROOT, which is set to a constant (see linkerGOROOT): -goroot only
// locates the default link tool. Archives compiled with -race, -msan or
// -asan need the same flag as a -linkopt, as cmd/go passes it to the linker.
//
// Usage:
//
//	pluginlink [@PARAMSFILE] -link PATH -goroot PATH -main PATH
//	    -pluginpath IMPORTPATH -o OUT.so -extld CC
//	    [-arc IMPORTPATH=PATH]... [-stdlib_pkg_dir DIR]
//	    [-extldflag FLAG]... [-x NAME=VALUE]... [-linkopt FLAG]...
//	    [-packages_out PATH]
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/rules-go-plugin/rules_go_plugin/tools/internal/gofingerprint"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

// run executes the helper and returns the process exit code. Diagnostics
// go to stderr.
func run(args []string, stderr io.Writer) int {
	cfg, err := parseArgs(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "pluginlink: %v\n", err)
		return 2
	}
	if err := link(cfg, stderr); err != nil {
		fmt.Fprintf(stderr, "pluginlink: %v\n", err)
		return 1
	}
	return 0
}

// link writes the importcfg, runs the linker and writes -packages_out.
func link(cfg *config, stderr io.Writer) error {
	if err := checkMainPackage(cfg.mainSrcs); err != nil {
		return err
	}
	entries, err := importcfgEntries(cfg)
	if err != nil {
		return err
	}
	icfg, err := formatImportcfg(entries)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "pluginlink-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	icfgPath, err := writeImportcfg(tmp, icfg)
	if err != nil {
		return err
	}

	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	outArg, err := filepath.Rel(wd, cfg.out)
	if err != nil {
		return err
	}
	args, err := linkerArgs(cfg, icfgPath, outArg)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(cfg.out), 0o777); err != nil {
		return err
	}
	out, err := runLinker(cfg.link, args, wd)
	if err != nil {
		return err
	}
	stderr.Write(out)

	if cfg.packagesOut != "" {
		fps, err := gofingerprint.ReadPackageFingerprints(cfg.out)
		if err != nil {
			return fmt.Errorf("-packages_out: %v", err)
		}
		if err := os.WriteFile(cfg.packagesOut, gofingerprint.FormatPackages(fps), 0o666); err != nil {
			return err
		}
	}
	return nil
}

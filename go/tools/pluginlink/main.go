// Command pluginlink links a Go plugin (-buildmode=plugin .so) from compiled
// archives. It is the link step of the go_plugin Bazel rule, run directly
// (no shell) as an exec-configuration tool. It does what cmd/go's
// gcToolchain.ld does for 'go build -buildmode=plugin', and what rules_go's
// link builder (go/tools/builders/link.go, v0.65.0) does for a go_binary:
//
//   - writes an importcfg ("packagefile path=file" lines, sorted) for the
//     -stdlib_pkg_dir archives, the -arc archives and the main archive;
//   - substitutes {KEY} in -x values from the -stamp files (workspace
//     status), dropping definitions whose keys have no value (stamp.go);
//   - runs the SDK's link tool with -buildmode=plugin -linkmode=external
//     -pluginpath P -importcfg F -buildid ID -extld WRAPPER [-extldflags ...]
//     [-X ...] [linkopts...] main.a, where WRAPPER is this program run as
//     the C linker, expanding rules_go's placeholders for relative C
//     toolchain paths (cc.go);
//   - replaces the placeholder build ID by one derived from the content,
//     as rules_go does (package go/tools/internal/buildid);
//   - optionally writes the linked packages and their fingerprints, read
//     back from the plugin (see package go/tools/internal/gofingerprint), for
//     ABI checks against a host.
//
// The linker runs in the current directory (Bazel's execroot), with -o
// relative to it, so no absolute output path reaches the external linker.
// File arguments are made absolute; -link and -extld only if they contain a
// slash (a bare name is looked up in $PATH). -extldflag and -linkopt values
// are passed through verbatim: relative paths in them resolve against the
// execroot, as do the C archives recorded in Go archives by cgo. The rule
// decides the flags that depend on the build settings (-s -w, -race, -msan,
// rpaths, ...), as rules_go's emit_link does.
//
// The linker inherits the environment (GOOS, GOARCH, GOEXPERIMENT, ...)
// except GOROOT, which is set to a constant (see linkerGOROOT): -goroot only
// locates the default link tool.
//
// Usage: pluginlink -h lists every flag (from their definitions in args.go).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"github.com/rules-go-plugin/rules_go_plugin/go/tools/internal/buildid"
	"github.com/rules-go-plugin/rules_go_plugin/go/tools/internal/gofingerprint"
)

func main() {
	if isCCWrapper(os.Args[0]) {
		// Run by the Go linker as the C linker (see installCCWrapper).
		if err := runCCWrapper(os.Args[1:]); err != nil {
			fmt.Fprintf(os.Stderr, "pluginlink (C linker wrapper): %v\n", err)
			os.Exit(1)
		}
		return
	}
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
	modinfo, err := modinfoLine(cfg)
	if err != nil {
		return err
	}
	icfg = append(icfg, modinfo...)
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
	stamps, err := readStampFiles(cfg.stamps)
	if err != nil {
		return err
	}
	extld, err := installCCWrapper(tmp, cfg.extld, wd)
	if err != nil {
		return err
	}
	goos := os.Getenv("GOOS")
	if goos == "" {
		goos = runtime.GOOS
	}
	contentBuildID := buildid.Supported(goos)
	buildID := "redacted"
	if contentBuildID {
		buildID = buildid.Placeholder
	}
	args, err := linkerArgs(cfg, icfgPath, outArg, extld, buildID, stamps)
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
	if contentBuildID {
		// After the link, as rules_go's link builder does: a -buildid in -linkopt wins
		// (it comes later on the command line), and then the file has no placeholder to
		// replace.
		if err := buildid.SetContentBuildID(cfg.out); err != nil {
			return fmt.Errorf("setting the build ID: %v", err)
		}
	}

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

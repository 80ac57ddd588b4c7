// Command pluginhost is the build-time helper of go_plugin_host: it checks
// that a host executable can load its plugins, and writes the manifest the
// loader library (github.com/rules-go-plugin/rules_go_plugin/go/loader)
// finds the plugins with. The rule runs it directly (no shell) as an exec
// tool.
//
// Usage:
//
//	pluginhost check -host PATH -host_label LABEL -plugin SPEC... -o STAMP
//	pluginhost manifest [-host_label LABEL] -plugin SPEC... -o MANIFEST.json
//	    [-pin_library_out PIN.go [-pin_importpath IMPORTPATH -pin_import_out IMPORT.go -program_src FILE...]]
//	pluginhost abi -binary PATH [-name LABEL] -o ABI.json
//	pluginhost check-abi -abi ABI.json [-abi_label LABEL] -plugin_label LABEL
//	    [-goos GOOS -goarch GOARCH -go_version V] [-host_sdk NAME] -plugin SPEC -o STAMP
//
// Either form may take its arguments from a params file: an argument @FILE,
// first on the command line or first after the subcommand, is replaced by
// the lines of FILE, one argument per line (Bazel's "multiline" format).
//
// A SPEC describes one plugin as a JSON object (the rules write it with
// json.encode; a params file carries one per line), with string fields:
//
//	label        the go_plugin target (every subcommand)
//	pluginpath   its pluginpath (every subcommand)
//	packages     its packages file, GoPluginInfo.packages (check, check-abi)
//	so           its .so (manifest; the checks read its fingerprints when no
//	             packages file is given)
//	rlocation    runfiles path of the .so (manifest)
//
// check reads the host executable's package fingerprints (ELF symbols
// go:link.pkghashbytes.*, present only in executables that import package
// plugin and are built with cgo) and each plugin's, and fails, exit status
// 1 and one message per problem on stderr, if plugin.Open would refuse a
// plugin: a package linked into both with different fingerprints, a
// pluginpath that is also a linked package,
// a package two plugins (but not the host) link with different
// fingerprints, or a host without fingerprints. On success it writes STAMP,
// a short summary.
//
// abi writes the host's plugin ABI file (see hostABI in abi.go): platform,
// Go version and settings from the build info, package fingerprints, module
// versions. check-abi checks a plugin against such a file instead of
// an executable of this build, with the same comparison.
//
// manifest writes {"plugins":[{"label","pluginpath","rlocation","sha256"}]},
// sorted by pluginpath: deterministic, without machine paths. With
// -pin_library_out it also writes the Go package that links that manifest
// into the program (package go/loader/pin), and with -pin_import_out the file,
// in the program's package (named after the package clauses of the
// -program_src files), that imports it.
//
// Exit status: 0 success, 1 failed check or error, 2 usage error.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

const usageText = `usage:
  pluginhost check -host PATH -host_label LABEL -plugin SPEC... -o STAMP
  pluginhost manifest [-host_label LABEL] -plugin SPEC... -o MANIFEST.json
  pluginhost abi -binary PATH [-name LABEL] -o ABI.json
  pluginhost check-abi -abi ABI.json [-abi_label LABEL] -plugin_label LABEL
      [-goos GOOS -goarch GOARCH -go_version V] [-host_sdk NAME] -plugin SPEC -o STAMP

SPEC: {"label": LABEL, "pluginpath": PATH, "packages": FILE, "so": FILE, "rlocation": PATH}
(check and check-abi need label, pluginpath and packages or so; manifest needs label,
pluginpath, so and rlocation). An argument @FILE first on the command line or
first after the subcommand is replaced by FILE's lines, one argument per line.
`

// usageError is a malformed command line (exit status 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }

// run executes the command and returns the process exit status. Check
// failures are printed as they are (each message names the host);
// other errors are prefixed with "pluginhost: ".
func run(args []string, stderr io.Writer) int {
	err := dispatch(args, stderr)
	var ce checkError
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 2
	case errors.As(err, &ce):
		fmt.Fprintln(stderr, ce.Error())
		return 1
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "pluginhost: %v\n", err)
		return 2
	default:
		fmt.Fprintf(stderr, "pluginhost: %v\n", err)
		return 1
	}
}

func dispatch(args []string, stderr io.Writer) error {
	args, err := expandParamsFile(args)
	if err != nil {
		return err
	}
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText)
		return usageError{errors.New("missing subcommand (check, check-abi, manifest or abi)")}
	}
	cmd, rest := args[0], args[1:]
	if rest, err = expandParamsFile(rest); err != nil {
		return err
	}
	switch cmd {
	case "check":
		return runCheck(rest, stderr)
	case "check-abi":
		return runCheckABI(rest, stderr)
	case "manifest":
		return runManifest(rest, stderr)
	case "abi":
		return runABI(rest, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stderr, usageText)
		return flag.ErrHelp
	}
	fmt.Fprint(stderr, usageText)
	return usageError{fmt.Errorf("unknown subcommand %q (want check, check-abi, manifest or abi)", cmd)}
}

// runABI writes the plugin ABI file of a host executable.
func runABI(args []string, stderr io.Writer) error {
	var binary, name, out string
	fs := newFlagSet("abi", stderr)
	fs.StringVar(&binary, "binary", "", "`path` of the host executable (built by Bazel or go build)")
	fs.StringVar(&name, "name", "", "what the file calls the host (a `label`); default: the executable's base name")
	fs.StringVar(&out, "o", "", "`path` of the ABI file to write")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := missingFlags([2]string{"-binary", binary}, [2]string{"-o", out}); err != nil {
		return err
	}
	if name == "" {
		name = filepath.Base(binary)
	}
	return writeABI(name, binary, out)
}

// specFlag collects repeated -plugin SPEC values, parsed.
type specFlag struct {
	specs []pluginSpec
	raw   []string
}

func (f *specFlag) String() string { return strings.Join(f.raw, " ") }

func (f *specFlag) Set(v string) error {
	s, err := parseSpec(v)
	if err != nil {
		return err
	}
	f.specs = append(f.specs, s)
	f.raw = append(f.raw, v)
	return nil
}

// newFlagSet returns a flag set for subcommand name whose usage message is
// usageText.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("pluginhost "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageText)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args into fs, and turns flag errors and stray
// arguments into usage errors.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q (all inputs are given by flags)", fs.Arg(0))}
	}
	return nil
}

// missingFlags returns a usage error naming the flags whose values are
// empty, or nil.
func missingFlags(flags ...[2]string) error {
	var missing []string
	for _, f := range flags {
		if f[1] == "" {
			missing = append(missing, f[0])
		}
	}
	if len(missing) > 0 {
		return usageError{fmt.Errorf("missing required flag(s): %s", strings.Join(missing, ", "))}
	}
	return nil
}

// runCheck checks a host executable of this build against its plugins (go_plugin_host).
func runCheck(args []string, stderr io.Writer) error {
	var (
		hostPath, hostLabel, out string
		plugins                  specFlag
	)
	fs := newFlagSet("check", stderr)
	fs.StringVar(&hostPath, "host", "", "`path` of the host executable")
	fs.StringVar(&hostLabel, "host_label", "", "the host's Bazel `label`, for messages")
	fs.Var(&plugins, "plugin", "a plugin as `SPEC` (repeated)")
	fs.StringVar(&out, "o", "", "`path` of the stamp file written on success")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := missingFlags([2]string{"-host", hostPath}, [2]string{"-host_label", hostLabel}, [2]string{"-o", out}); err != nil {
		return err
	}
	if err := plugins.requireCheckable(); err != nil {
		return err
	}
	host, err := readHost(hostLabel, hostPath)
	if err != nil {
		return err
	}
	return checkAndStamp(hostLabel, host, nil, plugins.specs, out)
}

// runCheckABI checks a plugin against a host ABI file (go_plugin's host_abis): the host is not
// in this build. It compares goos/goarch and the Go version first.
func runCheckABI(args []string, stderr io.Writer) error {
	var (
		abiPath, abiLabel, pluginLabel, out string
		goos, goarch, gover, hostSDK        string
		plugins                             specFlag
	)
	fs := newFlagSet("check-abi", stderr)
	fs.StringVar(&abiPath, "abi", "", "`path` of the host ABI file")
	fs.StringVar(&abiLabel, "abi_label", "", "the ABI file's `label`, for messages (default: its path)")
	fs.StringVar(&pluginLabel, "plugin_label", "", "the go_plugin's `label`, for messages")
	fs.StringVar(&goos, "goos", "", "the plugin's `GOOS`, compared with the host ABI's")
	fs.StringVar(&goarch, "goarch", "", "the plugin's `GOARCH`, compared with the host ABI's")
	fs.StringVar(&gover, "go_version", "", "the plugin's Go `version`, compared with the host ABI's")
	fs.StringVar(&hostSDK, "host_sdk", "", "the `name` of the host SDK (go_plugin's host_sdk) the plugin was built with, for messages")
	fs.Var(&plugins, "plugin", "the plugin as `SPEC`")
	fs.StringVar(&out, "o", "", "`path` of the stamp file written on success")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := missingFlags([2]string{"-abi", abiPath}, [2]string{"-plugin_label", pluginLabel}, [2]string{"-o", out}); err != nil {
		return err
	}
	if err := plugins.requireCheckable(); err != nil {
		return err
	}
	abi, err := readABIFile(abiPath)
	if err != nil {
		return checkError{fmt.Sprintf("go_plugin %s: attribute host_abis: %v", pluginLabel, err)}
	}
	if abiLabel == "" {
		abiLabel = abiPath
	}
	abi.builtWithHostSDK = hostSDK
	// Messages name the plugin and the ABI file, not a go_plugin_host.
	hostLabel := fmt.Sprintf("go_plugin %s: host ABI %s (host %s)", pluginLabel, abiLabel, abi.Host)
	if msgs := abi.platformProblems(hostPrefix(hostLabel), pluginLabel, goos, goarch, gover); len(msgs) > 0 {
		return checkError(msgs)
	}
	return checkAndStamp(hostLabel, abi.Packages, abi, plugins.specs, out)
}

// checkAndStamp reads the plugins, compares them with the host's packages and writes the stamp.
func checkAndStamp(hostLabel string, host map[string]string, abi *hostABI, specs []pluginSpec, out string) error {
	ps := make([]plugin, 0, len(specs))
	for _, s := range specs {
		p, err := loadPlugin(s)
		if err != nil {
			return err
		}
		ps = append(ps, p)
	}
	if err := checkPlugins(hostLabel, host, abi, ps); err != nil {
		return err
	}
	return os.WriteFile(out, stamp(hostLabel, host, ps), 0o666)
}

// requireCheckable checks that every spec has what a check reads: label, pluginpath, and
// packages or so.
func (f *specFlag) requireCheckable() error {
	for i, s := range f.specs {
		if err := s.require(f.raw[i], keyLabel, keyPluginPath); err != nil {
			return usageError{err}
		}
		if s.packages == "" && s.so == "" {
			return usageError{fmt.Errorf("plugin spec %q: missing packages (or so)", f.raw[i])}
		}
	}
	return nil
}

func runManifest(args []string, stderr io.Writer) error {
	var (
		hostLabel, out                         string
		pinLibraryOut, pinImportOut, pinImport string
		plugins                                specFlag
		programSrcs                            stringsFlag
	)
	fs := newFlagSet("manifest", stderr)
	fs.StringVar(&hostLabel, "host_label", "", "the host's Bazel `label`, for messages (optional)")
	fs.Var(&plugins, "plugin", "a plugin as `SPEC` (repeated)")
	fs.StringVar(&out, "o", "", "`path` of the manifest to write")
	fs.StringVar(&pinLibraryOut, "pin_library_out", "", "`path` of the Go source of the package that links the manifest into the program (optional)")
	fs.StringVar(&pinImportOut, "pin_import_out", "", "`path` of the Go source, in the program's package, that imports that package (with -pin_importpath and -program_src)")
	fs.StringVar(&pinImport, "pin_importpath", "", "the `importpath` of the pin package")
	fs.Var(&programSrcs, "program_src", "a Go source `file` of the program, for its package name (repeated)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := missingFlags([2]string{"-o", out}); err != nil {
		return err
	}
	if pinImportOut != "" {
		if err := missingFlags([2]string{"-pin_importpath", pinImport}, [2]string{"-pin_library_out", pinLibraryOut}); err != nil {
			return err
		}
	}
	for i, s := range plugins.specs {
		if err := s.require(plugins.raw[i], keyLabel, keyPluginPath, keySO, keyRlocation); err != nil {
			return usageError{err}
		}
	}
	b, err := buildManifest(plugins.specs)
	if err != nil {
		return err
	}
	if pinLibraryOut != "" {
		if err := os.WriteFile(pinLibraryOut, pinLibrarySource(b), 0o666); err != nil {
			return err
		}
	}
	if pinImportOut != "" {
		pkg, err := programPackage(programSrcs)
		if err != nil {
			return err
		}
		if err := os.WriteFile(pinImportOut, pinImportSource(pkg, pinImport), 0o666); err != nil {
			return err
		}
	}
	return os.WriteFile(out, b, 0o666)
}

// stringsFlag is a repeated flag's values, in order.
type stringsFlag []string

func (f *stringsFlag) String() string     { return strings.Join(*f, " ") }
func (f *stringsFlag) Set(v string) error { *f = append(*f, v); return nil }

// expandParamsFile replaces a first argument "@FILE" by the contents of
// FILE, one argument per line and no quoting or escaping, which is what
// Bazel's Args.use_param_file(..., format = "multiline") writes. A final
// newline terminates the last argument.
func expandParamsFile(args []string) ([]string, error) {
	if len(args) == 0 || !strings.HasPrefix(args[0], "@") {
		return args, nil
	}
	data, err := os.ReadFile(args[0][1:])
	if err != nil {
		return nil, fmt.Errorf("params file: %v", err)
	}
	var fileArgs []string
	if len(data) > 0 {
		fileArgs = strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	}
	return append(fileArgs, args[1:]...), nil
}

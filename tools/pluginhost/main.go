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
//
// Either form may take its arguments from a params file: an argument @FILE,
// first on the command line or first after the subcommand, is replaced by
// the lines of FILE, one argument per line (Bazel's "multiline" format).
//
// A SPEC describes one plugin as comma-separated key=value fields, in any
// order (a comma followed by something other than "key=" belongs to the
// value, so values may contain commas):
//
//	label=LABEL            the go_plugin target (both subcommands)
//	pluginpath=PATH        its pluginpath (both)
//	packages=FILE          its packages file, GoPluginInfo.packages (check)
//	so=FILE                its .so (manifest; check reads its fingerprints
//	                       when no packages file is given)
//	rlocation=PATH         runfiles path of the .so (manifest)
//
// check reads the host executable's package fingerprints (ELF symbols
// go:link.pkghashbytes.*, present only in executables that import package
// plugin and are built with cgo) and each plugin's, and fails, exit status
// 1 and one message per problem on stderr, if plugin.Open would refuse a
// plugin: a package linked into both with different fingerprints, two
// plugins with one pluginpath, a pluginpath that is also a linked package,
// a package two plugins (but not the host) link with different
// fingerprints, or a host without fingerprints. On success it writes STAMP,
// a short summary.
//
// manifest writes {"plugins":[{"label","pluginpath","rlocation","sha256"}]},
// sorted by pluginpath: deterministic, without machine paths.
//
// Exit status: 0 success, 1 failed check or error, 2 usage error.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

const usageText = `usage:
  pluginhost check -host PATH -host_label LABEL -plugin SPEC... -o STAMP
  pluginhost manifest [-host_label LABEL] -plugin SPEC... -o MANIFEST.json

SPEC: label=LABEL,pluginpath=PATH[,packages=FILE][,so=FILE][,rlocation=PATH]
(check needs label, pluginpath and packages or so; manifest needs label,
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
		return usageError{errors.New("missing subcommand (check or manifest)")}
	}
	cmd, rest := args[0], args[1:]
	if rest, err = expandParamsFile(rest); err != nil {
		return err
	}
	switch cmd {
	case "check":
		return runCheck(rest, stderr)
	case "manifest":
		return runManifest(rest, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stderr, usageText)
		return flag.ErrHelp
	}
	fmt.Fprint(stderr, usageText)
	return usageError{fmt.Errorf("unknown subcommand %q (want check or manifest)", cmd)}
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
	for i, s := range plugins.specs {
		if err := s.require(plugins.raw[i], keyLabel, keyPluginPath); err != nil {
			return usageError{err}
		}
		if s.packages == "" && s.so == "" {
			return usageError{fmt.Errorf("plugin spec %q: missing packages (or so)", plugins.raw[i])}
		}
	}

	host, err := readHost(hostLabel, hostPath)
	if err != nil {
		return err
	}
	// Duplicate pluginpaths are reported before any plugin file is read.
	if err := checkUniquePluginPaths(hostLabel, plugins.specs); err != nil {
		return err
	}
	ps := make([]plugin, 0, len(plugins.specs))
	for _, s := range plugins.specs {
		p, err := loadPlugin(s)
		if err != nil {
			return err
		}
		ps = append(ps, p)
	}
	if err := checkPlugins(hostLabel, host, ps); err != nil {
		return err
	}
	return os.WriteFile(out, stamp(hostLabel, host, ps), 0o666)
}

func runManifest(args []string, stderr io.Writer) error {
	var (
		hostLabel, out string
		plugins        specFlag
	)
	fs := newFlagSet("manifest", stderr)
	fs.StringVar(&hostLabel, "host_label", "", "the host's Bazel `label`, for messages (optional)")
	fs.Var(&plugins, "plugin", "a plugin as `SPEC` (repeated)")
	fs.StringVar(&out, "o", "", "`path` of the manifest to write")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := missingFlags([2]string{"-o", out}); err != nil {
		return err
	}
	for i, s := range plugins.specs {
		if err := s.require(plugins.raw[i], keyLabel, keyPluginPath, keySO, keyRlocation); err != nil {
			return usageError{err}
		}
	}
	if err := checkUniquePluginPaths(hostLabel, plugins.specs); err != nil {
		return err
	}
	m, err := buildManifest(plugins.specs)
	if err != nil {
		return err
	}
	b, err := m.encode()
	if err != nil {
		return err
	}
	return os.WriteFile(out, b, 0o666)
}

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

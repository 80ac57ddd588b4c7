package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"unicode"
)

// linkerGOROOT is the GOROOT the linker runs with. cmd/link embeds $GOROOT
// into the output (runtime.defaultGOROOT, and file names of std code
// recorded as "$GOROOT/src/..."), so the SDK's real, sandbox-dependent path
// would leak into the plugin. Like rules_go's link builder (Go >= 1.23) we
// pass a constant instead; the linker needs no files from GOROOT because
// every package comes from the importcfg.
const linkerGOROOT = "GOROOT"

// linkerArgs returns the linker's argument list (without argv[0]). It
// mirrors cmd/go's gcToolchain.ld for -buildmode=plugin, with one difference:
// cmd/go runs the linker in the output directory with a bare -o name; we run
// it in the current directory (Bazel's execroot) with -o relative to it
// (outArg), because archives of C dependencies reach the external linker as
// execroot-relative paths recorded in the Go archives (cgo_ldflag). Either
// way the external linker sees no absolute output path that it could record
// in the .so.
//
// Order matters for -X: cmd/link applies each -X while parsing flags
// (objabi.Flagfn1 -> addstrdata1), and addstrdata1 maps "main." to the
// -pluginpath only if -buildmode=plugin and -pluginpath were parsed
// earlier; otherwise the definition silently matches nothing. cmd/go puts
// user -ldflags after both, and so do we; rewriteXDef additionally does the
// "main." mapping itself so the result does not depend on flag order.
//
// extld is the C linker the Go linker runs (the C linker wrapper, see
// installCCWrapper), stamps the workspace status values for -X (see
// stampXDef), and buildID the -buildid value (see buildIDFlag).
func linkerArgs(c *config, importcfg, outArg, extld, buildID string, stamps map[string]string) ([]string, error) {
	extld, err := quoteArgs([]string{extld})
	if err != nil {
		return nil, fmt.Errorf("-extld: %v", err)
	}
	args := []string{
		"-o", outArg,
		"-importcfg", importcfg,
		"-buildmode=plugin",
		"-linkmode=external",
		"-pluginpath", c.pluginPath,
		"-buildid=" + buildID,
		"-extld=" + extld,
	}
	if len(c.extldflags) > 0 {
		q, err := quoteArgs(c.extldflags)
		if err != nil {
			return nil, fmt.Errorf("-extldflag: %v", err)
		}
		args = append(args, "-extldflags="+q)
	}
	for _, x := range c.xdefs {
		def, err := rewriteXDef(x, c.pluginPath)
		if err != nil {
			return nil, err
		}
		if def, ok := stampXDef(def, stamps); ok {
			args = append(args, "-X", def)
		}
	}
	args = append(args, c.linkopts...)
	args = append(args, c.mainArchive)
	return args, nil
}

// rewriteXDef validates an -x definition "importpath.name=value" (split the
// way cmd/link's addstrdata1 splits it: at the first '=', and at the last
// '.' before it) and replaces the package "main" by pluginPath, because the
// plugin's main package is compiled with -p pluginPath and its symbols are
// named after that path, not "main".
func rewriteXDef(def, pluginPath string) (string, error) {
	eq := strings.IndexByte(def, '=')
	if eq < 0 {
		return "", fmt.Errorf("-x %q: want importpath.name=value", def)
	}
	dot := strings.LastIndexByte(def[:eq], '.')
	if dot <= 0 || dot == eq-1 {
		return "", fmt.Errorf("-x %q: want importpath.name=value", def)
	}
	if def[:dot] == "main" {
		return pluginPath + def[dot:], nil
	}
	return def, nil
}

// quoteArgs joins args into one string that cmd/link splits back into the
// same list. cmd/link's -extld and -extldflags are quoted.Flag values,
// parsed by cmd/internal/quoted.Split: fields are separated by ASCII white
// space, and a field that starts with ' or " extends to the next identical
// quote with no escapes. This is cmd/internal/quoted.Join, plus an empty
// argument is written as a pair of single quotes instead of being dropped.
func quoteArgs(args []string) (string, error) {
	var b strings.Builder
	for i, arg := range args {
		if i > 0 {
			b.WriteByte(' ')
		}
		var space, single, double bool
		for _, r := range arg {
			switch {
			case r > unicode.MaxASCII:
			case r == ' ' || r == '\t' || r == '\n' || r == '\r':
				space = true
			case r == '\'':
				single = true
			case r == '"':
				double = true
			}
		}
		switch {
		case arg == "":
			b.WriteString("''")
		case !space && !single && !double:
			b.WriteString(arg)
		case !single:
			b.WriteString("'" + arg + "'")
		case !double:
			b.WriteString(`"` + arg + `"`)
		default:
			return "", fmt.Errorf("%q contains both ' and \", which cmd/link cannot parse", arg)
		}
	}
	return b.String(), nil
}

// linkerEnv returns the environment for the linker: ours, with GOROOT
// replaced (see linkerGOROOT).
func linkerEnv() []string {
	env := os.Environ()
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, "GOROOT=") {
			out = append(out, kv)
		}
	}
	return append(out, "GOROOT="+linkerGOROOT)
}

// runLinker runs the linker in dir. On failure the error message holds the
// full command line and the linker's combined output. On success the
// output (linker warnings, usually empty) is returned.
func runLinker(link string, args []string, dir string) ([]byte, error) {
	cmd := exec.Command(link, args...)
	cmd.Dir = dir
	cmd.Env = linkerEnv()
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("link failed (%v):\n%s\n%s", err, commandLine(dir, link, args), strings.TrimRight(out.String(), "\n"))
	}
	return out.Bytes(), nil
}

// commandLine renders the linker invocation as a shell command that can be
// pasted to reproduce it.
func commandLine(dir, link string, args []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "(cd %s && GOROOT=%s %s", shellQuote(dir), shellQuote(linkerGOROOT), shellQuote(link))
	for _, a := range args {
		b.WriteByte(' ')
		b.WriteString(shellQuote(a))
	}
	b.WriteByte(')')
	return b.String()
}

// shellQuote quotes s for a POSIX shell if it needs quoting.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=,:+@%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

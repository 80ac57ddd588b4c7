// Package linkdrift checks that go/private/actions/link.bzl, which mirrors rules_go's
// emit_link for plugins, has not fallen behind the rules_go in the build: every argument
// upstream's go/private/actions/link.bzl gives its link builder or the Go linker
// (builder_args, tool_args) is either mirrored here or listed with why it does not apply.
package linkdrift

import (
	"flag"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/bazelbuild/rules_go/go/runfiles"
)

var (
	upstreamFiles = flag.String("upstream", "", "rlocation paths of rules_go's go/private/actions .bzl files, space-separated")
	oursFile      = flag.String("ours", "", "rlocation path of this repository's go/private/actions/link.bzl")
)

// upstreamArgs lists each argument of upstream's emit_link, as "builder:KEY" or "tool:KEY"
// (argsKeys), with where link.bzl mirrors it: a string that must occur in link.bzl, or
// "n/a: ..." saying why a plugin link has no counterpart.
var upstreamArgs = map[string]string{
	"builder:-race":                 "tool_flags.append(\"-race\")", // pluginlink needs no builder flag: it passes the linker's
	"builder:-msan":                 "tool_flags.append(\"-msan\")",
	"builder:-buildmode":            "n/a: always plugin; pluginlink passes -buildmode=plugin itself",
	"builder:-arc":                  "before_each = \"-arc\"",
	"builder:-package_metadata":     "before_each = \"-package_metadata\"",
	"builder:-imports":              "before_each = \"-imports\"",
	"builder:-package_list":         "n/a: rules_go's builder checks archives against the SDK's package list; pluginlink takes the standard library from -stdlib_pkg_dir",
	"builder:-cover":                "go.coverage_enabled",
	"builder:-X":                    "before_each = \"-x\"",
	"builder:-stamp":                "before_each = \"-stamp\"",
	"builder:-o":                    "args.add(\"-o\", plugin)",
	"builder:-main":                 "args.add(\"-main\", archive.data.file)",
	"builder:-main_package_path":    "args.add(\"-main_package_path\", pluginpath)",
	"builder:-main_imports":         "args.add(\"-main_imports\", main_imports)",
	"builder:-main_module_metadata": "args.add(\"-main_module_metadata\", main_metadata)",
	"builder:-p":                    "n/a: the plugin's main package is linked under its pluginpath (-pluginpath), not an importmap",
	"tool:-extar":                   "tool_flags.extend([\"-extar\", go.cgo_tools.ar_path])",
	"tool:-race":                    "tool_flags.append(\"-race\")",
	"tool:-msan":                    "tool_flags.append(\"-msan\")",
	"tool:-linkmode":                "n/a: a plugin always links externally; pluginlink passes -linkmode=external",
	"tool:extld":                    "args.add(\"-extld\", go.cgo_tools.ld_dynamic_lib_path)",
	"tool:-pluginpath":              "args.add(\"-pluginpath\", pluginpath)",
	"tool:gc_linkopts":              "tool_flags.extend(linkopts)",
	"tool:go.toolchain.flags.link":  "tool_flags.extend(go.toolchain.flags.link)",
	"tool:-macos":                   "tool_flags.extend([\"-macos\", macos_minimum_os])",
	"tool:-s":                       "tool_flags.extend([\"-s\", \"-w\"])",
	"tool:-extldflags":              "before_each = \"-extldflag\"",
	// rules_go v0.62/v0.63 only.
	"tool:-buildid=redacted":         "n/a: pluginlink writes a content-derived build ID (go/tools/internal/buildid), as rules_go >= 0.64 does",
	"builder:package_metadata_files": "before_each = \"-package_metadata\"",
}

var (
	// A call on builder_args or tool_args, up to its first argument.
	callRE = regexp.MustCompile(`\b(builder|tool)_args\.(add|add_all|add_joined)\(\s*`)
	// A keyword argument before_each = "...".
	beforeEachRE = regexp.MustCompile(`before_each\s*=\s*"([^"]*)"`)
)

// argsKeys returns the keys of the builder_args/tool_args calls in a .bzl file's text: the
// flag of add("-flag", ...) and add_joined("-flag", ...), the before_each of add_all, or else
// the first argument's expression (add_all(gc_linkopts)).
func argsKeys(text string) []string {
	keys := map[string]bool{}
	for _, m := range callRE.FindAllStringSubmatchIndex(text, -1) {
		kind := text[m[2]:m[3]]
		args, key := splitCall(text[m[1]:])
		if b := beforeEachRE.FindStringSubmatch(args); b != nil {
			key = b[1]
		}
		keys[kind+":"+strings.Trim(key, `"`)] = true
	}
	var out []string
	for k := range keys {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// splitCall returns, for the text just after a call's "(", its arguments (up to the matching
// ")") and its first argument.
func splitCall(s string) (args, first string) {
	depth, inString, firstEnd := 0, false, -1
	for i, c := range s {
		switch {
		case c == '"':
			inString = !inString
		case inString:
		case c == '(' || c == '[' || c == '{':
			depth++
		case c == ')' || c == ']' || c == '}':
			if depth == 0 {
				if firstEnd < 0 {
					firstEnd = i
				}
				return s[:i], strings.TrimSpace(s[:firstEnd])
			}
			depth--
		case c == ',' && depth == 0 && firstEnd < 0:
			firstEnd = i
		}
	}
	if firstEnd < 0 {
		firstEnd = len(s)
	}
	return s, strings.TrimSpace(s[:firstEnd])
}

// unaccounted returns the keys of upstream's text that upstreamArgs does not list, and the
// listed mirrors that ours does not contain.
func unaccounted(upstream, ours string) (unlisted, missing []string) {
	for _, k := range argsKeys(upstream) {
		where, ok := upstreamArgs[k]
		switch {
		case !ok:
			unlisted = append(unlisted, k)
		case !strings.HasPrefix(where, "n/a: ") && !strings.Contains(ours, where):
			missing = append(missing, k+" (want "+where+")")
		}
	}
	return unlisted, missing
}

func TestArgsKeys(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{`tool_args.add("-race")`, []string{"tool:-race"}},
		{`builder_args.add("-buildmode", go.mode.linkmode)`, []string{"builder:-buildmode"}},
		{"builder_args.add_all(\n    all_archive_data,\n    before_each = \"-imports\",\n    map_each = lambda d: f(d, x),\n)", []string{"builder:-imports"}},
		{`tool_args.add_all(go.toolchain.flags.link)`, []string{"tool:go.toolchain.flags.link"}},
		{`tool_args.add_joined("-extldflags", extldflags, join_with = " ")`, []string{"tool:-extldflags"}},
		{`builder_args = go.builder_args(go, "link")`, nil},
	} {
		if got := argsKeys(tc.text); strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("argsKeys(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

// TestUnaccounted: a new upstream argument, or a mirror that went missing, is reported.
func TestUnaccounted(t *testing.T) {
	ours := `tool_flags.append("-race")`
	for _, tc := range []struct {
		upstream          string
		unlisted, missing string
	}{
		{`tool_args.add("-race")`, "", ""},
		{"tool_args.add(\"-race\")\ntool_args.add(\"-newflag\")", "tool:-newflag", ""},
		{`tool_args.add("-msan")`, "", `tool:-msan (want tool_flags.append("-msan"))`},
		{`builder_args.add("-p", archive.data.importmap)`, "", ""},
	} {
		unlisted, missing := unaccounted(tc.upstream, ours)
		if strings.Join(unlisted, ",") != tc.unlisted || strings.Join(missing, ",") != tc.missing {
			t.Errorf("unaccounted(%q) = %v, %v; want %q, %q", tc.upstream, unlisted, missing, tc.unlisted, tc.missing)
		}
	}
}

// TestUpstreamLink reads the link.bzl of the rules_go in the build.
func TestUpstreamLink(t *testing.T) {
	var upstream string
	for _, p := range strings.Fields(*upstreamFiles) {
		if strings.HasSuffix(p, "/go/private/actions/link.bzl") {
			upstream = p
		}
	}
	if upstream == "" || *oursFile == "" {
		t.Fatalf("-upstream (%q) must name rules_go's go/private/actions/link.bzl and -ours (%q) ours", *upstreamFiles, *oursFile)
	}
	read := func(p string) string {
		path, err := runfiles.Rlocation(p)
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	up, ours := read(upstream), read(*oursFile)
	if keys := argsKeys(up); len(keys) < 10 {
		t.Fatalf("%s: only %d builder_args/tool_args calls found (%v): has emit_link moved?", upstream, len(keys), keys)
	}
	unlisted, missing := unaccounted(up, ours)
	for _, k := range unlisted {
		t.Errorf("rules_go's emit_link (%s) passes %s, which go/private/actions/link.bzl neither mirrors nor lists as not applicable: mirror it and add it to upstreamArgs here, or list why it does not apply to a plugin", upstream, k)
	}
	for _, k := range missing {
		t.Errorf("go/private/actions/link.bzl no longer mirrors rules_go's %s", k)
	}
}

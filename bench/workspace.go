package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// The three ways of building the same plugins that the benchmark compares.
const (
	toolGoBuild  = "go build"
	toolRulesGo  = "rules_go"
	toolGoPlugin = "go_plugin"
)

// tools is the column order of every table and chart.
var tools = []string{toolGoBuild, toolRulesGo, toolGoPlugin}

// modulePath is the Go module path (and Bazel importpath prefix) of a generated workspace.
const modulePath = "example.com/bench"

// sharedLib is the library every plugin imports; the "edit lib" scenario edits it.
const sharedLib = "shared"

// snapshotDir is the directory, inside each generated Bazel workspace, holding the copy of
// rules_go_plugin that the workspace uses (local_path_override) and whose tools/bazel runs it.
const snapshotDir = "rules_go_plugin"

// wsSpec describes one generated workspace.
type wsSpec struct {
	Tool      string // toolGoBuild, toolRulesGo or toolGoPlugin
	Plugins   int    // number of plugins (N)
	Libs      int    // number of libraries, >= 1; lib 0 is sharedLib, imported by every plugin
	GoVersion string // "go" line of go.mod, e.g. "1.26"
	Bazelrc   string // the rules_go_plugin repository's .bazelrc, copied into Bazel workspaces
	Host      bool   // also a host program (hostDir) that loads the plugins and imports sharedLib
}

// hostDir is the workspace-relative directory of the host program of a host workspace.
const hostDir = "host"

// hostSource is the host program of a host workspace: it imports the shared library (so an
// edit of it relinks the host too) and loads the plugins named on its command line.
const hostSource = `// Command host is a generated benchmark host: it loads the plugins named on its command line.
package main

import (
	"fmt"
	"os"
	"plugin"

	"example.com/bench/lib/shared"
)

func main() {
	fmt.Println(shared.Banner("host"))
	for _, path := range os.Args[1:] {
		p, err := plugin.Open(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		sym, err := p.Lookup("Describe")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println(sym.(func([]string) string)([]string{"b", "a"}))
	}
}
`

// hostBuild returns the BUILD.bazel of the host program: for rules_go, a go_binary with cgo
// (plugin.Open needs it) built next to the plugins; for go_plugin, a go_plugin_host listing
// them, which adds its build-time check and plugin manifest.
func hostBuild(tool string, n int) string {
	var b strings.Builder
	b.WriteString("load(\"@io_bazel_rules_go//go:def.bzl\", \"go_binary\", \"go_library\")\n")
	if tool == toolGoPlugin {
		b.WriteString("load(\"@rules_go_plugin//go:defs.bzl\", \"go_plugin_host\")\n")
	}
	fmt.Fprintf(&b, "\ngo_library(\n    name = \"lib\",\n    srcs = [\"main.go\"],\n    importpath = %q,\n", modulePath+"/"+hostDir)
	fmt.Fprintf(&b, "    deps = [\"//lib/%s\"],\n)\n\n", sharedLib)
	if tool == toolGoPlugin {
		b.WriteString("go_plugin_host(\n    name = \"host\",\n    embed = [\":lib\"],\n    plugins = [\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "        \"//%s:plugin\",\n", pluginDir(i))
		}
		b.WriteString("    ],\n    visibility = [\"//visibility:public\"],\n)\n")
	} else {
		b.WriteString("go_binary(\n    name = \"host\",\n    embed = [\":lib\"],\n    pure = \"off\",\n    visibility = [\"//visibility:public\"],\n)\n")
	}
	return b.String()
}

// pluginName returns the package directory name of plugin i.
func pluginName(i int) string { return fmt.Sprintf("p%03d", i) }

// pluginDir returns the workspace-relative directory of plugin i.
func pluginDir(i int) string { return "plugins/" + pluginName(i) }

// libName returns the package name of library j (0 is sharedLib).
func libName(j int) string {
	if j == 0 {
		return sharedLib
	}
	return fmt.Sprintf("lib%d", j)
}

// pluginLibs returns the libraries plugin i imports: the shared one and one other,
// round-robin, so that the libraries are shared by several plugins each.
func pluginLibs(i, libs int) []int {
	if libs <= 1 {
		return []int{0}
	}
	return []int{0, 1 + i%(libs-1)}
}

// pluginSource returns the main package of plugin i. revision is a Go string literal's
// content: the "edit plugin" scenario changes it, which changes the compiled code.
func pluginSource(i, libs int, revision string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "// Command %s is a generated benchmark plugin.\npackage main\n\nimport (\n", pluginName(i))
	b.WriteString("\t\"sort\"\n\t\"strings\"\n\n")
	deps := pluginLibs(i, libs)
	var paths []string
	for _, j := range deps {
		paths = append(paths, modulePath+"/lib/"+libName(j))
	}
	sort.Strings(paths) // as gofmt orders them
	for _, p := range paths {
		fmt.Fprintf(&b, "\t%q\n", p)
	}
	b.WriteString(")\n\n")
	fmt.Fprintf(&b, "// Revision is rewritten by the benchmark's \"edit plugin\" scenario.\nvar Revision = %q\n\n", revision)
	fmt.Fprintf(&b, "// Name is the plugin's name.\nvar Name = %q\n\n", pluginName(i))
	b.WriteString("// Describe is looked up by a host.\nfunc Describe(words []string) string {\n")
	b.WriteString("\tw := append([]string(nil), words...)\n\tsort.Strings(w)\n")
	b.WriteString("\tparts := []string{shared.Banner(Name), Revision}\n")
	for _, j := range deps[1:] {
		fmt.Fprintf(&b, "\tparts = append(parts, %s.Transform(strings.Join(w, \" \")))\n", libName(j))
	}
	b.WriteString("\treturn strings.Join(parts, \" | \")\n}\n\nfunc main() {}\n")
	return b.String()
}

// sharedSource returns the shared library. revision is an integer constant: the "edit lib"
// scenario changes it, which changes the library's export data and the code of every plugin.
func sharedSource(revision int64) string {
	return fmt.Sprintf(`// Package shared is imported by every generated benchmark plugin.
package shared

import (
	"fmt"
	"strings"
)

// Revision is rewritten by the benchmark's "edit lib" scenario.
const Revision = %d

// Greeter is an interface plugins and hosts share.
type Greeter interface {
	Greet(who string) string
}

// Banner formats a plugin name with the library revision.
func Banner(name string) string {
	return fmt.Sprintf("%%s@r%%d", strings.ToUpper(name), Revision)
}
`, revision)
}

// libSource returns library j >= 1: some standard library use, so compiling it is not trivial.
func libSource(j int) string {
	return fmt.Sprintf(`// Package %[1]s is a generated benchmark library.
package %[1]s

import (
	"encoding/json"
	"strings"
	"unicode"
)

type record struct {
	Lib   string   `+"`json:\"lib\"`"+`
	Words []string `+"`json:\"words\"`"+`
}

// Transform returns s with its words reversed and title-cased, as JSON.
func Transform(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		r := []rune(w)
		if len(r) > 0 {
			r[0] = unicode.ToUpper(r[0])
		}
		words[i] = string(r)
	}
	for i, j := 0, len(words)-1; i < j; i, j = i+1, j-1 {
		words[i], words[j] = words[j], words[i]
	}
	b, err := json.Marshal(record{Lib: %[1]q, Words: words})
	if err != nil {
		return err.Error()
	}
	return string(b)
}
`, libName(j))
}

// moduleBazel is the MODULE.bazel of a generated Bazel workspace. The Go SDK repository has
// the name rules_go_plugin's own MODULE.bazel gives it, so that action keys (and the shared
// disk cache used by the smoke mode) match those of the repository's builds.
func moduleBazel(tool string) string {
	var b strings.Builder
	b.WriteString("\"\"\"Generated by rules_go_plugin's bench program.\"\"\"\n\n")
	b.WriteString("module(name = \"rules_go_plugin_bench\")\n\n")
	b.WriteString("bazel_dep(name = \"rules_go\", version = \"0.65.0\", repo_name = \"io_bazel_rules_go\")\n")
	if tool == toolGoPlugin {
		b.WriteString("bazel_dep(name = \"rules_go_plugin\", version = \"0.0.0\")\n")
		fmt.Fprintf(&b, "local_path_override(\n    module_name = \"rules_go_plugin\",\n    path = %q,\n)\n", snapshotDir)
	}
	b.WriteString("\ngo_sdk = use_extension(\"@io_bazel_rules_go//go:extensions.bzl\", \"go_sdk\")\n")
	b.WriteString("go_sdk.host(name = \"go_sdk\")\n")
	return b.String()
}

// pluginBuild returns the BUILD.bazel of plugin i for a Bazel tool.
func pluginBuild(tool string, i, libs int) string {
	var b strings.Builder
	b.WriteString("load(\"@io_bazel_rules_go//go:def.bzl\", \"go_binary\", \"go_library\")\n")
	if tool == toolGoPlugin {
		b.WriteString("load(\"@rules_go_plugin//go:defs.bzl\", \"go_plugin\")\n")
	}
	b.WriteString("\ngo_library(\n    name = \"lib\",\n    srcs = [\"main.go\"],\n")
	fmt.Fprintf(&b, "    importpath = %q,\n    deps = [\n", modulePath+"/"+pluginDir(i))
	for _, j := range pluginLibs(i, libs) {
		fmt.Fprintf(&b, "        \"//lib/%s\",\n", libName(j))
	}
	b.WriteString("    ],\n)\n\n")
	if tool == toolGoPlugin {
		b.WriteString("go_plugin(\n    name = \"plugin\",\n    embed = [\":lib\"],\n    visibility = [\"//visibility:public\"],\n)\n")
	} else {
		b.WriteString("go_binary(\n    name = \"plugin\",\n    embed = [\":lib\"],\n    linkmode = \"plugin\",\n    visibility = [\"//visibility:public\"],\n)\n")
	}
	return b.String()
}

// libBuild returns the BUILD.bazel of library j.
func libBuild(j int) string {
	return fmt.Sprintf(`load("@io_bazel_rules_go//go:def.bzl", "go_library")

go_library(
    name = %[1]q,
    srcs = [%[2]q],
    importpath = %[3]q,
    visibility = ["//visibility:public"],
)
`, libName(j), libName(j)+".go", modulePath+"/lib/"+libName(j))
}

// rootBuild returns the top-level BUILD.bazel: one target naming every plugin (and the host of
// a host workspace), so that a build of //:plugins builds those and nothing else (a `//...`
// pattern would also build the go_library targets in the default, non-plugin configuration).
func rootBuild(n int, host bool) string {
	var b strings.Builder
	b.WriteString("filegroup(\n    name = \"plugins\",\n    srcs = [\n")
	if host {
		fmt.Fprintf(&b, "        \"//%s\",\n", hostDir)
	}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "        \"//%s:plugin\",\n", pluginDir(i))
	}
	b.WriteString("    ],\n)\n")
	return b.String()
}

// generate returns the files of a workspace, by workspace-relative path. The rules_go_plugin
// snapshot (Bazel workspaces) is not included: see copySnapshot.
func generate(s wsSpec) map[string]string {
	files := map[string]string{}
	files["lib/"+sharedLib+"/"+sharedLib+".go"] = sharedSource(0)
	for j := 1; j < s.Libs; j++ {
		files["lib/"+libName(j)+"/"+libName(j)+".go"] = libSource(j)
	}
	for i := 0; i < s.Plugins; i++ {
		files[pluginDir(i)+"/main.go"] = pluginSource(i, s.Libs, "0")
	}
	if s.Host {
		files[hostDir+"/main.go"] = hostSource
	}
	if s.Tool == toolGoBuild {
		files["go.mod"] = fmt.Sprintf("module %s\n\ngo %s\n", modulePath, s.GoVersion)
		return files
	}
	files["MODULE.bazel"] = moduleBazel(s.Tool)
	files["BUILD.bazel"] = rootBuild(s.Plugins, s.Host)
	if s.Host {
		files[hostDir+"/BUILD.bazel"] = hostBuild(s.Tool, s.Plugins)
	}
	// The repository's .bazelrc (strict action env, bzlmod only, the offline setup's
	// try-import), so that these builds are configured as the repository's own.
	files[".bazelrc"] = s.Bazelrc
	// Not packages of this workspace: the rules_go_plugin snapshot, fresh output bases of cold
	// runs, profiles and the link measurement's scratch directory.
	files[".bazelignore"] = strings.Join([]string{snapshotDir, ".ob", ".profiles", ".linkbench"}, "\n") + "\n"
	for j := 0; j < s.Libs; j++ {
		files["lib/"+libName(j)+"/BUILD.bazel"] = libBuild(j)
	}
	for i := 0; i < s.Plugins; i++ {
		files[pluginDir(i)+"/BUILD.bazel"] = pluginBuild(s.Tool, i, s.Libs)
	}
	return files
}

// writeFiles writes files under dir, creating directories.
func writeFiles(dir string, files map[string]string) error {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(full, []byte(files[p]), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// snapshotExcluded are top-level directories of the repository that a consumer of the
// rules_go_plugin module does not need.
var snapshotExcluded = []string{"bench/", "docs/", "e2e/", "examples/", "gazelle/", "tests/"}

// snapshotFiles lists the repository files to copy into a generated workspace: what git
// tracks or would track (so uncommitted work is measured too), minus snapshotExcluded.
func snapshotFiles(repo string) ([]string, error) {
	cmd := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	cmd.Dir = repo
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git ls-files in %s: %v", repo, err)
	}
	return filterSnapshot(strings.Split(string(out), "\x00")), nil
}

// filterSnapshot drops empty names, duplicates and excluded directories, and sorts.
func filterSnapshot(names []string) []string {
	seen := map[string]bool{}
	var keep []string
	for _, n := range names {
		if n == "" || seen[n] {
			continue
		}
		seen[n] = true
		excluded := false
		for _, prefix := range snapshotExcluded {
			if strings.HasPrefix(n, prefix) {
				excluded = true
				break
			}
		}
		if !excluded {
			keep = append(keep, n)
		}
	}
	sort.Strings(keep)
	return keep
}

// copySnapshot copies the listed repository files (skipping ones deleted in the work tree)
// from repo to dst, keeping their permission bits.
func copySnapshot(repo, dst string, names []string) error {
	for _, n := range names {
		src := filepath.Join(repo, filepath.FromSlash(n))
		info, err := os.Lstat(src)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return err
		}
		target := filepath.Join(dst, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if info.Mode()&os.ModeSymlink != 0 {
			link, err := os.Readlink(src)
			if err != nil {
				return err
			}
			if err := os.Symlink(link, target); err != nil {
				return err
			}
			continue
		}
		if !info.Mode().IsRegular() {
			continue
		}
		if err := copyFile(src, target, info.Mode().Perm()); err != nil {
			return err
		}
	}
	return nil
}

func copyFile(src, dst string, perm os.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

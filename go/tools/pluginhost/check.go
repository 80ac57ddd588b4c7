package main

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/rules-go-plugin/rules_go_plugin/go/tools/internal/gofingerprint"
)

// maxListed bounds the differing packages listed per problem; the rest are
// counted.
const maxListed = 20

// checkError is a failed check: one or more problems, each a complete,
// self-contained message (first line: what fails; then details, "Likely
// cause:" and "Fix:" lines).
type checkError []string

func (e checkError) Error() string { return strings.Join(e, "\n\n") }

// plugin is a plugin as the check sees it: its identity and the
// fingerprints of the packages linked into it.
type plugin struct {
	label      string
	pluginPath string
	fps        map[string]string // package path → hex fingerprint
	modules    map[string]string // module path → version, from the .so's build info (often none)
}

// diff is a package whose fingerprints differ between two sides.
type diff struct {
	pkg, a, b string // a: the host's (or first plugin's) fingerprint, b: the plugin's
}

// loadPlugin reads a plugin's fingerprints from its packages file, or from
// its .so when no packages file is given.
func loadPlugin(s pluginSpec) (plugin, error) {
	p := plugin{label: s.label, pluginPath: s.pluginPath}
	if s.so != "" {
		p.modules = modulesOf(s.so)
	}
	if s.packages == "" {
		fps, err := gofingerprint.ReadPackageFingerprints(s.so)
		if err != nil {
			return p, fmt.Errorf("plugin %s: %v", s.label, err)
		}
		p.fps = fps
		return p, nil
	}
	f, err := os.Open(s.packages)
	if err != nil {
		return p, fmt.Errorf("plugin %s: %v", s.label, err)
	}
	defer f.Close()
	fps, err := gofingerprint.ParsePackagesFile(f)
	if err != nil {
		return p, fmt.Errorf("plugin %s: packages file %s: %v", s.label, s.packages, err)
	}
	if len(fps) == 0 {
		return p, fmt.Errorf("plugin %s: packages file %s lists no packages (it must be go_plugin's GoPluginInfo.packages)", s.label, s.packages)
	}
	p.fps = fps
	return p, nil
}

// readHost reads the host executable's fingerprints. A host without them
// cannot load plugins at all, which gets its own explanation.
func readHost(hostLabel, path string) (map[string]string, error) {
	fps, err := gofingerprint.ReadPackageFingerprints(path)
	if errors.Is(err, gofingerprint.ErrNoFingerprints) {
		return nil, checkError{fmt.Sprintf(
			"%s: the host executable has no Go package fingerprints, so it cannot load plugins (plugin.Open would fail with \"plugin: not implemented\" or reject every plugin).\n"+
				"Likely cause: the host does not import package \"plugin\", or it was linked without cgo (Go links plugin support only into executables that import \"plugin\" and are built with cgo).\n"+
				"Fix: make the host depend on the loader library (@rules_go_plugin//go/loader) or import \"plugin\" itself, and build it with cgo: a C/C++ toolchain for the target platform, and no pure = \"on\" or --@io_bazel_rules_go//go/config:pure.",
			hostPrefix(hostLabel))}
	}
	if err != nil {
		return nil, fmt.Errorf("reading the host executable: %v", err)
	}
	return fps, nil
}

// checkPlugins compares the host's fingerprints with each plugin's, and
// the plugins' among themselves, and returns a checkError with one message
// per problem, or nil. (Two plugins with one pluginpath never get here:
// go_plugin_host refuses them at analysis, the one place that rule is
// decided.) Problems, in this order:
//   - a plugin whose pluginpath is a package linked into the host or into
//     another plugin (its main package would clash with that package);
//   - a package linked into the host and a plugin with different
//     fingerprints (plugin.Open: "plugin was built with a different
//     version of package ...");
//   - a package not linked into the host but into two plugins with
//     different fingerprints: the runtime compares a plugin's fingerprint
//     with the first definition in the process, which for such a package
//     is that of the first plugin loaded, so the second one would fail.
//
// abi is the host's ABI file when the host is not in this build (nil
// otherwise): messages then name the host's module versions.
func checkPlugins(hostLabel string, host map[string]string, abi *hostABI, plugins []plugin) error {
	var msgs []string
	for i, p := range plugins {
		if _, ok := host[p.pluginPath]; ok {
			msgs = append(msgs, fmt.Sprintf(
				"%s: plugin %s has pluginpath %s, which is also the path of a package linked into the host; plugin.Open would fail (\"plugin was built with a different version of package %s\"), because the plugin's main package is compiled as that package.\n"+
					"Fix: give the plugin its own pluginpath (go_plugin's importpath or pluginpath attribute), one that no library uses.",
				hostPrefix(hostLabel), p.label, p.pluginPath, p.pluginPath))
		}
		for j, q := range plugins {
			if i == j {
				continue
			}
			if _, ok := q.fps[p.pluginPath]; ok {
				msgs = append(msgs, fmt.Sprintf(
					"%s: plugin %s has pluginpath %s, which is also the path of a package linked into plugin %s; the two plugins cannot both be loaded (\"plugin was built with a different version of package %s\").\n"+
						"Fix: give the plugin its own pluginpath (go_plugin's importpath or pluginpath attribute), one that no library uses.",
					hostPrefix(hostLabel), p.label, p.pluginPath, q.label, p.pluginPath))
			}
		}
	}
	if len(msgs) > 0 {
		return checkError(msgs)
	}

	for _, p := range plugins {
		if diffs := compare(host, p.fps); len(diffs) > 0 {
			msgs = append(msgs, hostSkewMessage(hostLabel, p, diffs, sharedStd(host, p.fps), abi))
		}
	}
	for i := range plugins {
		for j := i + 1; j < len(plugins); j++ {
			p, q := plugins[i], plugins[j]
			diffs := compareOutside(host, p.fps, q.fps)
			if len(diffs) > 0 {
				msgs = append(msgs, pluginSkewMessage(hostLabel, p, q, diffs, sharedStd(p.fps, q.fps)))
			}
		}
	}
	if len(msgs) > 0 {
		return checkError(msgs)
	}
	return nil
}

// compare returns the packages present in both a and b whose fingerprints
// differ, sorted by package path.
func compare(a, b map[string]string) []diff {
	var diffs []diff
	for pkg, fa := range a {
		if fb, ok := b[pkg]; ok && fa != fb {
			diffs = append(diffs, diff{pkg, fa, fb})
		}
	}
	sort.Slice(diffs, func(i, j int) bool { return diffs[i].pkg < diffs[j].pkg })
	return diffs
}

// compareOutside is compare(a, b) restricted to packages not in host.
func compareOutside(host, a, b map[string]string) []diff {
	var diffs []diff
	for _, d := range compare(a, b) {
		if _, ok := host[d.pkg]; !ok {
			diffs = append(diffs, d)
		}
	}
	return diffs
}

// isStd reports whether pkg looks like a standard library package: its
// first path element has no dot (cmd/go's rule), and it is neither "main"
// nor under "plugin/" (go_plugin's default pluginpaths). Bazel allows
// import paths without a dot for other packages too, so this only guides
// the hints.
func isStd(pkg string) bool {
	first, _, _ := strings.Cut(pkg, "/")
	return !strings.Contains(first, ".") && pkg != "main" && !strings.HasPrefix(pkg, "plugin/")
}

// sharedStd counts the standard-library-looking packages present in both
// a and b.
func sharedStd(a, b map[string]string) int {
	var n int
	for pkg := range a {
		if _, ok := b[pkg]; ok && isStd(pkg) {
			n++
		}
	}
	return n
}

// skewKind classifies differing packages for the hint.
type skewKind int

const (
	// skewSettings: runtime, or most shared std packages, differ: the two
	// sides were compiled with different Go settings.
	skewSettings skewKind = iota
	// skewSources: no std package differs: different sources or tags for
	// the non-std packages.
	skewSources
	// skewSomeStd: some std packages differ, but not runtime nor most.
	skewSomeStd
)

func classify(diffs []diff, sharedStdCount int) skewKind {
	var nstd int
	for _, d := range diffs {
		if d.pkg == "runtime" {
			return skewSettings
		}
		if isStd(d.pkg) {
			nstd++
		}
	}
	switch {
	case nstd == 0:
		return skewSources
	case sharedStdCount > 0 && 2*nstd >= sharedStdCount:
		return skewSettings
	}
	return skewSomeStd
}

// hint returns the "Likely cause" and "Fix" lines for diffs.
func hint(diffs []diff, sharedStdCount int, pluginVsPlugin bool) string {
	sides := "the host and the plugin"
	targets := "build the host with go_plugin_host and the plugin with go_plugin"
	if pluginVsPlugin {
		sides = "the two plugins"
		targets = "build both plugins with go_plugin"
	}
	switch classify(diffs, sharedStdCount) {
	case skewSettings:
		return fmt.Sprintf("Likely cause: %s were compiled with different Go settings (the runtime or most of the standard library differs): -race, -msan or -asan on one side only, coverage instrumentation, different compiler flags (gc_goopts, --@io_bazel_rules_go//go/config:gc_goopts, e.g. -N -l), a PGO profile, or another Go SDK.\n"+
			"Fix: %s in the same build, with the same flags and Go SDK; do not build one side separately (another --config, another workspace, or a prebuilt file).", sides, targets)
	case skewSources:
		return fmt.Sprintf("Likely cause: only non-standard packages differ, so %s compiled different sources or build tags for them: two versions of a module, a different go_library target for the same import path, different gotags, coverage instrumentation of one side only, or generated code with configuration-specific contents or paths.\n"+
			"Fix: make %s depend on the same go_library targets (one version of each module) and %s in the same build, with the same gotags.", sides, sides, targets)
	default:
		return fmt.Sprintf("Likely cause: some standard library packages (but not the runtime) differ, so %s were built with different build tags or cgo settings for them (e.g. gotags such as netgo or osusergo, or pure/CGO_ENABLED differing)%s.\n"+
			"Fix: %s in the same build, with the same gotags and cgo settings%s.", sides, nonStdClause(diffs), targets, nonStdFix(diffs, sides))
	}
}

func nonStdClause(diffs []diff) string {
	for _, d := range diffs {
		if !isStd(d.pkg) {
			return "; the non-standard packages that differ may also come from different sources (another module version or go_library target)"
		}
	}
	return ""
}

func nonStdFix(diffs []diff, sides string) string {
	for _, d := range diffs {
		if !isStd(d.pkg) {
			return ", and make " + sides + " depend on the same go_library targets"
		}
	}
	return ""
}

// listDiffs renders diffs as indented "<pkg>: <nameA> <hex>, <nameB> <hex>"
// lines, runtime first, at most maxListed of them.
func listDiffs(diffs []diff, nameA, nameB string) string {
	ordered := make([]diff, 0, len(diffs))
	for _, d := range diffs {
		if d.pkg == "runtime" {
			ordered = append(ordered, d)
		}
	}
	for _, d := range diffs {
		if d.pkg != "runtime" {
			ordered = append(ordered, d)
		}
	}
	var b strings.Builder
	for i, d := range ordered {
		if i == maxListed {
			fmt.Fprintf(&b, "  ... and %d more\n", len(ordered)-maxListed)
			break
		}
		fmt.Fprintf(&b, "  %s: %s %s, %s %s\n", d.pkg, nameA, d.a, nameB, d.b)
	}
	return b.String()
}

// runtimeError quotes plugin.Open's error for diffs, followed by ": ".
// With more than one differing package, plugin.Open names the first one
// it checks, in link order, which the packages file does not preserve: the
// message then says so instead of guessing.
func runtimeError(diffs []diff) string {
	const msg = "plugin was built with a different version of package "
	if len(diffs) == 1 {
		return fmt.Sprintf("(%q): ", msg+diffs[0].pkg)
	}
	return fmt.Sprintf("(%q, naming the first of them it checks): ", msg+"...")
}

func countPackages(n int) string {
	if n == 1 {
		return "1 package differs"
	}
	return fmt.Sprintf("%d packages differ", n)
}

func hostSkewMessage(hostLabel string, p plugin, diffs []diff, sharedStdCount int, abi *hostABI) string {
	if abi != nil {
		return fmt.Sprintf("%s: plugin %s (pluginpath %s) would fail to load into that host %s%s between host and plugin:\n%s%s",
			hostPrefix(hostLabel), p.label, p.pluginPath, runtimeError(diffs), countPackages(len(diffs)),
			listDiffs(diffs, "host", "plugin"), abiHint(abi, p, diffs, sharedStdCount))
	}
	return fmt.Sprintf("%s: plugin %s (pluginpath %s) would fail to load %s%s between host and plugin:\n%s%s",
		hostPrefix(hostLabel), p.label, p.pluginPath, runtimeError(diffs), countPackages(len(diffs)),
		listDiffs(diffs, "host", "plugin"), hint(diffs, sharedStdCount, false))
}

// abiHint is hint for a host known by its ABI file: the host cannot be rebuilt, so the fix is
// on the plugin's side, with the host's module versions for the differing packages.
func abiHint(abi *hostABI, p plugin, diffs []diff, sharedStdCount int) string {
	var mods []string
	seen := map[string]bool{}
	for _, d := range diffs {
		if m, v, ok := moduleOf(abi.Modules, d.pkg); ok && !seen[m] {
			seen[m] = true
			s := m + " " + v
			if pv, ok := p.modules[m]; ok {
				s += ", plugin " + pv
			}
			mods = append(mods, s)
		}
	}
	if hint, ok := fileNamesHint(abi, diffs); ok {
		return hint
	}
	if classify(diffs, sharedStdCount) == skewSettings {
		trimpath := ""
		if abi.Settings["-trimpath"] == "true" && len(abi.SourceDirs) == 0 {
			// The file names enter every fingerprint, and an ABI file without source_dirs
			// (written by an older rules_go_plugin) cannot give a host SDK the host's names.
			trimpath = " The host was built by go build -trimpath: its standard library records trimmed file names (internal/goarch/goarch.go), rules_go's $GOROOT/src/...; regenerate this ABI file from the host binary with go_plugin_abi (it then lists the host's file names), and build the plugin with a host SDK (go_plugin.host_sdk, docs/go_build_hosts.md)."
		}
		return fmt.Sprintf("Likely cause: the plugin was compiled with other Go settings than the host release (the runtime or most of the standard library differs): another Go SDK (the host has %s), -race/-msan/-asan, coverage, compiler flags, a PGO profile, or -trimpath on one side; the host's settings: %s.%s\n"+
			"Fix: build the plugin with the host's Go SDK and settings.", abi.GoVersion, formatSettings(abi.Settings), trimpath)
	}
	sdk := ""
	if abi.builtWithHostSDK != "" {
		sdk = fmt.Sprintf("The plugin was built with host SDK %q, so its packages have the host's file names; their contents differ. ", abi.builtWithHostSDK)
	}
	if len(mods) == 0 {
		return "Likely cause: " + sdk + "the plugin compiled other sources, build tags or settings for these packages than the host release.\n" +
			"Fix: build the plugin against the sources the host was built from (the same module versions, gotags and Go settings)."
	}
	return fmt.Sprintf("Likely cause: %sthe plugin was built with other versions of the modules the host release links: host has %s.\n"+
		"Fix: make the plugin's build use exactly these module versions (go.mod / go_deps; go_deps takes the highest version any Bazel module requires, so a dependency can raise it), with the host's gotags and Go settings. If the versions already match: a module whose go.mod says go < 1.22 compiles its loops with other semantics under another -lang, and cgo packages of modules keep rules_go's file names.", sdk, joinAnd(mods))
}

// fileNamesHint explains a skew by file names: the host recorded, for a differing package,
// a directory rules_go never writes (a -trimpath name, or a module cache directory), and the
// plugin was not built with a host SDK, which would have compiled with the host's names.
func fileNamesHint(abi *hostABI, diffs []diff) (string, bool) {
	if abi.builtWithHostSDK != "" {
		return "", false
	}
	for _, d := range diffs {
		dir, ok := abi.SourceDirs[d.pkg]
		trimmedStd := isStd(d.pkg) && dir == d.pkg
		moduleCache := !isStd(d.pkg) && strings.Contains(dir, "@")
		if !ok || !trimmedStd && !moduleCache {
			continue
		}
		return fmt.Sprintf("Likely cause: the host was built by go build%s, and its compiler recorded other source file names than rules_go does (package %s: %q); file names enter every fingerprint, so the plugin's packages must be compiled with the host's.\n"+
			"Fix: build the plugin with a host SDK for this ABI file, which compiles with the names it lists: in MODULE.bazel, go_plugin = use_extension(\"@rules_go_plugin//go:extensions.bzl\", \"go_plugin\") and go_plugin.host_sdk(name = \"<host>\", abi = <this ABI file>, go_root_file = \"@go_sdk//:ROOT\") with a Go %s SDK; then go_plugin(..., host_sdk = \"<host>\").",
			map[bool]string{true: " -trimpath", false: ""}[abi.Settings["-trimpath"] == "true"], d.pkg, dir, normalizeGoVersion(abi.GoVersion)), true
	}
	return "", false
}

// formatSettings lists build settings as "k=v" pairs, sorted.
func formatSettings(settings map[string]string) string {
	if len(settings) == 0 {
		return "none recorded"
	}
	var kv []string
	for _, k := range sortedKeys(settings) {
		kv = append(kv, k+"="+settings[k])
	}
	return strings.Join(kv, " ")
}

func pluginSkewMessage(hostLabel string, p, q plugin, diffs []diff, sharedStdCount int) string {
	return fmt.Sprintf("%s: plugins %s and %s cannot both be loaded: whichever is loaded second would fail %s%s between them (packages the host does not link, so the first plugin loaded defines them):\n%s%s",
		hostPrefix(hostLabel), p.label, q.label, runtimeError(diffs), countPackages(len(diffs)),
		listDiffs(diffs, p.label, q.label), hint(diffs, sharedStdCount, true))
}

// stamp is what a successful check writes: a short, deterministic summary.
func stamp(hostLabel string, host map[string]string, plugins []plugin) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: OK: %d plugin(s) checked against %d host packages\n", hostPrefix(hostLabel), len(plugins), len(host))
	for _, p := range plugins {
		var shared int
		for pkg := range p.fps {
			if _, ok := host[pkg]; ok {
				shared++
			}
		}
		fmt.Fprintf(&b, "%s %s: %d packages, %d shared with the host, all equal\n", p.label, p.pluginPath, len(p.fps), shared)
	}
	return []byte(b.String())
}

// Package cli runs Bazel commands that must fail (or skip) and checks what Bazel and
// go_plugin say. It drives tools/bazel from the repository root, so it runs outside Bazel:
//
//	go test ./tests/cli/
//
// Every test builds what it checks (.ci/run runs the package first, from empty output bases);
// from an empty cache the package takes about 5 min, so give go test a -timeout above its
// default 10 min on a slow machine, as tests/run_all.sh does.
package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	root, err := filepath.Abs(filepath.Join(filepath.Dir(file), "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// bazel runs tools/bazel with args in the repository root and returns its exit code and
// combined output.
func bazel(t *testing.T, args ...string) (int, string) {
	t.Helper()
	return bazelIn(t, "", args...)
}

// bazelIn runs tools/bazel in dir, relative to the repository root (another workspace, such
// as a consumer module under e2e/).
func bazelIn(t *testing.T, dir string, args ...string) (int, string) {
	t.Helper()
	root := repoRoot(t)
	cmd := exec.Command(filepath.Join(root, "tools", "bazel"), args...)
	cmd.Dir = filepath.Join(root, dir)
	cmd.Env = append(os.Environ(), "TERM=dumb")
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	code := 0
	if exitErr, ok := err.(*exec.ExitError); ok {
		code = exitErr.ExitCode()
	} else if err != nil {
		t.Fatalf("running bazel %v: %v", args, err)
	}
	return code, out.String()
}

const rulesGoPlatforms = "@io_bazel_rules_go//go/toolchain:"

// fullOnly skips t under `go test -short`, as tests/run_all.sh runs this package without
// --full: t builds configurations nothing else in that run builds (a standard library of their
// own each), which is why. `tests/run_all.sh --full`, and so .ci/run, run it.
func fullOnly(t *testing.T, why string) {
	t.Helper()
	if testing.Short() {
		t.Skipf("-short: %s; tests/run_all.sh --full runs it", why)
	}
}

// TestLoadingErrors loads BUILD files that go_plugin's and go_plugin_host's macros reject
// while the package loads, each with one error. They are packages of the repository
// @loading_error_fixtures (loading_errors/, a local_repository of the root module), so that
// the main repository's //... never loads them and nothing is written into the source tree.
// In messages, their labels start with that repository's canonical name.
func TestLoadingErrors(t *testing.T) {
	for _, tc := range []struct {
		fixture string // a package of loading_errors/
		want    []string
	}{
		{"pure_on", []string{
			`//pure_on:pure_plugin: attribute pure = "on": -buildmode=plugin requires external (cgo) linking`,
			"Remove the attribute",
		}},
		{"duplicate_plugins", []string{
			"go_plugin_host @@",
			"//duplicate_plugins:host: attribute plugins: @rules_go_plugin//examples/basic/plugin_a is listed twice; list each plugin once.",
		}},
		{"releases_sdk_version", []string{
			`//releases_sdk_version:greeter: attribute sdk_versions: "go1.27.3" for release "v2" is not a Go version; write it as rules_go's sdk_version does, e.g. "1.27.3"`,
		}},
		{"releases_unknown_release", []string{
			`//releases_unknown_release:greeter: attribute sdk_versions: "v3" is not a release (the keys of releases are v2).`,
		}},
		{"host_sdk_unknown", []string{
			`//host_sdk_unknown:plugin: attribute host_sdk: "gateway": no go_plugin.host_sdk tag declares it. Declare the host in MODULE.bazel`,
			`go_plugin.host_sdk(name = "gateway", abi = "//path:host.plugin_abi.json", go_root_file = "@go_sdk//:ROOT")`,
		}},
		{"releases_host_sdks_conflict", []string{
			`//releases_host_sdks_conflict:greeter: release "v2" is in both sdk_versions and host_sdks; keep only host_sdks`,
		}},
		{"releases_host_abis", []string{
			"//releases_host_abis:greeter: attribute host_abis: go_plugin_releases sets it for each release; remove it",
		}},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			code, out := bazel(t, "build", "--nobuild", "@loading_error_fixtures//"+tc.fixture+":all")
			if code == 0 {
				t.Fatalf("loading %s succeeded; output:\n%s", tc.fixture, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output does not contain %q; output:\n%s", w, out)
				}
			}
			// One error: Bazel prints a failing macro's "Error in fail: ..." (twice: in the
			// traceback and in the package's summary); its other ERROR lines only say that
			// the package failed to load.
			errs := map[string]bool{}
			for _, line := range strings.Split(out, "\n") {
				if _, msg, ok := strings.Cut(line, "Error in "); ok {
					errs[msg] = true
				}
			}
			if len(errs) != 1 {
				t.Errorf("%d different errors, want one:\n%s", len(errs), out)
			}
		})
	}
}

// TestHostRunsDirectly runs a go_plugin_host binary straight from bazel-bin, without bazel
// run (so without RULES_GO_PLUGIN_MANIFEST): the loader finds the manifest through the
// runfiles path linked into the program.
func TestHostRunsDirectly(t *testing.T) {
	if code, out := bazel(t, "build", "//examples/hosts/host"); code != 0 {
		t.Fatalf("bazel build //examples/hosts/host: exit code %d:\n%s", code, out)
	}
	cmd := exec.Command(filepath.Join(repoRoot(t), "bazel-bin", "examples", "hosts", "host", "host"), "abc")
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "RULES_GO_PLUGIN_MANIFEST=") && !strings.HasPrefix(kv, "RUNFILES_") {
			env = append(env, kv)
		}
	}
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("running the host directly: %v\n%s", err, out)
	}
	if want := "reverse: cba\nupper: ABC\n"; string(out) != want {
		t.Errorf("host printed %q, want %q", out, want)
	}
}

// TestNoMachinePathsInPlugins checks that no plugin built by go_plugin holds a path of this
// machine's build: the output base (and with it execroot and sandboxes), the workspace, the
// cache directory, or the Go SDK. Such a path would make the .so differ between machines
// and output bases, and so defeat remote caching.
func TestNoMachinePathsInPlugins(t *testing.T) {
	// Not the manual targets, which //... does not build (examples/released_host/skewed fails).
	code, out := bazel(t, "cquery", "--output=files", "let s = //examples/... + //tests/core/... in kind(go_plugin, $s) - attr(tags, manual, $s)")
	if code != 0 {
		t.Fatalf("bazel cquery: exit code %d:\n%s", code, out)
	}
	plugins := soFiles(out)
	if len(plugins) < 5 {
		t.Fatalf("cquery found only %d plugins:\n%s", len(plugins), out)
	}
	if code, out := bazel(t, append([]string{"build"}, "//examples/...", "//tests/core/...")...); code != 0 {
		t.Fatalf("bazel build: exit code %d:\n%s", code, out)
	}
	checkNoMachinePaths(t, plugins)
}

// checkNoMachinePaths fails t for each plugin file (relative to the workspace) that holds the
// output base, the output user root, the workspace, the Go SDK, or an execroot or sandbox
// path.
func checkNoMachinePaths(t *testing.T, plugins []string) {
	t.Helper()
	_, outputBase := bazel(t, "info", "output_base")
	outputBase = lastLine(outputBase)
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("checking %d plugins for %s, %s", len(plugins), outputBase, repoRoot(t))
	machinePaths := []string{
		outputBase,
		filepath.Dir(outputBase), // the output user root, shared by all workspaces
		repoRoot(t),
		strings.TrimSpace(string(goroot)) + "/",
		"/execroot/",
		"/sandbox/",
	}
	root := repoRoot(t)
	for _, so := range plugins {
		b, err := os.ReadFile(filepath.Join(root, so))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range machinePaths {
			if i := bytes.Index(b, []byte(p)); i >= 0 {
				lo, hi := max(0, i-40), min(len(b), i+len(p)+40)
				t.Errorf("%s contains the machine path %q: ...%q...", so, p, b[lo:hi])
			}
		}
	}
}

// soFiles returns the .so files, relative to the workspace, that `bazel cquery --output=files`
// printed in out.
func soFiles(out string) []string {
	var files []string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "bazel-out/") && strings.HasSuffix(line, ".so") {
			files = append(files, line)
		}
	}
	return files
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

func TestBazelCommands(t *testing.T) {
	for _, tc := range []struct {
		name     string
		args     []string
		wantFail bool
		want     []string // substrings of the output
	}{
		{
			name:     "package that is not main",
			args:     []string{"build", "//tests/failures:not_main"},
			wantFail: true,
			want:     []string{"package lib (tests/failures/testdata/not_main/lib.go), not package main", "Declare `package main`"},
		},
		{
			// The committed BUILD files of examples/gazelle (plugins, host, test) are what
			// gazelle with the go_plugin extension generates; `bazel test //...` builds and
			// loads them. -mode=diff exits 1 and prints the diff when they differ.
			name: "gazelle has nothing to change in the repository",
			args: []string{"run", "//:gazelle", "--", "-mode=diff"},
			want: []string{"Running command line: bazel-bin/gazelle"},
		},
		{
			name:     "host and plugin link different versions of a package",
			args:     []string{"build", "//tests/failures:skewed_host"},
			wantFail: true,
			want: []string{
				"go_plugin_host //tests/failures:skewed_host: plugin //tests/failures:skew_plugin (pluginpath example.com/skew/plugin) would fail to load",
				"example.com/skew/shared: host ",
				"Fix: make the host and the plugin depend on the same go_library targets",
			},
		},
		{
			// go_plugin_releases names the plugin of a release after its Go SDK, so that
			// Bazel's toolchain error says which SDK is missing.
			name:     "go_plugin_releases: a release whose Go SDK is not registered",
			args:     []string{"build", "--nobuild", "//tests/failures:missing_sdk_v9"},
			wantFail: true,
			want: []string{
				"While resolving toolchains for target //tests/failures:missing_sdk_v9_go1.99.0 ",
				"No matching toolchains found for types @@rules_go~//go:toolchain",
			},
		},
		{
			name:     "go_plugin_releases: a release built with another Go than its host",
			args:     []string{"build", "//tests/failures:wrong_sdk"},
			wantFail: true,
			want: []string{
				"go_plugin //tests/failures:wrong_sdk_v2_plugin: host ABI //examples/released_host/release:host_v2.plugin_abi.json (host //examples/released_host/host:host_v2): plugin //tests/failures:wrong_sdk_v2_plugin is built with Go " + runtime.Version() + ", the host with go1.27.3",
				`go_plugin_releases builds one plugin per host release with sdk_versions = {"<release>": "1.27.3"}`,
			},
		},
		{
			name:     "windows/amd64 named explicitly",
			args:     []string{"build", "--nobuild", "--platforms=" + rulesGoPlatforms + "windows_amd64", "//examples/basic/plugin_a"},
			wantFail: true,
			want: []string{
				"//examples/basic/plugin_a:plugin_a is incompatible and cannot be built",
				"go/toolchain:windows_amd64) didn't satisfy constraint",
				"go/toolchain:go_buildmode_plugin_supported",
			},
		},
		{
			// In rules_go's plugin list, but not in Go's (src/internal/platform/supported.go).
			name:     "android/arm named explicitly",
			args:     []string{"build", "--nobuild", "--platforms=" + rulesGoPlatforms + "android_arm", "//examples/basic/plugin_a"},
			wantFail: true,
			want:     []string{"is incompatible and cannot be built", "android_arm"},
		},
		{
			name: "windows/amd64 wildcard skips plugins and their hosts",
			args: []string{"build", "--nobuild", "--platforms=" + rulesGoPlatforms + "windows_amd64", "//examples/..."},
			want: []string{"Build completed successfully"},
		},
		{
			// In Go's list, but rules_go v0.65 cannot compile -dynlink for it, so go_plugin
			// leaves it out by default (RULES_GO_NO_DYNLINK).
			name:     "freebsd/amd64 is left out until rules_go compiles -dynlink there",
			args:     []string{"build", "--nobuild", "--platforms=" + rulesGoPlatforms + "freebsd_amd64", "//examples/basic/plugin_a"},
			wantFail: true,
			want:     []string{"is incompatible and cannot be built", "freebsd_amd64"},
		},
		{
			// Plugins need cgo, so go_plugin keeps cgo on for its subgraph.
			name: "global pure=on still analyses plugins with cgo",
			args: []string{"build", "--nobuild", "--@io_bazel_rules_go//go/config:pure", "//examples/basic/plugin_a"},
			want: []string{"Build completed successfully"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out := bazel(t, tc.args...)
			if failed := code != 0; failed != tc.wantFail {
				t.Fatalf("bazel %s: exit code %d, want failure=%v; output:\n%s", strings.Join(tc.args, " "), code, tc.wantFail, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("bazel %s: output does not contain %q; output:\n%s", strings.Join(tc.args, " "), w, out)
				}
			}
		})
	}
}

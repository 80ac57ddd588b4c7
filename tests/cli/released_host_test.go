package cli

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestReleasedHost builds //examples/released_host/skewed, a plugin whose shared api package
// changed since the host's release: its build fails at the host_abis check, naming the package
// and both fingerprints. Built without validations, the released host indeed refuses it at
// plugin.Open, with the package the check named.
func TestReleasedHost(t *testing.T) {
	const api = "github.com/rules-go-plugin/rules_go_plugin/examples/released_host/api"
	code, out := bazel(t, "build", "//examples/released_host/skewed")
	if code == 0 {
		t.Fatalf("bazel build //examples/released_host/skewed succeeded:\n%s", out)
	}
	for _, want := range []string{
		"go_plugin //examples/released_host/skewed:skewed: host ABI //examples/released_host/release:host.plugin_abi.json (host //examples/released_host/host:host): plugin //examples/released_host/skewed:skewed",
		`would fail to load into that host ("plugin was built with a different version of package ` + api + `"): 1 package differs between host and plugin:`,
		"\n  " + api + ": host ",
		"Likely cause: the plugin compiled other sources",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("build output does not contain %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "would fail to load") != 1 {
		t.Errorf("want one message:\n%s", out)
	}

	code, out = bazel(t, "cquery", "--norun_validations", "--output=files", "//examples/released_host/skewed")
	sos := soFiles(out)
	if code != 0 || len(sos) != 1 {
		t.Fatalf("bazel cquery: exit %d, .so files %q:\n%s", code, sos, out)
	}
	if code, out := bazel(t, "build", "--norun_validations", "//examples/released_host/skewed", "//examples/released_host/host"); code != 0 {
		t.Fatalf("bazel build --norun_validations: exit %d:\n%s", code, out)
	}
	root := repoRoot(t)
	run, err := exec.Command(filepath.Join(root, "bazel-bin", "examples", "released_host", "host", "host"), filepath.Join(root, sos[0])).CombinedOutput()
	if want := "plugin was built with a different version of package " + api; err == nil || !strings.Contains(string(run), want) {
		t.Errorf("the released host on the skewed plugin: %v, %s; want %q", err, run, want)
	}
}

// TestSameBuildABI: a go_plugin whose host_abis is a go_plugin_host's plugin_abi output group
// in the same build (tests/core/same_build_abi) builds, passes its ABI check, and loads into
// that host, which calls its symbol.
func TestSameBuildABI(t *testing.T) {
	const plugin = "//tests/core/same_build_abi/plugin"
	if code, out := bazel(t, "build", plugin, "//tests/core/same_build_abi/host"); code != 0 {
		t.Fatalf("bazel build: exit %d:\n%s", code, out)
	}
	code, out := bazel(t, "cquery", "--output=files", plugin)
	sos := soFiles(out)
	if code != 0 || len(sos) != 1 {
		t.Fatalf("bazel cquery: exit %d, .so files %q:\n%s", code, sos, out)
	}
	root := repoRoot(t)
	run, err := exec.Command(filepath.Join(root, "bazel-bin", "tests", "core", "same_build_abi", "host", "host"), filepath.Join(root, sos[0])).CombinedOutput()
	if err != nil || string(run) != "hello, host\n" {
		t.Errorf("the host on the plugin: %v, %q; want \"hello, host\\n\"", err, run)
	}
}

package cli

import (
	"debug/elf"
	"path/filepath"
	"strings"
	"testing"
)

// arm64Flags build for linux/arm64 with Debian's cross gcc (examples/cross_cc), which the
// offline environment installs with qemu-user; tests run under qemu-aarch64 with the cross
// sysroot as its library prefix. rules_go's test main re-executes itself to write the test
// XML, which the kernel cannot do for an arm64 binary without binfmt_misc (not set up here,
// it is machine-wide): GO_TEST_WRAP=0 turns that off.
var arm64Flags = []string{
	"--platforms=" + rulesGoPlatforms + "linux_arm64_cgo",
	"--extra_toolchains=//examples/cross_cc:linux_aarch64",
	"--run_under=/usr/bin/qemu-aarch64 -L /usr/aarch64-linux-gnu",
	"--test_env=GO_TEST_WRAP=0",
}

// TestCrossArm64 cross-compiles examples/hosts (a host and two plugins) for linux/arm64: the
// plugins link with the cross C toolchain, the build-time host/plugin check reads the arm64
// ELF files, and the host test, run under qemu-aarch64, loads both plugins with plugin.Open and
// calls them. The arm64 plugins hold no machine path either.
func TestCrossArm64(t *testing.T) {
	targets := []string{"//examples/hosts/host:host_test", "//examples/hosts/plugins/reverse", "//examples/hosts/plugins/upper"}
	args := append(append([]string{"test", "--test_output=errors"}, arm64Flags...), targets...)
	if code, out := bazel(t, args...); code != 0 {
		t.Fatalf("bazel %s: exit code %d:\n%s", strings.Join(args, " "), code, out)
	}
	args = append(append([]string{"cquery", "--output=files"}, arm64Flags...), "//examples/hosts/plugins/reverse + //examples/hosts/plugins/upper")
	code, out := bazel(t, args...)
	if code != 0 {
		t.Fatalf("bazel cquery: exit code %d:\n%s", code, out)
	}
	var plugins []string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "bazel-out/") && strings.HasSuffix(line, ".so") {
			plugins = append(plugins, line)
		}
	}
	if len(plugins) != 2 {
		t.Fatalf("cquery gave %d plugins, want 2:\n%s", len(plugins), out)
	}
	for _, so := range plugins {
		f, err := elf.Open(filepath.Join(repoRoot(t), so))
		if err != nil {
			t.Fatal(err)
		}
		if f.Machine != elf.EM_AARCH64 {
			t.Errorf("%s: machine %v, want EM_AARCH64", so, f.Machine)
		}
		f.Close()
	}
	checkNoMachinePaths(t, plugins)
}

// TestCrossArm64Skew: a skewed arm64 plugin fails the host's build as on amd64.
func TestCrossArm64Skew(t *testing.T) {
	args := append(append([]string{"build"}, arm64Flags...), "//tests/failures:skewed_host")
	code, out := bazel(t, args...)
	if code == 0 {
		t.Fatalf("building a skewed arm64 host succeeded:\n%s", out)
	}
	for _, want := range []string{
		"go_plugin_host //tests/failures:skewed_host: plugin //tests/failures:skew_plugin (pluginpath example.com/skew/plugin) would fail to load",
		"example.com/skew/shared: host ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output does not contain %q:\n%s", want, out)
		}
	}
}

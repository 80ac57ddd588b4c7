package cli

import (
	"debug/elf"
	"path/filepath"
	"strings"
	"testing"
)

// crossTarget is a platform tests cross-build for with Debian's cross gcc (examples/cross_cc,
// installed with qemu-user by the offline environment); tests run under qemu-user with the
// cross sysroot as its library prefix.
type crossTarget struct {
	name      string // goos_goarch, rules_go's platform is <name>_cgo
	toolchain string // examples/cross_cc target
	qemu      string
	sysroot   string
	machine   elf.Machine
}

var crossTargets = []crossTarget{
	{"linux_arm64", "linux_aarch64", "/usr/bin/qemu-aarch64", "/usr/aarch64-linux-gnu", elf.EM_AARCH64},
	{"linux_riscv64", "linux_riscv64", "/usr/bin/qemu-riscv64", "/usr/riscv64-linux-gnu", elf.EM_RISCV},
}

// flags builds for c and runs tests under qemu. rules_go's test main re-executes itself to
// write the test XML, which the kernel cannot do for a foreign binary without binfmt_misc
// (not set up here, it is machine-wide): GO_TEST_WRAP=0 turns that off.
func (c crossTarget) flags() []string {
	return []string{
		"--platforms=" + rulesGoPlatforms + c.name + "_cgo",
		"--extra_toolchains=//examples/cross_cc:" + c.toolchain,
		"--run_under=" + c.qemu + " -L " + c.sysroot,
		"--test_env=GO_TEST_WRAP=0",
	}
}

// TestCross cross-compiles examples/hosts (a host and two plugins) for each crossTarget: the
// plugins link with the cross C toolchain, the build-time host/plugin check reads the foreign
// ELF files, and the host test, run under qemu, loads both plugins with plugin.Open and calls
// them. The plugins hold no machine path either. A skewed plugin fails the host's build as on
// amd64.
func TestCross(t *testing.T) {
	fullOnly(t, "linux/arm64 and linux/riscv64 builds: two cross standard libraries and C toolchains")
	for _, c := range crossTargets {
		t.Run(c.name, func(t *testing.T) {
			targets := []string{"//examples/hosts/host:host_test", "//examples/hosts/plugins/reverse", "//examples/hosts/plugins/upper"}
			args := append(append([]string{"test", "--test_output=errors"}, c.flags()...), targets...)
			if code, out := bazel(t, args...); code != 0 {
				t.Fatalf("bazel %s: exit code %d:\n%s", strings.Join(args, " "), code, out)
			}
			args = append(append([]string{"cquery", "--output=files"}, c.flags()...), "//examples/hosts/plugins/reverse + //examples/hosts/plugins/upper")
			code, out := bazel(t, args...)
			if code != 0 {
				t.Fatalf("bazel cquery: exit code %d:\n%s", code, out)
			}
			plugins := soFiles(out)
			if len(plugins) != 2 {
				t.Fatalf("cquery gave %d plugins, want 2:\n%s", len(plugins), out)
			}
			for _, so := range plugins {
				f, err := elf.Open(filepath.Join(repoRoot(t), so))
				if err != nil {
					t.Fatal(err)
				}
				if f.Machine != c.machine {
					t.Errorf("%s: machine %v, want %v", so, f.Machine, c.machine)
				}
				f.Close()
			}
			checkNoMachinePaths(t, plugins)

			args = append(append([]string{"build"}, c.flags()...), "//tests/failures:skewed_host")
			code, out = bazel(t, args...)
			if code == 0 {
				t.Fatalf("building a skewed host succeeded:\n%s", out)
			}
			for _, want := range []string{
				"go_plugin_host //tests/failures:skewed_host: plugin //tests/failures:skew_plugin (pluginpath example.com/skew/plugin) would fail to load",
				"example.com/skew/shared: host ",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("skewed host: output does not contain %q:\n%s", want, out)
				}
			}
		})
	}
}

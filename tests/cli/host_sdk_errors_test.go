package cli

import (
	"strings"
	"testing"
)

// TestHostSDKErrors evaluates consumer modules (host_sdk_errors/) whose go_plugin.host_sdk
// tag is wrong: each fails with one message naming the tag and the fix.
func TestHostSDKErrors(t *testing.T) {
	for _, tc := range []struct {
		module string
		want   []string
	}{
		{"version", []string{
			`go_plugin.host_sdk(name = "gateway"): the host was built with go1.99.0, but go_root_file`,
			`Pass the root file of a go1.99.0 SDK, e.g. go_sdk.download(name = "go_sdk_1_99_0", version = "1.99.0")`,
		}},
		{"no_source_dirs", []string{
			`go_plugin.host_sdk(name = "gateway"): abi`,
			"has no source_dirs (written by an older rules_go_plugin). Regenerate it from the host binary with go_plugin_abi",
		}},
		{"duplicate", []string{
			`go_plugin.host_sdk: name "gateway" is declared twice; give each host SDK its own name.`,
		}},
	} {
		t.Run(tc.module, func(t *testing.T) {
			dir := "tests/cli/host_sdk_errors/" + tc.module
			code, out := bazelIn(t, dir, "build", "--nobuild", "//...")
			bazelIn(t, dir, "shutdown")
			if code == 0 {
				t.Fatalf("bazel build in %s succeeded; output:\n%s", dir, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output does not contain %q; output:\n%s", w, out)
				}
			}
			errs := map[string]bool{}
			for _, line := range strings.Split(out, "\n") {
				if _, msg, ok := strings.Cut(line, "Error in fail: "); ok {
					errs[msg] = true
				}
			}
			if len(errs) != 1 {
				t.Errorf("%d different errors, want one:\n%s", len(errs), out)
			}
		})
	}
}

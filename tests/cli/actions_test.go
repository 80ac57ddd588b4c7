package cli

import (
	"regexp"
	"strings"
	"testing"
)

// goStdlibActions lists the configurations of the GoStdlib actions a build of target
// would run, from `bazel aquery` (analysis only).
func goStdlibActions(t *testing.T, target string) []string {
	t.Helper()
	code, out := bazel(t, "aquery", "--output=text", `mnemonic("GoStdlib", deps(`+target+`))`)
	if code != 0 {
		t.Fatalf("bazel aquery for %s: exit %d\n%s", target, code, out)
	}
	var configs []string
	for _, m := range regexp.MustCompile(`(?m)^  Configuration: (\S+)$`).FindAllStringSubmatch(out, -1) {
		configs = append(configs, m[1])
	}
	return configs
}

// TestStdlibActions checks that go_plugin and the host rules compile the standard library
// only where Go code is linked, as rules_go does: once per target configuration, never in an
// exec configuration (the helpers are built from the SDK by //go/private:helper_binaries, see
// go/private/helpers.bzl). A go_binary tool would add a "GoStdlib ... [for tool]".
func TestStdlibActions(t *testing.T) {
	for _, tc := range []struct {
		target string
		// rulesGo is the rules_go target doing the same work, or "" (then want applies).
		rulesGo string
		want    int
	}{
		{target: "//tests/parity:go_plugin", rulesGo: "//tests/parity:rules_go_plugin", want: 1},
		// The program (a cgo executable) and its plugins (-dynlink): two configurations.
		{target: "//examples/hosts/host:host", want: 2},
		{target: "//examples/hosts/host:host_test", want: 2},
	} {
		t.Run(tc.target, func(t *testing.T) {
			got := goStdlibActions(t, tc.target)
			for _, c := range got {
				if strings.Contains(c, "-exec") {
					t.Errorf("a GoStdlib action in exec configuration %s: a Go tool built with rules_go's go_binary?", c)
				}
			}
			want := tc.want
			if tc.rulesGo != "" {
				want = len(goStdlibActions(t, tc.rulesGo))
			}
			if len(got) != want {
				t.Errorf("%d GoStdlib actions in configurations %v, want %d", len(got), got, want)
			}
		})
	}
}

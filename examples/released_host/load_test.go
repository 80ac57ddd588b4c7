// Package releasedhost runs two releases of a host (v2 built with Go 1.27.3) on the plugins
// go_plugin_releases built for them later, each checked against its release's ABI file: each
// loads into its release, and the Go 1.27.3 one does not load into the other release: Go 1.26.8's
// plugin.Open does not even get to compare package fingerprints, the runtime aborts the host
// ("fatal error: runtime: no plugin module data"), which is why the ABI check compares the Go
// versions at build time.
package releasedhost

import (
	"debug/buildinfo"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"github.com/bazelbuild/rules_go/go/runfiles"
)

// v2GoVersion is sdk_versions["v2"] of //examples/released_host/plugin:greeter, the Go of
// //examples/released_host/host:host_v2.
const v2GoVersion = "go1.27.3"

func TestPluginsLoadIntoTheirReleases(t *testing.T) {
	if len(os.Args) < 5 {
		t.Fatalf("args: runfiles paths of host v1, host v2, plugin v1, plugin v2; got %q", os.Args[1:])
	}
	var paths []string
	for _, r := range os.Args[len(os.Args)-4:] {
		p, err := runfiles.Rlocation(r)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	hostV1, hostV2, pluginV1, pluginV2 := paths[0], paths[1], paths[2], paths[3]

	for _, tc := range []struct {
		name, binary, wantGo string
	}{
		{"host v1", hostV1, runtime.Version()},
		{"host v2", hostV2, v2GoVersion},
		{"plugin v1", pluginV1, runtime.Version()},
		{"plugin v2", pluginV2, v2GoVersion},
	} {
		t.Run("Go version of "+tc.name, func(t *testing.T) {
			bi, err := buildinfo.ReadFile(tc.binary)
			if err != nil {
				t.Fatal(err)
			}
			if got, _, _ := strings.Cut(bi.GoVersion, " "); got != tc.wantGo {
				t.Errorf("%s is built with %s, want %s", tc.binary, bi.GoVersion, tc.wantGo)
			}
		})
	}

	for _, tc := range []struct {
		name, host, plugin, want string
		wantErr                  bool
	}{
		{"v1 plugin in v1 host", hostV1, pluginV1, "hello, release", false},
		{"v2 plugin in v2 host", hostV2, pluginV2, "hello, release", false},
		{"v2 plugin in v1 host", hostV1, pluginV2, "runtime: no plugin module data", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := exec.Command(tc.host, tc.plugin).CombinedOutput()
			if (err != nil) != tc.wantErr || !strings.Contains(string(out), tc.want) {
				t.Fatalf("%s %s: %v (want error: %v)\n%s\nwant output containing %q", tc.host, tc.plugin, err, tc.wantErr, out, tc.want)
			}
		})
	}
}

package kong_test

import (
	"bytes"
	"debug/buildinfo"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

var (
	trimpathHost    = flag.String("trimpath_host", "", "go-pluginserver built with go build -trimpath")
	trimpathPlugin  = flag.String("trimpath_plugin", "", "the plugin built with the kong_trimpath host SDK")
	plainHost       = flag.String("plain_host", "", "go-pluginserver built with go build")
	plainPlugin     = flag.String("plain_plugin", "", "the plugin built with the kong_plain host SDK")
	workspaceHost   = flag.String("workspace_host", "", "go-pluginserver built with go build -trimpath in a go workspace with go-pdk")
	workspacePlugin = flag.String("workspace_plugin", "", "the plugin built with the kong_workspace host SDK")
	releasePlugin   = flag.String("release_plugin", "", "the go_plugin_releases release for the -trimpath host")
	trimpathStd     = flag.String("trimpath_stdonly", "", "a std-only plugin built with the kong_trimpath host SDK")
	plainStd        = flag.String("plain_stdonly", "", "a std-only go_plugin without a host SDK")
)

// runfile is the path of a $(rootpath) argument: rules_go runs a test in its package's
// directory, and $(rootpath) is relative to the workspace's runfiles directory.
func runfile(rootpath string) string {
	return filepath.Join(os.Getenv("TEST_SRCDIR"), os.Getenv("TEST_WORKSPACE"), rootpath)
}

// TestDumpPluginInfo runs go-pluginserver's -dump-plugin-info, which loads the plugin with
// plugin.Open, calls its New and looks up its Version, Priority and phase handlers, and
// prints them as MessagePack (whose strings are raw bytes).
func TestDumpPluginInfo(t *testing.T) {
	for _, tc := range []struct {
		host, plugin string
		want         []string
	}{
		{*trimpathHost, *trimpathPlugin, []string{"0.1.0-bazel", "access", "message"}},
		{*plainHost, *plainPlugin, []string{"0.1.0-bazel", "access", "message"}},
		{*workspaceHost, *workspacePlugin, []string{"0.1.0-bazel", "access", "message"}},
		{*trimpathHost, *releasePlugin, []string{"0.1.0-bazel", "access", "message"}},
		{*trimpathHost, *trimpathStd, []string{"0.1.0-stdonly", "greeting"}},
		{*plainHost, *plainStd, []string{"0.1.0-stdonly", "greeting"}},
	} {
		t.Run(filepath.Base(tc.host)+"/"+filepath.Base(tc.plugin), func(t *testing.T) {
			dir := t.TempDir()
			data, err := os.ReadFile(runfile(tc.plugin))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "hello.so"), data, 0o755); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(runfile(tc.host), "-plugins-directory", dir, "-dump-plugin-info", "hello")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%s -dump-plugin-info hello: %v\n%s", tc.host, err, stderr.String())
			}
			for _, want := range tc.want {
				if !bytes.Contains(out, []byte(want)) {
					t.Errorf("%s's plugin info lacks %q: %q", tc.host, want, out)
				}
			}
		})
	}
}

// TestPluginBuildInfo reads the build info of a plugin built with a host SDK: like cmd/go's
// plugins, it lists its module dependencies, here go-pdk at the host's version.
func TestPluginBuildInfo(t *testing.T) {
	for _, p := range []string{*trimpathPlugin, *plainPlugin, *workspacePlugin} {
		bi, err := buildinfo.ReadFile(runfile(p))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		found := false
		for _, d := range bi.Deps {
			if d.Path == "github.com/Kong/go-pdk" {
				found = true
				if d.Version != "v0.6.0" {
					t.Errorf("%s: go-pdk %s, want v0.6.0", p, d.Version)
				}
			}
		}
		if !found {
			t.Errorf("%s: build info lists no github.com/Kong/go-pdk:\n%s", p, bi)
		}
	}
}

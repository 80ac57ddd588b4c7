package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/rules-go-plugin/rules_go_plugin/go/tools/internal/gofingerprint"
)

// skewModule is a host, a plugin and a library they share. The host loads
// the plugin named by its argument and prints what its Hello returns, or
// the plugin.Open error.
var skewModule = map[string]string{
	"go.mod": "module example.com/skew\n\ngo 1.21\n",
	"shared/shared.go": `package shared

func Greet(who string) string { return "hello, " + who }
`,
	"host/main.go": `package main

import (
	"fmt"
	"os"
	"plugin"

	"example.com/skew/shared"
)

func main() {
	p, err := plugin.Open(os.Args[1])
	if err != nil {
		fmt.Println("ERROR:", err)
		os.Exit(3)
	}
	hello, err := p.Lookup("Hello")
	if err != nil {
		fmt.Println("ERROR:", err)
		os.Exit(3)
	}
	fmt.Println(hello.(func() string)(), shared.Greet("host"))
}
`,
	"nohost/main.go": `package main

import (
	"fmt"

	"example.com/skew/shared"
)

func main() { fmt.Println(shared.Greet("nohost")) }
`,
	"plug/main.go": `package main

import "example.com/skew/shared"

func Hello() string { return shared.Greet("plugin") }

func main() {}
`,
}

// changedShared is shared.go with its exported API changed: a plugin built
// with it links another version of package shared.
const changedShared = `package shared

func Greet(who string) string { return "hello, " + who }

func Version() int { return 2 }
`

// TestIntegrationSkew builds a real host and plugins with the go command
// and checks that pluginhost check accepts what plugin.Open accepts and
// rejects, naming the package, what plugin.Open rejects.
// goForPlugins returns the go command, or skips t where go build cannot make ELF plugins
// (another OS, no go command, no C compiler for cgo).
func goForPlugins(t *testing.T) string {
	t.Helper()
	switch runtime.GOOS {
	case "linux", "freebsd":
	default:
		t.Skipf("plugins are not ELF on %s", runtime.GOOS)
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command unavailable")
	}
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("gcc unavailable (plugins need cgo)")
	}
	return goCmd
}

func TestIntegrationSkew(t *testing.T) {
	goCmd := goForPlugins(t)

	root := t.TempDir()
	src := filepath.Join(root, "src")
	for name, content := range skewModule {
		writeFile(t, src, name, []byte(content))
	}
	env := append(os.Environ(), "GOWORK=off", "GOTOOLCHAIN=local", "GOFLAGS=", "CGO_ENABLED=1")
	gobuild := func(t *testing.T, args ...string) {
		t.Helper()
		cmd := exec.Command(goCmd, append([]string{"build"}, args...)...)
		cmd.Dir = src
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	// packagesFile writes the packages file of the plugin so, as go_plugin
	// would.
	packagesFile := func(t *testing.T, so string) string {
		t.Helper()
		fps, err := gofingerprint.ReadPackageFingerprints(so)
		if err != nil {
			t.Fatal(err)
		}
		p := so + ".packages.txt"
		if err := os.WriteFile(p, gofingerprint.FormatPackages(fps), 0o666); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// load runs the host on so and returns its output and whether
	// plugin.Open succeeded.
	load := func(t *testing.T, host, so string) (string, bool) {
		t.Helper()
		out, err := exec.Command(host, so).CombinedOutput()
		if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 3 {
			return string(out), false
		}
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", host, so, err, out)
		}
		return string(out), true
	}
	check := func(t *testing.T, host string, specs ...string) (int, string) {
		t.Helper()
		args := []string{"check", "-host", host, "-host_label", "//skew:host", "-o", filepath.Join(root, "stamp")}
		for _, s := range specs {
			args = append(args, "-plugin", s)
		}
		var stderr bytes.Buffer
		code := run(args, &stderr)
		return code, stderr.String()
	}

	host := filepath.Join(root, "host")
	noHost := filepath.Join(root, "nohost")
	v1 := filepath.Join(root, "v1", "plug.so")
	gobuild(t, "-o", host, "./host")
	gobuild(t, "-o", noHost, "./nohost")
	gobuild(t, "-buildmode=plugin", "-o", v1, "./plug")
	v1Spec := spec("label=//skew:plug", "pluginpath=example.com/skew/plug", "so="+v1, "packages="+packagesFile(t, v1))

	t.Run("matching builds", func(t *testing.T) {
		if out, ok := load(t, host, v1); !ok || !strings.Contains(out, "hello, plugin hello, host") {
			t.Fatalf("plugin.Open of a matching plugin: %s", out)
		}
		if code, stderr := check(t, host, v1Spec); code != 0 {
			t.Fatalf("check: exit %d:\n%s", code, stderr)
		}
		// Reading the fingerprints from the .so instead of a packages file.
		if code, stderr := check(t, host, spec("label=//skew:plug", "pluginpath=example.com/skew/plug", "so="+v1)); code != 0 {
			t.Fatalf("check with so= only: exit %d:\n%s", code, stderr)
		}
	})

	t.Run("host without plugin support", func(t *testing.T) {
		code, stderr := check(t, noHost, v1Spec)
		if code != 1 || !strings.Contains(stderr, "go_plugin_host //skew:host: the host executable has no Go package fingerprints") {
			t.Fatalf("exit %d:\n%s", code, stderr)
		}
	})

	t.Run("another version of a shared package", func(t *testing.T) {
		writeFile(t, src, "shared/shared.go", []byte(changedShared))
		defer writeFile(t, src, "shared/shared.go", []byte(skewModule["shared/shared.go"]))
		v2 := filepath.Join(root, "v2", "plug.so")
		gobuild(t, "-buildmode=plugin", "-o", v2, "./plug")

		out, ok := load(t, host, v2)
		const runtimeErr = "plugin was built with a different version of package example.com/skew/shared"
		if ok || !strings.Contains(out, runtimeErr) {
			t.Fatalf("plugin.Open of a skewed plugin: %s", out)
		}
		code, stderr := check(t, host, spec("label=//skew:plug", "pluginpath=example.com/skew/plug", "so="+v2, "packages="+packagesFile(t, v2)))
		t.Logf("plugin.Open: %s\ncheck (exit %d):\n%s", strings.TrimSpace(out), code, stderr)
		if code != 1 {
			t.Fatalf("check: exit %d, want 1", code)
		}
		for _, want := range []string{
			`go_plugin_host //skew:host: plugin //skew:plug (pluginpath example.com/skew/plug) would fail to load ("` + runtimeErr + `"): 1 package differs between host and plugin:` + "\n  example.com/skew/shared: host ",
			"\nLikely cause: only non-standard packages differ",
			"\nFix: make the host and the plugin depend on the same go_library targets",
		} {
			if !strings.Contains(stderr, want) {
				t.Errorf("check output does not contain %q", want)
			}
		}
	})

	t.Run("different Go settings", func(t *testing.T) {
		if testing.Short() {
			t.Skip("rebuilds the standard library with -N -l")
		}
		v3 := filepath.Join(root, "v3", "plug.so")
		gobuild(t, "-buildmode=plugin", "-gcflags=all=-N -l", "-o", v3, "./plug")
		out, ok := load(t, host, v3)
		if ok || !strings.Contains(out, "plugin was built with a different version of package") {
			t.Fatalf("plugin.Open of a plugin built with -N -l: %s", out)
		}
		code, stderr := check(t, host, spec("label=//skew:plug", "pluginpath=example.com/skew/plug", "packages="+packagesFile(t, v3)))
		t.Logf("plugin.Open: %s\ncheck (exit %d):\n%s", strings.TrimSpace(out), code, stderr)
		if code != 1 {
			t.Fatalf("check: exit %d, want 1", code)
		}
		for _, want := range []string{
			`would fail to load ("plugin was built with a different version of package ...", naming the first of them it checks): `,
			"\n  runtime: host ",
			"\nLikely cause: the host and the plugin were compiled with different Go settings",
		} {
			if !strings.Contains(stderr, want) {
				t.Errorf("check output does not contain %q", want)
			}
		}
	})
}

package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
)

// abiModule is a released host built by go build, requiring example.com/lib v1.4.0 from a
// module proxy in a directory (libVersions), and a plugin of the same module.
var abiModule = map[string]string{
	"go.mod": "module example.com/release\n\ngo 1.21\n\nrequire example.com/lib v1.4.0\n",
	"host/main.go": `package main

import (
	"fmt"
	"os"
	"plugin"

	"example.com/lib"
)

func main() {
	if _, err := plugin.Open(os.Args[1]); err != nil {
		fmt.Println("ERROR:", err)
		os.Exit(3)
	}
	fmt.Println("loaded", lib.Name())
}
`,
	"plug/main.go": plugMain,
}

const plugMain = `package main

import "example.com/lib"

func Hello() string { return lib.Name() }

func main() {}
`

// libVersions are example.com/lib's versions in the test's module proxy; v1.5.1 changed
// the package's API, so its fingerprint differs.
var libVersions = map[string]string{
	"v1.4.0": "package lib\n\nfunc Name() string { return \"lib\" }\n",
	"v1.5.1": "package lib\n\nfunc Name() string { return \"lib\" }\n\nfunc Version() int { return 2 }\n",
}

// writeProxy writes a GOPROXY=file://dir module proxy serving libVersions.
func writeProxy(t *testing.T, dir string) {
	t.Helper()
	var list []string
	for v, src := range libVersions {
		list = append(list, v)
		writeFile(t, dir, "example.com/lib/@v/"+v+".info", []byte(`{"Version":"`+v+`","Time":"2026-01-01T00:00:00Z"}`))
		mod := "module example.com/lib\n\ngo 1.21\n"
		writeFile(t, dir, "example.com/lib/@v/"+v+".mod", []byte(mod))
		var b bytes.Buffer
		z := zip.NewWriter(&b)
		for name, content := range map[string]string{"go.mod": mod, "lib.go": src} {
			w, err := z.Create("example.com/lib@" + v + "/" + name)
			if err != nil {
				t.Fatal(err)
			}
			w.Write([]byte(content))
		}
		if err := z.Close(); err != nil {
			t.Fatal(err)
		}
		writeFile(t, dir, "example.com/lib/@v/"+v+".zip", b.Bytes())
	}
	sort.Strings(list)
	writeFile(t, dir, "example.com/lib/@v/list", []byte(strings.Join(list, "\n")+"\n"))
}

// TestABI builds a host with go build, extracts its ABI file, and checks plugins against
// the file (not the executable): a matching one passes, one built with another version of
// the shared module fails naming the package and the host's module version, and bad inputs
// give one clear error each.
func TestABI(t *testing.T) {
	goCmd := goForPlugins(t)
	root := t.TempDir()
	src := filepath.Join(root, "src")
	for name, content := range abiModule {
		writeFile(t, src, name, []byte(content))
	}
	proxy := filepath.Join(root, "proxy")
	writeProxy(t, proxy)
	// A plugin repository of its own, which uses example.com/lib v1.5.1.
	plugins := filepath.Join(root, "plugins")
	writeFile(t, plugins, "go.mod", []byte("module example.com/plugins\n\ngo 1.21\n\nrequire example.com/lib v1.5.1\n"))
	writeFile(t, plugins, "plug/main.go", []byte(plugMain))
	goIn := func(t *testing.T, dir string, args ...string) {
		t.Helper()
		cmd := exec.Command(goCmd, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOWORK=off", "GOTOOLCHAIN=local", "GOFLAGS=-mod=mod -modcacherw", "CGO_ENABLED=1",
			"GOPROXY=file://"+filepath.ToSlash(proxy), "GOSUMDB=off", "GOMODCACHE="+filepath.Join(root, "modcache"))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	gobuild := func(t *testing.T, args ...string) { t.Helper(); goIn(t, src, append([]string{"build"}, args...)...) }
	host := filepath.Join(root, "host")
	v1 := filepath.Join(root, "v1", "plug.so")
	gobuild(t, "-o", host, "./host")
	gobuild(t, "-buildmode=plugin", "-o", v1, "./plug")

	abiPath := filepath.Join(root, "host.plugin_abi.json")
	var stderr bytes.Buffer
	if code := run([]string{"abi", "-binary", host, "-name", "//release:host", "-o", abiPath}, &stderr); code != 0 {
		t.Fatalf("abi: exit %d: %s", code, stderr.String())
	}
	data, err := os.ReadFile(abiPath)
	if err != nil {
		t.Fatal(err)
	}
	abi, err := parseHostABI(abiPath, data)
	if err != nil {
		t.Fatal(err)
	}
	if abi.GOOS != runtime.GOOS || abi.GOARCH != runtime.GOARCH || abi.GoVersion != runtime.Version() || abi.Host != "//release:host" {
		t.Errorf("ABI platform %s/%s, Go %s, host %q; want %s/%s, %s", abi.GOOS, abi.GOARCH, abi.GoVersion, abi.Host, runtime.GOOS, runtime.GOARCH, runtime.Version())
	}
	if abi.Modules["example.com/lib"] != "v1.4.0" || abi.Packages["example.com/lib"] == "" || abi.Packages["runtime"] == "" {
		t.Errorf("ABI modules %v, lib and runtime fingerprints %q %q", abi.Modules, abi.Packages["example.com/lib"], abi.Packages["runtime"])
	}
	if abi.Settings["CGO_ENABLED"] != "1" || strings.Contains(string(data), root) {
		t.Errorf("ABI settings %v, or machine paths (%s) in:\n%s", abi.Settings, root, data)
	}
	// Deterministic: extracting again gives the same bytes.
	again := filepath.Join(root, "again.json")
	if run([]string{"abi", "-binary", host, "-name", "//release:host", "-o", again}, &stderr) != 0 {
		t.Fatal(stderr.String())
	}
	if b, _ := os.ReadFile(again); !bytes.Equal(b, data) {
		t.Error("a second extraction differs")
	}

	check := func(t *testing.T, abiFile string, extra []string, so string) (int, string) {
		t.Helper()
		args := append([]string{"check-abi", "-abi", abiFile, "-abi_label", "//release:host_abi", "-plugin_label", "//plugins:plug", "-o", filepath.Join(root, "stamp")}, extra...)
		args = append(args, "-plugin", spec("label=//plugins:plug", "pluginpath=example.com/release/plug", "so="+so))
		var stderr bytes.Buffer
		return run(args, &stderr), stderr.String()
	}
	t.Run("matching plugin", func(t *testing.T) {
		if out, err := exec.Command(host, v1).CombinedOutput(); err != nil {
			t.Fatalf("host does not load the plugin: %v\n%s", err, out)
		}
		if code, stderr := check(t, abiPath, []string{"-goos", runtime.GOOS, "-goarch", runtime.GOARCH, "-go_version", strings.TrimPrefix(runtime.Version(), "go")}, v1); code != 0 {
			t.Fatalf("check: exit %d:\n%s", code, stderr)
		}
	})
	t.Run("another version of the shared module", func(t *testing.T) {
		v2 := filepath.Join(root, "v2", "plug.so")
		goIn(t, plugins, "build", "-buildmode=plugin", "-o", v2, "./plug")
		out, _ := exec.Command(host, v2).CombinedOutput()
		if !strings.Contains(string(out), "plugin was built with a different version of package example.com/lib") {
			t.Fatalf("the host loads the skewed plugin: %s", out)
		}
		code, stderr := check(t, abiPath, nil, v2)
		t.Logf("check (exit %d):\n%s", code, stderr)
		for _, want := range []string{
			"go_plugin //plugins:plug: host ABI //release:host_abi (host //release:host): plugin //plugins:plug (pluginpath example.com/release/plug) would fail to load into that host (\"plugin was built with a different version of package example.com/lib\"): 1 package differs",
			"\n  example.com/lib: host ",
			"Likely cause: the plugin was built with other versions of the modules the host release links: host has example.com/lib v1.4.0, plugin v1.5.1.",
		} {
			if code != 1 || !strings.Contains(stderr, want) {
				t.Errorf("exit %d; output does not contain %q", code, want)
			}
		}
	})

	t.Run("host built with go build -trimpath", func(t *testing.T) {
		trimHost := filepath.Join(root, "trimhost")
		gobuild(t, "-trimpath", "-o", trimHost, "./host")
		trimABI := filepath.Join(root, "trim.plugin_abi.json")
		var stderr bytes.Buffer
		if code := run([]string{"abi", "-binary", trimHost, "-name", "//release:trimhost", "-o", trimABI}, &stderr); code != 0 {
			t.Fatalf("abi: exit %d: %s", code, stderr.String())
		}
		// v1 (built without -trimpath) matches the plain host but not this one: every
		// standard package records other file names.
		out, _ := exec.Command(trimHost, v1).CombinedOutput()
		if !strings.Contains(string(out), "plugin was built with a different version of package") {
			t.Fatalf("the -trimpath host loads a plugin built without -trimpath: %s", out)
		}
		code, msg := check(t, trimABI, nil, v1)
		for _, want := range []string{"\n  runtime: host ", "the host was built by go build -trimpath", "other source file names", `go_plugin(..., host_sdk = "<host>")`} {
			if code != 1 || !strings.Contains(msg, want) {
				t.Errorf("exit %d; output does not contain %q:\n%s", code, want, msg)
			}
		}
	})

	malformed := writeFile(t, root, "malformed.json", []byte(`{"schema": "rules_go_plugin/plugin_abi/v1", "goos": "linux"`))
	noPackages := writeFile(t, root, "nopackages.json", []byte(`{"schema": "rules_go_plugin/plugin_abi/v1", "goos": "linux", "goarch": "amd64", "go_version": "go1.26.8"}`))
	otherSchema := writeFile(t, root, "schema.json", []byte(`{"schema": "v0", "packages": {}}`))
	for _, tc := range []struct {
		name  string
		abi   string
		extra []string
		want  string
	}{
		{"malformed ABI file", malformed, nil, "attribute host_abis: host ABI file " + malformed + " is not valid JSON"},
		{"ABI file without packages", noPackages, nil, "has no packages (regenerate it with go_plugin_abi)"},
		{"another schema", otherSchema, nil, `has schema "v0", want "rules_go_plugin/plugin_abi/v1"`},
		{"wrong platform", abiPath, []string{"-goos", "linux", "-goarch", "riscv64"}, "plugin //plugins:plug is built for linux/riscv64, the host for " + runtime.GOOS + "/" + runtime.GOARCH + "; it cannot load."},
		{"another Go version", abiPath, []string{"-go_version", "1.27.3"}, "plugin //plugins:plug is built with Go go1.27.3, the host with " + runtime.Version()},
		{"another Go version: the fix names go_plugin_releases", abiPath, []string{"-go_version", "1.27.3"}, `go_plugin_releases builds one plugin per host release with sdk_versions = {"<release>": "` + strings.TrimPrefix(runtime.Version(), "go") + `"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stderr := check(t, tc.abi, tc.extra, v1)
			if code != 1 || !strings.Contains(stderr, tc.want) || strings.Count(stderr, "go_plugin ") != 1 {
				t.Errorf("exit %d, want 1 and one message containing %q:\n%s", code, tc.want, stderr)
			}
		})
	}

	// Extraction refuses what is no plugin host.
	noPlugin := filepath.Join(root, "noplugin")
	writeFile(t, src, "noplugin/main.go", []byte("package main\n\nimport \"example.com/lib\"\n\nfunc main() { println(lib.Name()) }\n"))
	gobuild(t, "-ldflags=-s -w", "-o", noPlugin, "./noplugin")
	text := writeFile(t, root, "text", []byte("#!/bin/sh\necho not a Go binary\n"))
	for _, tc := range []struct{ name, binary, want string }{
		{"not a Go binary", text, "not an ELF or Mach-O file"},
		{"a stripped binary without plugin support", noPlugin, "has no Go package fingerprints, so no plugin can load into it"},
		{"missing", filepath.Join(root, "missing"), "no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			code := run([]string{"abi", "-binary", tc.binary, "-o", filepath.Join(root, "out.json")}, &stderr)
			if code != 1 || !strings.Contains(stderr.String(), tc.want) || strings.Count(stderr.String(), "pluginhost: ") != 1 {
				t.Errorf("exit %d, want 1 and one error containing %q: %s", code, tc.want, stderr.String())
			}
		})
	}
	var roundTrip hostABI
	if err := json.Unmarshal(data, &roundTrip); err != nil || roundTrip.Schema != abiSchema {
		t.Errorf("ABI file does not decode: %v", err)
	}
}

// TestObjectPlatform reads the platform of executables from their headers, for build infos
// without GOOS/GOARCH (rules_go before v0.63): this test's own binary, and files that are not
// executables.
func TestObjectPlatform(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	text := writeFile(t, dir, "text", []byte("not an object file"))
	for _, tc := range []struct {
		name, path, goos, goarch, wantErr string
	}{
		{name: "this test binary", path: self, goos: runtime.GOOS, goarch: runtime.GOARCH},
		{name: "not an object file", path: text, wantErr: "neither an ELF nor a Mach-O file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.wantErr == "" && runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
				t.Skip("neither ELF nor Mach-O here")
			}
			goos, goarch, err := objectPlatform(tc.path)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("objectPlatform = %v, want an error containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || goos != tc.goos || goarch != tc.goarch {
				t.Errorf("objectPlatform = %s/%s, %v; want %s/%s", goos, goarch, err, tc.goos, tc.goarch)
			}
		})
	}
}

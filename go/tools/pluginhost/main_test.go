package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	// Linking package plugin makes this test binary a plugin host (when
	// built with cgo): the check tests use it as the host executable.
	_ "plugin"

	"github.com/rules-go-plugin/rules_go_plugin/go/tools/internal/gofingerprint"
)

// selfHost returns this test binary and its fingerprints, or skips the
// test if it has none (not ELF, or built without cgo).
func selfHost(t *testing.T) (string, map[string]string) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	fps, err := gofingerprint.ReadPackageFingerprints(exe)
	if err != nil {
		t.Skipf("this test binary cannot serve as a plugin host: %v", err)
	}
	return exe, fps
}

// writeFile writes content to name in dir and returns its path.
func writeFile(t *testing.T, dir, name string, content []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, content, 0o666); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunCheck(t *testing.T) {
	exe, host := selfHost(t)
	dir := t.TempDir()
	// A plugin that links some of the host's packages unchanged, and its
	// own main package.
	good := map[string]string{"runtime": host["runtime"], "fmt": host["fmt"], "example.com/good": "0102030405060708"}
	goodPkgs := writeFile(t, dir, "good.packages.txt", gofingerprint.FormatPackages(good))
	bad := map[string]string{"runtime": host["runtime"], "fmt": "ffffffffffffffff", "example.com/bad": "0102030405060708"}
	badPkgs := writeFile(t, dir, "bad.packages.txt", gofingerprint.FormatPackages(bad))
	emptyPkgs := writeFile(t, dir, "empty.packages.txt", nil)
	garbledPkgs := writeFile(t, dir, "garbled.packages.txt", []byte("fmt\n"))
	stampPath := filepath.Join(dir, "check.stamp")
	sh, _ := exec.LookPath("sh")

	for _, tc := range []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr []string // substrings; all must occur
		wantStamp  string   // substring of the stamp; "" if none must be written
	}{
		{
			name:      "ok",
			args:      []string{"-plugin", spec("label=//x:good", "pluginpath=example.com/good", "so=unused.so", "packages="+goodPkgs)},
			wantStamp: "go_plugin_host //x:host: OK: 1 plugin(s) checked against ",
		},
		{
			name:      "ok without plugins",
			wantStamp: "OK: 0 plugin(s)",
		},
		{
			name:     "skew",
			args:     []string{"-plugin", spec("label=//x:good", "pluginpath=example.com/good", "packages="+goodPkgs), "-plugin", spec("packages="+badPkgs, "label=//x:bad", "pluginpath=example.com/bad")},
			wantCode: 1,
			wantStderr: []string{
				`go_plugin_host //x:host: plugin //x:bad (pluginpath example.com/bad) would fail to load ("plugin was built with a different version of package fmt"): 1 package differs between host and plugin:` + "\n  fmt: host " + host["fmt"] + ", plugin ffffffffffffffff\n",
				"\nLikely cause: ", "\nFix: ",
			},
		},
		{
			name:       "pluginpath of a host package",
			args:       []string{"-plugin", spec("label=//x:p", "pluginpath=fmt", "packages="+goodPkgs)},
			wantCode:   1,
			wantStderr: []string{"plugin //x:p has pluginpath fmt, which is also the path of a package linked into the host"},
		},
		{
			name:       "missing packages file",
			args:       []string{"-plugin", spec("label=//x:p", "pluginpath=example.com/p", "packages="+filepath.Join(dir, "missing.txt"))},
			wantCode:   1,
			wantStderr: []string{"pluginhost: plugin //x:p: open ", "missing.txt"},
		},
		{
			name:       "empty packages file",
			args:       []string{"-plugin", spec("label=//x:p", "pluginpath=example.com/p", "packages="+emptyPkgs)},
			wantCode:   1,
			wantStderr: []string{"lists no packages"},
		},
		{
			name:       "garbled packages file",
			args:       []string{"-plugin", spec("label=//x:p", "pluginpath=example.com/p", "packages="+garbledPkgs)},
			wantCode:   1,
			wantStderr: []string{"pluginhost: plugin //x:p: packages file ", `line 1: "fmt": want`},
		},
		{
			name:       "so instead of packages: not a plugin",
			args:       []string{"-plugin", spec("label=//x:p", "pluginpath=example.com/p", "so="+garbledPkgs)},
			wantCode:   1,
			wantStderr: []string{"pluginhost: plugin //x:p: ", "not an ELF or Mach-O file"},
		},
		{
			name:       "spec without packages or so",
			args:       []string{"-plugin", spec("label=//x:p", "pluginpath=example.com/p")},
			wantCode:   2,
			wantStderr: []string{"missing packages (or so)"},
		},
		{
			name:       "spec without pluginpath",
			args:       []string{"-plugin", spec("label=//x:p", "packages=x")},
			wantCode:   2,
			wantStderr: []string{"missing pluginpath"},
		},
		{
			name:       "bad spec",
			args:       []string{"-plugin", `{"lable": "//x:p"}`},
			wantCode:   2,
			wantStderr: []string{`unknown field "lable"`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove(stampPath)
			args := append([]string{"check", "-host", exe, "-host_label", "//x:host", "-o", stampPath}, tc.args...)
			var stderr bytes.Buffer
			code := run(args, &stderr)
			if code != tc.wantCode {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tc.wantCode, stderr.String())
			}
			for _, w := range tc.wantStderr {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr does not contain %q:\n%s", w, stderr.String())
				}
			}
			got, err := os.ReadFile(stampPath)
			switch {
			case tc.wantStamp == "" && err == nil:
				t.Errorf("stamp written on failure:\n%s", got)
			case tc.wantStamp != "" && err != nil:
				t.Errorf("no stamp: %v", err)
			case tc.wantStamp != "" && !strings.Contains(string(got), tc.wantStamp):
				t.Errorf("stamp does not contain %q:\n%s", tc.wantStamp, got)
			}
			if code == 0 && stderr.Len() > 0 {
				t.Errorf("output on success:\n%s", stderr.String())
			}
		})
	}

	t.Run("host without fingerprints", func(t *testing.T) {
		if sh == "" {
			t.Skip("no sh")
		}
		var stderr bytes.Buffer
		code := run([]string{"check", "-host", sh, "-host_label", "//x:host", "-o", stampPath}, &stderr)
		if code != 1 {
			t.Errorf("exit %d, want 1", code)
		}
		for _, w := range []string{
			"go_plugin_host //x:host: the host executable has no Go package fingerprints, so it cannot load plugins",
			`the host does not import package "plugin", or it was linked without cgo`,
			"Fix: make the host depend on the loader library (@rules_go_plugin//go/loader)",
		} {
			if !strings.Contains(stderr.String(), w) {
				t.Errorf("stderr does not contain %q:\n%s", w, stderr.String())
			}
		}
	})
}

func TestRunUsage(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr string
	}{
		{"no subcommand", nil, 2, "pluginhost: missing subcommand (check, check-abi, manifest or abi)"},
		{"unknown subcommand", []string{"link"}, 2, `pluginhost: unknown subcommand "link"`},
		{"help", []string{"help"}, 2, "usage:\n  pluginhost check"},
		{"check -h", []string{"check", "-h"}, 2, "usage:\n  pluginhost check"},
		{"check missing flags", []string{"check", "-plugin", spec("label=//a", "pluginpath=a", "packages=p")}, 2, "pluginhost: missing required flag(s): -host, -host_label, -o"},
		{"manifest missing -o", []string{"manifest"}, 2, "pluginhost: missing required flag(s): -o"},
		{"unknown flag", []string{"manifest", "-x"}, 2, "flag provided but not defined: -x"},
		{"stray argument", []string{"manifest", "-o", "m.json", "extra"}, 2, `unexpected argument "extra"`},
		{"missing params file", []string{"@" + filepath.Join(dir, "nope.params")}, 1, "pluginhost: params file: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			if code := run(tc.args, &stderr); code != tc.wantCode {
				t.Errorf("exit %d, want %d", code, tc.wantCode)
			}
			if !strings.Contains(stderr.String(), tc.wantStderr) {
				t.Errorf("stderr does not contain %q:\n%s", tc.wantStderr, stderr.String())
			}
		})
	}
}

func TestParamsFiles(t *testing.T) {
	dir := t.TempDir()
	so := writeFile(t, dir, "p.so", []byte("plugin bytes"))
	out := filepath.Join(dir, "m.json")
	lines := []string{"-plugin", spec("label=//x:p", "pluginpath=example.com/p", "rlocation=_main/x/p.so", "so="+so), "-o", out}
	for _, tc := range []struct {
		name string
		args func(params string) []string
		file []string
	}{
		{"whole command line", func(p string) []string { return []string{"@" + p} }, append([]string{"manifest"}, lines...)},
		{"after the subcommand", func(p string) []string { return []string{"manifest", "@" + p} }, lines},
		{"plus arguments", func(p string) []string { return []string{"manifest", "@" + p, "-o", out} }, lines[:2]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove(out)
			params := writeFile(t, dir, "args.params", []byte(strings.Join(tc.file, "\n")+"\n"))
			var stderr bytes.Buffer
			if code := run(tc.args(params), &stderr); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), `"pluginpath": "example.com/p"`) {
				t.Errorf("manifest:\n%s", b)
			}
		})
	}
}

func TestUsageErrorIsNotCheckError(t *testing.T) {
	var ce checkError
	if errors.As(usageError{errors.New("x")}, &ce) {
		t.Error("usageError matches checkError")
	}
}

package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// synthetic wraps a BuildModeSupported body in a minimal supported.go.
func synthetic(body string) string {
	return `package platform

func BuildModeSupported(compiler, buildmode, goos, goarch string) bool {
	if compiler == "gccgo" {
		return true
	}
	platform := goos + "/" + goarch
` + body + `
}
`
}

func TestParsePluginPlatforms(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		want    []string
		wantErr string // substring of the expected error; empty means success
	}{
		{
			name: "several platforms",
			src: synthetic(`	switch buildmode {
	case "plugin":
		switch platform {
		case "linux/amd64", "linux/arm64",
			"darwin/arm64",
			"android/386":
			return true
		}
		return false
	default:
		return false
	}`),
			want: []string{"android/386", "darwin/arm64", "linux/amd64", "linux/arm64"},
		},
		{
			name: "other build modes ignored",
			src: synthetic(`	switch buildmode {
	case "archive", "exe":
		return true
	case "c-shared":
		switch platform {
		case "windows/amd64", "wasip1/wasm":
			return true
		}
		return false
	case "c-archive":
		switch goos {
		case "linux":
			return goarch == "amd64"
		}
		return false
	case "plugin":
		switch platform {
		case "freebsd/amd64":
			return true
		}
		return false
	case "shared":
		switch platform {
		case "linux/s390x":
			return true
		}
		return false
	}
	return false`),
			want: []string{"freebsd/amd64"},
		},
		{
			name: "multiple platform cases and inline platform expression",
			src: `package platform

func BuildModeSupported(compiler, buildmode, goos, goarch string) bool {
	switch buildmode {
	case "pie", "plugin":
		switch goos + "/" + goarch {
		case "linux/amd64":
			return true
		case "darwin/amd64", "darwin/arm64":
			return true
		}
		return false
	}
	return false
}
`,
			want: []string{"darwin/amd64", "darwin/arm64", "linux/amd64"},
		},
		{
			name: "missing plugin case",
			src: synthetic(`	switch buildmode {
	case "shared":
		switch platform {
		case "linux/amd64":
			return true
		}
		return false
	}
	return false`),
			wantErr: `no case "plugin"`,
		},
		{
			name:    "missing function",
			src:     "package platform\n\nfunc Other() {}\n",
			wantErr: "function BuildModeSupported not found",
		},
		{
			name: "missing build mode switch",
			src: synthetic(`	if buildmode == "plugin" {
		return platform == "linux/amd64"
	}
	return false`),
			wantErr: "no top-level switch on buildmode",
		},
		{
			name: "non-literal platform",
			src: synthetic(`	const darwin = "darwin/amd64"
	switch buildmode {
	case "plugin":
		switch platform {
		case "linux/amd64", darwin:
			return true
		}
		return false
	}
	return false`),
			wantErr: "non-literal platform expression darwin",
		},
		{
			name: "non-literal concatenated platform",
			src: synthetic(`	switch buildmode {
	case "plugin":
		switch platform {
		case "linux/" + "amd64":
			return true
		}
		return false
	}
	return false`),
			wantErr: `non-literal platform expression "linux/" + "amd64"`,
		},
		{
			name: "switch on goos instead of platform",
			src: synthetic(`	switch buildmode {
	case "plugin":
		switch goos {
		case "linux":
			return true
		}
		return false
	}
	return false`),
			wantErr: "does not start with a switch on goos",
		},
		{
			name: "case not returning true",
			src: synthetic(`	switch buildmode {
	case "plugin":
		switch platform {
		case "linux/amd64":
			return goarch != "arm"
		}
		return false
	}
	return false`),
			wantErr: "does not consist of just return true",
		},
		{
			name: "extra statement",
			src: synthetic(`	switch buildmode {
	case "plugin":
		if goos == "ios" {
			return false
		}
		switch platform {
		case "linux/amd64":
			return true
		}
		return false
	}
	return false`),
			wantErr: "has 3 statements, want 2",
		},
		{
			name: "default clause in platform switch",
			src: synthetic(`	switch buildmode {
	case "plugin":
		switch platform {
		case "linux/amd64":
			return true
		default:
			return true
		}
		return false
	}
	return false`),
			wantErr: "unexpected default clause",
		},
		{
			name: "malformed platform",
			src: synthetic(`	switch buildmode {
	case "plugin":
		switch platform {
		case "linux-amd64":
			return true
		}
		return false
	}
	return false`),
			wantErr: "not of the form goos/goarch",
		},
		{
			name:    "syntax error",
			src:     "package platform\n\nfunc BuildModeSupported(\n",
			wantErr: "parsing supported.go",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parsePluginPlatforms("supported.go", []byte(tt.src))
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("parsePluginPlatforms() = %q, want error containing %q", got, tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parsePluginPlatforms() error = %q, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parsePluginPlatforms() unexpected error: %v", err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("parsePluginPlatforms() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRender(t *testing.T) {
	got, err := render("go1.2.3", []string{"linux/amd64", "darwin/arm64"})
	if err != nil {
		t.Fatal(err)
	}
	want := `# Code generated by tools/allowlistgen from src/internal/platform/supported.go of go1.2.3. DO NOT EDIT.
# Regenerate: go run ./tools/allowlistgen -supported "$(go env GOROOT)/src/internal/platform/supported.go" -out go/private/allowlist.bzl
"""Platforms on which Go supports -buildmode=plugin (internal/platform.BuildModeSupported)."""

PLUGIN_PLATFORMS = [
    "darwin/arm64",
    "linux/amd64",
]
`
	if string(got) != want {
		t.Errorf("render() =\n%s\nwant:\n%s", got, want)
	}
	if _, err := render("", []string{"linux/amd64"}); err == nil {
		t.Error("render with empty version: want error")
	}
	if _, err := render("go1.2.3", nil); err == nil {
		t.Error("render with no platforms: want error")
	}
}

func TestRun(t *testing.T) {
	// A fake SDK layout: <root>/VERSION and <root>/src/internal/platform/supported.go.
	root := t.TempDir()
	supported := filepath.Join(root, filepath.FromSlash(supportedRel))
	if err := os.MkdirAll(filepath.Dir(supported), 0o755); err != nil {
		t.Fatal(err)
	}
	src := synthetic(`	switch buildmode {
	case "plugin":
		switch platform {
		case "linux/arm64", "darwin/amd64":
			return true
		}
		return false
	}
	return false`)
	if err := os.WriteFile(supported, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	// A copy outside any SDK layout, from which no version can be derived.
	loose := filepath.Join(t.TempDir(), "supported.go")
	if err := os.WriteFile(loose, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	bodyOf := func(version string) string {
		b, err := render(version, []string{"darwin/amd64", "linux/arm64"})
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}

	tests := []struct {
		name    string
		version *string // contents of <root>/VERSION; nil means absent
		args    []string
		toFile  bool // pass -out and read the result from there
		want    string
		wantErr string
	}{
		{
			name:    "version from VERSION file to stdout",
			version: ptr("go1.99.1\ntime 2030-01-01T00:00:00Z\n"),
			args:    []string{"-supported", supported},
			want:    bodyOf("go1.99.1"),
		},
		{
			name:    "explicit version overrides VERSION file",
			version: ptr("go1.99.1\n"),
			args:    []string{"-supported", supported, "-go_version", "go1.5.0"},
			want:    bodyOf("go1.5.0"),
		},
		{
			name:   "explicit version without VERSION file, to a new directory",
			args:   []string{"-supported", loose, "-go_version", "go1.5.0"},
			toFile: true,
			want:   bodyOf("go1.5.0"),
		},
		{
			name:    "missing VERSION file",
			args:    []string{"-supported", supported},
			wantErr: "pass -go_version explicitly",
		},
		{
			name:    "not inside an SDK",
			args:    []string{"-supported", loose},
			wantErr: "cannot locate its VERSION file",
		},
		{
			name:    "missing -supported",
			args:    []string{},
			wantErr: "-supported is required",
		},
		{
			name:    "positional arguments",
			args:    []string{"-supported", supported, "extra"},
			wantErr: "unexpected arguments",
		},
		{
			name:    "nonexistent input",
			args:    []string{"-supported", filepath.Join(root, "nope.go")},
			wantErr: "nope.go",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			versionFile := filepath.Join(root, "VERSION")
			if tt.version != nil {
				if err := os.WriteFile(versionFile, []byte(*tt.version), 0o644); err != nil {
					t.Fatal(err)
				}
			} else if err := os.Remove(versionFile); err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			args := tt.args
			out := filepath.Join(t.TempDir(), "new", "dir", "allowlist.bzl")
			if tt.toFile {
				args = append(slices.Clone(args), "-out", out)
			}
			var stdout, stderr bytes.Buffer
			err := run(args, &stdout, &stderr)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("run(%q) error = %v, want error containing %q", args, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("run(%q): %v", args, err)
			}
			got := stdout.String()
			if tt.toFile {
				if stdout.Len() != 0 {
					t.Errorf("run with -out wrote to stdout: %q", got)
				}
				b, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				got = string(b)
			}
			if got != tt.want {
				t.Errorf("run(%q) output =\n%s\nwant:\n%s", args, got, tt.want)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// TestAllowlistUpToDate regenerates the allowlist from the Go SDK's
// supported.go and checks that the committed go/private/allowlist.bzl
// matches it byte for byte.
//
// Under Bazel, ALLOWLIST_BZL and SUPPORTED_GO hold rlocation paths of the
// two files. Under plain `go test`, the committed file is found relative to
// this package and supported.go in the GOROOT of the running toolchain.
func TestAllowlistUpToDate(t *testing.T) {
	bzlPath := locate(t, "ALLOWLIST_BZL", func() string {
		return filepath.Join("..", "..", "go", "private", "allowlist.bzl")
	})
	supportedPath := locate(t, "SUPPORTED_GO", func() string {
		return filepath.Join(goroot(t), filepath.FromSlash(supportedRel))
	})

	src, err := os.ReadFile(supportedPath)
	if err != nil {
		t.Fatal(err)
	}
	platforms, err := parsePluginPlatforms(supportedPath, src)
	if err != nil {
		t.Fatal(err)
	}
	// Derive the version exactly as the tool does without -go_version.
	version, err := sdkGoVersion(supportedPath)
	if err != nil {
		t.Fatal(err)
	}
	want, err := render(version, platforms)
	if err != nil {
		t.Fatal(err)
	}

	got, err := os.ReadFile(bzlPath)
	if err != nil {
		t.Fatalf("%v\nGenerate it with:\n\t%s", err, regenerateCmd)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is out of date with %s (%s)%s\nRegenerate it from the repository root with:\n\t%s\n--- got ---\n%s--- want ---\n%s",
			bzlPath, supportedPath, version, firstDifference(got, want), regenerateCmd, got, want)
	}
}

// locate returns the file named by the rlocation path in env var key,
// resolved against the runfiles root, or fallback() if key is unset.
func locate(t *testing.T, key string, fallback func() string) string {
	t.Helper()
	rloc := os.Getenv(key)
	if rloc == "" {
		return fallback()
	}
	if filepath.IsAbs(rloc) {
		return rloc
	}
	for _, dirVar := range []string{"RUNFILES_DIR", "TEST_SRCDIR"} {
		if dir := os.Getenv(dirVar); dir != "" {
			return filepath.Join(dir, filepath.FromSlash(rloc))
		}
	}
	t.Fatalf("%s=%q is set, but neither RUNFILES_DIR nor TEST_SRCDIR is", key, rloc)
	return ""
}

// goroot returns the GOROOT of the Go toolchain: runtime.GOROOT() if it
// contains supported.go, otherwise the output of `go env GOROOT`.
func goroot(t *testing.T) string {
	t.Helper()
	//lint:ignore SA1019 runtime.GOROOT is exactly the toolchain used by `go test`; `go env GOROOT` is the fallback.
	if root := runtime.GOROOT(); root != "" {
		if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(supportedRel))); err == nil {
			return root
		}
	}
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("cannot determine GOROOT: runtime.GOROOT() is unusable and `go env GOROOT` failed: %v", err)
	}
	root := strings.TrimSpace(string(out))
	if root == "" {
		t.Fatal("cannot determine GOROOT: `go env GOROOT` printed nothing")
	}
	return root
}

// firstDifference describes the first line at which got and want differ.
func firstDifference(got, want []byte) string {
	g := strings.SplitAfter(string(got), "\n")
	w := strings.SplitAfter(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		gl, wl := "end of file", "end of file"
		if i < len(g) {
			gl = strconv.Quote(g[i])
		}
		if i < len(w) {
			wl = strconv.Quote(w[i])
		}
		if gl != wl {
			return fmt.Sprintf("; first difference at line %d: got %s, want %s", i+1, gl, wl)
		}
	}
	return ""
}

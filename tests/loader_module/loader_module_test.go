// Package loader_module checks that go/loader, a Go module of its own, serves a plain go.mod
// consumer: its go line and its one requirement (rules_go, for the runfiles package) are all
// the consumer takes on, and a host built with `go build` loads a plugin through it. It runs
// outside Bazel, from tests/run_all.sh:
//
//	go test ./tests/loader_module/
//
// The go commands use the machine's Go module proxy for rules_go (its oldest version the
// loader allows, from the loader's go.mod) and a private GOFLAGS/GOWORK-free environment.
package loader_module

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

const loaderModule = "github.com/rules-go-plugin/rules_go_plugin/go/loader"

func loaderDir(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	dir, err := filepath.Abs(filepath.Join(filepath.Dir(file), "..", "..", "go", "loader"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// goCmd runs the go command in dir with the user's module cache and proxy but none of the
// settings that would change what it resolves (GOFLAGS, a go.work, a toolchain switch).
func goCmd(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off", "GOTOOLCHAIN=local", "CGO_ENABLED=1")
	cmd.Env = append(cmd.Env, env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("go %s (in %s): %v\n%s", strings.Join(args, " "), dir, err, out.String())
	}
	return out.String()
}

// goMod is what `go mod edit -json` prints of a go.mod.
type goMod struct {
	Go        string
	Toolchain string
	Require   []struct {
		Path     string
		Indirect bool
	}
}

func readGoMod(t *testing.T, dir string) goMod {
	t.Helper()
	var m goMod
	if err := json.Unmarshal([]byte(goCmd(t, dir, nil, "mod", "edit", "-json")), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestLoaderModuleTests runs the loader module's own tests the way a go.mod consumer compiles
// it: with its go line's semantics (1.21: one loop variable per loop) and the rules_go its
// go.mod requires. Bazel's //go/loader:loader_test compiles the same code with the SDK's.
func TestLoaderModuleTests(t *testing.T) {
	goCmd(t, loaderDir(t), nil, "test", "-count=1", "./...")
}

// TestPlainConsumer: a module at `go 1.22` that requires the loader (through a replace to
// this checkout, as a release tag would resolve) keeps its go line after `go mod tidy`, gains
// only rules_go as an indirect requirement, and its `go build` host loads a `go build`
// plugin through loader.NewFromManifest and OpenFile, calling a symbol of it.
func TestPlainConsumer(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/consumer\n\ngo 1.22\n\nrequire "+loaderModule+" v0.0.0\n\nreplace "+loaderModule+" => "+loaderDir(t)+"\n")
	write("plugin/greet.go", `package main

func Greet(name string) string { return "hello, " + name + ", from a go build plugin" }
`)
	write("host/main.go", `// A host built with go build: loads the plugin a manifest lists through the loader.
package main

import (
	"fmt"
	"os"

	"`+loaderModule+`"
)

func main() {
	l, err := loader.NewFromManifest(os.Args[1])
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	p, err := l.OpenFile(os.Args[2])
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	greet, err := loader.Lookup[func(string) string](p, "Greet")
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	fmt.Println(greet("consumer"))
}
`)
	goCmd(t, dir, nil, "mod", "tidy")

	// The consumer's go line and requirements after tidy.
	mod := readGoMod(t, dir)
	if mod.Go != "1.22" {
		t.Errorf("go mod tidy changed the consumer's go line to %s, want 1.22 (the loader forces its go line on consumers)", mod.Go)
	}
	if mod.Toolchain != "" {
		t.Errorf("go mod tidy added a toolchain line %q", mod.Toolchain)
	}
	var reqs []string
	for _, r := range mod.Require {
		reqs = append(reqs, r.Path)
		if r.Path == "github.com/bazelbuild/rules_go" && !r.Indirect {
			t.Errorf("rules_go is a direct requirement of the consumer")
		}
	}
	slices.Sort(reqs)
	if want := []string{"github.com/bazelbuild/rules_go", loaderModule}; !slices.Equal(reqs, want) {
		t.Errorf("the consumer requires %q after go mod tidy, want %q", reqs, want)
	}

	// What the host compiles beyond the standard library.
	var nonStd []string
	for _, p := range strings.Fields(goCmd(t, dir, nil, "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", "./host")) {
		nonStd = append(nonStd, p)
	}
	slices.Sort(nonStd)
	want := []string{"example.com/consumer/host", "github.com/bazelbuild/rules_go/go/runfiles", loaderModule, loaderModule + "/manifest", loaderModule + "/pin"}
	if !slices.Equal(nonStd, want) {
		t.Errorf("the host compiles %q, want %q", nonStd, want)
	}

	// The host loads the plugin: both built by go build, from one module, so they agree on
	// every package they share.
	so := filepath.Join(dir, "greet.so")
	host := filepath.Join(dir, "host.bin")
	goCmd(t, dir, nil, "build", "-buildmode=plugin", "-o", so, "./plugin")
	goCmd(t, dir, nil, "build", "-o", host, "./host")
	data, err := os.ReadFile(so)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	manifest, err := json.Marshal(map[string]any{"plugins": []map[string]string{{
		"pluginpath": "example.com/consumer/plugin",
		"rlocation":  "consumer/greet.so",
		"sha256":     hex.EncodeToString(sum[:]),
	}}})
	if err != nil {
		t.Fatal(err)
	}
	write("manifest.json", string(manifest))
	out, err := exec.Command(host, filepath.Join(dir, "manifest.json"), so).CombinedOutput()
	if err != nil {
		t.Fatalf("the host: %v\n%s", err, out)
	}
	if got, want := strings.TrimSpace(string(out)), "hello, consumer, from a go build plugin"; got != want {
		t.Errorf("the host printed %q, want %q", got, want)
	}
}

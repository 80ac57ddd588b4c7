// Package lint checks every Starlark file of the repository with buildifier (format and
// lint warnings). It runs outside Bazel, from tests/run_all.sh:
//
//	go test ./tests/lint/
package lint

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// buildifier is pinned to the buildtools version in go.sum (a dependency of gazelle).
const buildifier = "github.com/bazelbuild/buildtools/buildifier@v0.0.0-20250930140053-2eb4fccefb52"

func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// starlarkFiles lists the committed Starlark files, leaving out test data (gazelle's golden
// BUILD files and fixtures are inputs, not code).
func starlarkFiles(t *testing.T, root string) []string {
	t.Helper()
	cmd := exec.Command("git", "ls-files", "--", "*.bzl", "*.bazel", "*BUILD", "*WORKSPACE")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	var files []string
	for _, f := range strings.Fields(string(out)) {
		if !strings.Contains(f, "/testdata/") {
			files = append(files, f)
		}
	}
	if len(files) < 10 {
		t.Fatalf("found only %d Starlark files: %v", len(files), files)
	}
	return files
}

func TestBuildifier(t *testing.T) {
	root := repoRoot(t)
	files := starlarkFiles(t, root)
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"format", []string{"-mode=check"}},
		{"lint", []string{"-lint=warn", "-mode=check"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"run", buildifier}, tc.args...)
			cmd := exec.Command("go", append(args, files...)...)
			cmd.Dir = root
			var out bytes.Buffer
			cmd.Stdout = &out
			cmd.Stderr = &out
			if err := cmd.Run(); err != nil {
				t.Errorf("buildifier %s over %d files: %v\n%s\nFix: go run %s -lint=fix <files>",
					strings.Join(tc.args, " "), len(files), err, out.String(), buildifier)
			}
		})
	}
}

package goplugin_test

// Golden tests: every directory testdata/<case>/ with a WORKSPACE (or MODULE.bazel) file is
// a small repository, laid out as gazelle_generation_test expects (BUILD.in -> BUILD.bazel
// before, BUILD.out expected after; optional arguments.txt, expectedStderr.txt,
// expectedExitCode.txt, expectedStdout.txt).
//
// Two ways to run Gazelle on them, with the same checks:
//   - in-process (default; plain `go test` and the Bazel target //goplugin:goplugin_test):
//     Gazelle's own driver, update.Run, with the Go extension followed by this one, exactly
//     the list a gazelle_binary(languages = [go, goplugin]) is built with;
//   - with -gazelle_binary=RLOCATIONPATH (the Bazel target //goplugin:generation_test): the
//     real gazelle_binary //:gazelle_bin, run as gazelle_generation_test runs it (in the
//     case's root, with BUILD_WORKSPACE_DIRECTORY set); this mode also checks stdout.
//
// The checks are stricter than gazelle_generation_test's: a BUILD file that Gazelle writes
// where no BUILD.out expects one is an error too, and a second run of Gazelle on the result
// must change nothing.
//
// To rewrite the golden files after a deliberate change, in-process:
//
//	UPDATE_SNAPSHOTS=1 go test ./gazelle/goplugin -run TestGeneration
//
// and review the diff.

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bazel-contrib/bazel-gazelle/v2/cmd/gazelle/update"
	"github.com/bazelbuild/bazel-gazelle/language"
	golang "github.com/bazelbuild/bazel-gazelle/language/go"
	"github.com/bazelbuild/rules_go/go/runfiles"

	"github.com/rules-go-plugin/rules_go_plugin/gazelle/goplugin"
)

var gazelleBinary = flag.String("gazelle_binary", "",
	"rlocationpath of a gazelle_binary to run on the test cases instead of running Gazelle in-process")

const testdataDir = "testdata"

// testCases returns the names of the case directories under testdata.
func testCases(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(testdataDir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		for _, marker := range []string{"WORKSPACE", "MODULE.bazel"} {
			if _, err := os.Stat(filepath.Join(testdataDir, e.Name(), marker)); err == nil {
				names = append(names, e.Name())
				break
			}
		}
	}
	if len(names) == 0 {
		t.Fatalf("no test cases in %s", testdataDir)
	}
	return names
}

// runner runs Gazelle in the repository root with the arguments, and returns its stdout,
// stderr and exit code.
type runner func(t *testing.T, root string, args []string) (stdout, stderr string, exit int)

func TestGeneration(t *testing.T) {
	run := runner(runGazelle)
	if *gazelleBinary != "" {
		bin, err := runfiles.Rlocation(*gazelleBinary)
		if err != nil {
			t.Fatalf("gazelle binary %s: %v", *gazelleBinary, err)
		}
		if bin, err = filepath.Abs(bin); err != nil {
			t.Fatal(err)
		}
		run = func(t *testing.T, root string, args []string) (string, string, int) {
			return runBinary(t, bin, root, args)
		}
	}
	for _, name := range testCases(t) {
		t.Run(name, func(t *testing.T) { runCase(t, name, run, *gazelleBinary != "") })
	}
}

// fileSpec is a file of a case: its slash-separated path in the case and its content.
type fileSpec struct {
	path, content string
}

// goldenCase is a case directory read into memory.
type goldenCase struct {
	inputs  []fileSpec // the repository before running Gazelle
	goldens []fileSpec // the BUILD files expected afterwards
	args    []string
	stdout  string
	stderr  string
	exit    int
}

func readCase(t *testing.T, dir string) goldenCase {
	t.Helper()
	var gc goldenCase
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		content, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		switch {
		case rel == "arguments.txt":
			if s := strings.TrimSpace(string(content)); s != "" {
				gc.args = strings.Split(s, "\n")
			}
		case rel == "expectedStderr.txt":
			gc.stderr = string(content)
		case rel == "expectedStdout.txt":
			gc.stdout = string(content)
		case rel == "expectedExitCode.txt":
			if gc.exit, err = strconv.Atoi(strings.TrimSpace(string(content))); err != nil {
				return err
			}
		case strings.HasSuffix(rel, ".in"):
			gc.inputs = append(gc.inputs, fileSpec{path: strings.TrimSuffix(rel, ".in") + ".bazel", content: string(content)})
		case strings.HasSuffix(rel, ".out"):
			gc.goldens = append(gc.goldens, fileSpec{path: strings.TrimSuffix(rel, ".out") + ".bazel", content: string(content)})
		default:
			gc.inputs = append(gc.inputs, fileSpec{path: rel, content: string(content)})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return gc
}

// runGazelle runs Gazelle's driver in-process in the repository root and returns what it
// logged (Gazelle logs warnings and errors to the standard logger; the binary sets the same
// prefix and flags) and its exit code. Stdout is not captured ("").
func runGazelle(_ *testing.T, root string, args []string) (stdout, stderr string, exit int) {
	var buf bytes.Buffer
	prevOut, prevPrefix, prevFlags := log.Writer(), log.Prefix(), log.Flags()
	log.SetOutput(&buf)
	log.SetPrefix("gazelle: ")
	log.SetFlags(0)
	defer func() {
		log.SetOutput(prevOut)
		log.SetPrefix(prevPrefix)
		log.SetFlags(prevFlags)
	}()
	langs := []language.Language{golang.NewLanguage(), goplugin.NewLanguage()}
	err := update.Run(context.Background(), langs, root, args)
	if err != nil && !errors.Is(err, update.ErrDiff) {
		fmt.Fprintf(&buf, "gazelle: %v\n", err)
	}
	if err != nil {
		exit = 1
	}
	return "", buf.String(), exit
}

// runBinary runs a gazelle_binary in the repository root, as gazelle_generation_test does.
func runBinary(t *testing.T, bin, root string, args []string) (stdout, stderr string, exit int) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out, errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "BUILD_WORKSPACE_DIRECTORY="+root)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("running %s: %v", bin, err)
		}
	}
	return out.String(), errOut.String(), cmd.ProcessState.ExitCode()
}

func runCase(t *testing.T, name string, run runner, checkStdout bool) {
	caseDir := filepath.Join(testdataDir, name)
	gc := readCase(t, caseDir)
	root := t.TempDir()
	for _, f := range gc.inputs {
		p := filepath.Join(root, filepath.FromSlash(f.path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(f.content), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	stdout, stderr, exit := run(t, root, gc.args)
	stdout = strings.ReplaceAll(stdout, root, "%WORKSPACEPATH%")
	stderr = strings.ReplaceAll(stderr, root, "%WORKSPACEPATH%")

	update := os.Getenv("UPDATE_SNAPSHOTS") != ""
	if exit != gc.exit {
		t.Errorf("exit code %d, want %d", exit, gc.exit)
	}
	if checkStdout && strings.TrimSpace(stdout) != strings.TrimSpace(gc.stdout) {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, gc.stdout)
	}
	if strings.TrimSpace(stderr) != strings.TrimSpace(gc.stderr) {
		if update {
			writeSnapshot(t, filepath.Join(caseDir, "expectedStderr.txt"), stderr)
		} else {
			t.Errorf("stderr:\n%s\nwant:\n%s", stderr, gc.stderr)
		}
	}

	// Every BUILD file afterwards must be expected: compare the goldens, and report BUILD
	// files Gazelle created where no BUILD.out expects one.
	want := map[string]string{}
	for _, f := range gc.goldens {
		want[f.path] = f.content
	}
	got := readBuildFiles(t, root)
	for _, rel := range sortedKeys(got) {
		content := got[rel]
		golden := strings.TrimSuffix(rel, ".bazel") + ".out"
		w, ok := want[rel]
		delete(want, rel)
		if ok && content == w {
			continue
		}
		if update {
			writeSnapshot(t, filepath.Join(caseDir, filepath.FromSlash(golden)), content)
		} else if !ok {
			t.Errorf("%s: Gazelle wrote a BUILD file, and there is no %s:\n%s", rel, golden, content)
		} else {
			t.Errorf("%s differs from %s; got:\n%s\nwant:\n%s", rel, golden, content, w)
		}
	}
	for rel := range want {
		t.Errorf("%s: expected by a BUILD.out, but Gazelle did not write it", rel)
	}
	if t.Failed() || gc.exit != 0 {
		return
	}

	// Running Gazelle again changes nothing (no rule flips kind back, no duplicate appears).
	if _, stderr, exit := run(t, root, gc.args); exit != 0 {
		t.Errorf("second run: exit code %d; stderr:\n%s", exit, stderr)
	}
	again := readBuildFiles(t, root)
	for _, rel := range sortedKeys(again) {
		if again[rel] != got[rel] {
			t.Errorf("second run changed %s:\n%s", rel, again[rel])
		}
	}
}

// readBuildFiles returns the BUILD.bazel files under root by slash-separated path.
func readBuildFiles(t *testing.T, root string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "BUILD.bazel" {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		content, err := os.ReadFile(path)
		files[filepath.ToSlash(rel)] = string(content)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func writeSnapshot(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("updated %s", path)
}

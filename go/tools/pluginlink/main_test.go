package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rules-go-plugin/rules_go_plugin/go/tools/internal/buildid"
)

// The test binary doubles as the helper itself (to run it as a separate
// process, as Bazel does) and as a fake linker that records how it was
// invoked.
const (
	modeEnv       = "PLUGINLINK_TEST_MODE" // "helper" or "fakelink"
	fakeRecordEnv = "PLUGINLINK_FAKE_RECORD"
	fakeFailEnv   = "PLUGINLINK_FAKE_FAIL"
)

func TestMain(m *testing.M) {
	if isCCWrapper(os.Args[0]) {
		// The C linker wrapper the helper installs (see installCCWrapper).
		if err := runCCWrapper(os.Args[1:]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	switch os.Getenv(modeEnv) {
	case "helper":
		os.Exit(run(os.Args[1:], os.Stderr))
	case "fakelink":
		os.Exit(fakeLink(os.Args[1:]))
	}
	os.Exit(m.Run())
}

// fakeRecord is what the fake linker saw.
type fakeRecord struct {
	Dir       string
	Args      []string
	GOROOT    string
	Importcfg string
}

func fakeLink(args []string) int {
	wd, _ := os.Getwd()
	rec := fakeRecord{Dir: wd, Args: args, GOROOT: os.Getenv("GOROOT")}
	var out string
	for i := 0; i+1 < len(args); i++ {
		switch args[i] {
		case "-importcfg":
			b, err := os.ReadFile(args[i+1])
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 4
			}
			rec.Importcfg = string(b)
		case "-o":
			out = args[i+1]
		}
	}
	b, _ := json.Marshal(rec)
	if err := os.WriteFile(os.Getenv(fakeRecordEnv), b, 0o666); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 4
	}
	if os.Getenv(fakeFailEnv) != "" {
		fmt.Fprintln(os.Stderr, "fake link: boom")
		return 3
	}
	if err := os.WriteFile(out, []byte("not an ELF file"), 0o666); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 4
	}
	return 0
}

type fakeEnv struct {
	root, tmp, out, record string
	args                   []string
}

// setupFake prepares a run of the helper against the fake linker.
func setupFake(t *testing.T) *fakeEnv {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	f := &fakeEnv{
		root:   root,
		tmp:    filepath.Join(root, "tmp"),
		out:    filepath.Join(root, "bazel-out", "pkg", "plug.so"),
		record: filepath.Join(root, "record.json"),
	}
	mkfiles(t, root, "std/fmt.a", "std/runtime/cgo.a", "main.a", "dep.a")
	if err := os.Mkdir(f.tmp, 0o777); err != nil {
		t.Fatal(err)
	}
	t.Chdir(root)                 // the helper runs in Bazel's execroot; -o is relative to it
	t.Setenv(modeEnv, "fakelink") // inherited by the linker process only
	t.Setenv(fakeRecordEnv, f.record)
	t.Setenv("TMPDIR", f.tmp)
	// A target without content build IDs (buildid.Supported), so that the fake linker's
	// output, which is no executable file, is not patched; TestRunContentBuildID sets linux.
	t.Setenv("GOOS", "windows")
	f.args = []string{
		"-link", exe,
		"-goroot", filepath.Join(root, "sdk"),
		"-main", filepath.Join(root, "main.a"),
		"-pluginpath", "example.com/plug",
		"-arc", "example.com/dep=" + filepath.Join(root, "dep.a"),
		"-stdlib_pkg_dir", filepath.Join(root, "std"),
		"-o", filepath.Join("bazel-out", "pkg", "plug.so"),
		"-extld", "gcc",
		"-extldflag", "-L/a b",
		"-x", "main.V=v",
	}
	return f
}

func (f *fakeEnv) readRecord(t *testing.T) fakeRecord {
	t.Helper()
	b, err := os.ReadFile(f.record)
	if err != nil {
		t.Fatalf("fake linker did not run: %v", err)
	}
	var rec fakeRecord
	if err := json.Unmarshal(b, &rec); err != nil {
		t.Fatal(err)
	}
	return rec
}

func (f *fakeEnv) checkTmpEmpty(t *testing.T) {
	t.Helper()
	ents, err := os.ReadDir(f.tmp)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 0 {
		t.Errorf("temporary files left behind: %v", ents)
	}
}

func TestRunFakeLinker(t *testing.T) {
	f := setupFake(t)
	var stderr bytes.Buffer
	if code := run(f.args, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	rec := f.readRecord(t)

	if want := f.root; rec.Dir != want {
		t.Errorf("linker ran in %s, want %s (the execroot)", rec.Dir, want)
	}
	if rec.GOROOT != linkerGOROOT {
		t.Errorf("linker GOROOT = %q, want %q", rec.GOROOT, linkerGOROOT)
	}
	if len(rec.Args) < 4 || rec.Args[0] != "-o" || rec.Args[1] != "bazel-out/pkg/plug.so" || rec.Args[2] != "-importcfg" {
		t.Fatalf("args = %q, want -o bazel-out/pkg/plug.so -importcfg ... first", rec.Args)
	}
	if !filepath.IsAbs(rec.Args[3]) || !strings.HasPrefix(rec.Args[3], f.tmp) {
		t.Errorf("importcfg %q not an absolute path in TMPDIR", rec.Args[3])
	}
	wantTail := []string{
		"-buildmode=plugin", "-linkmode=external", "-pluginpath", "example.com/plug",
		"-buildid=redacted", "-extld=WRAPPER", "-extldflags='-L/a b'",
		"-X", "example.com/plug.V=v", filepath.Join(f.root, "main.a"),
	}
	got := slices.Clone(rec.Args[4:])
	// The C linker is this helper, run through a symlink in its temporary directory.
	for i, a := range got {
		if extld, ok := strings.CutPrefix(a, "-extld="); ok && strings.HasPrefix(extld, f.tmp) && filepath.Base(extld) == ccWrapperName {
			got[i] = "-extld=WRAPPER"
		}
	}
	if strings.Join(got, "\x00") != strings.Join(wantTail, "\x00") {
		t.Errorf("args after importcfg = %q\nwant %q", rec.Args[4:], wantTail)
	}
	wantCfg := "packagefile example.com/dep=" + filepath.Join(f.root, "dep.a") + "\n" +
		"packagefile example.com/plug=" + filepath.Join(f.root, "main.a") + "\n" +
		"packagefile fmt=" + filepath.Join(f.root, "std/fmt.a") + "\n" +
		"packagefile runtime/cgo=" + filepath.Join(f.root, "std/runtime/cgo.a") + "\n"
	// The build info (buildinfo_test.go checks its content): the plugin's path, no modules.
	cfgLines, modinfo, _ := strings.Cut(rec.Importcfg, "modinfo ")
	if !strings.Contains(modinfo, `path\texample.com/plug\n`) || !strings.Contains(modinfo, `build\t-buildmode=plugin`) {
		t.Errorf("importcfg's modinfo line = %q, want the plugin's path and -buildmode=plugin", modinfo)
	}
	if cfgLines != wantCfg {
		t.Errorf("importcfg =\n%s\nwant\n%s", cfgLines, wantCfg)
	}
	if _, err := os.Stat(f.out); err != nil {
		t.Errorf("output: %v", err)
	}
	f.checkTmpEmpty(t)
}

func TestRunLinkerFailure(t *testing.T) {
	f := setupFake(t)
	t.Setenv(fakeFailEnv, "1")
	var stderr bytes.Buffer
	code := run(f.args, &stderr)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	msg := stderr.String()
	exe, _ := os.Executable()
	for _, want := range []string{
		"pluginlink: link failed (exit status 3):\n",
		"(cd " + shellQuote(f.root) + " && GOROOT=GOROOT " + shellQuote(exe) + " -o bazel-out/pkg/plug.so -importcfg ",
		" '-extldflags='\\''-L/a b'\\''' -X example.com/plug.V=v " + filepath.Join(f.root, "main.a") + ")\n",
		"fake link: boom",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("stderr does not contain %q:\n%s", want, msg)
		}
	}
	f.checkTmpEmpty(t)
}

// TestRunContentBuildID: for a target with content build IDs, the linker gets rules_go's
// placeholder, and the helper patches the output (here: fails to, the fake output is no
// executable file).
func TestRunContentBuildID(t *testing.T) {
	f := setupFake(t)
	t.Setenv("GOOS", "linux")
	var stderr bytes.Buffer
	if code := run(f.args, &stderr); code != 1 || !strings.Contains(stderr.String(), "pluginlink: setting the build ID: ") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
	if rec := f.readRecord(t); !slices.Contains(rec.Args, "-buildid="+buildid.Placeholder) {
		t.Errorf("args %q have no -buildid=%s", rec.Args, buildid.Placeholder)
	}
	f.checkTmpEmpty(t)
}

func TestRunPackagesOutNeedsELF(t *testing.T) {
	f := setupFake(t)
	var stderr bytes.Buffer
	code := run(append(f.args, "-packages_out", filepath.Join(f.root, "pkgs.txt")), &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "pluginlink: -packages_out:") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}

func TestRunConflictDoesNotLink(t *testing.T) {
	f := setupFake(t)
	var stderr bytes.Buffer
	code := run(append(f.args, "-arc", "example.com/dep=/elsewhere/dep.a"), &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "conflicting archives for package example.com/dep") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
	if _, err := os.Stat(f.record); err == nil {
		t.Error("linker ran despite the conflict")
	}
}

func TestRunUsageError(t *testing.T) {
	var stderr bytes.Buffer
	if code := run([]string{"-o", "x.so"}, &stderr); code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	if !strings.HasPrefix(stderr.String(), "pluginlink: missing required flag(s):") {
		t.Errorf("stderr %q", stderr.String())
	}
}

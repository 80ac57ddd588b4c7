// Package faults loads real plugins through the loader and then feeds it broken files (a
// truncated plugin, a replaced one, a C library, the host executable, an unreadable file, a
// directory, a plugin whose init panics): each gives one clear error, nothing broken reaches
// plugin.Open, and the plugins already loaded keep working. It also proves that what is
// loaded is a private copy of the checked bytes, not the file in the runfiles tree.
package faults

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/bazelbuild/rules_go/go/runfiles"
	"github.com/rules-go-plugin/rules_go_plugin/go/loader"
)

const (
	cgoPlugin    = "//tests/core/cgo_plugin"
	sharedPlugin = "//tests/core/shared_cdep_plugin"
	panicPlugin  = "//tests/core/faults/initpanic"
)

// loaded opens the two healthy plugins and returns a check that they still work.
func loaded(t *testing.T, l *loader.Loader) func(t *testing.T) {
	t.Helper()
	cgo, err := l.Open(cgoPlugin)
	if err != nil {
		t.Fatal(err)
	}
	shared, err := l.Open(sharedPlugin)
	if err != nil {
		t.Fatal(err)
	}
	return func(t *testing.T) {
		t.Helper()
		add, err := loader.Lookup[func(int, int) int](cgo, "Add")
		if err != nil || add(2, 40) != 42 {
			t.Errorf("cgo_plugin's Add after the fault: %v", err)
		}
		times, err := loader.Lookup[func(int) int](shared, "AnswerTimes")
		if err != nil || times(2) != 84 {
			t.Errorf("shared_cdep_plugin's AnswerTimes after the fault: %v", err)
		}
		if p, err := l.Open(sharedPlugin); err != nil || p != shared {
			t.Errorf("Open(%s) again = %p, %v; want the loaded plugin", sharedPlugin, p, err)
		}
	}
}

func newLoader(t *testing.T) *loader.Loader {
	t.Helper()
	l, err := loader.New()
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// realPath returns the runfiles file of the manifest entry with the given label.
func realPath(t *testing.T, l *loader.Loader, label string) string {
	t.Helper()
	for _, e := range l.Plugins() {
		if e.Label == label || strings.TrimPrefix(e.Label, "@@") == label+":"+filepath.Base(label) {
			p, err := runfiles.Rlocation(e.RlocationPath)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
	}
	t.Fatalf("no manifest entry for %s in %+v", label, l.Plugins())
	return ""
}

// TestLoadsAPrivateCopy: the mapped plugin file is the loader's copy in a private directory
// (removed once loaded), not the runfiles file; the copy still finds its shared C library
// through the plugin's $ORIGIN rpath (AnswerTimes calls into libanswer.so).
func TestLoadsAPrivateCopy(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc/self/maps")
	}
	l := newLoader(t)
	check := loaded(t, l)
	check(t)
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Fatal(err)
	}
	orig, err := filepath.EvalSymlinks(realPath(t, l, sharedPlugin))
	if err != nil {
		t.Fatal(err)
	}
	var mapped []string
	for _, line := range strings.Split(string(maps), "\n") {
		if strings.Contains(line, "/shared_cdep_plugin.so") {
			f := strings.Fields(line)
			mapped = append(mapped, strings.Join(f[5:], " "))
		}
	}
	if len(mapped) == 0 {
		t.Fatalf("shared_cdep_plugin.so is not mapped:\n%s", maps)
	}
	for _, m := range mapped {
		if strings.HasPrefix(m, orig) || !strings.Contains(m, "/rules_go_plugin-") || !strings.HasSuffix(m, " (deleted)") {
			t.Errorf("mapped %q; want the loader's removed private copy, not %s", m, orig)
		}
	}
	t.Logf("mapped: %s", mapped[0])
}

// TestFaults opens broken files through a manifest made for them, after two healthy plugins:
// one error each, of the documented kind and words, and the healthy plugins keep working.
func TestFaults(t *testing.T) {
	l := newLoader(t)
	check := loaded(t, l)
	cgoBytes, err := os.ReadFile(realPath(t, l, cgoPlugin))
	if err != nil {
		t.Fatal(err)
	}
	sharedBytes, err := os.ReadFile(realPath(t, l, sharedPlugin))
	if err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	type fault struct {
		name     string
		make     func(t *testing.T, path string) (sha256 string) // writes the file at path
		wantErr  error
		wantText string
	}
	write := func(content []byte) func(t *testing.T, path string) string {
		return func(t *testing.T, path string) string {
			if err := os.WriteFile(path, content, 0o644); err != nil {
				t.Fatal(err)
			}
			return sum(content)
		}
	}
	copyOf := func(src string) func(t *testing.T, path string) string {
		return func(t *testing.T, path string) string {
			b, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			return write(b)(t, path)
		}
	}
	faults := []fault{
		{name: "truncated", make: write(cgoBytes[:len(cgoBytes)/2]),
			wantErr: loader.ErrNotGoPlugin, wantText: "neither an ELF nor a Mach-O file"},
		{name: "replaced after the manifest was written", make: func(t *testing.T, path string) string {
			write(sharedBytes)(t, path)
			return sum(cgoBytes)
		}, wantErr: loader.ErrDigestMismatch, wantText: "the file changed after the host was built, so it was not loaded"},
		{name: "a C library", make: copyOf(findRunfile(t, "libanswer.so")),
			wantErr: loader.ErrNotGoPlugin, wantText: "an ELF shared object without Go package fingerprints"},
		{name: "the host executable", make: copyOf(exe), wantErr: loader.ErrNotGoPlugin, wantText: "not a shared object"},
		{name: "unreadable", make: func(t *testing.T, path string) string {
			if os.Geteuid() == 0 {
				// root reads any file; /proc/self/mem opens, and fails at its first read.
				if err := os.Symlink("/proc/self/mem", path); err != nil {
					t.Fatal(err)
				}
				return sum(nil)
			}
			s := write(cgoBytes)(t, path)
			if err := os.Chmod(path, 0); err != nil {
				t.Fatal(err)
			}
			return s
		}, wantText: "into a private copy: "},
		{name: "a directory", make: func(t *testing.T, path string) string {
			if err := os.Mkdir(path, 0o755); err != nil {
				t.Fatal(err)
			}
			return sum(nil)
		}, wantText: "is a directory, not a plugin file"},
		{name: "missing", make: func(t *testing.T, path string) string { return sum(nil) },
			wantErr: fs.ErrNotExist, wantText: "is it in the host's runfiles?"},
	}
	var entries []loader.Entry
	for _, f := range faults {
		id := strings.ReplaceAll(f.name, " ", "_")
		rloc := "_main/faults/" + id + "/" + id + ".so"
		path := filepath.Join(root, rloc)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		entries = append(entries, loader.Entry{Label: "//faults:" + id, PluginPath: "faults/" + id, RlocationPath: rloc, SHA256: f.make(t, path)})
	}
	manifest := filepath.Join(root, "faults.plugins.json")
	b, err := json.Marshal(map[string]any{"plugins": entries})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(manifest, b, 0o644); err != nil {
		t.Fatal(err)
	}
	rf, err := runfiles.New(runfiles.Directory(root))
	if err != nil {
		t.Fatal(err)
	}
	fl, err := loader.NewFromManifest(manifest, loader.WithRunfiles(rf))
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			p, err := fl.Open(entries[i].PluginPath)
			if err == nil {
				t.Fatalf("opened %s: %+v", f.name, p.Entry())
			}
			if f.wantErr != nil && !errors.Is(err, f.wantErr) {
				t.Errorf("error %v does not wrap %v", err, f.wantErr)
			}
			if !strings.Contains(err.Error(), f.wantText) || strings.Count(err.Error(), "loader: ") != 1 {
				t.Errorf("error %q: want one loader error containing %q", err, f.wantText)
			}
			t.Logf("%v", err)
			check(t)
		})
	}
}

// TestInitPanic: a panic in a plugin's init reaches the caller of Open, on its goroutine, as
// an ordinary panic the host may recover; the plugin is unusable from then on (ErrInitPanicked,
// without running plugin.Open again, which could not load it twice), and the other plugins
// keep working.
func TestInitPanic(t *testing.T) {
	l := newLoader(t)
	check := loaded(t, l)
	var recovered any
	func() {
		defer func() { recovered = recover() }()
		l.Open(panicPlugin)
	}()
	if s, _ := recovered.(string); s != "initpanic: init failed on purpose" {
		t.Errorf("recovered %#v, want the init's panic", recovered)
	}
	for i := 0; i < 2; i++ {
		if _, err := l.Open(panicPlugin); !errors.Is(err, loader.ErrInitPanicked) {
			t.Errorf("Open after the panic: %v, want ErrInitPanicked", err)
		}
	}
	check(t)
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// findRunfile returns the first file of the test's runfiles tree named name.
func findRunfile(t *testing.T, name string) string {
	t.Helper()
	root := os.Getenv("RUNFILES_DIR")
	if root == "" {
		root = os.Getenv("TEST_SRCDIR")
	}
	var found string
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && found == "" && d.Name() == name {
			found = path
		}
		return nil
	})
	if found == "" {
		t.Fatalf("no %s in the runfiles tree %s", name, root)
	}
	return found
}

// Package core loads plugins built by go_plugin with plugin.Open and calls their symbols.
package core

import (
	"bytes"
	"debug/elf"
	"encoding/hex"
	"os"
	"plugin"
	"strings"
	"testing"

	"github.com/bazelbuild/rules_go/go/runfiles"
)

func pluginPath(t *testing.T, name string) string {
	t.Helper()
	path, err := runfiles.Rlocation("_main/tests/core/" + name + "/" + name + ".so")
	if err != nil {
		t.Fatalf("runfiles: %v", err)
	}
	return path
}

func open(t *testing.T, name string) *plugin.Plugin {
	t.Helper()
	path := pluginPath(t, name)
	p, err := plugin.Open(path)
	if err != nil {
		t.Fatalf("plugin.Open(%s): %v", path, err)
	}
	return p
}

func lookup[T any](t *testing.T, p *plugin.Plugin, name string) T {
	t.Helper()
	sym, err := p.Lookup(name)
	if err != nil {
		t.Fatalf("Lookup(%s): %v", name, err)
	}
	v, ok := sym.(T)
	if !ok {
		var want T
		t.Fatalf("%s is a %T, want %T", name, sym, want)
	}
	return v
}

func TestCgoPlugin(t *testing.T) {
	p := open(t, "cgo_plugin")
	for _, tc := range []struct {
		fn   string
		call func(p *plugin.Plugin) int
		want int
	}{
		{"Add", func(p *plugin.Plugin) int { return lookup[func(int, int) int](t, p, "Add")(2, 40) }, 42},
		{"Scale", func(p *plugin.Plugin) int { return lookup[func(int) int](t, p, "Scale")(7) }, 70},
	} {
		if got := tc.call(p); got != tc.want {
			t.Errorf("%s = %d, want %d", tc.fn, got, tc.want)
		}
	}
}

func TestXDefs(t *testing.T) {
	p := open(t, "xdefs_plugin")
	for _, tc := range []struct{ name, want string }{
		{"Version", "1.2.3"},
		{"Channel", "stable"},
	} {
		if got := *lookup[*string](t, p, tc.name); got != tc.want {
			t.Errorf("%s = %q, want %q (set by x_defs)", tc.name, got, tc.want)
		}
	}
	// x_defs for variables that do not exist are ignored, as by go build's -X: the plugin
	// linked, and defines no such variable.
	if sym, err := p.Lookup("NoSuchVariable"); err == nil {
		t.Errorf("x_defs created NoSuchVariable: %v", sym)
	}
}

func TestExternalModuleDependency(t *testing.T) {
	p := open(t, "extdep_plugin")
	got, err := lookup[func(int) (int, error)](t, p, "SumSquares")(4)
	if err != nil || got != 30 {
		t.Errorf("SumSquares(4) = %d, %v; want 30, nil", got, err)
	}
}

func TestDataInPluginRunfiles(t *testing.T) {
	p := open(t, "data_plugin")
	got, err := lookup[func() (string, error)](t, p, "Message")()
	if err != nil || got != "data travels with the plugin\n" {
		t.Errorf("Message() = %q, %v", got, err)
	}
}

// TestStamp checks x_defs with workspace status keys: unstamped, rules_go drops the definition
// (the default stays); under --stamp (tests/cli runs this test so, with --test_env
// E2E_WANT_STAMP set to the status value) the value is substituted.
func TestStamp(t *testing.T) {
	p := open(t, "stamp_plugin")
	want := "unstamped"
	if v := os.Getenv("E2E_WANT_STAMP"); v != "" {
		want = "commit-" + v
	}
	if got := *lookup[*string](t, p, "Commit"); got != want {
		t.Errorf("Commit = %q, want %q", got, want)
	}
	if got := *lookup[*string](t, p, "Plain"); got != "plain" {
		t.Errorf("Plain = %q, want \"plain\"", got)
	}
}

// TestSharedCLibrary loads a plugin linked against a shared C library: the dynamic loader
// finds libanswer.so through the plugin's rpath.
func TestSharedCLibrary(t *testing.T) {
	p := open(t, "shared_cdep_plugin")
	if got := lookup[func(int) int](t, p, "AnswerTimes")(2); got != 84 {
		t.Errorf("AnswerTimes(2) = %d, want 84", got)
	}
}

// noteDesc returns the descriptor of the first note in the named ELF section.
func noteDesc(t *testing.T, f *elf.File, name string) []byte {
	t.Helper()
	s := f.Section(name)
	if s == nil {
		t.Fatalf("no section %s", name)
	}
	b, err := s.Data()
	if err != nil || len(b) < 12 {
		t.Fatalf("section %s: %v (%d bytes)", name, err, len(b))
	}
	namesz := int(f.ByteOrder.Uint32(b[0:]))
	descsz := int(f.ByteOrder.Uint32(b[4:]))
	start := 12 + (namesz+3)&^3
	if start+descsz > len(b) {
		t.Fatalf("section %s: truncated note", name)
	}
	return b[start : start+descsz]
}

// TestBuildIDs checks that each plugin has its own content-derived build IDs, as rules_go
// gives binaries: the Go build ID (what `go tool buildid` prints) is not a constant, and the
// GNU build ID (what debuggers, symbol servers and profilers key on) differs per plugin.
// That they are the same across output bases is checked by tests/remote (byte-identical
// plugins).
func TestBuildIDs(t *testing.T) {
	goIDs := map[string]string{}
	gnuIDs := map[string]string{}
	for _, name := range []string{"cgo_plugin", "data_plugin", "extdep_plugin", "stamp_plugin", "xdefs_plugin"} {
		f, err := elf.Open(pluginPath(t, name))
		if err != nil {
			t.Fatal(err)
		}
		goID := string(bytes.TrimRight(noteDesc(t, f, ".note.go.buildid"), "\x00"))
		gnuID := hex.EncodeToString(noteDesc(t, f, ".note.gnu.build-id"))
		f.Close()
		if goID == "redacted" || strings.Count(goID, "/") != 3 || strings.HasPrefix(goID, "00000000") {
			t.Errorf("%s: Go build ID %q is not content-derived", name, goID)
		}
		if other, ok := goIDs[goID]; ok {
			t.Errorf("%s and %s have the same Go build ID %s", name, other, goID)
		}
		if other, ok := gnuIDs[gnuID]; ok {
			t.Errorf("%s and %s have the same GNU build ID %s", name, other, gnuID)
		}
		// rules_go derives both from one content hash: the GNU ID is its first bytes.
		if h := strings.ReplaceAll(goID, "/", ""); !strings.HasPrefix(h, gnuID) {
			t.Errorf("%s: GNU build ID %s is not the prefix of the Go build ID %s", name, gnuID, goID)
		}
		goIDs[goID], gnuIDs[gnuID] = name, name
	}
}

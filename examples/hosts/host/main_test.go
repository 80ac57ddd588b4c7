package main

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/bazelbuild/rules_go/go/runfiles"
	"github.com/rules-go-plugin/rules_go_plugin/examples/hosts/filter"
	"github.com/rules-go-plugin/rules_go_plugin/go/loader"
)

func TestFiltersLoad(t *testing.T) {
	filters, err := loadFilters()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range filters {
		got[f.Name()] = f.Apply("abc")
	}
	want := map[string]string{"reverse": "cba", "upper": "ABC"}
	if len(got) != len(want) || got["reverse"] != want["reverse"] || got["upper"] != want["upper"] {
		t.Errorf("filters applied to \"abc\" = %v, want %v", got, want)
	}
}

func TestLookupWrongType(t *testing.T) {
	l, err := loader.New()
	if err != nil {
		t.Fatal(err)
	}
	p, err := l.Open("//examples/hosts/plugins/upper")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loader.Lookup[func() string](p, "NewFilter"); !errors.Is(err, loader.ErrSymbolType) {
		t.Errorf("Lookup with the wrong type: err = %v, want ErrSymbolType", err)
	}
	if _, err := loader.Lookup[func() filter.Filter](p, "NoSuchSymbol"); !errors.Is(err, loader.ErrSymbolNotFound) {
		t.Errorf("Lookup of a missing symbol: err = %v, want ErrSymbolNotFound", err)
	}
}

// copyPlugin copies the plugin named pluginpath to a temporary file, changing one byte at
// offset (or none if offset < 0), and returns the copy's path.
func copyPlugin(t *testing.T, l *loader.Loader, pluginpath string, offset int) string {
	t.Helper()
	var rlocation string
	for _, e := range l.Plugins() {
		if e.PluginPath == pluginpath {
			rlocation = e.RlocationPath
		}
	}
	src, err := runfiles.Rlocation(rlocation)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if offset >= 0 {
		b[offset] ^= 0xff
	}
	dst := filepath.Join(t.TempDir(), "copy.so")
	if err := os.WriteFile(dst, b, 0o755); err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestLoaderRefusesFilesOutsideTheManifest(t *testing.T) {
	l, err := loader.New()
	if err != nil {
		t.Fatal(err)
	}
	const reverse = "github.com/rules-go-plugin/rules_go_plugin/examples/hosts/plugins/reverse"
	// A tampered copy (one byte changed near the end, in data the loader never parses).
	tampered := copyPlugin(t, l, reverse, 100)
	if _, err := l.OpenFile(tampered); !errors.Is(err, loader.ErrNotInManifest) {
		t.Errorf("OpenFile(tampered) err = %v, want ErrNotInManifest", err)
	}
	// An unknown file.
	other := filepath.Join(t.TempDir(), "other.so")
	if err := os.WriteFile(other, []byte("not a plugin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := l.OpenFile(other); !errors.Is(err, loader.ErrNotInManifest) {
		t.Errorf("OpenFile(other) err = %v, want ErrNotInManifest", err)
	}
	// An identical copy is in the manifest (by digest) and opens as that plugin.
	if _, err := l.OpenFile(copyPlugin(t, l, reverse, -1)); err != nil {
		t.Errorf("OpenFile(identical copy): %v", err)
	}
}

package manifest

import (
	"reflect"
	"strings"
	"testing"
)

// FuzzParseManifest feeds arbitrary bytes to the manifest parser (the manifest is read at run
// time, from a file in the runfiles tree). It must not panic, and what it accepts must hold
// its promises: unique pluginpaths and labels, 64 lower-case hex digits of SHA-256, entries
// sorted by pluginpath, and the same entries after writing them out and parsing them again.
func FuzzParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := Parse(data)
		if err != nil {
			return
		}
		paths := map[string]bool{}
		for i, e := range entries {
			if e.PluginPath == "" || e.RlocationPath == "" {
				t.Fatalf("entry %d accepted without pluginpath or rlocation: %+v", i, e)
			}
			if len(e.SHA256) != 64 || strings.ToLower(e.SHA256) != e.SHA256 {
				t.Fatalf("entry %d: sha256 %q accepted", i, e.SHA256)
			}
			if paths[e.PluginPath] {
				t.Fatalf("pluginpath %q accepted twice", e.PluginPath)
			}
			paths[e.PluginPath] = true
			if i > 0 && entries[i-1].PluginPath > e.PluginPath {
				t.Fatalf("entries not sorted: %q before %q", entries[i-1].PluginPath, e.PluginPath)
			}
		}
		out, err := Encode(entries)
		if err != nil {
			t.Fatal(err)
		}
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("re-parsing %s: %v", out, err)
		}
		if !reflect.DeepEqual(again, entries) {
			t.Fatalf("round trip: %+v, want %+v", again, entries)
		}
	})
}

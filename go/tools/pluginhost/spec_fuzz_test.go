package main

import (
	"testing"
	"unicode/utf8"
)

// FuzzParseSpec: the -plugin SPEC parser must not panic, and a spec written from any label
// and file name (as the rules' json.encode writes it) parses back into them.
func FuzzParseSpec(f *testing.F) {
	f.Fuzz(func(t *testing.T, raw, label, so string) {
		_, _ = parseSpec(raw)
		if !utf8.ValidString(label) || !utf8.ValidString(so) {
			return // JSON holds text; Bazel labels and paths are UTF-8
		}
		s, err := parseSpec(spec("label="+label, "so="+so))
		if err != nil {
			t.Fatalf("label=%q so=%q: %v", label, so, err)
		}
		if s.label != label || s.so != so {
			t.Fatalf("label=%q so=%q parsed as %+v", label, so, s)
		}
	})
}

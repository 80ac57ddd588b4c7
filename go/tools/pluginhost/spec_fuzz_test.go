package main

import (
	"strings"
	"testing"
)

// FuzzParseSpec: the -plugin SPEC parser must not panic; a spec it accepts has only known,
// non-empty fields; and a spec built from a label and a file name without commas parses back
// into them.
func FuzzParseSpec(f *testing.F) {
	f.Fuzz(func(t *testing.T, spec, label, so string) {
		if s, err := parseSpec(spec); err == nil {
			for _, v := range []string{s.label, s.pluginPath, s.so, s.packages, s.rlocation} {
				if strings.Contains(spec, "=") && v != "" && !strings.Contains(spec, v) {
					t.Fatalf("parseSpec(%q): field %q is not in the spec", spec, v)
				}
			}
		}
		if label == "" || so == "" || strings.Contains(label+so, ",") {
			return
		}
		s, err := parseSpec("label=" + label + ",so=" + so)
		if err != nil {
			t.Fatalf("label=%q so=%q: %v", label, so, err)
		}
		if s.label != label || s.so != so {
			t.Fatalf("label=%q so=%q parsed as %+v", label, so, s)
		}
	})
}

package main

import (
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// FuzzParseArgs feeds arbitrary params files (Bazel's "multiline" format, one argument per
// line) to the helper's argument parser: it must not panic, and a command line it accepts has
// the required flags and absolute paths.
func FuzzParseArgs(f *testing.F) {
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, params string) {
		path := filepath.Join(dir, "link.params")
		if err := os.WriteFile(path, []byte(params), 0o666); err != nil {
			t.Fatal(err)
		}
		c, err := parseArgs([]string{"@" + path}, io.Discard)
		if err != nil {
			return
		}
		if c.pluginPath == "" || c.mainArchive == "" || c.out == "" || c.extld == "" || c.link == "" {
			t.Fatalf("accepted without a required flag: %+v", c)
		}
		for _, p := range append([]string{c.mainArchive, c.out}, c.stamps...) {
			if !filepath.IsAbs(p) {
				t.Fatalf("path %q not made absolute", p)
			}
		}
	})
}

// FuzzQuoteArgs: whatever quoteArgs accepts, cmd/link's parser (splitQuoted, a copy of
// cmd/internal/quoted.Split) must split back into the same arguments. The arguments are the
// input's NUL-separated parts.
func FuzzQuoteArgs(f *testing.F) {
	f.Fuzz(func(t *testing.T, joined string) {
		args := strings.Split(joined, "\x00")
		q, err := quoteArgs(args)
		if err != nil {
			return
		}
		got, err := splitQuoted(q)
		if err != nil {
			t.Fatalf("splitQuoted(%q): %v", q, err)
		}
		if len(got) == 0 && len(args) == 1 && args[0] == "" {
			return
		}
		if !reflect.DeepEqual(got, args) {
			t.Fatalf("quoteArgs(%q) = %q, which splits into %q", args, q, got)
		}
	})
}

// FuzzStampXDef: substitution never panics, and a definition it keeps has no reference left
// in its value to a key it has a value for.
func FuzzStampXDef(f *testing.F) {
	stamps := map[string]string{"STABLE_GIT_COMMIT": "abc", "BUILD_USER": "u"}
	f.Fuzz(func(t *testing.T, def string) {
		got, ok := stampXDef(def, stamps)
		if _, value, _ := strings.Cut(got, "="); ok && strings.Contains(def, "=") && strings.Contains(value, "{STABLE_GIT_COMMIT}") {
			t.Fatalf("stampXDef(%q) = %q keeps a key it has a value for", def, got)
		}
	})
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckMainPackage(t *testing.T) {
	write := tempFileWriter(t)
	mainGo := write("main.go", "// Command x.\npackage main\n")
	otherMain := write("other.go", "package main\n\nfunc f() {}\n")
	lib := write("lib.go", "package greet\n")
	broken := write("broken.go", "pack age\n")
	for _, tc := range []struct {
		name    string
		srcs    []string
		wantErr string
	}{
		{"no sources (nothing to check)", nil, ""},
		{"main", []string{mainGo}, ""},
		{"several main files", []string{mainGo, otherMain}, ""},
		{"library package", []string{lib}, "package greet (" + lib + "), not package main"},
		{"unparsable", []string{broken}, "reading the package clause"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkMainPackage(tc.srcs)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.wantErr)
			}
		})
	}
}

// tempFileWriter returns a function that writes a file into a new temporary directory and
// returns its path.
func tempFileWriter(t *testing.T) func(name, content string) string {
	t.Helper()
	dir := t.TempDir()
	return func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
		return p
	}
}

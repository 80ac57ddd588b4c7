package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestReadStampFiles(t *testing.T) {
	dir := t.TempDir()
	stable := filepath.Join(dir, "stable-status.txt")
	volatile := filepath.Join(dir, "volatile-status.txt")
	if err := os.WriteFile(stable, []byte("STABLE_GIT_COMMIT abc123\nBUILD_EMBED_LABEL\nSTABLE_MSG two words\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(volatile, []byte("BUILD_TIMESTAMP 1700000000\nSTABLE_MSG overridden\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	got, err := readStampFiles([]string{stable, volatile})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"STABLE_GIT_COMMIT": "abc123",
		"BUILD_EMBED_LABEL": "",
		"STABLE_MSG":        "overridden",
		"BUILD_TIMESTAMP":   "1700000000",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, err := readStampFiles([]string{filepath.Join(dir, "missing")}); err == nil || !strings.Contains(err.Error(), "reading stamp file") {
		t.Errorf("missing file: err = %v", err)
	}
}

func TestStampXDef(t *testing.T) {
	stamps := map[string]string{"STABLE_GIT_COMMIT": "abc123", "BUILD_TIMESTAMP": "17", "EMPTY": ""}
	tests := []struct {
		def    string
		want   string
		wantOK bool
	}{
		{"p.V=plain", "p.V=plain", true},
		{"p.V={STABLE_GIT_COMMIT}", "p.V=abc123", true},
		{"p.V=v-{STABLE_GIT_COMMIT}-{BUILD_TIMESTAMP}", "p.V=v-abc123-17", true},
		{"p.V={EMPTY}", "p.V=", true},
		// A key without a value drops the definition (rules_go: the variable keeps its default).
		{"p.V={STABLE_MISSING}", "p.V={STABLE_MISSING}", false},
		{"p.V={STABLE_GIT_COMMIT}{STABLE_MISSING}", "p.V=abc123{STABLE_MISSING}", false},
		// Braces in the name are not references; "{}" is not one either (".+?").
		{"p.V={}", "p.V={}", true},
		{"p.V=a=b", "p.V=a=b", true},
	}
	for _, tt := range tests {
		got, ok := stampXDef(tt.def, stamps)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("stampXDef(%q) = %q, %v; want %q, %v", tt.def, got, ok, tt.want, tt.wantOK)
		}
	}
}

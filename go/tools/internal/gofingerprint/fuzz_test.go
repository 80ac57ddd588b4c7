package gofingerprint

import (
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzReadPackageFingerprints feeds arbitrary files to the ELF and Mach-O readers (they read
// hosts and plugins, which may come from anywhere: go_plugin_host checks prebuilt files too).
// They must not panic, and what they return must be fingerprints: lower-case hex of at most
// maxFingerprintSize bytes, for non-empty package paths.
func FuzzReadPackageFingerprints(f *testing.F) {
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "input")
		if err := os.WriteFile(path, data, 0o666); err != nil {
			t.Fatal(err)
		}
		fps, err := ReadPackageFingerprints(path)
		if err != nil {
			return
		}
		for pkg, fp := range fps {
			b, err := hex.DecodeString(fp)
			if pkg == "" || err != nil || len(b) == 0 || len(b) > maxFingerprintSize || hex.EncodeToString(b) != fp {
				t.Fatalf("package %q: fingerprint %q", pkg, fp)
			}
		}
	})
}

// FuzzParsePackagesFile: the packages file parser must not panic, and what it accepts must
// survive FormatPackages and parsing again unchanged.
func FuzzParsePackagesFile(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		fps, err := ParsePackagesFile(bytes.NewReader(data))
		if err != nil {
			return
		}
		again, err := ParsePackagesFile(bytes.NewReader(FormatPackages(fps)))
		if err != nil {
			t.Fatalf("re-parsing: %v", err)
		}
		if len(fps) == 0 && len(again) == 0 {
			return
		}
		if !reflect.DeepEqual(again, fps) {
			t.Fatalf("round trip: %v, want %v", again, fps)
		}
	})
}

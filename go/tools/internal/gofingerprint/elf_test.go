package gofingerprint

import (
	"debug/elf"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	// Linking package plugin makes this test binary a plugin host (when
	// built with cgo), so it carries fingerprints for all its packages.
	_ "plugin"
)

func requireELF(t *testing.T) {
	t.Helper()
	switch runtime.GOOS {
	case "linux", "freebsd", "netbsd", "openbsd", "dragonfly", "solaris", "illumos":
	default:
		t.Skipf("executables are not ELF on %s", runtime.GOOS)
	}
}

func TestReadPackageFingerprintsHost(t *testing.T) {
	requireELF(t)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	fps, err := ReadPackageFingerprints(exe)
	if errors.Is(err, ErrNoFingerprints) {
		t.Skipf("test binary is not a plugin host (built without cgo?): %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, pkg := range []string{"runtime", "fmt", "plugin", "debug/elf"} {
		fp, ok := fps[pkg]
		if !ok {
			t.Errorf("no fingerprint for %s", pkg)
			continue
		}
		if b, err := hex.DecodeString(fp); err != nil || len(b) != 8 {
			t.Errorf("%s: fingerprint %q is not 8 hex bytes", pkg, fp)
		}
	}

	// .dynsym alone must be enough (stripped hosts and plugins).
	f, err := elf.Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dyn, err := f.DynamicSymbols()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	for _, s := range dyn {
		if strings.HasPrefix(s.Name, SymbolPrefix) {
			n++
		}
	}
	if n != len(fps) {
		t.Errorf(".dynsym has %d fingerprint symbols, total found %d", n, len(fps))
	}
}

func TestReadPackageFingerprintsErrors(t *testing.T) {
	requireELF(t)
	notELF := filepath.Join(t.TempDir(), "x.so")
	if err := os.WriteFile(notELF, []byte("not an ELF file"), 0o666); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		path    string
		noFPErr bool // the error must wrap ErrNoFingerprints
	}{
		{"missing file", filepath.Join(t.TempDir(), "missing.so"), false},
		{"not ELF", notELF, false},
		{"ELF without fingerprints", elfWithoutFingerprints(t), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.path == "" {
				t.Skip("no such file on this machine")
			}
			_, err := ReadPackageFingerprints(tc.path)
			if err == nil {
				t.Fatal("no error")
			}
			if got := errors.Is(err, ErrNoFingerprints); got != tc.noFPErr {
				t.Errorf("errors.Is(%v, ErrNoFingerprints) = %v, want %v", err, got, tc.noFPErr)
			}
			if !strings.Contains(err.Error(), tc.path) {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

// elfWithoutFingerprints returns an ELF executable that is not a Go plugin
// host (a shell), or "" if there is none.
func elfWithoutFingerprints(t *testing.T) string {
	sh, err := exec.LookPath("sh")
	if err != nil {
		return ""
	}
	f, err := elf.Open(sh)
	if err != nil {
		return ""
	}
	f.Close()
	return sh
}

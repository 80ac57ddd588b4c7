package main

import (
	"debug/elf"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func requireELF(t *testing.T) {
	t.Helper()
	switch runtime.GOOS {
	case "linux", "freebsd", "netbsd", "openbsd", "dragonfly", "solaris", "illumos":
	default:
		t.Skipf("executables are not ELF on %s", runtime.GOOS)
	}
}

// The test binary links package plugin (integration_test.go), so it is a
// plugin host and carries fingerprints for all its packages.
func TestReadPackageFingerprintsHost(t *testing.T) {
	requireELF(t)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	fps, err := ReadPackageFingerprints(exe)
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
		if strings.HasPrefix(s.Name, pkghashBytesPrefix) {
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
	if _, err := ReadPackageFingerprints(notELF); err == nil {
		t.Error("non-ELF file: no error")
	}
	if sh, err := exec.LookPath("sh"); err == nil {
		if f, err := elf.Open(sh); err == nil {
			f.Close()
			if _, err := ReadPackageFingerprints(sh); err == nil {
				t.Errorf("%s (not a Go plugin or host): no error", sh)
			}
		}
	}
}

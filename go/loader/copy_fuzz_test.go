package loader

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzObjectFile feeds arbitrary bytes, as the verified copy of a plugin, to the checks the
// loader runs on it before plugin.Open (checkGoPlugin, and originDirs for linkOrigins). They
// must not panic, and every origin directory must be a clean relative path, so that the
// symlinks linkOrigins makes stay inside the private directory.
func FuzzObjectFile(f *testing.F) {
	f.Add([]byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00\x3e\x00"))
	f.Add([]byte("\xcf\xfa\xed\xfe\x07\x00\x00\x01\x03\x00\x00\x00\x08\x00\x00\x00"))
	if exe, err := os.ReadFile(os.Args[0]); err == nil && len(exe) > 4096 {
		f.Add(exe[:4096])
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "p.so")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		_ = checkGoPlugin(path)
		dirs, err := originDirs(path)
		if err != nil {
			return
		}
		for _, d := range dirs {
			if filepath.IsAbs(d.dir) || filepath.Clean(d.dir) != d.dir || strings.ContainsRune(d.dir, 0) {
				t.Fatalf("origin directory %q is not a clean relative path", d.dir)
			}
		}
	})
}

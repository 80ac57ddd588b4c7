// Package offline tests the shell functions of the offline environment's config.sh.
package offline

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// debianMirror runs config.sh's debian_mirror on an apt configuration directory.
func debianMirror(t *testing.T, aptDir string) string {
	t.Helper()
	cmd := exec.Command("bash", "-c", `set -euo pipefail; source ./config.sh; debian_mirror "$1"`, "bash", aptDir)
	// config.sh asks go for GOROOT unless it is given.
	cmd.Env = append(os.Environ(), "HOST_GOROOT=/nonexistent")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("debian_mirror %s: %v\n%s", aptDir, err, out)
	}
	return strings.TrimSpace(string(out))
}

func TestDebianMirror(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string // relative to the apt directory
		want  string
	}{
		{
			name: "deb822 sources, security archive listed too",
			files: map[string]string{"sources.list.d/debian.sources": "Types: deb\n# http://old.example/debian\n" +
				"URIs: http://mirror.example/debian\nSuites: bookworm\n\nTypes: deb\nURIs: http://mirror.example/debian-security\n"},
			want: "http://mirror.example/debian",
		},
		{
			name: "one-line sources.list with options and a trailing slash",
			files: map[string]string{"sources.list": "# deb http://commented.example/debian sid main\n" +
				"deb [arch=amd64 signed-by=/k.gpg] https://m.example/debian/ bookworm main\n"},
			want: "https://m.example/debian",
		},
		{
			name: "the first Debian archive wins; other archives are skipped",
			files: map[string]string{
				"sources.list":                   "deb http://other.example/ubuntu noble main\n",
				"sources.list.d/a.list":          "deb http://first.example/debian sid main\n",
				"sources.list.d/node.sources":    "URIs: https://node.example/node_20.x\n",
				"sources.list.d/z.sources":       "URIs: http://second.example/debian\n",
				"sources.list.d/x.list.disabled": "deb http://disabled.example/debian sid main\n",
			},
			want: "http://first.example/debian",
		},
		{
			name:  "none",
			files: map[string]string{"sources.list.d/node.sources": "URIs: https://node.example/node_20.x\n"},
			want:  "",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range tc.files {
				path := filepath.Join(dir, name)
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if got := debianMirror(t, dir); got != tc.want {
				t.Errorf("debian_mirror = %q, want %q", got, tc.want)
			}
		})
	}
}

package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestForgedRunfiles attacks examples/hosts/host through its environment: a copy of its
// runfiles tree whose manifest lists one plugin, upper's label and pluginpath, with reverse's
// bytes at upper's runfiles path and their true sha256, given to the host as RUNFILES_DIR or
// as RUNFILES_MANIFEST_FILE. The host links its manifest's content (go_plugin_host pins it),
// so it reads none of the forged manifests: it opens its two plugins, finds reverse's bytes
// where upper's should be, and refuses them (loader.ErrDigestMismatch); without the pin it
// would run reverse's filter as upper and exit 0.
func TestForgedRunfiles(t *testing.T) {
	if code, out := bazel(t, "build", "//examples/hosts/host"); code != 0 {
		t.Fatalf("bazel build //examples/hosts/host: exit code %d:\n%s", code, out)
	}
	bin := filepath.Join(repoRoot(t), "bazel-bin", "examples", "hosts", "host")
	const (
		manifestPath = "_main/examples/hosts/host/host_plugins.json"
		upperPath    = "_main/examples/hosts/plugins/upper/upper.so"
		reversePath  = "_main/examples/hosts/plugins/reverse/reverse.so"
	)
	built := filepath.Join(bin, "host.runfiles")
	reverse, err := os.ReadFile(filepath.Join(built, reversePath))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(reverse)
	forgedManifest, err := json.Marshal(map[string]any{"plugins": []map[string]string{{
		"label":      "//examples/hosts/plugins/upper:upper",
		"pluginpath": "github.com/rules-go-plugin/rules_go_plugin/examples/hosts/plugins/upper",
		"rlocation":  upperPath,
		"sha256":     hex.EncodeToString(sum[:]),
	}}})
	if err != nil {
		t.Fatal(err)
	}

	// The forged tree: the real files (copied, so no symlink leads back), then the forgeries.
	forged := t.TempDir()
	if out, err := exec.Command("cp", "-rL", built+"/.", forged).CombinedOutput(); err != nil {
		t.Fatalf("copying the runfiles: %v\n%s", err, out)
	}
	write := func(rel string, b []byte) {
		t.Helper()
		p := filepath.Join(forged, rel)
		os.Remove(p)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(manifestPath, forgedManifest)
	write(upperPath, reverse)
	rfManifest := filepath.Join(t.TempDir(), "MANIFEST")
	var lines []string
	for _, rel := range []string{manifestPath, upperPath, reversePath} {
		lines = append(lines, rel+" "+filepath.Join(forged, rel))
	}
	if err := os.WriteFile(rfManifest, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct{ name, env string }{
		{"RUNFILES_DIR", "RUNFILES_DIR=" + forged},
		{"RUNFILES_MANIFEST_FILE", "RUNFILES_MANIFEST_FILE=" + rfManifest},
		{"RULES_GO_PLUGIN_MANIFEST too", "RUNFILES_DIR=" + forged + "\x00RULES_GO_PLUGIN_MANIFEST=" + manifestPath},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(filepath.Join(bin, "host"), "probe")
			var env []string
			for _, kv := range os.Environ() {
				if !strings.HasPrefix(kv, "RULES_GO_PLUGIN_MANIFEST=") && !strings.HasPrefix(kv, "RUNFILES_") && !strings.HasPrefix(kv, "TEST_SRCDIR=") {
					env = append(env, kv)
				}
			}
			cmd.Env = append(env, strings.Split(tc.env, "\x00")...)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("the host ran with a forged manifest and plugin:\n%s", out)
			}
			want := fmt.Sprintf("plugin //examples/hosts/plugins/upper:upper: plugin file does not match the manifest's sha256: %s has sha256 %s",
				filepath.Join(forged, upperPath), hex.EncodeToString(sum[:]))
			const hint = "the manifest is linked into the host, so neither the runfiles tree nor the environment chooses other plugin files"
			if !strings.Contains(string(out), want) || !strings.Contains(string(out), hint) || strings.Contains(string(out), "eborp") {
				t.Errorf("host output:\n%s\nwant a digest mismatch for upper (%q), and no filter run", out, want)
			}
		})
	}
}

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rules-go-plugin/rules_go_plugin/go/loader"
)

func TestRunManifest(t *testing.T) {
	dir := t.TempDir()
	soA := writeFile(t, dir, "a/a.so", []byte("plugin a"))
	soB := writeFile(t, dir, "b/b.so", []byte("plugin b"))
	out := filepath.Join(dir, "host.plugins.json")
	specA := spec("label=//x/a:a", "pluginpath=example.com/z/a", "rlocation=_main/x/a/a.so", "so="+soA)
	specB := spec("so="+soB, "rlocation=other+/b/b.so", "pluginpath=example.com/b", "label=@other//b:b", "packages=ignored.txt")
	// sha256("plugin a"), sha256("plugin b")
	const wantJSON = `{
  "plugins": [
    {
      "label": "@other//b:b",
      "pluginpath": "example.com/b",
      "rlocation": "other+/b/b.so",
      "sha256": "050ca0d9694e0ea06447eaa683c08f48a8dd388ca70abe8d8264ab2e72685a3e"
    },
    {
      "label": "//x/a:a",
      "pluginpath": "example.com/z/a",
      "rlocation": "_main/x/a/a.so",
      "sha256": "d32bfae99ab564fb0692a945096c0917ad24c85f9fef43413e531e569b76d124"
    }
  ]
}
`
	for _, tc := range []struct {
		name       string
		args       []string
		wantCode   int
		want       string // manifest contents, if wantCode == 0
		wantStderr string
	}{
		{"two plugins, sorted by pluginpath", []string{"-plugin", specA, "-plugin", specB}, 0, wantJSON, ""},
		{"order of -plugin does not matter", []string{"-plugin", specB, "-plugin", specA}, 0, wantJSON, ""},
		{"no plugins", nil, 0, "{\n  \"plugins\": []\n}\n", ""},
		{"missing so file", []string{"-plugin", spec("label=//x:p", "pluginpath=p", "rlocation=_main/p.so", "so="+filepath.Join(dir, "nope.so"))}, 1, "", "pluginhost: plugin //x:p: open "},
		{"absolute rlocation", []string{"-plugin", spec("label=//x:p", "pluginpath=p", "rlocation=/abs/p.so", "so="+soA)}, 1, "", `pluginhost: plugin //x:p: rlocation "/abs/p.so" is absolute; a runfiles path is relative to the runfiles tree`},
		{"unclean rlocation", []string{"-plugin", spec("label=//x:p", "pluginpath=p", "rlocation=_main/./p.so", "so="+soA)}, 1, "", `pluginhost: plugin //x:p: rlocation "_main/./p.so" is not a clean path (want "_main/p.so")`},
		{"missing rlocation", []string{"-plugin", spec("label=//x:p", "pluginpath=p", "so="+soA)}, 2, "", "missing rlocation"},
		{"missing so", []string{"-plugin", spec("label=//x:p", "pluginpath=p", "rlocation=_main/p.so")}, 2, "", "missing so"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove(out)
			var stderr bytes.Buffer
			code := run(append([]string{"manifest", "-o", out}, tc.args...), &stderr)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d: %s", code, tc.wantCode, stderr.String())
			}
			if !strings.Contains(stderr.String(), tc.wantStderr) {
				t.Errorf("stderr does not contain %q:\n%s", tc.wantStderr, stderr.String())
			}
			got, err := os.ReadFile(out)
			if tc.wantCode != 0 {
				if err == nil {
					t.Errorf("manifest written on failure")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("manifest:\n%s\nwant:\n%s", got, tc.want)
			}
			if strings.Contains(string(got), dir) {
				t.Errorf("manifest contains the machine path %s", dir)
			}
		})
	}
}

// The loader library reads what the manifest subcommand writes.
func TestManifestReadByLoader(t *testing.T) {
	dir := t.TempDir()
	soA := writeFile(t, dir, "a.so", []byte("plugin a"))
	soB := writeFile(t, dir, "b.so", []byte("plugin b"))
	out := filepath.Join(dir, "m.json")
	var stderr bytes.Buffer
	if code := run([]string{"manifest", "-o", out,
		"-plugin", spec("label=@@//z:z", "pluginpath=example.com/z", "rlocation=_main/z/z.so", "so="+soA),
		"-plugin", spec("label=@@//b:b", "pluginpath=example.com/b", "rlocation=_main/b/b.so", "so="+soB),
	}, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	l, err := loader.NewFromManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	want := []loader.Entry{
		{Label: "@@//b:b", PluginPath: "example.com/b", RlocationPath: "_main/b/b.so", SHA256: "050ca0d9694e0ea06447eaa683c08f48a8dd388ca70abe8d8264ab2e72685a3e"},
		{Label: "@@//z:z", PluginPath: "example.com/z", RlocationPath: "_main/z/z.so", SHA256: "d32bfae99ab564fb0692a945096c0917ad24c85f9fef43413e531e569b76d124"},
	}
	if got := l.Plugins(); !reflect.DeepEqual(got, want) {
		t.Errorf("loader read %+v\nwant %+v", got, want)
	}
}

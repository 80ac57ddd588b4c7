package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A log as Bazel 7 writes it with --execution_log_json_file: pretty-printed objects, one
// after the other (fields trimmed).
const testLog = `{
  "commandArgs": ["pluginlink", "@params"],
  "remotable": true,
  "cacheable": true,
  "mnemonic": "GoPluginLink",
  "runner": "remote",
  "cacheHit": false,
  "exitCode": 0,
  "remoteCacheable": true,
  "targetLabel": "//p:p"
}{
  "remotable": true,
  "cacheable": true,
  "mnemonic": "GoStdlib",
  "runner": "linux-sandbox",
  "remoteCacheable": true,
  "targetLabel": "@@rules_go~//:stdlib"
}
{
  "remotable": false,
  "cacheable": true,
  "mnemonic": "GoPluginHostCheck",
  "runner": "remote cache hit",
  "remoteCacheable": true,
  "targetLabel": "//h:h"
}
`

func spawnsOf(t *testing.T, log string) []spawn {
	t.Helper()
	s, err := readSpawns(strings.NewReader(log))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestReadSpawns(t *testing.T) {
	s := spawnsOf(t, testLog)
	if len(s) != 3 || s[0].Mnemonic != "GoPluginLink" || s[1].Runner != "linux-sandbox" || s[2].TargetLabel != "//h:h" {
		t.Errorf("got %+v", s)
	}
}

func TestCheckSpawns(t *testing.T) {
	s := spawnsOf(t, testLog)
	l := func(v string) list { x := list{}; x.Set(v); return x }
	for _, tc := range []struct {
		name    string
		c       checks
		min     string
		wantErr string
	}{
		{name: "no checks"},
		{name: "ours remotable", c: checks{ours: l("GoPluginLink")}, min: "GoPluginLink=1"},
		{name: "ours not remotable", c: checks{ours: l("GoPluginLink,GoPluginHostCheck")}, wantErr: "GoPluginHostCheck //h:h: remotable=false"},
		{name: "ours missing", c: checks{ours: l("GoPluginManifest")}, wantErr: "no GoPluginManifest spawn"},
		{name: "remote", c: checks{remote: l("GoPluginLink")}},
		{name: "remote star", c: checks{remote: l("*")}, wantErr: `GoStdlib @@rules_go~//:stdlib: ran on "linux-sandbox"`},
		{name: "hit star except", c: checks{hit: l("*"), except: l("GoStdlib,GoPluginLink")}},
		{name: "nolocal", c: checks{nolocal: l("GoPluginLink,GoPluginHostCheck")}},
		{name: "nolocal star", c: checks{nolocal: l("*")}, wantErr: `GoStdlib @@rules_go~//:stdlib: ran on "linux-sandbox", want "remote" or "remote cache hit"`},
		{name: "hit", c: checks{hit: l("GoPluginLink")}, wantErr: `ran on "remote", want "remote cache hit"`},
		{name: "min", min: "GoPluginLink=2", wantErr: "1 GoPluginLink spawns, want at least 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, p := range []*list{&tc.c.ours, &tc.c.remote, &tc.c.nolocal, &tc.c.hit, &tc.c.except} {
				if *p == nil {
					*p = list{}
				}
			}
			var out strings.Builder
			err := checkSpawns(s, tc.c, tc.min, &out)
			if tc.wantErr == "" && err != nil {
				t.Fatalf("error: %v", err)
			}
			if tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("error %v, want %q", err, tc.wantErr)
			}
			if !strings.Contains(out.String(), "remote cache hits: 1/3") {
				t.Errorf("table:\n%s", out.String())
			}
		})
	}
}

func TestHashAndCompare(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, content string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	write("a/bazel-out/k8-fastbuild-ST-1/bin/p/p.so", "plugin")
	write("b/bazel-out/k8-fastbuild-ST-1/bin/p/p.so", "plugin")
	write("c/bazel-out/k8-fastbuild-ST-2/bin/p/p.so", "plugin built in /root/.cache/x/execroot/_main")
	so := "bazel-out/k8-fastbuild-ST-1/bin/p/p.so"
	var out strings.Builder
	for _, env := range []string{"a", "b"} {
		if err := hashCmd([]string{"-execroot", filepath.Join(dir, env), "-o", filepath.Join(dir, env+".sha256"), "-forbid", "/execroot/", so}, &out); err != nil {
			t.Fatal(err)
		}
	}
	err := hashCmd([]string{"-execroot", filepath.Join(dir, "c"), "-o", filepath.Join(dir, "c.sha256"), "-forbid", "/execroot/",
		"bazel-out/k8-fastbuild-ST-2/bin/p/p.so"}, &out)
	if err == nil || !strings.Contains(err.Error(), `contains "/execroot/"`) {
		t.Errorf("hash of a file with a machine path: error %v", err)
	}
	if err := compareCmd([]string{"a=" + filepath.Join(dir, "a.sha256"), "b=" + filepath.Join(dir, "b.sha256")}, &out); err != nil {
		t.Errorf("compare a b: %v", err)
	}
	// c has another configuration directory: compared by the path below bin/.
	if err := compareCmd([]string{"a=" + filepath.Join(dir, "a.sha256"), "c=" + filepath.Join(dir, "c.sha256")}, &out); err == nil || !strings.Contains(err.Error(), "1 of 1 files differ") {
		t.Errorf("compare a c: error %v, want a difference", err)
	}
	if err := compareCmd([]string{"-want", "differ", "a=" + filepath.Join(dir, "a.sha256"), "c=" + filepath.Join(dir, "c.sha256")}, &out); err != nil {
		t.Errorf("compare -want differ a c: %v", err)
	}
	if !strings.Contains(out.String(), "p/p.so") || !strings.Contains(out.String(), "DIFFERS") {
		t.Errorf("output:\n%s", out.String())
	}
}

func TestDigestsAndOutputs(t *testing.T) {
	dir := t.TempDir()
	logFor := func(name, soHash string) string {
		p := filepath.Join(dir, name)
		content := `{"mnemonic": "GoPluginLink", "runner": "remote", "digest": {"hash": "act1", "sizeBytes": "140"},
  "actualOutputs": [{"path": "bazel-out/k8/bin/p/p.so", "digest": {"hash": "` + soHash + `", "sizeBytes": "10"}}]}
{"mnemonic": "GoCompilePkg", "runner": "remote", "digest": {"hash": "act2", "sizeBytes": "140"},
  "actualOutputs": [{"path": "bazel-out/k8/bin/p/p.a", "digest": {"hash": "` + name + `", "sizeBytes": "10"}}]}
`
		if err := os.WriteFile(p, []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a, b, c := logFor("a.json", "h1"), logFor("b.json", "h1"), logFor("c.json", "h2")
	var out strings.Builder
	if err := digestsCmd([]string{"-mnemonics", "GoPluginLink", a}, &out); err != nil || out.String() != "act1\n" {
		t.Errorf("digests: %q, %v", out.String(), err)
	}
	if err := outputsCmd([]string{"-mnemonics", "GoPluginLink", a, b}, &out); err != nil {
		t.Errorf("outputs a b: %v", err)
	}
	if err := outputsCmd([]string{"-mnemonics", "GoPluginLink", "-min", "2", a, b}, &out); err == nil {
		t.Errorf("outputs -min 2 a b: no error")
	}
	if err := outputsCmd([]string{"-mnemonics", "GoPluginLink", a, c}, &out); err == nil || !strings.Contains(err.Error(), "p.so: h1 vs h2") {
		t.Errorf("outputs a c: error %v", err)
	}
	// GoCompilePkg outputs differ in every log, but are not compared.
	if err := outputsCmd([]string{"-mnemonics", "GoPluginLink,GoPluginManifest", a, b}, &out); err != nil {
		t.Errorf("outputs a b: %v", err)
	}
}

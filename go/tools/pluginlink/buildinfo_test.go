package main

import (
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
)

func TestModinfoLine(t *testing.T) {
	write := tempFileWriter(t)
	meta := func(name, purl string) string { return write(name, `{"label": "//x", "purl": "`+purl+`"}`) }
	c := &config{
		pluginPath:  "example.com/plug",
		mainImports: write("main.imports", "github.com/Kong/go-pdk\nexample.com/local\n"),
		imports: []string{
			"github.com/Kong/go-pdk=" + write("pdk.imports", "github.com/Kong/go-pdk/bridge\n"),
			"github.com/Kong/go-pdk/bridge=" + write("bridge.imports", "github.com/ugorji/go/codec\n"),
			"github.com/ugorji/go/codec=" + write("codec.imports", ""),
			"example.com/unreached=" + write("unreached.imports", ""),
		},
		packageMetadata: []string{
			"github.com/Kong/go-pdk=" + meta("pdk.json", "pkg:golang/github.com/Kong/go-pdk@v0.6.0?checksum=h1%3AKZZ%3D"),
			"github.com/Kong/go-pdk/bridge=" + meta("bridge.json", "pkg:golang/github.com/Kong/go-pdk@v0.6.0?checksum=h1%3AKZZ%3D"),
			"github.com/ugorji/go/codec=" + meta("codec.json", "pkg:golang/github.com/ugorji/go/codec@1.2.1"),
			"example.com/unreached=" + meta("unreached.json", "pkg:golang/example.com/unreached@v9.0.0"),
			"example.com/local=" + meta("local.json", "pkg:generic/local"),
		},
		buildinfoTags: []string{"netgo", "race"},
		linkopts:      []string{"-race"},
	}
	line, err := modinfoLine(c)
	if err != nil {
		t.Fatal(err)
	}
	quoted, ok := strings.CutPrefix(strings.TrimSuffix(line, "\n"), "modinfo ")
	if !ok {
		t.Fatalf("line %q does not start with modinfo", line)
	}
	s, err := strconv.Unquote(quoted)
	if err != nil {
		t.Fatal(err)
	}
	s = strings.TrimSuffix(strings.TrimPrefix(s, buildInfoStart), buildInfoEnd)
	bi, err := debug.ParseBuildInfo(s)
	if err != nil {
		t.Fatalf("%v:\n%s", err, s)
	}
	var deps []string
	for _, d := range bi.Deps {
		deps = append(deps, d.Path+" "+d.Version+" "+d.Sum)
	}
	want := []string{"github.com/Kong/go-pdk v0.6.0 h1:KZZ=", "github.com/ugorji/go/codec v1.2.1 "}
	if strings.Join(deps, "|") != strings.Join(want, "|") {
		t.Errorf("deps = %q, want %q (reached from the main package only, one per module)", deps, want)
	}
	if bi.Path != "example.com/plug" {
		t.Errorf("path = %q, want the pluginpath", bi.Path)
	}
	settings := map[string]string{}
	for _, st := range bi.Settings {
		settings[st.Key] = st.Value
	}
	for k, v := range map[string]string{"-buildmode": "plugin", "-race": "true", "-tags": "netgo", "-trimpath": "true"} {
		if settings[k] != v {
			t.Errorf("setting %s = %q, want %q", k, settings[k], v)
		}
	}
}

func TestModinfoLineWithoutMetadata(t *testing.T) {
	// rules_go before 0.63 gives no imports files: the build info has the path and settings.
	line, err := modinfoLine(&config{pluginPath: "plugin/x/y"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(line, `path\tplugin/x/y\n`) || strings.Contains(line, `dep\t`) {
		t.Errorf("modinfo line = %q", line)
	}
}

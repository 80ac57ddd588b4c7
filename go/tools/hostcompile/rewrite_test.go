package main

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestRewriteArgs(t *testing.T) {
	dirs := map[string]string{
		"fmt":                           "fmt",
		"net":                           "/usr/local/go/src/net",
		"github.com/Kong/go-pdk/bridge": "github.com/Kong/go-pdk@v0.6.0/bridge",
		"example.com/m":                 "/go/pkg/mod/example.com/m@v1.0.0",
	}
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{
			name: "cmd/go std, -trimpath host",
			args: []string{"-o", "x.a", "-trimpath", "$WORK/b001=>", "-p", "fmt", "-std", "/r/goroot/src/fmt/print.go", "/r/goroot/src/fmt/scan.go"},
			want: []string{"-o", "x.a", "-trimpath", "/r/goroot/src/fmt=>fmt;$WORK/b001=>", "-p", "fmt", "-std", "/r/goroot/src/fmt/print.go", "/r/goroot/src/fmt/scan.go"},
		},
		{
			name: "cmd/go std, plain host: $GOROOT as cmd/go writes it",
			args: []string{"-trimpath", "$WORK/b002=>", "-p", "net", "$WORK/b002/_cgo_gotypes.go", "/r/goroot/src/net/net.go"},
			want: []string{"-trimpath", "/r/goroot/src/net=>$GOROOT/src/net;$WORK/b002=>", "-p", "net", "$WORK/b002/_cgo_gotypes.go", "/r/goroot/src/net/net.go"},
		},
		{
			name: "rules_go, relative file, -trimpath= form",
			args: []string{"-p", "github.com/Kong/go-pdk/bridge", "-trimpath=/exec/root", "--", "external/gazelle~~go_deps~com_github_kong_go_pdk/bridge/bridge.go"},
			want: []string{"-p", "github.com/Kong/go-pdk/bridge", "-trimpath=/exec/root/external/gazelle~~go_deps~com_github_kong_go_pdk/bridge=>github.com/Kong/go-pdk@v0.6.0/bridge;/exec/root", "--", "external/gazelle~~go_deps~com_github_kong_go_pdk/bridge/bridge.go"},
		},
		{
			name: "no -trimpath: one is added first",
			args: []string{"-p=example.com/m", "m.go"},
			want: []string{"-trimpath=/exec/root=>/go/pkg/mod/example.com/m@v1.0.0", "-p=example.com/m", "m.go"},
		},
		{
			name: "a package the host does not link is untouched",
			args: []string{"-p", "example.com/other", "-trimpath=/exec/root", "o.go"},
			want: []string{"-p", "example.com/other", "-trimpath=/exec/root", "o.go"},
		},
		{
			name: "not a compile of a package",
			args: []string{"-V=full"},
			want: []string{"-V=full"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := rewriteArgs(tc.args, dirs, "/exec/root")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("rewriteArgs:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestRewriteArgsResponseFile(t *testing.T) {
	dir := t.TempDir()
	rsp := filepath.Join(dir, "gc.rsp")
	if err := os.WriteFile(rsp, []byte("-trimpath\n$WORK/b001=>\n-p\nfmt\n-D\nback\\\\slash\n/g/src/fmt/print.go\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	got, err := rewriteArgs([]string{"-o", "x.a", "@" + rsp}, map[string]string{"fmt": "fmt"}, dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"@" + rsp + ".hostcompile"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	data, err := os.ReadFile(rsp + ".hostcompile")
	if err != nil {
		t.Fatal(err)
	}
	want := "-o\nx.a\n-trimpath\n/g/src/fmt=>fmt;$WORK/b001=>\n-p\nfmt\n-D\nback\\\\slash\n/g/src/fmt/print.go\n"
	if string(data) != want {
		t.Errorf("response file:\n%s\nwant:\n%s", data, want)
	}
}

func TestHostDir(t *testing.T) {
	for _, tc := range []struct{ pkg, recorded, want string }{
		{"fmt", "fmt", "fmt"},
		{"fmt", "/usr/local/go/src/fmt", "$GOROOT/src/fmt"},
		{"internal/abi", "GOROOT/src/internal/abi", "$GOROOT/src/internal/abi"},
		{"example.com/a", "/go/pkg/mod/example.com/a@v1.0.0", "/go/pkg/mod/example.com/a@v1.0.0"},
		{"github.com/x/host/src/fmt", "/proj/src/fmt", "/proj/src/fmt"},
	} {
		if got := hostDir(tc.pkg, tc.recorded); got != tc.want {
			t.Errorf("hostDir(%q, %q) = %q, want %q", tc.pkg, tc.recorded, got, tc.want)
		}
	}
}

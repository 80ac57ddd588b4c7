package gofingerprint

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestReadSourceDirsOfThisBinary(t *testing.T) {
	requireELF(t)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	pkgs := map[string]string{"fmt": "", "debug/elf": "", "internal/synctest": "", "main": ""}
	dirs, err := ReadSourceDirs(exe, pkgs, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	// go test records $GOROOT/src/fmt (expanded by the linker), rules_go GOROOT/src/fmt, a
	// -trimpath build fmt: each ends with the package path.
	for _, pkg := range []string{"fmt", "debug/elf"} {
		if d := dirs[pkg]; !strings.HasSuffix(d, pkg) {
			t.Errorf("source dir of %s = %q, want a directory ending in %q", pkg, d, pkg)
		}
	}
	if _, ok := dirs["main"]; ok {
		t.Errorf("main has a source dir (%q); a plugin never shares the host's main", dirs["main"])
	}
}

func TestInferSourceDirs(t *testing.T) {
	for _, tc := range []struct {
		name     string
		dirs     map[string]string
		packages []string
		modules  map[string]string
		main     string
		want     map[string]string
	}{
		{
			name:     "std under -trimpath",
			dirs:     map[string]string{"fmt": "fmt"},
			packages: []string{"fmt", "internal/synctest"},
			want:     map[string]string{"fmt": "fmt", "internal/synctest": "internal/synctest"},
		},
		{
			name:     "std of a plain build",
			dirs:     map[string]string{"fmt": "/usr/local/go/src/fmt"},
			packages: []string{"fmt", "unique"},
			want:     map[string]string{"fmt": "/usr/local/go/src/fmt", "unique": "/usr/local/go/src/unique"},
		},
		{
			name:     "a module package from its module's root, nested modules apart",
			dirs:     map[string]string{"github.com/x/y/a": "/go/pkg/mod/github.com/x/y@v1.0.0/a", "github.com/x/y/z/b": "github.com/x/y/z@v0.1.0/b"},
			packages: []string{"github.com/x/y/a", "github.com/x/y/c", "github.com/x/y", "github.com/x/y/z/b", "github.com/x/y/z"},
			modules:  map[string]string{"github.com/x/y": "v1.0.0", "github.com/x/y/z": "v0.1.0"},
			want: map[string]string{
				"github.com/x/y/a":   "/go/pkg/mod/github.com/x/y@v1.0.0/a",
				"github.com/x/y/c":   "/go/pkg/mod/github.com/x/y@v1.0.0/c",
				"github.com/x/y":     "/go/pkg/mod/github.com/x/y@v1.0.0",
				"github.com/x/y/z/b": "github.com/x/y/z@v0.1.0/b",
				"github.com/x/y/z":   "github.com/x/y/z@v0.1.0",
			},
		},
		{
			name:     "main module, and a module with no known package stays unknown",
			dirs:     map[string]string{"example.com/host/a": "/proj/a"},
			packages: []string{"example.com/host/a", "example.com/host/b", "example.com/other/p"},
			modules:  map[string]string{"example.com/other": "v1.0.0"},
			main:     "example.com/host",
			want:     map[string]string{"example.com/host/a": "/proj/a", "example.com/host/b": "/proj/b"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pkgs := map[string]string{}
			for _, p := range tc.packages {
				pkgs[p] = ""
			}
			inferSourceDirs(tc.dirs, pkgs, tc.modules, tc.main)
			if !reflect.DeepEqual(tc.dirs, tc.want) {
				t.Errorf("got %v\nwant %v", tc.dirs, tc.want)
			}
		})
	}
}

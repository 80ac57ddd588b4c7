package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// mkfiles creates empty files (and their directories) under root.
func mkfiles(t *testing.T, root string, names ...string) {
	t.Helper()
	for _, n := range names {
		p := filepath.Join(root, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o666); err != nil {
			t.Fatal(err)
		}
	}
}

func TestStdlibArchives(t *testing.T) {
	root := t.TempDir()
	std := filepath.Join(root, "std")
	mkfiles(t, std, "fmt.a", "runtime.a", "runtime/cgo.a", "internal/abi.a", "README", "x/y.go", "notes.a.txt")
	// Bazel sandboxes present inputs as symlinks: a symlinked file and a
	// symlinked directory must both be found.
	mkfiles(t, root, "elsewhere/strings.a", "elsewhere/dir/net/http.a")
	if err := os.Symlink(filepath.Join(root, "elsewhere/strings.a"), filepath.Join(std, "strings.a")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(root, "elsewhere/dir/net"), filepath.Join(std, "net")); err != nil {
		t.Fatal(err)
	}

	got, err := stdlibArchives(std)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"fmt":          filepath.Join(std, "fmt.a"),
		"runtime":      filepath.Join(std, "runtime.a"),
		"runtime/cgo":  filepath.Join(std, "runtime/cgo.a"),
		"internal/abi": filepath.Join(std, "internal/abi.a"),
		"strings":      filepath.Join(std, "strings.a"),
		"net/http":     filepath.Join(std, "net/http.a"),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}

	// The root itself may be a symlink.
	link := filepath.Join(root, "stdlink")
	if err := os.Symlink(std, link); err != nil {
		t.Fatal(err)
	}
	got, err = stdlibArchives(link)
	if err != nil {
		t.Fatal(err)
	}
	if got["runtime/cgo"] != filepath.Join(link, "runtime/cgo.a") || len(got) != len(want) {
		t.Errorf("via symlinked root: got %v", got)
	}

	if _, err := stdlibArchives(filepath.Join(root, "missing")); err == nil || !strings.HasPrefix(err.Error(), "-stdlib_pkg_dir:") {
		t.Errorf("missing dir: err = %v", err)
	}
	if _, err := stdlibArchives(filepath.Join(std, "fmt.a")); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("file as dir: err = %v", err)
	}
}

func TestImportcfgEntries(t *testing.T) {
	root := t.TempDir()
	std := filepath.Join(root, "std")
	mkfiles(t, std, "fmt.a", "errors.a", "runtime/cgo.a")
	mkfiles(t, root, "same.a")
	if err := os.Symlink(filepath.Join(root, "same.a"), filepath.Join(root, "samelink.a")); err != nil {
		t.Fatal(err)
	}

	base := config{
		mainArchive:  "/w/main.a",
		pluginPath:   "example.com/plug",
		stdlibPkgDir: std,
	}
	tests := []struct {
		name     string
		archives []archive
		noStd    bool
		want     map[string]string
		wantErr  []string
	}{
		{
			name:     "std, arcs and main",
			archives: []archive{{"example.com/dep", "/w/dep.a"}},
			want: map[string]string{
				"fmt":              filepath.Join(std, "fmt.a"),
				"errors":           filepath.Join(std, "errors.a"),
				"runtime/cgo":      filepath.Join(std, "runtime/cgo.a"),
				"example.com/dep":  "/w/dep.a",
				"example.com/plug": "/w/main.a",
			},
		},
		{
			name:     "arc overrides std",
			archives: []archive{{"fmt", "/w/myfmt.a"}},
			want: map[string]string{
				"fmt":              "/w/myfmt.a",
				"errors":           filepath.Join(std, "errors.a"),
				"runtime/cgo":      filepath.Join(std, "runtime/cgo.a"),
				"example.com/plug": "/w/main.a",
			},
		},
		{
			name:     "no std dir, std as arcs",
			noStd:    true,
			archives: []archive{{"fmt", "/c/fmt"}, {"runtime", "/c/rt"}},
			want: map[string]string{
				"fmt":              "/c/fmt",
				"runtime":          "/c/rt",
				"example.com/plug": "/w/main.a",
			},
		},
		{
			name:     "duplicate arc with the same file is fine",
			noStd:    true,
			archives: []archive{{"d", "/w/d.a"}, {"d", "/w/d.a"}, {"example.com/plug", "/w/main.a"}},
			want:     map[string]string{"d": "/w/d.a", "example.com/plug": "/w/main.a"},
		},
		{
			name:     "duplicate arc naming the same file through a symlink is fine",
			noStd:    true,
			archives: []archive{{"d", filepath.Join(root, "same.a")}, {"d", filepath.Join(root, "samelink.a")}},
			want:     map[string]string{"d": filepath.Join(root, "same.a"), "example.com/plug": "/w/main.a"},
		},
		{
			name:     "conflicting arcs",
			archives: []archive{{"d", "/w/d1.a"}, {"e", "/w/e.a"}, {"d", "/w/d2.a"}},
			wantErr:  []string{"conflicting archives for package d:", "/w/d1.a", "/w/d2.a"},
		},
		{
			name:     "arc conflicting with main",
			archives: []archive{{"example.com/plug", "/w/other.a"}},
			wantErr:  []string{"-main vs -arc", "example.com/plug", "/w/other.a", "/w/main.a"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base
			c.archives = tt.archives
			if tt.noStd {
				c.stdlibPkgDir = ""
			}
			got, err := importcfgEntries(&c)
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("no error; entries %v", got)
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not mention %q", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v\nwant %v", got, tt.want)
			}
		})
	}
}

func TestFormatImportcfg(t *testing.T) {
	got, err := formatImportcfg(map[string]string{
		"runtime":          "/s/runtime.a",
		"example.com/plug": "/w/main.a",
		"fmt":              "/s/fmt.a",
		"a/b":              "/dir with space/b=c.a",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "packagefile a/b=/dir with space/b=c.a\n" +
		"packagefile example.com/plug=/w/main.a\n" +
		"packagefile fmt=/s/fmt.a\n" +
		"packagefile runtime=/s/runtime.a\n"
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}

	for _, bad := range []string{"/w/new\nline.a", "/w/trailing.a "} {
		if _, err := formatImportcfg(map[string]string{"p": bad}); err == nil {
			t.Errorf("path %q: no error", bad)
		}
	}
}

package main

import (
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// required is a minimal valid command line.
var required = []string{
	"-link", "/sdk/pkg/tool/x/link",
	"-main", "/w/main.a",
	"-pluginpath", "example.com/plug",
	"-o", "/w/out/plug.so",
	"-extld", "gcc",
}

func withRequired(extra ...string) []string {
	return append(append([]string(nil), required...), extra...)
}

func TestParseArgs(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		args  []string
		check func(t *testing.T, c *config)
	}{
		{
			name: "minimal",
			args: withRequired(),
			check: func(t *testing.T, c *config) {
				want := &config{
					link:        "/sdk/pkg/tool/x/link",
					mainArchive: "/w/main.a",
					pluginPath:  "example.com/plug",
					out:         "/w/out/plug.so",
					extld:       "gcc",
				}
				if !reflect.DeepEqual(c, want) {
					t.Errorf("got %+v\nwant %+v", c, want)
				}
			},
		},
		{
			name: "repeated flags keep order",
			args: withRequired(
				"-arc", "a/b=/x/b.a", "-arc=c=/x/c.a",
				"-extldflag", "-Wl,-z,now", "-extldflag", "-L/dir with space",
				"-x", "main.V=1", "-x", "a/b.W=x=y",
				"-linkopt", "-s", "-linkopt", "-w",
			),
			check: func(t *testing.T, c *config) {
				wantArcs := []archive{{"a/b", "/x/b.a"}, {"c", "/x/c.a"}}
				if !reflect.DeepEqual(c.archives, wantArcs) {
					t.Errorf("archives = %v, want %v", c.archives, wantArcs)
				}
				if want := []string{"-Wl,-z,now", "-L/dir with space"}; !reflect.DeepEqual(c.extldflags, want) {
					t.Errorf("extldflags = %q, want %q", c.extldflags, want)
				}
				if want := []string{"main.V=1", "a/b.W=x=y"}; !reflect.DeepEqual(c.xdefs, want) {
					t.Errorf("xdefs = %q, want %q", c.xdefs, want)
				}
				if want := []string{"-s", "-w"}; !reflect.DeepEqual(c.linkopts, want) {
					t.Errorf("linkopts = %q, want %q", c.linkopts, want)
				}
			},
		},
		{
			name: "relative paths become absolute, bare tool names stay",
			args: []string{
				"-goroot", "sdk",
				"-main", "in/main.a",
				"-pluginpath", "p",
				"-o", "out/p.so",
				"-extld", "cc",
				"-arc", "d=in/d.a",
				"-stdlib_pkg_dir", "std",
				"-packages_out", "out/p.txt",
			},
			check: func(t *testing.T, c *config) {
				for _, p := range []struct{ got, want string }{
					{c.goroot, filepath.Join(wd, "sdk")},
					{c.link, filepath.Join(wd, "sdk", "pkg", "tool", runtime.GOOS+"_"+runtime.GOARCH, "link")},
					{c.mainArchive, filepath.Join(wd, "in/main.a")},
					{c.out, filepath.Join(wd, "out/p.so")},
					{c.archives[0].file, filepath.Join(wd, "in/d.a")},
					{c.stdlibPkgDir, filepath.Join(wd, "std")},
					{c.packagesOut, filepath.Join(wd, "out/p.txt")},
					{c.extld, "cc"},
				} {
					if p.got != p.want {
						t.Errorf("got %q, want %q", p.got, p.want)
					}
				}
			},
		},
		{
			name: "relative tool paths become absolute",
			args: []string{
				"-link", "sdk/link", "-extld", "external/cc/cc_wrapper.sh",
				"-main", "/m.a", "-pluginpath", "p", "-o", "/o.so",
			},
			check: func(t *testing.T, c *config) {
				if want := filepath.Join(wd, "sdk/link"); c.link != want {
					t.Errorf("link = %q, want %q", c.link, want)
				}
				if want := filepath.Join(wd, "external/cc/cc_wrapper.sh"); c.extld != want {
					t.Errorf("extld = %q, want %q", c.extld, want)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseArgs(tt.args, io.Discard)
			if err != nil {
				t.Fatalf("parseArgs: %v", err)
			}
			tt.check(t, c)
		})
	}
}

func TestParseArgsErrors(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"nothing", nil, "missing required flag(s): -main, -pluginpath, -o, -extld, -link (or -goroot)"},
		{"no extld", []string{"-link", "l", "-main", "m", "-pluginpath", "p", "-o", "o"}, "missing required flag(s): -extld"},
		{"unknown flag", withRequired("-bogus"), "flag provided but not defined: -bogus"},
		{"positional", withRequired("extra.a"), `unexpected argument "extra.a"`},
		{"arc without =", withRequired("-arc", "a/b"), `want IMPORTPATH=PATH, got "a/b"`},
		{"arc empty path", withRequired("-arc", "a/b="), `want IMPORTPATH=PATH`},
		{"arc empty importpath", withRequired("-arc", "=/x.a"), `want IMPORTPATH=PATH`},
		{"arc space in importpath", withRequired("-arc", "a b=/x.a"), `contains '=' or whitespace`},
		{"bad pluginpath", withRequired("-pluginpath", "a b"), `-pluginpath: import path "a b"`},
		{"x without =", withRequired("-x", "main.V"), `-x "main.V": want importpath.name=value`},
		{"x without dot", withRequired("-x", "V=1"), `-x "V=1": want importpath.name=value`},
		{"x empty name", withRequired("-x", "main.=1"), `want importpath.name=value`},
		{"o is a directory", withRequired("-o", "/"), `must name a file`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseArgs(tt.args, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestExpandParamsFile(t *testing.T) {
	dir := t.TempDir()
	write := func(content string) string {
		f, err := os.CreateTemp(dir, "params")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteString(content); err != nil {
			t.Fatal(err)
		}
		f.Close()
		return f.Name()
	}
	tests := []struct {
		name    string
		content string // params file content; used when args[0] is "@"
		args    []string
		want    []string
	}{
		{"no params file", "", []string{"-o", "x"}, []string{"-o", "x"}},
		{"one per line, final newline", "-o\nout dir/p.so\n-x\nmain.V=a b 'c'\n", []string{"@"}, []string{"-o", "out dir/p.so", "-x", "main.V=a b 'c'"}},
		{"no final newline", "-o\np.so", []string{"@"}, []string{"-o", "p.so"}},
		{"empty line is empty arg", "-x\n\n-o\np.so\n", []string{"@"}, []string{"-x", "", "-o", "p.so"}},
		{"empty file", "", []string{"@"}, nil},
		{"trailing args kept", "-o\np.so\n", []string{"@", "-x", "@v.w=1"}, []string{"-o", "p.so", "-x", "@v.w=1"}},
		{"no quoting or escaping", `-x` + "\n" + `a.b=\'"\n` + "\n", []string{"@"}, []string{"-x", `a.b=\'"\n`}},
		{"nested @ not expanded", "@other\n", []string{"@"}, []string{"@other"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string(nil), tt.args...)
			if len(args) > 0 && args[0] == "@" {
				args[0] = "@" + write(tt.content)
			}
			got, err := expandParamsFile(args)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}

	if _, err := expandParamsFile([]string{"@" + filepath.Join(dir, "missing")}); err == nil || !strings.Contains(err.Error(), "params file:") {
		t.Errorf("missing params file: err = %v", err)
	}
}

func TestParseArgsFromParamsFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "link.params")
	if err := os.WriteFile(p, []byte(strings.Join(withRequired("-x", "main.V=has space"), "\n")+"\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	c, err := parseArgs([]string{"@" + p}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.pluginPath != "example.com/plug" || len(c.xdefs) != 1 || c.xdefs[0] != "main.V=has space" {
		t.Errorf("got %+v", c)
	}
}

package main

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// splitQuoted is a copy of cmd/internal/quoted.Split (Go 1.26), the parser
// cmd/link applies to -extld and -extldflags. It cannot be imported.
func splitQuoted(s string) ([]string, error) {
	isSpaceByte := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
	var f []string
	for len(s) > 0 {
		for len(s) > 0 && isSpaceByte(s[0]) {
			s = s[1:]
		}
		if len(s) == 0 {
			break
		}
		if s[0] == '"' || s[0] == '\'' {
			quote := s[0]
			s = s[1:]
			i := 0
			for i < len(s) && s[i] != quote {
				i++
			}
			if i >= len(s) {
				return nil, fmt.Errorf("unterminated %c string", quote)
			}
			f = append(f, s[:i])
			s = s[i+1:]
			continue
		}
		i := 0
		for i < len(s) && !isSpaceByte(s[i]) {
			i++
		}
		f = append(f, s[:i])
		s = s[i:]
	}
	return f, nil
}

func TestQuoteArgs(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-Wl,-z,now"}, "-Wl,-z,now"},
		{[]string{"-L/a b", "-lfoo"}, "'-L/a b' -lfoo"},
		{[]string{"-DMSG=it's"}, `"-DMSG=it's"`},
		{[]string{`-DMSG="x y"`}, `'-DMSG="x y"'`},
		{[]string{"tab\there", "new\nline"}, "'tab\there' 'new\nline'"},
		{[]string{""}, "''"},
		{[]string{"a", "", "b"}, "a '' b"},
		{[]string{"'quoted'"}, `"'quoted'"`},
		{[]string{"-Wl,--version-script=/ü dir/x.map"}, "'-Wl,--version-script=/ü dir/x.map'"},
		{[]string{"/path with space/gcc"}, "'/path with space/gcc'"},
	}
	for _, tt := range tests {
		got, err := quoteArgs(tt.args)
		if err != nil {
			t.Errorf("quoteArgs(%q): %v", tt.args, err)
			continue
		}
		if got != tt.want {
			t.Errorf("quoteArgs(%q) = %q, want %q", tt.args, got, tt.want)
		}
		back, err := splitQuoted(got)
		if err != nil {
			t.Errorf("split(%q): %v", got, err)
			continue
		}
		if !reflect.DeepEqual(back, tt.args) {
			t.Errorf("round trip of %q: got %q", tt.args, back)
		}
	}

	if _, err := quoteArgs([]string{`both ' and "`}); err == nil {
		t.Error("argument with both quote kinds: no error")
	}
}

func TestRewriteXDef(t *testing.T) {
	const pp = "example.com/plug.v2"
	tests := []struct {
		in, want, wantErr string
	}{
		{in: "main.V=x", want: pp + ".V=x"},
		{in: "main.V=", want: pp + ".V="},
		{in: "main.V=a.b=c", want: pp + ".V=a.b=c"},
		{in: pp + ".V=x", want: pp + ".V=x"},
		{in: "example.com/dep.v1.Name=n", want: "example.com/dep.v1.Name=n"},
		{in: "mainx.V=x", want: "mainx.V=x"},
		{in: "example.com/main.V=x", want: "example.com/main.V=x"},
		{in: "main.V", wantErr: "want importpath.name=value"},
		{in: "V=x", wantErr: "want importpath.name=value"},
		{in: ".V=x", wantErr: "want importpath.name=value"},
		{in: "main.=x", wantErr: "want importpath.name=value"},
	}
	for _, tt := range tests {
		got, err := rewriteXDef(tt.in, pp)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("rewriteXDef(%q): err = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("rewriteXDef(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestLinkerArgs(t *testing.T) {
	c := &config{
		link:        "/sdk/link",
		mainArchive: "/w/main.a",
		pluginPath:  "example.com/plug",
		out:         "/w/out/plug.so",
		extld:       "/cc dir/gcc",
		extldflags:  []string{"-Wl,-z,now", "-L/a b"},
		xdefs:       []string{"main.V=x y", "example.com/dep.W=1", "main.Commit={STABLE_COMMIT}", "main.Unset={NOT_STAMPED}"},
		linkopts:    []string{"-s", "-w"},
	}
	stamps := map[string]string{"STABLE_COMMIT": "abc123"}
	got, err := linkerArgs(c, "/tmp/t/importcfg.link", "out/plug.so", c.extld, "redacted", stamps)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"-o", "out/plug.so",
		"-importcfg", "/tmp/t/importcfg.link",
		"-buildmode=plugin",
		"-linkmode=external",
		"-pluginpath", "example.com/plug",
		"-buildid=redacted",
		"-extld='/cc dir/gcc'",
		"-extldflags=-Wl,-z,now '-L/a b'",
		"-X", "example.com/plug.V=x y",
		"-X", "example.com/dep.W=1",
		"-X", "example.com/plug.Commit=abc123",
		"-s", "-w",
		"/w/main.a",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}

	// Without -extldflag, no -extldflags is passed.
	c.extldflags = nil
	got, err = linkerArgs(c, "cfg", "plug.so", "/tmp/w/pluginlink-cc", "x/y", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range got {
		if strings.HasPrefix(a, "-extldflags") {
			t.Errorf("unexpected %q", a)
		}
	}
	for _, a := range []string{"-buildid=x/y", "-extld=/tmp/w/pluginlink-cc"} {
		if !slices.Contains(got, a) {
			t.Errorf("no %q in %q", a, got)
		}
	}

	c.extldflags = []string{`'"`}
	if _, err := linkerArgs(c, "cfg", "plug.so", c.extld, "redacted", nil); err == nil || !strings.HasPrefix(err.Error(), "-extldflag:") {
		t.Errorf("unquotable flag: err = %v", err)
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"-o":                    "-o",
		"/a/b.so":               "/a/b.so",
		"-extldflags=-L/x '-y'": `'-extldflags=-L/x '\''-y'\'''`,
		"":                      "''",
		"a b":                   "'a b'",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestLinkerEnv(t *testing.T) {
	t.Setenv("GOROOT", "/some/sandbox/external/go_sdk")
	var n int
	for _, kv := range linkerEnv() {
		if strings.HasPrefix(kv, "GOROOT=") {
			n++
			if kv != "GOROOT="+linkerGOROOT {
				t.Errorf("got %s", kv)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d GOROOT entries, want 1", n)
	}
}

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseCopy(t *testing.T) {
	tests := []struct {
		in      string
		want    Copy
		wantErr string
	}{
		{in: "docs/generated/defs.md=docs/defs.md", want: Copy{From: "docs/generated/defs.md", To: "docs/defs.md"}},
		{in: "a", wantErr: "want GENERATED=WORKSPACE_PATH"},
		{in: "=b", wantErr: "want GENERATED=WORKSPACE_PATH"},
		{in: "a=", wantErr: "want GENERATED=WORKSPACE_PATH"},
		{in: "a=/etc/passwd", wantErr: "inside the workspace"},
		{in: "a=../outside.md", wantErr: "inside the workspace"},
		{in: "a=docs/../../outside.md", wantErr: "inside the workspace"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseCopy(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parseCopy(%q) error = %v, want one containing %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("parseCopy(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
			}
		})
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestUpdate(t *testing.T) {
	tests := []struct {
		name      string
		existing  map[string]string // workspace files before
		check     bool
		wantOut   string
		wantErr   string
		wantFiles map[string]string // workspace files after
	}{
		{
			name:      "creates missing files",
			wantOut:   "docs/a.md: updated\ndocs/sub/b.md: updated\n",
			wantFiles: map[string]string{"docs/a.md": "new a", "docs/sub/b.md": "new b"},
		},
		{
			name:      "rewrites only what differs",
			existing:  map[string]string{"docs/a.md": "old a", "docs/sub/b.md": "new b"},
			wantOut:   "docs/a.md: updated\ndocs/sub/b.md: up to date\n",
			wantFiles: map[string]string{"docs/a.md": "new a", "docs/sub/b.md": "new b"},
		},
		{
			name:      "check reports stale files and writes nothing",
			existing:  map[string]string{"docs/a.md": "old a", "docs/sub/b.md": "new b"},
			check:     true,
			wantOut:   "docs/a.md: stale\ndocs/sub/b.md: up to date\n",
			wantErr:   "stale: docs/a.md",
			wantFiles: map[string]string{"docs/a.md": "old a", "docs/sub/b.md": "new b"},
		},
		{
			name:      "check passes when up to date",
			existing:  map[string]string{"docs/a.md": "new a", "docs/sub/b.md": "new b"},
			check:     true,
			wantOut:   "docs/a.md: up to date\ndocs/sub/b.md: up to date\n",
			wantFiles: map[string]string{"docs/a.md": "new a", "docs/sub/b.md": "new b"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gen, root := t.TempDir(), t.TempDir()
			write(t, filepath.Join(gen, "a.md"), "new a")
			write(t, filepath.Join(gen, "b.md"), "new b")
			for p, c := range tt.existing {
				write(t, filepath.Join(root, p), c)
			}
			copies := []Copy{
				{From: filepath.Join(gen, "a.md"), To: "docs/a.md"},
				{From: filepath.Join(gen, "b.md"), To: "docs/sub/b.md"},
			}
			var out bytes.Buffer
			err := update(root, copies, tt.check, &out)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("update() error = %v, want one containing %q", err, tt.wantErr)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if out.String() != tt.wantOut {
				t.Errorf("output =\n%s\nwant\n%s", out.String(), tt.wantOut)
			}
			for p, want := range tt.wantFiles {
				if got := read(t, filepath.Join(root, p)); got != want {
					t.Errorf("%s = %q, want %q", p, got, want)
				}
			}
		})
	}
}

func TestUpdateMissingGenerated(t *testing.T) {
	err := update(t.TempDir(), []Copy{{From: filepath.Join(t.TempDir(), "nope.md"), To: "docs/nope.md"}}, false, &bytes.Buffer{})
	if err == nil {
		t.Fatal("update() of a missing generated file succeeded")
	}
}

func TestRunErrors(t *testing.T) {
	noEnv := func(string) string { return "" }
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{name: "no command", args: nil, wantErr: "usage: docgen"},
		{name: "unknown command", args: []string{"render"}, wantErr: `unknown command "render"`},
		{name: "page without -out", args: []string{"page", "x.binaryproto"}, wantErr: "want -out FILE"},
		{name: "page with a bad -macro", args: []string{"page", "-macro", "m", "-out", "o", "x"}, wantErr: `"m": want KEY=VALUE`},
		{name: "page with a -macro twice", args: []string{"page", "-macro", "m=r", "-macro", "m=s", "-out", "o", "x"}, wantErr: "macro m given twice"},
		{name: "page of a missing file", args: []string{"page", "-out", "o", "/nonexistent.binaryproto"}, wantErr: "no such file"},
		{name: "index without pages", args: []string{"index", "-out", "o"}, wantErr: "want -out FILE and PAGE.md=SUMMARY.json"},
		{name: "update without files", args: []string{"update"}, wantErr: "want GENERATED=WORKSPACE_PATH"},
		{name: "update outside bazel run", args: []string{"update", "a=b"}, wantErr: "BUILD_WORKSPACE_DIRECTORY is not set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(tt.args, &bytes.Buffer{}, noEnv)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("run(%q) error = %v, want one containing %q", tt.args, err, tt.wantErr)
			}
		})
	}
}

// TestRunCommands runs page, index and update on an encoded module, as the //docs targets do.
func TestRunCommands(t *testing.T) {
	dir := t.TempDir()
	module := concat(
		pbString(5, "Public API."),
		pbString(6, "//go:defs.bzl"),
		pbMsg(3, pbString(1, "my_macro"), pbString(3, "Declares it."),
			pbMsg(2, pbString(1, "name"), pbVarint(4, 1)), pbMsg(2, pbString(1, "kwargs"))),
	)
	rules := pbMsg(1, pbString(1, "my_rule"), pbString(2, "The rule."),
		pbMsg(3, pbString(1, "name"), pbVarint(3, uint64(AttrName)), pbVarint(4, 1)),
		pbMsg(3, pbString(1, "internal"), pbVarint(3, uint64(AttrLabel))),
		pbMsg(3, pbString(1, "srcs"), pbVarint(3, uint64(AttrLabelList)), pbString(6, "[]")))
	write(t, filepath.Join(dir, "defs.binaryproto"), string(module))
	write(t, filepath.Join(dir, "rules.binaryproto"), string(rules))
	md, js, index := filepath.Join(dir, "defs.md"), filepath.Join(dir, "defs.json"), filepath.Join(dir, "README.md")

	if err := run([]string{
		"page", "-out", md, "-summary_out", js, "-load", "@x//go:defs.bzl",
		"-rules", filepath.Join(dir, "rules.binaryproto"),
		"-macro", "my_macro=my_rule", "-set_by_macro", "my_rule=internal",
		filepath.Join(dir, "defs.binaryproto"),
	}, &bytes.Buffer{}, nil); err != nil {
		t.Fatal(err)
	}
	if page := read(t, md); !strings.Contains(page, "my_macro(name, srcs, **kwargs)") || !strings.Contains(page, "Set by the macro: `internal`.") {
		t.Errorf("page:\n%s", page)
	}
	var sum Summary
	if err := json.Unmarshal([]byte(read(t, js)), &sum); err != nil {
		t.Fatal(err)
	}
	if want := []Entry{{Name: "my_macro", Kind: "macro", Anchor: "my_macro", Summary: "Declares it."}}; !reflect.DeepEqual(sum.Entries, want) {
		t.Errorf("summary entries = %+v, want %+v", sum.Entries, want)
	}

	if err := run([]string{"index", "-out", index, "-title", "Ref", "defs.md=" + js}, &bytes.Buffer{}, nil); err != nil {
		t.Fatal(err)
	}
	if got := read(t, index); !strings.Contains(got, "# Ref\n") || !strings.Contains(got, "| [`my_macro`](defs.md#my_macro) | macro | Declares it. |") {
		t.Errorf("index:\n%s", got)
	}

	// update, as under `bazel run`: relative generated paths, the workspace from the environment.
	ws := t.TempDir()
	t.Chdir(dir)
	env := func(k string) string {
		if k == "BUILD_WORKSPACE_DIRECTORY" {
			return ws
		}
		return ""
	}
	var out bytes.Buffer
	if err := run([]string{"update", "defs.md=docs/defs.md", "README.md=docs/README.md"}, &out, env); err != nil {
		t.Fatal(err)
	}
	if got, want := read(t, filepath.Join(ws, "docs", "defs.md")), read(t, md); got != want {
		t.Errorf("docs/defs.md differs from the generated page")
	}
	if err := run([]string{"update", "-check", "defs.md=docs/defs.md", "README.md=docs/README.md"}, &out, env); err != nil {
		t.Errorf("update -check after update: %v", err)
	}
}

package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestProgramPackage(t *testing.T) {
	dir := t.TempDir()
	src := func(name, pkg string) string {
		return writeFile(t, dir, name, []byte("// A comment.\n\n//go:build linux\n\npackage "+pkg+"\n\nfunc f() {}\n"))
	}
	main, lib, libTest, other := src("main.go", "main"), src("lib.go", "lib"), src("lib_test.go", "lib_test"), src("x_test.go", "x_test")
	bad := writeFile(t, dir, "bad.go", []byte("not Go"))
	for _, tc := range []struct {
		name    string
		files   []string
		want    string
		wantErr string
	}{
		{"go_binary", []string{main}, "main", ""},
		{"go_test: the package under test, also after external test files", []string{libTest, lib}, "lib", ""},
		{"go_test with only external test files", []string{libTest, other}, "lib_test", ""},
		{"non-Go files are skipped", []string{filepath.Join(dir, "x.c"), main}, "main", ""},
		{"no Go file", []string{filepath.Join(dir, "x.s")}, "", "no Go source file among the program's sources"},
		{"unreadable package clause", []string{bad}, "", "reading the package clause of the program's source"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := programPackage(tc.files)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("programPackage = %q, %v; want an error containing %q", got, err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("programPackage = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// TestPinSources: the generated files are Go source of the right packages; the pin package
// passes the manifest, byte for byte, to pin.Set in its init, and the program's
// file imports the pin package.
func TestPinSources(t *testing.T) {
	manifest := []byte("{\n  \"plugins\": [\"`quotes` \\\" and\\nnewlines\"]\n}\n")
	lib, err := parser.ParseFile(token.NewFileSet(), "pin.go", pinLibrarySource(manifest), parser.ParseComments)
	if err != nil {
		t.Fatalf("pin library: %v\n%s", err, pinLibrarySource(manifest))
	}
	if lib.Name.Name != "rulesgopluginpin" || len(lib.Imports) != 1 || lib.Imports[0].Path.Value != strconv.Quote(pinImportPath) {
		t.Errorf("pin library: package %s, imports %v", lib.Name.Name, lib.Imports)
	}
	var arg string
	ast.Inspect(lib, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Set" && len(call.Args) == 1 {
				arg, _ = strconv.Unquote(call.Args[0].(*ast.BasicLit).Value)
			}
		}
		return true
	})
	if arg != string(manifest) {
		t.Errorf("pin.Set gets %q, want the manifest %q", arg, manifest)
	}
	if !ast.IsGenerated(lib) {
		t.Error("pin library is not marked generated")
	}

	imp, err := parser.ParseFile(token.NewFileSet(), "import.go", pinImportSource("lib_test", "example.com/x/host_plugins_pin"), parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	if imp.Name.Name != "lib_test" || len(imp.Imports) != 1 || imp.Imports[0].Name.Name != "_" || imp.Imports[0].Path.Value != `"example.com/x/host_plugins_pin"` {
		t.Errorf("import file: package %s, imports %v", imp.Name.Name, imp.Imports)
	}
}

// TestRunManifestPin: the manifest subcommand writes the pin sources next to the manifest.
func TestRunManifestPin(t *testing.T) {
	dir := t.TempDir()
	so := writeFile(t, dir, "a/a.so", []byte("plugin a"))
	prog := writeFile(t, dir, "main.go", []byte("package main\n"))
	out, lib, imp := filepath.Join(dir, "m.json"), filepath.Join(dir, "pin.go"), filepath.Join(dir, "import.go")
	args := []string{"manifest", "-plugin", spec("label=//a", "pluginpath=example.com/a", "rlocation=_main/a/a.so", "so="+so), "-o", out,
		"-pin_library_out", lib, "-pin_import_out", imp, "-pin_importpath", "example.com/pin", "-program_src", prog}
	var stderr strings.Builder
	if code := run(args, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	m, _ := os.ReadFile(out)
	gotLib, _ := os.ReadFile(lib)
	gotImp, _ := os.ReadFile(imp)
	if string(gotLib) != string(pinLibrarySource(m)) || string(gotImp) != string(pinImportSource("main", "example.com/pin")) {
		t.Errorf("pin sources:\n%s\n%s", gotLib, gotImp)
	}
	if code := run(args[:len(args)-4], &stderr); code != 2 || !strings.Contains(stderr.String(), "-pin_importpath") {
		t.Errorf("-pin_import_out without -pin_importpath: exit %d: %s", code, stderr.String())
	}
}

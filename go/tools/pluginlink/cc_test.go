package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestExpandCCPlaceholders(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "external/cc/lib"), 0o777); err != nil {
		t.Fatal(err)
	}
	p := ccPlaceholder
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{"no placeholder", []string{"-L/usr/lib", "-lfoo", "x.o"}, []string{"-L/usr/lib", "-lfoo", "x.o"}},
		{"joined, existing", []string{"-L" + p + "external/cc/lib"}, []string{"-L" + root + "/external/cc/lib"}},
		{"joined, missing: placeholder dropped", []string{"-L" + p + "nowhere"}, []string{"-Lnowhere"}},
		{"with =", []string{"--sysroot=" + p + "external/cc"}, []string{"--sysroot=" + root + "/external/cc"}},
		{"separate value", []string{"-isystem", p + "external/cc/lib"}, []string{"-isystem", root + "/external/cc/lib"}},
		{"forwarded value", []string{"-isystem", "-Xclang", p + "external/cc"}, []string{"-isystem", "-Xclang", root + "/external/cc"}},
		{"not a path flag", []string{"-Wl,-rpath," + p + "x"}, []string{"-Wl,-rpath," + p + "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := append([]string(nil), tt.in...)
			expandCCPlaceholders(got, root)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestIsCCWrapper(t *testing.T) {
	for arg0, want := range map[string]bool{
		"/tmp/x/pluginlink-cc":     true,
		"pluginlink-cc.exe":        true,
		"/bin/pluginlink":          false,
		"/tmp/x/pluginlink-cc-not": false,
	} {
		if got := isCCWrapper(arg0); got != want {
			t.Errorf("isCCWrapper(%q) = %v, want %v", arg0, got, want)
		}
	}
}

// TestCCWrapperRunsRealLinker links a C program with the real C compiler
// through the wrapper (this test binary, symlinked as pluginlink-cc, as
// installCCWrapper sets it up), with the library directory given as a
// placeholder path relative to the "execroot": the link only succeeds if
// the wrapper expanded it.
func TestCCWrapperRunsRealLinker(t *testing.T) {
	cc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("no gcc")
	}
	root := t.TempDir()
	lib := filepath.Join(root, "external/cc/lib")
	if err := os.MkdirAll(lib, 0o777); err != nil {
		t.Fatal(err)
	}
	write := func(name, content string) string {
		p := filepath.Join(root, name)
		if err := os.WriteFile(p, []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
		return p
	}
	run := func(name string, args ...string) {
		if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
			t.Fatalf("%s %q: %v\n%s", name, args, err, out)
		}
	}
	run(cc, "-c", "-o", filepath.Join(root, "answer.o"), write("answer.c", "int answer(void) { return 42; }\n"))
	run("ar", "rcs", filepath.Join(lib, "libanswer.a"), filepath.Join(root, "answer.o"))
	main := write("main.c", "int answer(void);\nint main(void) { return answer() == 42 ? 0 : 1; }\n")

	t.Setenv(ccEnv, "")
	t.Setenv(ccRootEnv, "")
	wrapper, err := installCCWrapper(t.TempDir(), cc, root)
	if err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(root, "main")
	cmd := exec.Command(wrapper, "-o", exe, main, "-L"+ccPlaceholder+"external/cc/lib", "-lanswer")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("link through the wrapper: %v\n%s", err, out)
	}
	run(exe)

	// Without the wrapper, the C linker does not find the library.
	out, err := exec.Command(cc, "-o", exe, main, "-L"+ccPlaceholder+"external/cc/lib", "-lanswer").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "answer") {
		t.Errorf("link without the wrapper: err = %v, output %s", err, out)
	}
}

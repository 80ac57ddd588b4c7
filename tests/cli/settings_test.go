package cli

import (
	"debug/elf"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStamp runs the end-to-end test under --stamp with a workspace status command: the
// plugin's x_defs value {STABLE_RULES_GO_PLUGIN_E2E} is substituted (unstamped, tests/core
// checks that rules_go's rule holds: the definition is dropped). The status command is the
// committed stamp_status.sh, which prints the value below.
func TestStamp(t *testing.T) {
	const value = "cli-stamp-7f3a"
	status := filepath.Join(repoRoot(t), "tests", "cli", "stamp_status.sh")
	code, out := bazel(t, "test", "--stamp", "--workspace_status_command="+status,
		"--test_env=E2E_WANT_STAMP="+value, "--test_filter=TestStamp", "--test_output=errors",
		"//tests/core:core_test")
	if code != 0 {
		t.Fatalf("bazel test --stamp: exit code %d:\n%s", code, out)
	}
}

// debugInfo reports which of DWARF and the symbol table an ELF file has.
func debugInfo(t *testing.T, path string) (dwarf, symtab bool) {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, s := range f.Sections {
		switch {
		case strings.HasPrefix(s.Name, ".debug_") || strings.HasPrefix(s.Name, ".zdebug_"):
			dwarf = true
		case s.Name == ".symtab":
			symtab = true
		}
	}
	return dwarf, symtab
}

// TestDWARFParity builds the same plugin with rules_go's go_binary(linkmode = "plugin") and
// with go_plugin (tests/parity) under each strip-related setting, and checks that both have
// DWARF and a symbol table exactly when the other does, and as rules_go's rule says:
// stripped (-s -w) under --strip=always, and under the default --strip=sometimes only with
// -c fastbuild (the default).
func TestDWARFParity(t *testing.T) {
	fullOnly(t, "-c dbg and -c opt: a standard library each")
	targets := []string{"//tests/parity:rules_go_plugin", "//tests/parity:go_plugin"}
	for _, tc := range []struct {
		name     string
		flags    []string
		stripped bool
	}{
		{"default (fastbuild, --strip=sometimes)", nil, true},
		{"-c dbg", []string{"-c", "dbg"}, false},
		{"-c opt", []string{"-c", "opt"}, false},
		{"--strip=never", []string{"--strip=never"}, false},
		{"--strip=always", []string{"--strip=always"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append(append([]string{"build"}, tc.flags...), targets...)
			if code, out := bazel(t, args...); code != 0 {
				t.Fatalf("bazel %s: exit code %d:\n%s", strings.Join(args, " "), code, out)
			}
			args = append(append([]string{"cquery", "--output=files"}, tc.flags...), strings.Join(targets, " + "))
			code, out := bazel(t, args...)
			if code != 0 {
				t.Fatalf("bazel cquery: exit code %d:\n%s", code, out)
			}
			var files []string
			for _, f := range soFiles(out) {
				files = append(files, filepath.Join(repoRoot(t), f))
			}
			if len(files) != 2 {
				t.Fatalf("cquery gave %d plugin files, want 2:\n%s", len(files), out)
			}
			for _, f := range files {
				dwarf, symtab := debugInfo(t, f)
				if dwarf == tc.stripped || symtab == tc.stripped {
					t.Errorf("%s: DWARF %v, .symtab %v; want both %v", filepath.Base(f), dwarf, symtab, !tc.stripped)
				}
			}
		})
	}
}

// TestCoverage runs `bazel coverage` on a plugin host test with the plugins' packages in the
// instrumentation filter: the report (the test's coverage.dat) covers the test's own package
// and the plugins' packages, whose counters rules_go's coverdata package (linked into host
// and plugins, shared at load time) collects.
func TestCoverage(t *testing.T) {
	fullOnly(t, "bazel coverage: every package of the host and its plugins instrumented")
	flags := []string{"--collect_code_coverage", "--instrumentation_filter=//examples/hosts[/:]"}
	const target = "//examples/hosts/host:host_test"
	if code, out := bazel(t, append([]string{"coverage"}, append(flags, target)...)...); code != 0 {
		t.Fatalf("bazel coverage: exit code %d:\n%s", code, out)
	}
	code, out := bazel(t, append([]string{"info"}, append(flags, "bazel-testlogs")...)...)
	if code != 0 {
		t.Fatalf("bazel info: exit code %d:\n%s", code, out)
	}
	report, err := os.ReadFile(filepath.Join(lastLine(out), "examples", "hosts", "host", "host_test", "coverage.dat"))
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{
		"examples/hosts/host/main.go",               // the test's package
		"examples/hosts/plugins/upper/upper.go",     // a plugin's package
		"examples/hosts/plugins/reverse/reverse.go", // the other plugin's
	} {
		i := strings.Index(string(report), "SF:"+src+"\n")
		if i < 0 {
			t.Errorf("coverage.dat has no record for %s:\n%s", src, report)
			continue
		}
		// The record's LH (lines hit) line: the plugin code ran in the test.
		rec := string(report[i:])
		rec, _, _ = strings.Cut(rec, "end_of_record")
		if strings.Contains(rec, "\nLH:0\n") || !strings.Contains(rec, "\nLH:") {
			t.Errorf("%s: no line hit:\n%s", src, rec)
		}
	}
}

// TestNogo builds, in the consumer module e2e/nogo (nogo with vet's analyzers), a plugin whose
// own sources have a vet finding: like a go_binary's, the build fails with nogo's message.
// (`bazel test //...` there builds and loads a plugin without findings.)
func TestNogo(t *testing.T) {
	code, out := bazelIn(t, "e2e/nogo", "build", "//bad")
	if code == 0 {
		t.Fatalf("building a plugin with a vet finding succeeded:\n%s", out)
	}
	for _, want := range []string{"bad/bad.go:7:", "fmt.Sprintf format %d has arg n of wrong type string"} {
		if !strings.Contains(out, want) {
			t.Errorf("output does not contain %q:\n%s", want, out)
		}
	}
}

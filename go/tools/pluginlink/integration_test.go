package main

import (
	"bytes"
	"debug/elf"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"plugin"
	"reflect"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/rules-go-plugin/rules_go_plugin/go/tools/internal/gofingerprint"
)

const plugModule = "example.com/plug"

// plugSources is a tiny plugin module: a main package exporting Hello and
// string variables, importing fmt and a second package whose last path
// element contains a dot (to exercise symbol name escaping).
var plugSources = map[string]string{
	"go.mod": "module example.com/plug\n\ngo 1.21\n",
	"main.go": `package main

import (
	"fmt"

	greet "example.com/plug/greet.v1"
)

var V = "default V"

var W = "default W"

func Hello() string { return fmt.Sprintf("%s!", greet.Greet()) }

func main() {}
`,
	"greet.v1/greet.go": `package greet

var Name = "nobody"

func Greet() string { return "hello, " + Name }
`,
}

// TestIntegrationLinkAndLoad compiles a plugin's packages with the go
// command (archives in plugin mode from the build cache), links them with
// the helper run as its own process from a params file, loads the result
// into this (cgo-enabled, plugin-capable) test process and checks symbols,
// -X definitions, -packages_out and the absence of build paths.
func TestIntegrationLinkAndLoad(t *testing.T) {
	requireELF(t)
	settings := buildSettings()
	if settings["CGO_ENABLED"] != "1" {
		t.Skip("plugin support unavailable: test binary built with CGO_ENABLED=0")
	}
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("gcc unavailable (needed for -linkmode=external)")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command unavailable (needed to compile the plugin's packages)")
	}

	root := t.TempDir()
	srcDir := filepath.Join(root, "src")
	buildDir := filepath.Join(root, "build")
	tmpDir := filepath.Join(buildDir, "tmp")
	stdDir := filepath.Join(buildDir, "std")
	for name, content := range plugSources {
		p := filepath.Join(srcDir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{tmpDir, stdDir} {
		if err := os.MkdirAll(d, 0o777); err != nil {
			t.Fatal(err)
		}
	}

	goEnv := append(os.Environ(), "GOWORK=off", "GOTOOLCHAIN=local", "GOFLAGS=", "CGO_ENABLED=1")
	goRun := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(goCmd, args...)
		cmd.Dir = srcDir
		cmd.Env = goEnv
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return string(out)
	}

	// The plugin's packages shared with this process must be compiled the
	// same way, or plugin.Open rejects them.
	goVersion, goroot, _ := strings.Cut(strings.TrimSpace(goRun("env", "GOVERSION", "GOROOT")), "\n")
	if goVersion != runtime.Version() {
		t.Fatalf("go command is %s but this test binary was built by %s", goVersion, runtime.Version())
	}
	buildFlags := []string{"-buildmode=plugin"}
	for _, f := range []string{"-race", "-msan", "-asan"} {
		if settings[f] == "true" {
			buildFlags = append(buildFlags, f)
		}
	}
	if tags := settings["-tags"]; tags != "" {
		buildFlags = append(buildFlags, "-tags="+tags)
	}
	if gcflags := settings["-gcflags"]; gcflags != "" {
		buildFlags = append(buildFlags, "-gcflags="+gcflags)
	}
	if settings["-trimpath"] == "true" {
		buildFlags = append(buildFlags, "-trimpath")
	} else {
		// Keep the temporary source directory out of the plugin's own
		// packages without changing how std is compiled.
		buildFlags = append(buildFlags, "-gcflags="+plugModule+"/...=-trimpath="+srcDir+"=>"+plugModule)
	}

	listArgs := append([]string{"list", "-export", "-deps", "-f", "{{if .Export}}{{.ImportPath}}|{{.Standard}}|{{.Export}}{{end}}"}, buildFlags...)
	var (
		mainArchive string
		arcs        []string
		nstd        int
	)
	for _, line := range strings.Split(strings.TrimSpace(goRun(append(listArgs, ".")...)), "\n") {
		parts := strings.SplitN(line, "|", 3)
		if len(parts) != 3 {
			t.Fatalf("unexpected go list line %q", line)
		}
		imp, std, export := parts[0], parts[1] == "true", parts[2]
		switch {
		case imp == plugModule:
			mainArchive = export
		case std:
			// Lay std out as a -stdlib_pkg_dir of symlinks, the way a
			// Bazel sandbox presents a directory of inputs.
			link := filepath.Join(stdDir, filepath.FromSlash(imp)+".a")
			if err := os.MkdirAll(filepath.Dir(link), 0o777); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(export, link); err != nil {
				t.Fatal(err)
			}
			nstd++
		default:
			arcs = append(arcs, "-arc", imp+"="+export)
		}
	}
	if mainArchive == "" || nstd == 0 || len(arcs) != 2 {
		t.Fatalf("go list: main %q, %d std archives, arcs %q", mainArchive, nstd, arcs)
	}

	// Relative paths are resolved against the helper's working directory
	// (root); the SDK is reached through a symlink inside root so that a
	// leak of the -goroot path would be caught below.
	sdk := filepath.Join(root, "sdk")
	if err := os.Symlink(goroot, sdk); err != nil {
		t.Fatal(err)
	}
	mapFile := filepath.Join(buildDir, "link map.txt")
	common := []string{
		"-goroot", sdk,
		"-main", mainArchive,
		"-pluginpath", plugModule,
		"-stdlib_pkg_dir", "build/std",
		"-extld", "gcc",
		"-x", "main.V=set via main.V",
		"-x", plugModule + ".W=set via " + plugModule + ".W",
		"-x", plugModule + "/greet.v1.Name=linker",
	}
	common = append(common, arcs...)
	for _, f := range []string{"-race", "-msan", "-asan"} {
		if settings[f] == "true" {
			// cmd/go passes these to the linker too; for the helper
			// they are ordinary linker flags.
			common = append(common, "-linkopt", f)
		}
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// runHelper runs the helper as its own process, with all arguments in
	// a params file, in root and with TMPDIR inside root.
	runHelper := func(t *testing.T, extra ...string) {
		t.Helper()
		paramsFile := filepath.Join(buildDir, "link.params")
		args := append(append([]string(nil), common...), extra...)
		if err := os.WriteFile(paramsFile, []byte(strings.Join(args, "\n")+"\n"), 0o666); err != nil {
			t.Fatal(err)
		}
		helper := exec.Command(exe, "@"+paramsFile)
		helper.Dir = root
		helper.Env = append(os.Environ(), modeEnv+"=helper", "TMPDIR="+tmpDir)
		if out, err := helper.CombinedOutput(); err != nil {
			t.Fatalf("helper: %v\n%s", err, out)
		}
		if ents, err := os.ReadDir(tmpDir); err != nil || len(ents) != 0 {
			t.Errorf("temporary files left in TMPDIR: %v %v", ents, err)
		}
	}
	noBuildPaths := func(t *testing.T, so string) {
		t.Helper()
		for _, p := range leakCandidates(root) {
			if where := findInELF(t, so, p); where != "" {
				t.Errorf("%s contains %q in %s", so, p, where)
			}
		}
	}

	runHelper(t,
		"-o", "build/out/plug.so",
		"-extldflag", "-Wl,-z,now",
		"-extldflag", "-Wl,-Map="+mapFile, // a flag with a space must survive -extldflags quoting
		"-packages_out", "build/out/plug.packages",
	)
	so := filepath.Join(buildDir, "out", "plug.so")
	if _, err := os.Stat(mapFile); err != nil {
		t.Errorf("-extldflag with a space did not reach the external linker: %v", err)
	}

	// gold records the -o argument in .gnu.version_d of a shared object;
	// that is why the linker must run in the output directory with a bare
	// -o name (see cmd/go's gcToolchain.ld).
	t.Run("gold", func(t *testing.T) {
		if err := exec.Command("gcc", "-fuse-ld=gold", "-Wl,--version").Run(); err != nil {
			t.Skip("gold linker unavailable")
		}
		runHelper(t, "-o", "build/gold/plug.so", "-extldflag", "-fuse-ld=gold")
		noBuildPaths(t, filepath.Join(buildDir, "gold", "plug.so"))
	})

	t.Run("no build paths in output", func(t *testing.T) { noBuildPaths(t, so) })

	var pkgs map[string]string
	t.Run("packages_out", func(t *testing.T) {
		data, err := os.ReadFile(filepath.Join(buildDir, "out", "plug.packages"))
		if err != nil {
			t.Fatal(err)
		}
		pkgs, err = gofingerprint.ParsePackagesFile(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		for pkg, fp := range pkgs {
			if len(fp) != 16 {
				t.Errorf("%s: fingerprint %q is not 8 bytes", pkg, fp)
			}
		}
		if formatted := gofingerprint.FormatPackages(pkgs); !bytes.Equal(data, formatted) {
			t.Errorf("-packages_out is not in canonical (sorted) form:\n%s", data)
		}
		for _, want := range []string{plugModule, plugModule + "/greet.v1", "fmt", "runtime", "runtime/cgo"} {
			if _, ok := pkgs[want]; !ok {
				t.Errorf("%s missing from -packages_out", want)
			}
		}

		// cmd/go is the spec: the same plugin built by 'go build' from the
		// same archives has exactly the same packages and fingerprints.
		goSO := filepath.Join(buildDir, "gobuild.so")
		goRun(append(append([]string{"build"}, buildFlags...), "-o", goSO, ".")...)
		goPkgs, err := gofingerprint.ReadPackageFingerprints(goSO)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(pkgs, goPkgs) {
			t.Errorf("packages differ from 'go build -buildmode=plugin':\nours %v\ngo   %v", pkgs, goPkgs)
		}
	})

	t.Run("fingerprints match host", func(t *testing.T) {
		if pkgs == nil {
			t.Skip("no -packages_out")
		}
		host, err := gofingerprint.ReadPackageFingerprints(exe)
		if err != nil {
			t.Fatal(err)
		}
		var shared int
		for pkg, fp := range pkgs {
			if hfp, ok := host[pkg]; ok {
				shared++
				if hfp != fp {
					t.Errorf("%s: plugin %s, host %s", pkg, fp, hfp)
				}
			}
		}
		if _, ok := host["fmt"]; !ok || shared < 10 {
			t.Errorf("only %d shared packages (fmt in host: %v)", shared, ok)
		}
	})

	t.Run("load", func(t *testing.T) {
		p, err := plugin.Open(so)
		if err != nil {
			t.Fatalf("plugin.Open: %v", err)
		}
		hello, err := p.Lookup("Hello")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := hello.(func() string)(), "hello, linker!"; got != want {
			t.Errorf("Hello() = %q, want %q", got, want)
		}
		for name, want := range map[string]string{
			"V": "set via main.V",
			"W": "set via " + plugModule + ".W",
		} {
			sym, err := p.Lookup(name)
			if err != nil {
				t.Fatal(err)
			}
			if got := *sym.(*string); got != want {
				t.Errorf("%s = %q, want %q", name, got, want)
			}
		}
	})
}

// requireELF skips tests that read ELF files on systems without them.
func requireELF(t *testing.T) {
	t.Helper()
	switch runtime.GOOS {
	case "linux", "freebsd", "netbsd", "openbsd", "dragonfly", "solaris", "illumos":
	default:
		t.Skipf("executables are not ELF on %s", runtime.GOOS)
	}
}

// buildSettings returns this test binary's build settings (-trimpath,
// CGO_ENABLED, ...).
func buildSettings() map[string]string {
	m := map[string]string{}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			m[s.Key] = s.Value
		}
	}
	return m
}

// leakCandidates returns dir and, if different, its symlink-free form.
func leakCandidates(dir string) []string {
	c := []string{dir}
	if real, err := filepath.EvalSymlinks(dir); err == nil && real != dir {
		c = append(c, real)
	}
	return c
}

// findInELF reports where s occurs in the file: in its raw bytes, or in
// the decompressed contents of a compressed (DWARF) section.
func findInELF(t *testing.T, file, s string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if i := bytes.Index(data, []byte(s)); i >= 0 {
		return fmt.Sprintf("file offset %d", i)
	}
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	for _, sec := range f.Sections {
		if sec.Flags&elf.SHF_COMPRESSED == 0 || sec.Type == elf.SHT_NOBITS {
			continue
		}
		b, err := io.ReadAll(sec.Open())
		if err != nil {
			t.Fatalf("section %s: %v", sec.Name, err)
		}
		if bytes.Contains(b, []byte(s)) {
			return "compressed section " + sec.Name
		}
	}
	return ""
}

package gofingerprint

// Tests on real Mach-O files made by the Go toolchain in the test (nothing
// is checked in), for darwin/arm64 and darwin/amd64, with CGO_ENABLED=0.
//
// What is covered, and what is not, and why:
//
//   - Darwin executables from plain "go build" (MH_EXECUTE): a program that
//     does not import package plugin, and one that does but is built
//     without cgo. Neither has fingerprint symbols: cmd/link emits them
//     only for -buildmode=plugin or when canUsePlugins holds, which needs
//     package plugin AND runtime/cgo linked (cmd/link/internal/ld/lib.go).
//     These cover format detection and the ErrNoFingerprints path.
//
//   - Files that do carry the symbols. A real darwin plugin or plugin host
//     needs cgo for darwin, i.e. a C toolchain and SDK targeting darwin,
//     which we do not assume: with CGO_ENABLED=0, go build refuses both
//     -buildmode=plugin and -ldflags=-linkmode=external ("requires
//     external (cgo) linking, but cgo is not enabled"), and a host that
//     imports runtime/cgo (see below) cannot be linked internally
//     ("relocation target x_cgo_init not defined": the C half of
//     runtime/cgo is missing). What we can get honestly is the Mach-O
//     object go.o that cmd/link writes, in external link mode, for the
//     system linker: we run go list -export and go tool link ourselves,
//     exactly like go build (importcfg, -linkmode=external), with
//     -tmpdir to keep go.o and an -extld that does not exist, so the link
//     stops right after writing go.o. Two such files per GOARCH:
//       - a plugin host: imports plugin and runtime/cgo. Without cgo,
//         runtime/cgo still has its cgo-independent Go files (iscgo.go,
//         callbacks.go), so it is linked, cmd/link's iscgo is true and
//         canUsePlugins holds;
//       - a plugin: packages compiled with -dynlink (as go build
//         -buildmode=plugin does), linked with -buildmode=plugin.
//     The fingerprints read are compared with those in the goobj headers
//     of the package archives that were linked, i.e. what plugin.Open
//     compares. The symbols in go.o are exactly what the final file gets:
//     the system linker copies names ("_go:link.pkghashbytes.<p>"), N_EXT
//     and the 8 data bytes; our code path (LC_SYMTAB, n_sect, section
//     address and offset) is the same. Not covered: the final MH_EXECUTE,
//     MH_BUNDLE or MH_DYLIB written by ld64 or by cmd/link's internal
//     linker for a cgo host, and what strip(1) does to them.
//
//   - Corrupt copies of a real go.o (symbol table entries patched) for the
//     guards, universal files assembled (as lipo does) from real thin
//     files, and files that are not ELF or Mach-O.

import (
	"bytes"
	"debug/macho"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// darwinFiles are the Mach-O files built for one GOARCH.
type darwinFiles struct {
	plainExe     string            // go build: does not import plugin
	noCgoHostExe string            // go build: imports plugin, no cgo
	hostObj      string            // go.o of a plugin host
	hostWant     map[string]string // its packages' fingerprints
	pluginObj    string            // go.o of a -buildmode=plugin link
	pluginWant   map[string]string
	pluginPath   string
	cpu          macho.Cpu
	subCpuOfHost uint32 // cpusubtype of hostObj
}

const testPluginPath = "example.com/fp/plugin"

var darwinSources = map[string]string{
	"go.mod": "module example.com/fp\n\ngo 1.21\n",
	"plain/main.go": `package main

func main() { println("hello") }
`,
	"nocgohost/main.go": `package main

import "plugin"

func main() { plugin.Open("x.so") }
`,
	"host/main.go": `package main

import (
	"plugin"
	_ "runtime/cgo"
)

func main() { plugin.Open("x.so") }
`,
	"plugin/main.go": `package main

import (
	"fmt"
	_ "runtime/cgo"
)

var V = 1

func F() { fmt.Println(V) }

func main() {}
`,
}

// goEnv is the environment for go commands building for darwin/goarch.
func goEnv(t *testing.T, goarch string) []string {
	env := append(os.Environ(),
		"GOOS=darwin", "GOARCH="+goarch, "CGO_ENABLED=0",
		"GOFLAGS=", "GOWORK=off", "GOTOOLCHAIN=local", "GOPROXY=off", "GO111MODULE=on")
	// Sandboxes (e.g. bazel test) may leave no home for the build cache.
	if out, err := exec.Command("go", "env", "GOCACHE").Output(); err != nil || strings.TrimSpace(string(out)) == "" {
		env = append(env, "GOCACHE="+filepath.Join(os.TempDir(), "gofingerprint-test-gocache"), "GOPATH="+t.TempDir())
	}
	return env
}

// buildDarwin builds the files of darwinFiles in dir for darwin/goarch.
func buildDarwin(t *testing.T, dir, goarch string) *darwinFiles {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command unavailable (needed to build the Mach-O files)")
	}
	src := filepath.Join(dir, "src")
	for name, text := range darwinSources {
		p := filepath.Join(src, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	env := goEnv(t, goarch)
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(goCmd, args...)
		cmd.Dir = src
		cmd.Env = env
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
		}
		return string(out)
	}
	out := filepath.Join(dir, "out")
	if err := os.MkdirAll(out, 0o777); err != nil {
		t.Fatal(err)
	}
	df := &darwinFiles{
		plainExe:     filepath.Join(out, "plain"),
		noCgoHostExe: filepath.Join(out, "nocgohost"),
		pluginPath:   testPluginPath,
	}
	run("build", "-o", df.plainExe, "./plain")
	run("build", "-o", df.noCgoHostExe, "./nocgohost")

	// goObj links pkg like go build would, in external link mode, and
	// returns the go.o cmd/link writes for the system linker, with the
	// fingerprints of the packages linked (root is the key of pkg itself).
	goObj := func(name, pkg, root string, compileFlags, linkFlags []string) (string, map[string]string) {
		t.Helper()
		list := append([]string{"list", "-export", "-deps"}, compileFlags...)
		list = append(list, "-f", "{{if .Export}}{{if .DepOnly}}dep{{else}}root{{end}}\t{{.ImportPath}}\t{{.Export}}\n{{end}}", pkg)
		var importcfg strings.Builder
		var rootArchive string
		want := map[string]string{}
		for line := range strings.Lines(run(list...)) {
			f := strings.SplitN(strings.TrimSuffix(line, "\n"), "\t", 3)
			if len(f) != 3 {
				t.Fatalf("go list: unexpected line %q", line)
			}
			importcfg.WriteString("packagefile " + f[1] + "=" + f[2] + "\n")
			key := f[1]
			if f[0] == "root" {
				rootArchive, key = f[2], root
			}
			want[key] = archiveFingerprint(t, f[2])
		}
		cfg := filepath.Join(dir, name+".importcfg")
		if err := os.WriteFile(cfg, []byte(importcfg.String()), 0o666); err != nil {
			t.Fatal(err)
		}
		tmp := filepath.Join(dir, name+".tmp")
		if err := os.MkdirAll(tmp, 0o777); err != nil {
			t.Fatal(err)
		}
		link := append([]string{"tool", "link", "-o", filepath.Join(out, name), "-importcfg", cfg,
			"-linkmode=external", "-extld=" + filepath.Join(dir, "no-external-linker"), "-tmpdir=" + tmp}, linkFlags...)
		cmd := exec.Command(goCmd, append(link, rootArchive)...)
		cmd.Dir = src
		cmd.Env = env
		linkOut, err := cmd.CombinedOutput()
		obj := filepath.Join(tmp, "go.o")
		if _, statErr := os.Stat(obj); statErr != nil {
			t.Fatalf("go %s: no go.o (%v): %v\n%s", strings.Join(link, " "), statErr, err, linkOut)
		}
		return obj, want
	}
	df.hostObj, df.hostWant = goObj("host", "./host", "main", nil, nil)
	dynlink := []string{"-gcflags=all=-dynlink", "-asmflags=all=-dynlink"}
	df.pluginObj, df.pluginWant = goObj("plugin", "./plugin", testPluginPath, dynlink,
		[]string{"-buildmode=plugin", "-pluginpath=" + testPluginPath})

	// Check that these are the kinds of file we mean to test.
	for _, c := range []struct {
		path string
		typ  macho.Type
		sub  *uint32
	}{
		{df.plainExe, macho.TypeExec, nil},
		{df.noCgoHostExe, macho.TypeExec, nil},
		{df.hostObj, macho.TypeObj, &df.subCpuOfHost},
		{df.pluginObj, macho.TypeObj, nil},
	} {
		f, err := macho.Open(c.path)
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
		if f.Type != c.typ || f.Magic != macho.Magic64 {
			t.Fatalf("%s: Mach-O type %v, magic %#x; want %v, 64-bit", c.path, f.Type, f.Magic, c.typ)
		}
		df.cpu = f.Cpu
		if c.sub != nil {
			*c.sub = f.SubCpu
		}
	}
	return df
}

// archiveFingerprint returns the fingerprint of the package archive at
// path: that in the header of its compiler-written Go object (the first one
// with a non-zero fingerprint; assembler objects have none), which cmd/link
// records for the package (ld.ldobj) and writes as pkghashbytes. Header:
// magic "\x00go120ld", then the 8-byte fingerprint (cmd/internal/goobj).
func archiveFingerprint(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const magic = "\x00go120ld"
	for rest := data; ; {
		i := bytes.Index(rest, []byte(magic))
		if i < 0 || len(rest) < i+len(magic)+machoFingerprintSize {
			t.Fatalf("%s: no Go object header %q with a fingerprint (has cmd/internal/goobj changed?)", path, magic)
		}
		rest = rest[i+len(magic):]
		if fp := rest[:machoFingerprintSize]; !bytes.Equal(fp, make([]byte, machoFingerprintSize)) {
			return hex.EncodeToString(fp)
		}
	}
}

// fatFile writes a universal file with the given thin Mach-O slices.
func fatFile(t *testing.T, magic uint32, slices ...string) string {
	t.Helper()
	const align = 14 // 16 KiB, as lipo uses for arm64
	var hdr bytes.Buffer
	var body []byte
	off := uint32(1 << align)
	binary.Write(&hdr, binary.BigEndian, []uint32{magic, uint32(len(slices))})
	for _, s := range slices {
		data, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		f, err := macho.NewFile(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		binary.Write(&hdr, binary.BigEndian, []uint32{uint32(f.Cpu), f.SubCpu, off, uint32(len(data)), align})
		body = append(body, data...)
		next := (uint32(len(data)) + 1<<align - 1) &^ (1<<align - 1)
		body = append(body, make([]byte, next-uint32(len(data)))...)
		off += next
	}
	out := append(hdr.Bytes(), make([]byte, 1<<align-hdr.Len())...)
	return writeTemp(t, "fat", append(out, body...))
}

func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o666); err != nil {
		t.Fatal(err)
	}
	return p
}

// nlist is a symbol table entry of a 64-bit little-endian Mach-O file, with
// its position in the file.
type nlist struct {
	off   int // of the entry in the file
	strx  uint32
	typ   uint8
	sect  uint8
	value uint64
}

// symbolEntries returns the raw symbol table entries of the file data, by
// name as written (with the leading underscore).
func symbolEntries(t *testing.T, data []byte) map[string]nlist {
	t.Helper()
	f, err := macho.NewFile(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	// debug/macho does not fill in f.Symtab.SymtabCmd; decode the raw
	// LC_SYMTAB: cmd, cmdsize, symoff, nsyms, stroff, strsize.
	var st macho.SymtabCmd
	if err := binary.Read(bytes.NewReader(f.Symtab.Raw()), binary.LittleEndian, &st); err != nil {
		t.Fatal(err)
	}
	syms := map[string]nlist{}
	for i := range int(st.Nsyms) {
		off := int(st.Symoff) + 16*i
		e := data[off : off+16]
		n := nlist{off: off, strx: binary.LittleEndian.Uint32(e), typ: e[4], sect: e[5], value: binary.LittleEndian.Uint64(e[8:])}
		name := data[int(st.Stroff)+int(n.strx):]
		syms[string(name[:bytes.IndexByte(name, 0)])] = n
	}
	return syms
}

// patched returns a copy of the Mach-O file at path in which edit has
// changed the symbol table entry of _go:link.pkghashbytes.runtime.
func patched(t *testing.T, path string, edit func(data []byte, f *macho.File, syms map[string]nlist, e []byte)) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := macho.NewFile(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	syms := symbolEntries(t, data)
	rt, ok := syms["_"+SymbolPrefix+"runtime"]
	if !ok {
		t.Fatalf("%s: no symbol _%sruntime", path, SymbolPrefix)
	}
	edit(data, f, syms, data[rt.off:rt.off+16])
	return writeTemp(t, "patched.o", data)
}

func sectionNumber(t *testing.T, f *macho.File, seg, name string) uint8 {
	t.Helper()
	for i, s := range f.Sections {
		if s.Seg == seg && s.Name == name {
			return uint8(i + 1)
		}
	}
	t.Fatalf("no section %s,%s", seg, name)
	return 0
}

func without(m map[string]string, key string) map[string]string {
	m = maps.Clone(m)
	delete(m, key)
	return m
}

func TestReadPackageFingerprintsMachO(t *testing.T) {
	dir := t.TempDir()
	files := map[string]*darwinFiles{}
	for _, goarch := range []string{"arm64", "amd64"} {
		files[goarch] = buildDarwin(t, filepath.Join(dir, goarch), goarch)
	}
	arm, amd := files["arm64"], files["amd64"]

	// The raw names: cmd/link prefixes each Mach-O symbol name with "_".
	raw := symbolEntries(t, mustRead(t, arm.hostObj))
	if e, ok := raw["_"+SymbolPrefix+"runtime"]; !ok || e.typ != 0x0f {
		t.Errorf("%s: no _%sruntime with n_type N_SECT|N_EXT (0x0f): %+v", arm.hostObj, SymbolPrefix, e)
	}
	if _, ok := raw[SymbolPrefix+"runtime"]; ok {
		t.Errorf("%s: %sruntime without underscore", arm.hostObj, SymbolPrefix)
	}

	type check struct {
		want        map[string]string // the result expected, if no error
		errIs       error             // for an error: must wrap this (or nil)
		errContains string            // for an error: in its text
	}
	// The fingerprints of a universal host file: its slices differ unless
	// the export data of all packages is the same for both GOARCHes.
	fatHost := check{want: arm.hostWant}
	if !maps.Equal(arm.hostWant, amd.hostWant) {
		fatHost = check{errContains: "slices CpuArm64 and CpuAmd64 have different fingerprints"}
	} else {
		t.Log("arm64 and amd64 fingerprints are the same")
	}
	for _, tc := range []struct {
		name string
		file func(t *testing.T) string
		check
	}{
		// Real darwin executables without fingerprints.
		{"arm64 executable, no plugin", func(*testing.T) string { return arm.plainExe }, check{errIs: ErrNoFingerprints}},
		{"amd64 executable, no plugin", func(*testing.T) string { return amd.plainExe }, check{errIs: ErrNoFingerprints}},
		{"arm64 executable, plugin without cgo", func(*testing.T) string { return arm.noCgoHostExe }, check{errIs: ErrNoFingerprints}},
		{"amd64 executable, plugin without cgo", func(*testing.T) string { return amd.noCgoHostExe }, check{errIs: ErrNoFingerprints}},

		// cmd/link's go.o with fingerprints.
		{"arm64 plugin host go.o", func(*testing.T) string { return arm.hostObj }, check{want: arm.hostWant}},
		{"amd64 plugin host go.o", func(*testing.T) string { return amd.hostObj }, check{want: amd.hostWant}},
		{"arm64 plugin go.o", func(*testing.T) string { return arm.pluginObj }, check{want: arm.pluginWant}},
		{"amd64 plugin go.o", func(*testing.T) string { return amd.pluginObj }, check{want: amd.pluginWant}},

		// Universal files.
		{"universal, one slice", func(t *testing.T) string { return fatFile(t, macho.MagicFat, arm.hostObj) }, check{want: arm.hostWant}},
		{"universal, two hosts", func(t *testing.T) string { return fatFile(t, macho.MagicFat, arm.hostObj, amd.hostObj) }, fatHost},
		{"universal, same fingerprints", func(t *testing.T) string {
			// Two slices with the same symbols: the arm64 host file, and
			// a copy claiming another arm64 subtype.
			data := mustRead(t, arm.hostObj)
			binary.LittleEndian.PutUint32(data[8:], arm.subCpuOfHost+1) // cpusubtype
			return fatFile(t, macho.MagicFat, arm.hostObj, writeTemp(t, "sub.o", data))
		}, check{want: arm.hostWant}},
		{"universal, no fingerprints", func(t *testing.T) string { return fatFile(t, macho.MagicFat, arm.plainExe, amd.plainExe) }, check{errIs: ErrNoFingerprints, errContains: "universal file, slice 0 (CpuArm64)"}},
		{"universal, 64-bit headers", func(t *testing.T) string { return fatFile(t, machoMagicFat64, arm.hostObj) }, check{errContains: "64-bit headers: not supported"}},
		{"universal, not Mach-O inside", func(t *testing.T) string {
			return writeTemp(t, "Foo.class", []byte("\xca\xfe\xba\xbe\x00\x00\x00\x41 a Java class file"))
		}, check{errContains: "not a valid universal (fat) Mach-O file"}},

		// Not ELF nor Mach-O, or not valid.
		{"empty file", func(t *testing.T) string { return writeTemp(t, "empty", nil) }, check{errContains: "not an ELF or Mach-O file"}},
		{"short file", func(t *testing.T) string { return writeTemp(t, "short", []byte("\x7fEL")) }, check{errContains: "not an ELF or Mach-O file"}},
		{"text file", func(t *testing.T) string { return writeTemp(t, "text", []byte("#!/bin/sh\necho hi\n")) }, check{errContains: "not an ELF or Mach-O file"}},
		{"truncated Mach-O", func(t *testing.T) string { return writeTemp(t, "trunc", mustRead(t, arm.hostObj)[:4096]) }, check{errContains: "not a valid Mach-O file"}},
		{"truncated ELF", func(t *testing.T) string { return writeTemp(t, "trunc", []byte("\x7fELF\x02\x01\x01")) }, check{errContains: "not a valid ELF file"}},

		// Corrupt symbol table entries (of _go:link.pkghashbytes.runtime).
		{"in a zero-fill section", func(t *testing.T) string {
			return patched(t, arm.hostObj, func(_ []byte, f *macho.File, _ map[string]nlist, e []byte) {
				e[5] = sectionNumber(t, f, "__DATA", "__bss")
			})
		}, check{errContains: SymbolPrefix + "runtime: in __DATA,__bss, which has no file data"}},
		{"section number 0", func(t *testing.T) string {
			return patched(t, arm.hostObj, func(_ []byte, _ *macho.File, _ map[string]nlist, e []byte) { e[5] = 0 })
		}, check{errContains: "bad section number 0"}},
		{"section number too large", func(t *testing.T) string {
			return patched(t, arm.hostObj, func(_ []byte, f *macho.File, _ map[string]nlist, e []byte) { e[5] = uint8(len(f.Sections) + 1) })
		}, check{errContains: "bad section number"}},
		{"beyond its section", func(t *testing.T) string {
			return patched(t, arm.hostObj, func(_ []byte, f *macho.File, _ map[string]nlist, e []byte) {
				s := f.Sections[e[5]-1]
				binary.LittleEndian.PutUint64(e[8:], s.Addr+s.Size-4)
			})
		}, check{errContains: "outside its section __TEXT,__rodata"}},
		{"before its section", func(t *testing.T) string {
			return patched(t, arm.hostObj, func(_ []byte, f *macho.File, _ map[string]nlist, e []byte) {
				binary.LittleEndian.PutUint64(e[8:], f.Sections[e[5]-1].Addr-8)
			})
		}, check{errContains: "outside its section"}},
		{"runs into the next symbol", func(t *testing.T) string {
			return patched(t, arm.hostObj, func(_ []byte, _ *macho.File, syms map[string]nlist, e []byte) {
				binary.LittleEndian.PutUint64(e[8:], syms["_"+SymbolPrefix+"errors"].value-4)
			})
		}, check{errContains: "next symbol in __TEXT,__rodata is 4 bytes after it, want at least 8"}},
		{"absolute symbol", func(t *testing.T) string {
			return patched(t, arm.hostObj, func(_ []byte, _ *macho.File, _ map[string]nlist, e []byte) { e[4] = 0x03 }) // N_ABS|N_EXT
		}, check{errContains: "not defined in a section (n_type 0x3)"}},
		{"defined twice", func(t *testing.T) string {
			return patched(t, arm.hostObj, func(data []byte, _ *macho.File, syms map[string]nlist, e []byte) {
				// Give the errors package's symbol the name of runtime's.
				other := syms["_"+SymbolPrefix+"errors"]
				copy(data[other.off:other.off+4], e[:4])
			})
		}, check{errContains: "runtime: defined twice, with different data"}},
		{"undefined reference is skipped", func(t *testing.T) string {
			return patched(t, arm.hostObj, func(_ []byte, _ *macho.File, _ map[string]nlist, e []byte) {
				e[4], e[5] = 0x01, 0 // N_UNDF|N_EXT, NO_SECT
				binary.LittleEndian.PutUint64(e[8:], 0)
			})
		}, check{want: without(arm.hostWant, "runtime")}},
		{"stab is skipped", func(t *testing.T) string {
			return patched(t, arm.hostObj, func(_ []byte, _ *macho.File, _ map[string]nlist, e []byte) { e[4] = 0x26 }) // N_STSYM
		}, check{want: without(arm.hostWant, "runtime")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.file(t)
			got, err := ReadPackageFingerprints(path)
			if tc.want != nil {
				if err != nil {
					t.Fatal(err)
				}
				if len(tc.want) < 10 {
					t.Fatalf("test bug: expected only %d packages", len(tc.want))
				}
				for pkg, fp := range tc.want {
					if got[pkg] != fp {
						t.Errorf("%s: got fingerprint %q, want %q", pkg, got[pkg], fp)
					}
				}
				for pkg := range got {
					if _, ok := tc.want[pkg]; !ok {
						t.Errorf("unexpected package %s", pkg)
					}
				}
				return
			}
			if err == nil {
				t.Fatalf("no error; got %d fingerprints", len(got))
			}
			if got := errors.Is(err, ErrNoFingerprints); got != (tc.errIs == ErrNoFingerprints) {
				t.Errorf("errors.Is(%v, ErrNoFingerprints) = %v", err, got)
			}
			if !strings.Contains(err.Error(), tc.errContains) {
				t.Errorf("error %q does not contain %q", err, tc.errContains)
			}
			if !strings.HasPrefix(err.Error(), path+": ") {
				t.Errorf("error %q does not start with the file name", err)
			}
		})
	}

	// What a plugin host and a plugin have in common.
	for _, df := range files {
		for _, pkg := range []string{"runtime", "runtime/cgo", "internal/abi"} {
			if df.hostWant[pkg] == "" || df.hostWant[pkg] != df.pluginWant[pkg] {
				// -dynlink changes code, not export data.
				t.Errorf("%v: %s: host fingerprint %q, plugin's %q", df.cpu, pkg, df.hostWant[pkg], df.pluginWant[pkg])
			}
		}
		if df.hostWant["plugin"] == "" || df.hostWant["main"] == "" || df.pluginWant[df.pluginPath] == "" {
			t.Errorf("%v: host or plugin lacks package plugin, main or %s", df.cpu, df.pluginPath)
		}
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

package buildid

import (
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"debug/macho"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// The tests link real binaries with the go command found by goTool, patch
// them with SetContentBuildID and check the result with tools that do not
// share code with the port: go tool buildid, debug/elf, a raw Mach-O load
// command walk and an independent code signature verifier.

var buildIDFormat = regexp.MustCompile(`^[0-9a-f]{20}/[0-9a-f]{20}/[0-9a-f]{20}/[0-9a-f]{20}$`)

func TestMain(m *testing.M) {
	code := m.Run()
	if scratchDir != "" {
		os.RemoveAll(scratchDir)
	}
	os.Exit(code)
}

func TestPlaceholder(t *testing.T) {
	want := strings.Repeat("0", 20) + "/" + strings.Repeat("0", 20) + "/" + strings.Repeat("0", 20) + "/" + strings.Repeat("0", 20)
	if Placeholder != want {
		t.Errorf("Placeholder = %q, want %q", Placeholder, want)
	}
	var sum [sha256.Size]byte
	for i := range sum {
		sum[i] = byte(i * 7)
	}
	if got, want := goBuildID(sum), wantBuildID(sum); got != want {
		t.Errorf("goBuildID = %q, want %q", got, want)
	}
	if len(goBuildID(sum)) != len(Placeholder) {
		t.Errorf("content build ID length %d != placeholder length %d", len(goBuildID(sum)), len(Placeholder))
	}
}

func TestSupported(t *testing.T) {
	for _, tc := range []struct {
		goos string
		want bool
	}{
		{"android", true},
		{"darwin", true},
		{"dragonfly", true},
		{"freebsd", true},
		{"illumos", true},
		{"ios", true},
		{"linux", true},
		{"netbsd", true},
		{"openbsd", true},
		{"solaris", true},
		{"aix", false},
		{"js", false},
		{"plan9", false},
		{"wasip1", false},
		{"windows", false},
		{"", false},
	} {
		if got := Supported(tc.goos); got != tc.want {
			t.Errorf("Supported(%q) = %v, want %v", tc.goos, got, tc.want)
		}
	}
}

func TestSetContentBuildIDNotABinary(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(path, []byte("not an executable\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := SetContentBuildID(path); err == nil {
		t.Error("SetContentBuildID of a text file succeeded, want an error")
	}
	if err := SetContentBuildID(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("SetContentBuildID of a missing file succeeded, want an error")
	}
}

// target describes how a test binary is built.
type target struct {
	goos, goarch string
	cgo          bool
	external     bool // -linkmode=external
	signed       bool // Mach-O ad-hoc signed by cmd/link
}

func (tg target) env() []string {
	cgo := "0"
	if tg.cgo {
		cgo = "1"
	}
	return []string{"GOOS=" + tg.goos, "GOARCH=" + tg.goarch, "CGO_ENABLED=" + cgo}
}

func (tg target) runsOnHost() bool {
	return tg.goos == runtime.GOOS && tg.goarch == runtime.GOARCH
}

func (tg target) needsHostCgo(t *testing.T) {
	t.Helper()
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Skipf("cgo and external linking are only tested on linux/amd64 hosts, not %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("gcc not found on PATH; needed for cgo and external linking")
	}
}

const (
	pureProgram = `package main

func main() { println("program %s") }
`
	cgoProgram = `package main

// static int answer(void) { return 42; }
import "C"

func main() { println("program %s", int(C.answer())) }
`
)

func TestSetContentBuildID(t *testing.T) {
	for _, tc := range []struct {
		name   string
		target target
		source string // with %s for the program name
	}{
		{"linux_amd64_internal", target{goos: "linux", goarch: "amd64"}, pureProgram},
		{"linux_amd64_external_cgo", target{goos: "linux", goarch: "amd64", cgo: true, external: true}, cgoProgram},
		{"darwin_arm64", target{goos: "darwin", goarch: "arm64", signed: true}, pureProgram},
		{"darwin_amd64", target{goos: "darwin", goarch: "amd64"}, pureProgram},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.target.cgo {
				tc.target.needsHostCgo(t)
			}
			ldflags := "-buildid=" + Placeholder
			if tc.target.external {
				ldflags = "-linkmode=external " + ldflags
			}
			ids := map[string]string{}
			for _, prog := range []string{"A", "B"} {
				t.Run(prog, func(t *testing.T) {
					src := writeModule(t, map[string]string{"main.go": fmt.Sprintf(tc.source, prog)})
					bin := filepath.Join(t.TempDir(), "prog"+prog)
					goBuild(t, src, tc.target.env(), "-o", bin, "-ldflags="+ldflags, ".")
					if tc.target.external && !linkedExternally(t, bin) {
						t.Fatalf("%s has no GCC .comment section; not externally linked?", bin)
					}
					id := checkPatch(t, bin, tc.target)
					if tc.target.runsOnHost() {
						out := runProgram(t, bin)
						if !strings.Contains(out, "program "+prog) {
							t.Errorf("patched %s printed %q, want it to contain %q", bin, out, "program "+prog)
						}
					}
					ids[prog] = id
				})
			}
			if ids["A"] == "" || ids["B"] == "" {
				return // already failed
			}
			if ids["A"] == ids["B"] {
				t.Errorf("programs A and B both got build ID %s", ids["A"])
			}
		})
	}
}

func TestSetContentBuildIDPlugin(t *testing.T) {
	tg := target{goos: "linux", goarch: "amd64", cgo: true, external: true}
	tg.needsHostCgo(t)
	src := writeModule(t, map[string]string{
		"plug/plug.go": `package main

var greeting = "hello from the plugin"

func Greet() string { return greeting }

func main() {}
`,
		"host/host.go": `package main

import (
	"os"
	"plugin"
)

func main() {
	p, err := plugin.Open(os.Args[1])
	if err != nil {
		println("plugin.Open:", err.Error())
		os.Exit(1)
	}
	sym, err := p.Lookup("Greet")
	if err != nil {
		println("Lookup:", err.Error())
		os.Exit(1)
	}
	println("host says:", sym.(func() string)())
}
`,
	})
	out := t.TempDir()
	so := filepath.Join(out, "plug.so")
	host := filepath.Join(out, "host")
	goBuild(t, src, tg.env(), "-buildmode=plugin", "-o", so, "-ldflags=-buildid="+Placeholder, "./plug")
	goBuild(t, src, tg.env(), "-o", host, "./host")
	if !linkedExternally(t, so) {
		t.Fatalf("%s has no GCC .comment section; not externally linked?", so)
	}
	if f, err := elf.Open(so); err != nil {
		t.Fatal(err)
	} else {
		if f.Type != elf.ET_DYN {
			t.Errorf("%s has ELF type %v, want ET_DYN", so, f.Type)
		}
		f.Close()
	}
	checkPatch(t, so, tg)

	cmd := exec.Command(host, so)
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("host with patched plugin: %v\n%s", err, b)
	}
	if want := "host says: hello from the plugin"; !strings.Contains(string(b), want) {
		t.Errorf("host printed %q, want it to contain %q", b, want)
	}
}

// TestSetContentBuildIDOtherBuildID checks that binaries linked without the
// placeholder are left byte for byte unchanged.
func TestSetContentBuildIDOtherBuildID(t *testing.T) {
	sameLength := strings.Repeat("1", 20) + "/" + strings.Repeat("2", 20) + "/" + strings.Repeat("3", 20) + "/" + strings.Repeat("4", 20)
	for _, tc := range []struct {
		name    string
		target  target
		buildID string
	}{
		{"linux_short", target{goos: "linux", goarch: "amd64"}, "custom-build-id"},
		{"linux_same_length", target{goos: "linux", goarch: "amd64"}, sameLength},
		{"linux_placeholder_prefix", target{goos: "linux", goarch: "amd64"}, Placeholder + "/extra"},
		{"linux_none", target{goos: "linux", goarch: "amd64"}, ""},
		{"linux_external_same_length", target{goos: "linux", goarch: "amd64", cgo: true, external: true}, sameLength},
		{"darwin_arm64_same_length", target{goos: "darwin", goarch: "arm64", signed: true}, sameLength},
		{"darwin_arm64_none", target{goos: "darwin", goarch: "arm64", signed: true}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			source := pureProgram
			ldflags := "-buildid=" + tc.buildID
			if tc.target.external {
				tc.target.needsHostCgo(t)
				source = cgoProgram
				ldflags = "-linkmode=external " + ldflags
			}
			src := writeModule(t, map[string]string{"main.go": fmt.Sprintf(source, "X")})
			bin := filepath.Join(t.TempDir(), "prog")
			goBuild(t, src, tc.target.env(), "-o", bin, "-ldflags="+ldflags, ".")
			before := readFile(t, bin)
			if got := goToolBuildID(t, bin); got != tc.buildID {
				t.Fatalf("go tool buildid = %q before patching, want %q", got, tc.buildID)
			}
			if err := SetContentBuildID(bin); err != nil {
				t.Fatalf("SetContentBuildID: %v", err)
			}
			if !bytes.Equal(readFile(t, bin), before) {
				t.Errorf("SetContentBuildID changed a binary linked with -buildid=%q", tc.buildID)
			}
		})
	}
}

// TestMachOCodeSignMatchesLinker checks the verifier used by checkMachO
// against the signature cmd/link writes, and that the port re-signs an
// unpatched binary exactly as cmd/link signed it.
func TestMachOCodeSignMatchesLinker(t *testing.T) {
	tg := target{goos: "darwin", goarch: "arm64", signed: true}
	for _, tc := range []struct{ name, buildID string }{
		{"placeholder", Placeholder},
		{"custom", "custom-build-id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := writeModule(t, map[string]string{"main.go": fmt.Sprintf(pureProgram, "S")})
			bin := filepath.Join(t.TempDir(), "prog")
			goBuild(t, src, tg.env(), "-o", bin, "-ldflags=-buildid="+tc.buildID, ".")
			orig := readFile(t, bin)

			// The verifier accepts cmd/link's own signature...
			if err := verifyAdHocSignature(orig); err != nil {
				t.Fatalf("verifier rejects the signature cmd/link wrote: %v", err)
			}
			// ...and rejects it once a signed byte changes: in the padding
			// after the load commands, in the middle, and just before the
			// signature.
			afterLoads := 32 + int(binary.LittleEndian.Uint32(orig[20:])) + 1
			for _, off := range []int{afterLoads, len(orig) / 2, machoSignatureOffset(t, orig) - 1} {
				tampered := bytes.Clone(orig)
				tampered[off] ^= 0xff
				if err := verifyAdHocSignature(tampered); err == nil {
					t.Errorf("verifier accepts the signature with byte %#x flipped", off)
				}
			}

			// The port's machoCodeSign re-creates cmd/link's signature exactly.
			if err := machoCodeSign(bin); err != nil {
				t.Fatalf("machoCodeSign: %v", err)
			}
			if !bytes.Equal(readFile(t, bin), orig) {
				t.Error("machoCodeSign of an unpatched binary differs from cmd/link's output")
			}
		})
	}
}

// checkPatch runs SetContentBuildID on bin and checks the result, returning
// the new Go build ID.
func checkPatch(t *testing.T, bin string, tg target) string {
	t.Helper()
	before := readFile(t, bin)
	if got := goToolBuildID(t, bin); got != Placeholder {
		t.Fatalf("go tool buildid = %q before patching, want the placeholder", got)
	}
	sum := sha256.Sum256(before)
	want := wantBuildID(sum)

	// Patch two fresh copies too, to check that the result is reproducible.
	copies := []string{bin, bin + ".copy1", bin + ".copy2"}
	for _, c := range copies[1:] {
		if err := os.WriteFile(c, before, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range copies {
		if err := SetContentBuildID(c); err != nil {
			t.Fatalf("SetContentBuildID(%s): %v", c, err)
		}
	}
	after := readFile(t, bin)
	for _, c := range copies[1:] {
		if !bytes.Equal(readFile(t, c), after) {
			t.Errorf("patching a fresh copy gave a different result: %s", c)
		}
	}

	got := goToolBuildID(t, bin)
	if got == Placeholder {
		t.Fatalf("go tool buildid still prints the placeholder after patching")
	}
	if !buildIDFormat.MatchString(got) {
		t.Errorf("go tool buildid = %q, not 4 chunks of 20 hex characters", got)
	}
	if got != want {
		t.Errorf("go tool buildid = %q, want %q (from the sha256 of the linked file)", got, want)
	}
	if len(after) != len(before) {
		t.Errorf("file size changed from %d to %d", len(before), len(after))
	}

	var allowed []span
	if tg.goos == "darwin" {
		allowed = checkMachO(t, before, after, sum, tg)
	} else {
		allowed = checkELF(t, bin, before, after, sum)
	}
	checkOnlyChanged(t, before, after, allowed)

	// A second run finds no placeholder and changes nothing.
	if err := SetContentBuildID(bin); err != nil {
		t.Fatalf("second SetContentBuildID: %v", err)
	}
	if !bytes.Equal(readFile(t, bin), after) {
		t.Error("second SetContentBuildID changed the binary again")
	}
	return got
}

type span struct {
	name     string
	off, len int
}

// checkOnlyChanged checks that before and after differ only within allowed.
func checkOnlyChanged(t *testing.T, before, after []byte, allowed []span) {
	t.Helper()
	n := min(len(before), len(after))
	for i := 0; i < n; i++ {
		if before[i] == after[i] {
			continue
		}
		ok := false
		for _, s := range allowed {
			if i >= s.off && i < s.off+s.len {
				ok = true
				break
			}
		}
		if !ok {
			t.Errorf("byte %#x changed outside the build IDs and code signature", i)
			return
		}
	}
}

func checkELF(t *testing.T, bin string, before, after []byte, sum [sha256.Size]byte) []span {
	t.Helper()
	goBefore, gnuBefore := elfNotes(t, before)
	goAfter, gnuAfter := elfNotes(t, after)
	if string(before[goBefore.off:][:goBefore.len]) != Placeholder {
		t.Errorf(".note.go.buildid held %q before patching", before[goBefore.off:][:goBefore.len])
	}
	if got, want := string(after[goAfter.off:][:goAfter.len]), wantBuildID(sum); got != want {
		t.Errorf(".note.go.buildid = %q, want %q", got, want)
	}
	if gnuBefore.len == 0 {
		t.Fatalf("%s has no %s note", bin, elfGNUBuildIDSection)
	}
	oldGNU := before[gnuBefore.off:][:gnuBefore.len]
	newGNU := after[gnuAfter.off:][:gnuAfter.len]
	if bytes.Equal(oldGNU, newGNU) {
		t.Errorf("GNU build ID unchanged: %x", newGNU)
	}
	if n := min(len(newGNU), len(sum)); !bytes.Equal(newGNU[:n], sum[:n]) || !allZero(newGNU[n:]) {
		t.Errorf("GNU build ID = %x, want the sha256 of the file, %x", newGNU, sum)
	}

	// debug/elf must agree with the raw section parse above.
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data, err := f.Section(elfGNUBuildIDSection).Data()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(data, newGNU) {
		t.Errorf("debug/elf reads %s as %x, want it to end in %x", elfGNUBuildIDSection, data, newGNU)
	}
	return []span{goBefore, gnuBefore}
}

// elfNotes returns the file spans of the descriptors of the Go and GNU build
// ID notes, checking their note names and types.
func elfNotes(t *testing.T, data []byte) (goNote, gnuNote span) {
	t.Helper()
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	note := func(name, owner string, typ uint32) span {
		s := f.Section(name)
		if s == nil {
			return span{name: name}
		}
		if s.Type != elf.SHT_NOTE {
			t.Fatalf("%s has type %v", name, s.Type)
		}
		b := data[s.Offset:][:s.Size]
		namesz := int(f.ByteOrder.Uint32(b[0:]))
		descsz := int(f.ByteOrder.Uint32(b[4:]))
		if got := f.ByteOrder.Uint32(b[8:]); got != typ {
			t.Fatalf("%s note type = %d, want %d", name, got, typ)
		}
		// cmd/link pads "Go" to "Go\x00\x00"; namesz includes the padding.
		if got := string(b[12:][:namesz]); strings.TrimRight(got, "\x00") != owner || !strings.HasSuffix(got, "\x00") {
			t.Fatalf("%s note name = %q, want %q", name, got, owner)
		}
		descOff := 12 + (namesz+3)/4*4
		return span{name: name, off: int(s.Offset) + descOff, len: descsz}
	}
	const ntGoBuildID, ntGNUBuildID = 4, 3
	return note(elfGoBuildIDSection, "Go", ntGoBuildID), note(elfGNUBuildIDSection, "GNU", ntGNUBuildID)
}

func linkedExternally(t *testing.T, bin string) bool {
	t.Helper()
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := f.Section(".comment")
	if s == nil {
		return false
	}
	b, err := s.Data()
	return err == nil && bytes.Contains(b, []byte("GCC"))
}

// machoInfo holds what the tests read from a Mach-O file by walking its load
// commands directly, without debug/macho or the port.
type machoInfo struct {
	filetype               uint32
	uuidOff                int // file offset of the LC_UUID payload, 0 if none
	sigOff, sigSize        int // LC_CODE_SIGNATURE, 0 if none
	textOff, textSize      int // __TEXT segment
	linkeditOff, linkeditN int // __LINKEDIT segment file offset and size
}

func parseMachO(data []byte) (machoInfo, error) {
	var mi machoInfo
	le := binary.LittleEndian
	if len(data) < 32 || le.Uint32(data) != 0xfeedfacf {
		return mi, errors.New("not a little-endian 64-bit Mach-O file")
	}
	mi.filetype = le.Uint32(data[12:])
	ncmds := int(le.Uint32(data[16:]))
	off := 32
	for i := 0; i < ncmds; i++ {
		if off+8 > len(data) {
			return mi, errors.New("load commands truncated")
		}
		cmd, size := le.Uint32(data[off:]), int(le.Uint32(data[off+4:]))
		if size < 8 || off+size > len(data) {
			return mi, fmt.Errorf("bad load command size %d", size)
		}
		lc := data[off:][:size]
		switch cmd {
		case 0x1b: // LC_UUID
			mi.uuidOff = off + 8
		case 0x1d: // LC_CODE_SIGNATURE
			mi.sigOff, mi.sigSize = int(le.Uint32(lc[8:])), int(le.Uint32(lc[12:]))
		case 0x19: // LC_SEGMENT_64
			name := string(bytes.TrimRight(lc[8:24], "\x00"))
			fileoff, filesize := int(le.Uint64(lc[40:])), int(le.Uint64(lc[48:]))
			switch name {
			case "__TEXT":
				mi.textOff, mi.textSize = fileoff, filesize
			case "__LINKEDIT":
				mi.linkeditOff, mi.linkeditN = fileoff, filesize
			}
		}
		off += size
	}
	return mi, nil
}

func machoSignatureOffset(t *testing.T, data []byte) int {
	t.Helper()
	mi, err := parseMachO(data)
	if err != nil {
		t.Fatal(err)
	}
	if mi.sigOff == 0 {
		t.Fatal("no LC_CODE_SIGNATURE")
	}
	return mi.sigOff
}

func checkMachO(t *testing.T, before, after []byte, sum [sha256.Size]byte, tg target) []span {
	t.Helper()
	mb, err := parseMachO(before)
	if err != nil {
		t.Fatal(err)
	}
	ma, err := parseMachO(after)
	if err != nil {
		t.Fatal(err)
	}
	if ma != mb {
		t.Errorf("load command layout changed: %+v -> %+v", mb, ma)
	}

	// The Go build ID, found by its delimiters as go tool buildid finds it.
	marker := []byte("\xff Go build ID: \"" + Placeholder + "\"\n \xff")
	i := bytes.Index(before, marker)
	if i < 0 {
		t.Fatal("no quoted placeholder build ID in the file")
	}
	idSpan := span{name: "Go build ID", off: i + len("\xff Go build ID: \""), len: len(Placeholder)}
	if got, want := string(after[idSpan.off:][:idSpan.len]), wantBuildID(sum); got != want {
		t.Errorf("quoted Go build ID = %q, want %q", got, want)
	}

	if mb.uuidOff == 0 {
		t.Fatal("no LC_UUID")
	}
	oldUUID, newUUID := before[mb.uuidOff:][:16], after[ma.uuidOff:][:16]
	if bytes.Equal(oldUUID, newUUID) {
		t.Errorf("LC_UUID unchanged: %x", newUUID)
	}
	wantUUID := bytes.Clone(sum[:16])
	wantUUID[6] = wantUUID[6]&0x0f | 0x30 // as cmd/link's uuidFromGoBuildId
	wantUUID[8] = wantUUID[8]&0x3f | 0xc0
	if !bytes.Equal(newUUID, wantUUID) {
		t.Errorf("LC_UUID = %x, want %x", newUUID, wantUUID)
	}
	// debug/macho must agree with the raw load command walk.
	f, err := macho.NewFile(bytes.NewReader(after))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, l := range f.Loads {
		if raw := l.Raw(); f.ByteOrder.Uint32(raw) == 0x1b {
			found = bytes.Equal(raw[8:24], wantUUID)
		}
	}
	if !found {
		t.Error("debug/macho does not read the new LC_UUID")
	}

	spans := []span{idSpan, {name: "LC_UUID", off: mb.uuidOff, len: 16}}
	if !tg.signed {
		if ma.sigOff != 0 {
			t.Errorf("%s/%s binary has a code signature; test expects none", tg.goos, tg.goarch)
		}
		return spans
	}
	if ma.sigOff == 0 {
		t.Fatal("no LC_CODE_SIGNATURE after patching")
	}
	if err := verifyAdHocSignature(before); err != nil {
		t.Errorf("cmd/link's signature does not verify: %v", err)
	}
	if err := verifyAdHocSignature(after); err != nil {
		t.Errorf("signature after patching does not verify: %v", err)
	}
	if bytes.Equal(before[mb.sigOff:], after[ma.sigOff:]) {
		t.Error("code signature unchanged although the signed content changed")
	}
	return append(spans, span{name: "code signature", off: mb.sigOff, len: mb.sigSize})
}

// verifyAdHocSignature checks the embedded ad-hoc code signature of a Mach-O
// file the way the kernel checks code pages: every page hash in the
// CodeDirectory must match the sha256 of the corresponding page of the file.
// It deliberately shares no code with codesign.go.
func verifyAdHocSignature(data []byte) error {
	mi, err := parseMachO(data)
	if err != nil {
		return err
	}
	if mi.sigOff == 0 {
		return errors.New("no LC_CODE_SIGNATURE")
	}
	if mi.sigOff+mi.sigSize != len(data) {
		return fmt.Errorf("signature [%#x,+%#x) does not end the %#x-byte file", mi.sigOff, mi.sigSize, len(data))
	}
	if mi.linkeditOff+mi.linkeditN != len(data) {
		return fmt.Errorf("__LINKEDIT [%#x,+%#x) does not cover the signature", mi.linkeditOff, mi.linkeditN)
	}
	be := binary.BigEndian
	sb := data[mi.sigOff:]
	if len(sb) < 12 || be.Uint32(sb) != 0xfade0cc0 {
		return errors.New("no embedded signature SuperBlob")
	}
	if n := int(be.Uint32(sb[4:])); n > len(sb) {
		return fmt.Errorf("SuperBlob length %d exceeds signature size %d", n, len(sb))
	}
	var cd []byte
	for i := 0; i < int(be.Uint32(sb[8:])); i++ {
		idx := sb[12+8*i:]
		if be.Uint32(idx) == 0 { // CSSLOT_CODEDIRECTORY
			cd = sb[be.Uint32(idx[4:]):]
		}
	}
	if cd == nil || len(cd) < 88 || be.Uint32(cd) != 0xfade0c02 {
		return errors.New("no CodeDirectory")
	}
	cd = cd[:be.Uint32(cd[4:])]
	version, flags := be.Uint32(cd[8:]), be.Uint32(cd[12:])
	hashOff, identOff := int(be.Uint32(cd[16:])), int(be.Uint32(cd[20:]))
	nCode, codeLimit := int(be.Uint32(cd[28:])), int(be.Uint32(cd[32:]))
	hashSize, hashType, pageShift := int(cd[36]), cd[37], cd[39]
	if flags&0x2 == 0 {
		return fmt.Errorf("CodeDirectory flags %#x lack CS_ADHOC", flags)
	}
	if hashType != 2 || hashSize != sha256.Size {
		return fmt.Errorf("hash type %d size %d, want SHA-256", hashType, hashSize)
	}
	if codeLimit != mi.sigOff {
		return fmt.Errorf("code limit %#x, want the signature offset %#x", codeLimit, mi.sigOff)
	}
	if id, _, _ := bytes.Cut(cd[identOff:], []byte{0}); string(id) != "a.out" {
		return fmt.Errorf("identifier %q", id)
	}
	pageSize := 1 << pageShift
	if want := (codeLimit + pageSize - 1) / pageSize; nCode != want {
		return fmt.Errorf("%d code slots, want %d", nCode, want)
	}
	if hashOff+nCode*hashSize > len(cd) {
		return errors.New("hash slots exceed the CodeDirectory")
	}
	for i := 0; i < nCode; i++ {
		page := data[i*pageSize : min((i+1)*pageSize, codeLimit)]
		h := sha256.Sum256(page)
		if !bytes.Equal(h[:], cd[hashOff+i*hashSize:][:hashSize]) {
			return fmt.Errorf("hash of page %d at %#x does not match", i, i*pageSize)
		}
	}
	if version >= 0x20400 {
		base, limit, execFlags := int(be.Uint64(cd[64:])), int(be.Uint64(cd[72:])), be.Uint64(cd[80:])
		if base != mi.textOff || limit != mi.textSize {
			return fmt.Errorf("exec segment [%#x,+%#x), want __TEXT [%#x,+%#x)", base, limit, mi.textOff, mi.textSize)
		}
		const mhExecute, csExecSegMainBinary = 2, 1
		if isMain := mi.filetype == mhExecute; isMain != (execFlags&csExecSegMainBinary != 0) {
			return fmt.Errorf("exec segment flags %#x for file type %d", execFlags, mi.filetype)
		}
	}
	return nil
}

func wantBuildID(sum [sha256.Size]byte) string {
	h := hex.EncodeToString(sum[:]) // 64 characters; the ID repeats them
	h += h
	return strings.Join([]string{h[:20], h[20:40], h[40:60], h[60:80]}, "/")
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func runProgram(t *testing.T, bin string) string {
	t.Helper()
	b, err := exec.Command(bin).CombinedOutput()
	if err != nil {
		t.Fatalf("running patched %s: %v\n%s", bin, err, b)
	}
	return string(b)
}

// writeModule writes a throwaway module holding files and returns its root.
func writeModule(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files["go.mod"] = "module example.com/prog\n\ngo 1.21\n"
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func goBuild(t *testing.T, dir string, env []string, args ...string) {
	t.Helper()
	runGo(t, dir, env, append([]string{"build"}, args...)...)
}

func goToolBuildID(t *testing.T, bin string) string {
	t.Helper()
	return strings.TrimSpace(runGo(t, "", nil, "tool", "buildid", bin))
}

func runGo(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	g := goTool(t)
	cmd := exec.Command(g.path, args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), g.env...), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return stdout.String()
}

type goToolchain struct {
	path string
	env  []string
}

var (
	goOnce     sync.Once
	goFound    *goToolchain
	goErr      string
	scratchDir string // removed by TestMain
)

// goTool returns the go command and the environment to run it in, or skips
// the test. Under Bazel go may not be on PATH and HOME may be unset, so it
// also looks in $GOROOT/bin and runtime.GOROOT()/bin and supplies a build
// cache and GOPATH when the go command has none.
func goTool(t *testing.T) *goToolchain {
	t.Helper()
	goOnce.Do(func() {
		var candidates []string
		if p, err := exec.LookPath("go"); err == nil {
			candidates = append(candidates, p)
		}
		if root := os.Getenv("GOROOT"); root != "" {
			candidates = append(candidates, filepath.Join(root, "bin", "go"))
		}
		if root := runtime.GOROOT(); root != "" {
			candidates = append(candidates, filepath.Join(root, "bin", "go"))
		}
		for _, c := range candidates {
			if fi, err := os.Stat(c); err == nil && !fi.IsDir() {
				goFound = &goToolchain{path: c}
				break
			}
		}
		if goFound == nil {
			goErr = "go command not found on PATH, in $GOROOT/bin or in runtime.GOROOT()/bin"
			return
		}
		goFound.env = []string{"GOTOOLCHAIN=local", "GOFLAGS=-buildvcs=false", "GOPROXY=off", "GOWORK=off", "GO111MODULE=on"}
		cmd := exec.Command(goFound.path, "env", "GOCACHE", "GOPATH")
		cmd.Env = append(os.Environ(), goFound.env...)
		out, _ := cmd.Output()
		vars := strings.Split(strings.TrimSpace(string(out)), "\n")
		if len(vars) != 2 || vars[0] == "" || vars[0] == "off" || vars[1] == "" {
			dir, err := os.MkdirTemp("", "buildid_test_go")
			if err != nil {
				goErr = err.Error()
				return
			}
			scratchDir = dir
			if len(vars) != 2 || vars[0] == "" || vars[0] == "off" {
				goFound.env = append(goFound.env, "GOCACHE="+filepath.Join(dir, "cache"))
			}
			if len(vars) != 2 || vars[1] == "" {
				goFound.env = append(goFound.env, "GOPATH="+filepath.Join(dir, "gopath"))
			}
		}
	})
	if goFound == nil {
		t.Skip(goErr)
	}
	return goFound
}

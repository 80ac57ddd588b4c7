package gofingerprint

// Mach-O (darwin, ios) support.
//
// Which darwin files carry the symbols: the same as on ELF platforms
// (plugins, and executables that link package plugin and runtime/cgo; see
// canUsePlugins in cmd/link/internal/ld/lib.go), since darwin/amd64 and
// darwin/arm64 support -buildmode=plugin. For those, cmd/link marks the
// go:link.pkghash* symbols for export (machoShouldExport in
// cmd/link/internal/ld/macho.go), so they are N_SECT|N_EXT (0x0f) entries
// of the LC_SYMTAB symbol table, whether the Go linker writes the final
// file or the go.o it hands to the system linker (which keeps the names
// and the 8 bytes of data). Stripping: cmd/link's -s with external linking
// runs "strip -S -x", which keeps these global symbols; with internal
// linking -s leaves out all data symbols that are not cgo-exported, these
// included, and we report ErrNoFingerprints.
//
// Names: machosymtab (cmd/link/internal/ld/macho.go) writes every symbol
// name as "_" + name, like the C toolchain, so the string table holds
// "_go:link.pkghashbytes.<p>". debug/macho removes that underscore again
// for names containing a "." (golang.org/issue/33808), which these always
// do; we accept both spellings so as not to depend on that.
//
// Size: Mach-O symbols have no size. cmd/link gives go:link.pkghashbytes.<p>
// the size len(l.Fingerprint) (symtab.go), i.e. of goobj.FingerprintType,
// [8]byte, and the ELF path reads exactly st_size bytes, which is 8. We read
// the fixed machoFingerprintSize bytes rather than "up to the next symbol":
// the distance to the next symbol includes any alignment padding, and would
// change the hex string. As a consistency check, the 8 bytes must lie
// inside the symbol's section and must not run into the next symbol
// defined in that section.

import (
	"debug/macho"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
)

// machoFingerprintSize is the size of a go:link.pkghashbytes.<p> symbol:
// len(goobj.FingerprintType).
const machoFingerprintSize = 8

// It must respect the bound the ELF path applies to symbol sizes.
var _ [maxFingerprintSize - machoFingerprintSize]struct{}

// Constants from <mach-o/nlist.h>, <mach-o/loader.h> and <mach-o/fat.h>
// that debug/macho does not define.
const (
	machoNStab = 0xe0 // n_type: a symbolic debugging (stab) entry
	machoNType = 0x0e // n_type: mask for the type bits
	machoNUndf = 0x00 // undefined
	machoNSect = 0x0e // defined in section n_sect

	machoSectionType        = 0x000000ff // section flags: mask for the type
	machoSZerofill          = 0x01       // S_ZEROFILL
	machoSGBZerofill        = 0x0c       // S_GB_ZEROFILL
	machoSThreadLocalZerofl = 0x12       // S_THREAD_LOCAL_ZEROFILL

	machoMagicFat64 = 0xcafebabf // FAT_MAGIC_64 (big-endian on disk)
)

// isMachO reports whether magic, the first four bytes of a file, is that of
// a thin Mach-O file (32- or 64-bit, either byte order).
func isMachO(magic [4]byte) bool {
	for _, m := range []uint32{binary.LittleEndian.Uint32(magic[:]), binary.BigEndian.Uint32(magic[:])} {
		if m == macho.Magic32 || m == macho.Magic64 {
			return true
		}
	}
	return false
}

// machoFatFingerprints reads a universal ("fat") file. Fingerprints are per
// architecture (a package's export data, which they hash, can differ
// between GOARCHes; the standard library's does), so a universal file has
// one answer only if all its slices agree: then, in particular for a single
// slice, that is returned. Otherwise it is an error naming the slices and
// a package whose fingerprints differ; pass a thin file (lipo -thin).
func machoFatFingerprints(ff *macho.FatFile) (map[string]string, error) {
	var first map[string]string
	for i, a := range ff.Arches {
		fps, err := machoFingerprints(a.File)
		if err != nil {
			return nil, fmt.Errorf("universal file, slice %d (%v): %w", i, a.Cpu, err)
		}
		if i == 0 {
			first = fps
			continue
		}
		if !maps.Equal(first, fps) {
			return nil, fmt.Errorf("universal file: slices %v and %v have different fingerprints (%s), which are per architecture: read a thin file (lipo -thin)",
				ff.Arches[0].Cpu, a.Cpu, firstDifference(first, fps))
		}
	}
	return first, nil
}

// firstDifference describes the alphabetically first package whose
// fingerprint in a and b differs.
func firstDifference(a, b map[string]string) string {
	pkgs := slices.Collect(maps.Keys(a))
	for p := range b {
		if _, ok := a[p]; !ok {
			pkgs = append(pkgs, p)
		}
	}
	slices.Sort(pkgs)
	for _, p := range pkgs {
		fa, oka := a[p]
		fb, okb := b[p]
		switch {
		case !okb:
			return fmt.Sprintf("%s only in the first", p)
		case !oka:
			return fmt.Sprintf("%s only in the second", p)
		case fa != fb:
			return fmt.Sprintf("%s: %s vs %s", p, fa, fb)
		}
	}
	return "none"
}

// machoFingerprints reads the fingerprints from a thin Mach-O file: an
// executable, bundle or dylib, or an object file (the go.o cmd/link writes
// for the external linker; there, too, symbol values are addresses in the
// file's sections).
func machoFingerprints(f *macho.File) (map[string]string, error) {
	if f.Symtab == nil {
		return nil, fmt.Errorf("no symbol table: %w", ErrNoFingerprints)
	}
	// Start addresses of the symbols defined in each section, sorted.
	starts := map[uint8][]uint64{}
	for _, s := range f.Symtab.Syms {
		if s.Type&machoNStab == 0 && s.Type&machoNType == machoNSect {
			starts[s.Sect] = append(starts[s.Sect], s.Value)
		}
	}
	for _, a := range starts {
		slices.Sort(a)
	}
	fps := map[string]string{}
	for _, s := range f.Symtab.Syms {
		pkg, ok := strings.CutPrefix(s.Name, SymbolPrefix)
		if !ok {
			pkg, ok = strings.CutPrefix(s.Name, "_"+SymbolPrefix)
		}
		// Skip stabs (debug map entries repeat data symbols' names) and
		// references to other modules' symbols.
		if !ok || pkg == "" || s.Type&machoNStab != 0 || s.Type&machoNType == machoNUndf {
			continue
		}
		b, err := machoSymbolData(f, s, starts[s.Sect])
		if err != nil {
			return nil, fmt.Errorf("%s: %v", s.Name, err)
		}
		fp := hex.EncodeToString(b)
		if prev, ok := fps[pkg]; ok && prev != fp {
			return nil, fmt.Errorf("%s: defined twice, with different data (%s vs %s)", s.Name, prev, fp)
		}
		fps[pkg] = fp
	}
	if len(fps) == 0 {
		return nil, ErrNoFingerprints
	}
	return fps, nil
}

// machoSymbolData returns the machoFingerprintSize bytes at a symbol
// defined in a section; starts holds the sorted addresses of all symbols
// defined in that section.
func machoSymbolData(f *macho.File, s macho.Symbol, starts []uint64) ([]byte, error) {
	if s.Type&machoNType != machoNSect {
		return nil, fmt.Errorf("not defined in a section (n_type %#x)", s.Type)
	}
	if s.Sect == 0 || int(s.Sect) > len(f.Sections) {
		return nil, fmt.Errorf("bad section number %d", s.Sect)
	}
	sec := f.Sections[s.Sect-1] // n_sect counts from 1
	name := sec.Seg + "," + sec.Name
	switch sec.Flags & machoSectionType {
	case machoSZerofill, machoSGBZerofill, machoSThreadLocalZerofl:
		return nil, fmt.Errorf("in %s, which has no file data", name)
	}
	const size = machoFingerprintSize
	if s.Value < sec.Addr || s.Value-sec.Addr > sec.Size || sec.Size-(s.Value-sec.Addr) < size {
		return nil, fmt.Errorf("outside its section %s", name)
	}
	// The next symbol must not start within the fingerprint.
	if i := sort.Search(len(starts), func(i int) bool { return starts[i] > s.Value }); i < len(starts) && starts[i]-s.Value < size {
		return nil, fmt.Errorf("next symbol in %s is %d bytes after it, want at least %d", name, starts[i]-s.Value, size)
	}
	b := make([]byte, size)
	if _, err := sec.ReadAt(b, int64(s.Value-sec.Addr)); err != nil {
		return nil, fmt.Errorf("reading %s: %v", name, err)
	}
	return b, nil
}

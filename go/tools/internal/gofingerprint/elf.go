package gofingerprint

import (
	"debug/elf"
	"debug/macho"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// SymbolPrefix starts the names of the symbols that hold package
// fingerprints (in ELF; in Mach-O the names carry an extra leading
// underscore, see macho.go).
//
// Why this symbol: when cmd/link builds a plugin, or an executable that can
// load plugins (it links package plugin, with cgo, on a platform that
// supports plugins), it emits for every linked package p
// (cmd/link/internal/ld/symtab.go):
//
//	go:link.pkghashbytes.<p>  read-only data: p's fingerprint, the 8-byte
//	                          goobj.FingerprintType the compiler derives
//	                          from p's export data
//	go:link.pkghash.<p>       a Go string header pointing at the above
//
// A plugin's moduledata.pkghashes pairs, per package, its own link-time
// fingerprint with a pointer to go:link.pkghash.<p>; the dynamic loader
// binds that pointer to the first definition in the process (normally the
// host's; for a package the host does not link, that of the first plugin
// loaded that has it), and runtime/plugin.go rejects the plugin if the two
// differ ("plugin was built with a different version of package p"). So
// comparing pkghashbytes values of host and plugin is exactly the runtime's
// check.
//
// We read go:link.pkghashbytes.<p> rather than go:link.pkghash.<p> because
// its bytes are the fingerprint itself, stored in the file with no
// relocation; the string header's data pointer in a PIE or .so is filled
// by a dynamic relocation and may be zero on disk. Both symbols are global
// and exported (the loader needs them): in ELF they are in .dynsym, so they
// survive stripping (-s, strip(1)), and .symtab is consulted too when
// present; in Mach-O they are N_EXT entries of the one symbol table (see
// macho.go for what stripping does there).
const SymbolPrefix = "go:link.pkghashbytes."

// maxFingerprintSize bounds the symbol size we accept (fingerprints are 8
// bytes today), so a corrupt file cannot make us allocate much.
const maxFingerprintSize = 64

// ErrNoFingerprints is returned (wrapped) by ReadPackageFingerprints for an
// ELF or Mach-O file without fingerprint symbols: a shared object not
// linked with -buildmode=plugin, or an executable that cannot load plugins
// (it does not import package plugin, or was linked without cgo).
var ErrNoFingerprints = errors.New("no " + SymbolPrefix + "* symbols (not linked with -buildmode=plugin, nor as a plugin host: an executable that imports package plugin, built with cgo)")

// ReadPackageFingerprints returns, for every Go package linked into the
// ELF or Mach-O file at path (a plugin .so or a plugin-capable host
// executable), its link-time fingerprint as lower-case hex, keyed by
// package path. These are the values plugin.Open compares between host and
// plugin. It is an error wrapping ErrNoFingerprints if the file has no
// fingerprint symbols.
//
// The format is detected from the file's magic number: ELF, thin Mach-O
// (32- or 64-bit, either byte order) or a universal ("fat") Mach-O file;
// see machoFatFingerprints for the latter.
func ReadPackageFingerprints(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err // a *fs.PathError, which names the file
	}
	defer f.Close()
	var magic [4]byte
	// A file shorter than the magic number is io.EOF: not ELF nor Mach-O.
	if _, err := f.ReadAt(magic[:], 0); err != nil && err != io.EOF {
		return nil, err // a *fs.PathError, e.g. for a directory
	}
	fps, err := readFingerprints(f, magic)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return fps, nil
}

// readFingerprints reads the fingerprints from r, an ELF or Mach-O file
// whose first four bytes are magic.
func readFingerprints(r io.ReaderAt, magic [4]byte) (map[string]string, error) {
	switch {
	case string(magic[:]) == elf.ELFMAG:
		f, err := elf.NewFile(r)
		if err != nil {
			return nil, fmt.Errorf("not a valid ELF file: %w", err)
		}
		return elfFingerprints(f)
	case isMachO(magic):
		f, err := macho.NewFile(r)
		if err != nil {
			return nil, fmt.Errorf("not a valid Mach-O file: %w", err)
		}
		return machoFingerprints(f)
	case binary.BigEndian.Uint32(magic[:]) == macho.MagicFat:
		ff, err := macho.NewFatFile(r)
		if err != nil {
			return nil, fmt.Errorf("not a valid universal (fat) Mach-O file: %w", err)
		}
		return machoFatFingerprints(ff)
	case binary.BigEndian.Uint32(magic[:]) == machoMagicFat64:
		return nil, errors.New("universal (fat) Mach-O file with 64-bit headers: not supported, extract a thin file with lipo -thin")
	default:
		return nil, errors.New("not an ELF or Mach-O file")
	}
}

func elfFingerprints(f *elf.File) (map[string]string, error) {
	fps := map[string]string{}
	var tables int
	for _, read := range []func() ([]elf.Symbol, error){f.DynamicSymbols, f.Symbols} {
		syms, err := read()
		if errors.Is(err, elf.ErrNoSymbols) {
			continue
		}
		if err != nil {
			return nil, err
		}
		tables++
		for _, s := range syms {
			pkg, ok := strings.CutPrefix(s.Name, SymbolPrefix)
			if !ok || pkg == "" || s.Section == elf.SHN_UNDEF {
				continue
			}
			b, err := symbolData(f, s)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", s.Name, err)
			}
			fp := hex.EncodeToString(b)
			if prev, ok := fps[pkg]; ok && prev != fp {
				return nil, fmt.Errorf("%s: .dynsym and .symtab disagree (%s vs %s)", s.Name, prev, fp)
			}
			fps[pkg] = fp
		}
	}
	if tables == 0 {
		// An ELF file without symbol tables has no fingerprints either.
		return nil, fmt.Errorf("no symbol tables: %w", ErrNoFingerprints)
	}
	if len(fps) == 0 {
		return nil, ErrNoFingerprints
	}
	return fps, nil
}

// symbolData returns the bytes of a defined data symbol in an executable
// or shared object (where symbol values are virtual addresses).
func symbolData(f *elf.File, s elf.Symbol) ([]byte, error) {
	if s.Size == 0 || s.Size > maxFingerprintSize {
		return nil, fmt.Errorf("unexpected size %d", s.Size)
	}
	if int(s.Section) >= len(f.Sections) || s.Section >= elf.SHN_LORESERVE {
		return nil, fmt.Errorf("bad section index %d", s.Section)
	}
	sec := f.Sections[s.Section]
	if sec.Type == elf.SHT_NOBITS {
		return nil, fmt.Errorf("in %s, which has no file data", sec.Name)
	}
	if s.Value < sec.Addr || s.Value-sec.Addr+s.Size > sec.Size {
		return nil, fmt.Errorf("outside its section %s", sec.Name)
	}
	b := make([]byte, s.Size)
	if _, err := sec.ReadAt(b, int64(s.Value-sec.Addr)); err != nil {
		return nil, err
	}
	return b, nil
}

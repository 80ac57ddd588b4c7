package loader

import (
	"crypto/sha256"
	"debug/elf"
	"debug/macho"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// privateCopy is a plugin file's bytes, hashed while they were copied into a
// directory that only this process's user can write, so that the file
// plugin.Open maps is the file whose SHA-256 was checked: replacing or
// editing the original after the check changes nothing that is loaded.
type privateCopy struct {
	dir  string // the fresh private directory holding the copy; removed by remove
	path string // the copy
	sum  string // lower-case hex SHA-256 of the bytes copied
}

// copyDirName is the prefix of the private directories, followed by the ID of the process
// that made one (removeStaleCopies reads it) and a random part.
const copyDirName = "rules_go_plugin-"

// staleCopies removes, once per process, what crashed processes left in the copy directory.
var staleCopies sync.Once

// newPrivateCopy copies the regular file src into a fresh directory (mode
// 0700) made in parent (os.TempDir() if empty), hashing the bytes as it
// writes them. parent must not be replaceable by other users (see
// checkCopyParent).
func newPrivateCopy(src, parent string) (*privateCopy, error) {
	in, err := os.OpenFile(src, os.O_RDONLY|openNonblock, 0)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		what := "not a regular file"
		if fi.IsDir() {
			what = "a directory"
		}
		return nil, fmt.Errorf("%s is %s, not a plugin file", src, what)
	}
	if parent == "" {
		parent = os.TempDir()
	}
	if err := checkCopyParent(parent); err != nil {
		return nil, fmt.Errorf("the directory for private plugin copies %w (choose another with loader.WithCopyDir)", err)
	}
	staleCopies.Do(func() { removeStaleCopies(parent) })
	dir, err := os.MkdirTemp(parent, fmt.Sprintf("%s%d-*", copyDirName, os.Getpid()))
	if err != nil {
		return nil, fmt.Errorf("making a private directory for the plugin's copy: %w (choose another with loader.WithCopyDir)", err)
	}
	c := &privateCopy{dir: dir, path: filepath.Join(dir, filepath.Base(src))}
	out, err := os.OpenFile(c.path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o500)
	if err == nil {
		h := sha256.New()
		_, err = io.Copy(io.MultiWriter(out, h), in)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		c.sum = hex.EncodeToString(h.Sum(nil))
	}
	if err != nil {
		c.remove()
		return nil, fmt.Errorf("reading %s into a private copy: %w", src, err)
	}
	return c, nil
}

// remove deletes the private directory. Once plugin.Open has mapped the
// copy, the mapping outlives the file.
func (c *privateCopy) remove() {
	os.RemoveAll(c.dir)
}

// linkOrigins makes the copy find the shared libraries the original finds
// through paths relative to its own directory ($ORIGIN in an ELF rpath,
// @loader_path on darwin; go_plugin links shared cdeps that way): it moves
// the copy deep enough in its private directory and adds, for each such
// directory, a symlink at the same relative place to the directory next to
// src's real location (plugin.Open loads the realpath, so $ORIGIN is the
// real directory). Those libraries are loaded from where they are; only the
// plugin's own bytes are verified.
func (c *privateCopy) linkOrigins(src string) error {
	rels, err := originDirs(c.path)
	if err != nil || len(rels) == 0 {
		return nil // not an object file dlopen can use: plugin.Open reports that
	}
	real, err := filepath.EvalSymlinks(src)
	if err != nil {
		return err
	}
	srcDir := filepath.Dir(real)
	depth := 0
	for _, r := range rels {
		n := 0
		for rest := r.dir; rest == ".." || strings.HasPrefix(rest, "../"); rest = strings.TrimPrefix(rest[2:], "/") {
			n++
		}
		depth = max(depth, n)
	}
	copyDir := c.dir
	for i := 0; i < depth; i++ {
		copyDir = filepath.Join(copyDir, fmt.Sprintf(".up%d", i))
	}
	if depth > 0 {
		if err := os.MkdirAll(copyDir, 0o700); err != nil {
			return err
		}
		moved := filepath.Join(copyDir, filepath.Base(c.path))
		if err := os.Rename(c.path, moved); err != nil {
			return err
		}
		c.path = moved
	}
	var links []string // made so far, to not make a link below another
	for _, r := range rels {
		names := []string{""}
		if r.dir == "." {
			names = r.names // the plugin's own directory: link its libraries, not itself
		}
		for _, name := range names {
			rel := filepath.Join(r.dir, name)
			link := filepath.Join(copyDir, rel)
			if link == c.path || !strings.HasPrefix(link, c.dir+string(filepath.Separator)) || below(link, links) {
				continue
			}
			target := filepath.Join(srcDir, rel)
			if _, err := os.Lstat(target); err != nil {
				continue // not there for the original either
			}
			if err := os.MkdirAll(filepath.Dir(link), 0o700); err != nil {
				return err
			}
			if err := os.Symlink(target, link); err != nil && !errors.Is(err, os.ErrExist) {
				return err
			}
			links = append(links, link)
		}
	}
	return nil
}

// below reports whether path is one of links or inside one of them.
func below(path string, links []string) bool {
	for _, l := range links {
		if path == l || strings.HasPrefix(path, l+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// originDir is a directory, relative to an object file's own, where the
// dynamic loader looks for its libraries.
type originDir struct {
	dir   string   // clean relative path: ".", "lib", "../../_solib_k8/x"
	names []string // for ".": the base names of the libraries the file needs
}

// runtimeFingerprint is the symbol every Go plugin exports for package
// runtime's fingerprint (see go/tools/internal/gofingerprint); Mach-O names
// carry a leading underscore.
const runtimeFingerprint = "go:link.pkghashbytes.runtime"

// checkGoPlugin returns an error wrapping ErrNotGoPlugin unless the file at
// path is an ELF or Mach-O shared object with Go package fingerprints.
// plugin.Open must not see anything else: on a shared object without Go
// code, the runtime aborts the process ("runtime: no plugin module data")
// if no plugin is loaded yet, and otherwise blames the last plugin loaded.
func checkGoPlugin(path string) error {
	if f, err := elf.Open(path); err == nil {
		defer f.Close()
		if f.Type != elf.ET_DYN {
			return fmt.Errorf("%w: an ELF file of type %v, not a shared object", ErrNotGoPlugin, f.Type)
		}
		syms, _ := f.DynamicSymbols()
		for _, s := range syms {
			if s.Name == runtimeFingerprint {
				return nil
			}
		}
		return fmt.Errorf("%w: an ELF shared object without Go package fingerprints (%s); a C library, or Go code not linked with -buildmode=plugin", ErrNotGoPlugin, runtimeFingerprint)
	}
	if f, err := macho.Open(path); err == nil {
		defer f.Close()
		if f.Type != macho.TypeBundle && f.Type != macho.TypeDylib {
			return fmt.Errorf("%w: a Mach-O file of type %v, not a bundle or dylib", ErrNotGoPlugin, f.Type)
		}
		if f.Symtab != nil {
			for _, s := range f.Symtab.Syms {
				if s.Name == "_"+runtimeFingerprint {
					return nil
				}
			}
		}
		return fmt.Errorf("%w: a Mach-O file without Go package fingerprints (%s)", ErrNotGoPlugin, runtimeFingerprint)
	}
	return fmt.Errorf("%w: neither an ELF nor a Mach-O file (truncated, or not a compiled plugin)", ErrNotGoPlugin)
}

// originDirs returns the object file's $ORIGIN (ELF) or @loader_path
// (Mach-O) library directories, shortest first.
func originDirs(path string) ([]originDir, error) {
	var dirs, needed []string
	if f, err := elf.Open(path); err == nil {
		defer f.Close()
		for _, tag := range []elf.DynTag{elf.DT_RUNPATH, elf.DT_RPATH} {
			vals, _ := f.DynString(tag)
			for _, v := range vals {
				dirs = append(dirs, filepath.SplitList(v)...)
			}
		}
		needed, _ = f.ImportedLibraries()
		dirs = originRelative(dirs, "$ORIGIN", "${ORIGIN}")
	} else if f, err := macho.Open(path); err == nil {
		defer f.Close()
		libs, _ := f.ImportedLibraries()
		for _, l := range f.Loads {
			if r, ok := l.(*macho.Rpath); ok {
				dirs = append(dirs, r.Path)
			}
		}
		for _, l := range libs {
			if strings.HasPrefix(l, "@loader_path/") {
				dirs = append(dirs, filepath.Dir(l))
			}
			needed = append(needed, l)
		}
		dirs = originRelative(dirs, "@loader_path")
	} else {
		return nil, errors.New("neither ELF nor Mach-O")
	}
	seen := map[string]bool{}
	var out []originDir
	for _, d := range dirs {
		if seen[d] {
			continue
		}
		seen[d] = true
		o := originDir{dir: d}
		if d == "." {
			for _, n := range needed {
				o.names = append(o.names, filepath.Base(n))
			}
		}
		out = append(out, o)
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].dir) < len(out[j].dir) })
	return out, nil
}

// originRelative keeps the entries of dirs that start with one of the
// origin prefixes, as clean paths relative to the origin.
func originRelative(dirs []string, prefixes ...string) []string {
	var out []string
	for _, d := range dirs {
		for _, p := range prefixes {
			if d == p || strings.HasPrefix(d, p+"/") {
				out = append(out, filepath.Clean("./"+strings.TrimPrefix(d, p)))
				break
			}
		}
	}
	return out
}

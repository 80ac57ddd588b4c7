package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// importcfgEntries returns the packagefile entries (import path -> absolute
// archive path) the linker needs: every archive under -stdlib_pkg_dir, then
// the -arc archives (which override std entries of the same path), then the
// main archive under -pluginpath, which is what cmd/go's importcfg.link
// lists too. Two different files for one import path among -arc and -main
// are an error.
func importcfgEntries(c *config) (map[string]string, error) {
	entries := map[string]string{}
	if c.stdlibPkgDir != "" {
		std, err := stdlibArchives(c.stdlibPkgDir)
		if err != nil {
			return nil, err
		}
		for p, f := range std {
			entries[p] = f
		}
	}

	explicit := map[string]string{} // from -arc and -main only
	add := func(a archive) error {
		if prev, ok := explicit[a.importPath]; ok {
			if prev == a.file || sameFile(prev, a.file) {
				return nil
			}
			return fmt.Errorf("conflicting archives for package %s:\n\t%s\n\t%s\nlink exactly one archive per import path", a.importPath, prev, a.file)
		}
		explicit[a.importPath] = a.file
		entries[a.importPath] = a.file
		return nil
	}
	for _, a := range c.archives {
		if err := add(a); err != nil {
			return nil, err
		}
	}
	if err := add(archive{importPath: c.pluginPath, file: c.mainArchive}); err != nil {
		return nil, fmt.Errorf("-main vs -arc: %v", err)
	}
	return entries, nil
}

// sameFile reports whether a and b name the same existing file.
func sameFile(a, b string) bool {
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	if err != nil {
		return false
	}
	return os.SameFile(fa, fb)
}

// maxStdlibDepth bounds the directory recursion in stdlibArchives, so a
// symlink cycle fails instead of recursing forever.
const maxStdlibDepth = 64

// stdlibArchives walks dir and maps every file named *.a (regular file or
// symlink to one, as in a Bazel sandbox) to its package path: dir/a/b.a is
// package "a/b". Symlinked directories are followed. Nothing else is
// skipped.
func stdlibArchives(dir string) (map[string]string, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("-stdlib_pkg_dir: %v", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("-stdlib_pkg_dir %s: not a directory", dir)
	}
	found := map[string]string{}
	var walk func(abs, rel string, depth int) error
	walk = func(abs, rel string, depth int) error {
		if depth > maxStdlibDepth {
			return fmt.Errorf("-stdlib_pkg_dir: directories nested too deep (symlink cycle?) at %s", abs)
		}
		ents, err := os.ReadDir(abs)
		if err != nil {
			return fmt.Errorf("-stdlib_pkg_dir: %v", err)
		}
		for _, e := range ents {
			childAbs := filepath.Join(abs, e.Name())
			childRel := e.Name()
			if rel != "" {
				childRel = rel + "/" + e.Name()
			}
			isDir := e.IsDir()
			if e.Type()&os.ModeSymlink != 0 {
				st, err := os.Stat(childAbs)
				if err != nil {
					return fmt.Errorf("-stdlib_pkg_dir: %v", err)
				}
				isDir = st.IsDir()
			}
			if isDir {
				if err := walk(childAbs, childRel, depth+1); err != nil {
					return err
				}
				continue
			}
			if pkg, ok := strings.CutSuffix(childRel, ".a"); ok && pkg != "" && !strings.HasSuffix(pkg, "/") {
				found[pkg] = childAbs
			}
		}
		return nil
	}
	if err := walk(dir, "", 0); err != nil {
		return nil, err
	}
	return found, nil
}

// formatImportcfg renders entries as "packagefile path=file" lines sorted by
// import path, so the file is deterministic.
func formatImportcfg(entries map[string]string) ([]byte, error) {
	paths := make([]string, 0, len(entries))
	for p := range entries {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var buf bytes.Buffer
	for _, p := range paths {
		f := entries[p]
		// cmd/link splits importcfg into lines and trims spaces around them.
		if strings.ContainsAny(f, "\r\n") || strings.TrimSpace(f) != f {
			return nil, fmt.Errorf("archive path %q for package %s cannot be written to an importcfg (newline or surrounding space)", f, p)
		}
		fmt.Fprintf(&buf, "packagefile %s=%s\n", p, f)
	}
	return buf.Bytes(), nil
}

// writeImportcfg writes data to a new file "importcfg.link" in dir and
// returns its path.
func writeImportcfg(dir string, data []byte) (string, error) {
	name := filepath.Join(dir, "importcfg.link")
	if err := os.WriteFile(name, data, 0o666); err != nil {
		return "", err
	}
	return name, nil
}

// Package gofingerprint reads the link-time package fingerprints that
// plugin.Open compares between a Go plugin host and a plugin, from ELF
// (elf.go) and Mach-O (macho.go) files, and reads and writes the packages
// file format of go_plugin (GoPluginInfo.packages).
//
// A fingerprint is a package's 8-byte export data hash (cmd/link's
// go:link.pkghashbytes.<package> symbol), written as lower-case hex. Two
// builds of a package have the same fingerprint exactly when plugin.Open
// accepts them as the same version of the package.
//
// The packages file has one line per package, sorted by package path:
//
//	<package path> <hex fingerprint>
package gofingerprint

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"io"
	"sort"
	"strings"
)

// FormatPackages renders fingerprints (package path → hex fingerprint) in
// the packages file format: "<package path> <hex>" lines sorted by package
// path, each ending in a newline. The output is deterministic.
func FormatPackages(fps map[string]string) []byte {
	pkgs := make([]string, 0, len(fps))
	for p := range fps {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	var b bytes.Buffer
	for _, p := range pkgs {
		fmt.Fprintf(&b, "%s %s\n", p, fps[p])
	}
	return b.Bytes()
}

// ParsePackagesFile parses the packages file format written by
// FormatPackages: one "<package path> <hex>" line per package. Empty lines
// are ignored; any other line must have exactly these two fields, separated
// by a single space, with a non-empty even-length hex fingerprint. A
// package listed twice is an error. Line order does not matter. Hex digits
// are returned in lower case.
func ParsePackagesFile(r io.Reader) (map[string]string, error) {
	fps := map[string]string{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if line == "" {
			continue
		}
		pkg, fp, ok := strings.Cut(line, " ")
		if !ok || pkg == "" || fp == "" || strings.ContainsAny(fp, " \t") || strings.ContainsAny(pkg, "\t") {
			return nil, fmt.Errorf("line %d: %q: want \"<package path> <hex fingerprint>\"", n, line)
		}
		if _, err := hex.DecodeString(fp); err != nil {
			return nil, fmt.Errorf("line %d: fingerprint %q of %s is not hex", n, fp, pkg)
		}
		if _, dup := fps[pkg]; dup {
			return nil, fmt.Errorf("line %d: package %s listed twice", n, pkg)
		}
		fps[pkg] = strings.ToLower(fp)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return fps, nil
}

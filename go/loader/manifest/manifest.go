// Package manifest is the plugin manifest of a Go plugin host: the JSON file go_plugin_host
// writes (go/tools/pluginhost manifest) and the loader library reads, one definition for both.
//
//	{"plugins": [{"label": ..., "pluginpath": ..., "rlocation": ..., "sha256": ...}]}
//
// Unknown fields are ignored when reading, so newer rules can add some.
package manifest

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
)

// Entry is one plugin of the manifest.
type Entry struct {
	// Label is the go_plugin target, as the host rule wrote it (for
	// example "//plugins/greeter:greeter" or "@@//plugins/greeter:greeter").
	Label string `json:"label"`
	// PluginPath is the plugin's pluginpath: the package path of its main
	// package, unique among the manifest's plugins.
	PluginPath string `json:"pluginpath"`
	// RlocationPath is the runfiles path of the plugin's .so.
	RlocationPath string `json:"rlocation"`
	// SHA256 is the lower-case hex SHA-256 of the .so.
	SHA256 string `json:"sha256"`
}

// file is the document: a pointer, so that a missing or null list is told apart from an
// empty one.
type file struct {
	Plugins *[]Entry `json:"plugins"`
}

// Parse decodes and validates a manifest: every entry has a pluginpath, a
// clean relative runfiles path (CheckRlocation) and a SHA-256 (64 hex
// digits, returned in lower case); pluginpaths and labels are unique. The
// entries are returned sorted by pluginpath, the order Encode writes.
func Parse(data []byte) ([]Entry, error) {
	var m file
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	if m.Plugins == nil {
		return nil, errors.New(`no "plugins" list`)
	}
	entries := *m.Plugins
	byPath := map[string]bool{}
	byLabel := map[string]bool{}
	for i := range entries {
		e := &entries[i]
		what := fmt.Sprintf("plugin %d", i+1)
		if e.Label != "" {
			what += " (" + e.Label + ")"
		}
		switch {
		case e.PluginPath == "":
			return nil, fmt.Errorf("%s: no pluginpath", what)
		case e.RlocationPath == "":
			return nil, fmt.Errorf("%s: no rlocation", what)
		}
		if err := CheckRlocation(e.RlocationPath); err != nil {
			return nil, fmt.Errorf("%s: rlocation %w", what, err)
		}
		e.SHA256 = strings.ToLower(e.SHA256)
		if b, err := hex.DecodeString(e.SHA256); err != nil || len(b) != 32 {
			return nil, fmt.Errorf("%s: sha256 %q is not 64 hex digits", what, e.SHA256)
		}
		if byPath[e.PluginPath] {
			return nil, fmt.Errorf("%s: pluginpath %s listed twice", what, e.PluginPath)
		}
		byPath[e.PluginPath] = true
		if e.Label != "" {
			if byLabel[e.Label] {
				return nil, fmt.Errorf("%s: label listed twice", what)
			}
			byLabel[e.Label] = true
		}
	}
	sortEntries(entries)
	return entries, nil
}

// Encode renders entries as the manifest, sorted by pluginpath, as
// indented JSON with a final newline. The output depends only on the
// entries: no timestamps, no machine paths.
func Encode(entries []Entry) ([]byte, error) {
	sorted := append([]Entry{}, entries...) // never nil: no plugins is "plugins": []
	sortEntries(sorted)
	b, err := json.MarshalIndent(file{Plugins: &sorted}, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

func sortEntries(entries []Entry) {
	slices.SortStableFunc(entries, func(a, b Entry) int { return strings.Compare(a.PluginPath, b.PluginPath) })
}

// CheckRlocation refuses runfiles paths that could name a file outside the
// runfiles tree, or that the runfiles library would not find: absolute
// paths (which it returns unchanged), paths with a backslash, and paths that
// are not clean or climb out with "..". It returns nil for a path such as
// "_main/plugins/a/a.so".
func CheckRlocation(r string) error {
	switch {
	case path.IsAbs(r) || strings.HasPrefix(r, `\`) || len(r) > 1 && r[1] == ':':
		return fmt.Errorf("%q is absolute; a runfiles path is relative to the runfiles tree", r)
	case strings.Contains(r, `\`):
		return fmt.Errorf("%q has a backslash; runfiles paths separate their parts with /", r)
	case r == ".." || strings.HasPrefix(r, "../") || strings.Contains(r, "/../") || strings.HasSuffix(r, "/.."):
		return fmt.Errorf("%q climbs out of the runfiles tree with \"..\"", r)
	case r == "" || r == ".":
		return fmt.Errorf("%q names no file", r)
	case path.Clean(r) != r:
		return fmt.Errorf("%q is not a clean path (want %q)", r, path.Clean(r))
	}
	return nil
}

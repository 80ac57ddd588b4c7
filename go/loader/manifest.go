package loader

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"
)

// manifestFile is the JSON document go_plugin_host writes (with
// tools/pluginhost manifest):
//
//	{"plugins": [{"label": ..., "pluginpath": ..., "rlocation": ..., "sha256": ...}]}
//
// Unknown fields are ignored, so newer rules can add some.
type manifestFile struct {
	Plugins *[]Entry `json:"plugins"`
}

// parseManifest decodes and validates a manifest: every entry has a
// pluginpath, a runfiles path and a SHA-256 (64 hex digits), pluginpaths
// and labels are unique. The entries are returned sorted by pluginpath
// (the order the manifest has when go_plugin_host writes it).
func parseManifest(data []byte) ([]Entry, error) {
	var m manifestFile
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
		if err := checkRlocation(e.RlocationPath); err != nil {
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

// sortEntries sorts entries by pluginpath.
func sortEntries(entries []Entry) {
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].PluginPath < entries[j].PluginPath })
}

// checkRlocation refuses runfiles paths that could name a file outside the runfiles tree:
// absolute paths (the runfiles library returns them unchanged) and paths that are not clean
// or climb out with "..". It returns nil for a path such as "_main/plugins/a/a.so".
func checkRlocation(r string) error {
	switch {
	case path.IsAbs(r) || strings.HasPrefix(r, `\`) || len(r) > 1 && r[1] == ':':
		return fmt.Errorf("%q is absolute; a runfiles path is relative to the runfiles tree", r)
	case r == ".." || strings.HasPrefix(r, "../") || strings.Contains(r, "/../") || strings.HasSuffix(r, "/.."):
		return fmt.Errorf("%q climbs out of the runfiles tree with \"..\"", r)
	case path.Clean(r) != r:
		return fmt.Errorf("%q is not a clean path (want %q)", r, path.Clean(r))
	}
	return nil
}

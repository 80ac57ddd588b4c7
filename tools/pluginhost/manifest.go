package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strings"
)

// manifest is the JSON document the loader library
// (github.com/rules-go-plugin/rules_go_plugin/go/loader) reads.
type manifest struct {
	Plugins []manifestEntry `json:"plugins"`
}

// manifestEntry describes one plugin of a host.
type manifestEntry struct {
	Label      string `json:"label"`      // the go_plugin target
	PluginPath string `json:"pluginpath"` // its pluginpath
	Rlocation  string `json:"rlocation"`  // runfiles path of its .so
	SHA256     string `json:"sha256"`     // lower-case hex SHA-256 of the .so
}

// buildManifest hashes each plugin's .so and returns the manifest, entries
// sorted by pluginpath. Pluginpaths must be unique, and runfiles paths
// relative and clean.
func buildManifest(specs []pluginSpec) (*manifest, error) {
	m := &manifest{Plugins: []manifestEntry{}}
	for _, s := range specs {
		if err := checkRlocation(s.rlocation); err != nil {
			return nil, fmt.Errorf("plugin %s: %v", s.label, err)
		}
		sum, err := fileSHA256(s.so)
		if err != nil {
			return nil, fmt.Errorf("plugin %s: %v", s.label, err)
		}
		m.Plugins = append(m.Plugins, manifestEntry{
			Label:      s.label,
			PluginPath: s.pluginPath,
			Rlocation:  s.rlocation,
			SHA256:     sum,
		})
	}
	sort.SliceStable(m.Plugins, func(i, j int) bool { return m.Plugins[i].PluginPath < m.Plugins[j].PluginPath })
	return m, nil
}

// encode renders m as indented JSON with a final newline. The output
// depends only on m: no timestamps, no machine paths.
func (m *manifest) encode() ([]byte, error) {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// checkRlocation rejects runfiles paths that are absolute or not clean
// ("a/../b", "./a", "a//b"), which the runfiles library would reject at
// run time or which would put a machine path into the manifest.
func checkRlocation(r string) error {
	if strings.HasPrefix(r, "/") || strings.Contains(r, `\`) || (len(r) > 1 && r[1] == ':') {
		return fmt.Errorf("rlocation %q must be a relative runfiles path (repo/pkg/file), not a file system path", r)
	}
	if path.Clean(r) != r || r == "." || strings.HasPrefix(r, "../") || r == ".." {
		return fmt.Errorf("rlocation %q is not a clean runfiles path", r)
	}
	return nil
}

// fileSHA256 returns the lower-case hex SHA-256 of the file at name.
func fileSHA256(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

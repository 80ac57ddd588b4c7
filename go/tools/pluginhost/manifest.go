package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"

	"github.com/rules-go-plugin/rules_go_plugin/go/loader/manifest"
)

// buildManifest hashes each plugin's .so and returns the manifest the loader library reads
// (package manifest, the one definition of the format). Runfiles paths must be relative and
// clean, as the loader requires them.
func buildManifest(specs []pluginSpec) ([]byte, error) {
	entries := make([]manifest.Entry, 0, len(specs))
	for _, s := range specs {
		if err := manifest.CheckRlocation(s.rlocation); err != nil {
			return nil, fmt.Errorf("plugin %s: rlocation %v", s.label, err)
		}
		sum, err := fileSHA256(s.so)
		if err != nil {
			return nil, fmt.Errorf("plugin %s: %v", s.label, err)
		}
		entries = append(entries, manifest.Entry{
			Label:         s.label,
			PluginPath:    s.pluginPath,
			RlocationPath: s.rlocation,
			SHA256:        sum,
		})
	}
	return manifest.Encode(entries)
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

package main

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Keys of a -plugin SPEC, a JSON object (Starlark's json.encode). Every subcommand accepts all
// of them, so that a rule can pass one SPEC per plugin to each; each uses the ones it needs.
const (
	keyLabel      = "label"      // the go_plugin target, for messages and the manifest
	keyPluginPath = "pluginpath" // GoPluginInfo.pluginpath
	keySO         = "so"         // path of the plugin .so
	keyPackages   = "packages"   // path of the packages file (GoPluginInfo.packages)
	keyRlocation  = "rlocation"  // runfiles path of the .so, for the manifest
)

// pluginSpec is one parsed -plugin SPEC. Fields not given are empty.
type pluginSpec struct {
	label      string
	pluginPath string
	so         string
	packages   string
	rlocation  string
}

// parseSpec parses a -plugin SPEC: a JSON object with string fields among label, pluginpath,
// so, packages and rlocation (no others).
func parseSpec(spec string) (pluginSpec, error) {
	var fields struct {
		Label      string `json:"label"`
		PluginPath string `json:"pluginpath"`
		SO         string `json:"so"`
		Packages   string `json:"packages"`
		Rlocation  string `json:"rlocation"`
	}
	dec := json.NewDecoder(strings.NewReader(spec))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&fields); err != nil {
		return pluginSpec{}, fmt.Errorf("plugin spec %q: want a JSON object with string fields %s, %s, %s, %s, %s: %v", spec, keyLabel, keyPluginPath, keySO, keyPackages, keyRlocation, err)
	}
	if dec.More() {
		return pluginSpec{}, fmt.Errorf("plugin spec %q: text after the JSON object", spec)
	}
	return pluginSpec{
		label:      fields.Label,
		pluginPath: fields.PluginPath,
		so:         fields.SO,
		packages:   fields.Packages,
		rlocation:  fields.Rlocation,
	}, nil
}

// require returns an error naming the keys among keys that s lacks.
func (s pluginSpec) require(spec string, keys ...string) error {
	var missing []string
	for _, k := range keys {
		if s.get(k) == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("plugin spec %q: missing %s", spec, strings.Join(missing, ", "))
	}
	return nil
}

func (s pluginSpec) get(key string) string {
	switch key {
	case keyLabel:
		return s.label
	case keyPluginPath:
		return s.pluginPath
	case keySO:
		return s.so
	case keyPackages:
		return s.packages
	case keyRlocation:
		return s.rlocation
	}
	return ""
}

// hostPrefix starts every message about a host. A check against a host ABI
// file names the plugin and the file instead ("go_plugin //p: host ABI ...").
func hostPrefix(hostLabel string) string {
	switch {
	case hostLabel == "":
		return "go_plugin_host"
	case strings.HasPrefix(hostLabel, "go_plugin "):
		return hostLabel
	}
	return "go_plugin_host " + hostLabel
}

// joinAnd joins "a", "b", "c" as "a, b and c".
func joinAnd(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

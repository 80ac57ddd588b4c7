package main

import (
	"fmt"
	"strings"
)

// Keys of a -plugin SPEC. Both subcommands accept all of them, so that a
// rule can pass one SPEC per plugin to both; each uses the ones it needs.
const (
	keyLabel      = "label"      // the go_plugin target, for messages and the manifest
	keyPluginPath = "pluginpath" // GoPluginInfo.pluginpath
	keySO         = "so"         // path of the plugin .so
	keyPackages   = "packages"   // path of the packages file (GoPluginInfo.packages)
	keyRlocation  = "rlocation"  // runfiles path of the .so, for the manifest
)

var specKeys = []string{keyLabel, keyPluginPath, keySO, keyPackages, keyRlocation}

// pluginSpec is one parsed -plugin SPEC. Fields not given are empty.
type pluginSpec struct {
	label      string
	pluginPath string
	so         string
	packages   string
	rlocation  string
}

// parseSpec parses a -plugin SPEC: comma-separated key=value fields, keys
// from specKeys in any order, each at most once, with non-empty values.
//
// A value may contain commas (Bazel target names and file names can): a
// comma starts a new field only if it is followed by a key-like word
// ([a-z0-9_]+) and '='; otherwise it belongs to the current value. So
// "label=//a:b,c,so=x.so" has the label "//a:b,c".
func parseSpec(spec string) (pluginSpec, error) {
	fields := map[string]string{}
	var order []string // keys in the order given
	for i, piece := range strings.Split(spec, ",") {
		if key, value, ok := strings.Cut(piece, "="); ok && isKeyWord(key) {
			if _, dup := fields[key]; dup {
				return pluginSpec{}, fmt.Errorf("plugin spec %q: key %s given twice", spec, key)
			}
			fields[key] = value
			order = append(order, key)
			continue
		}
		if i == 0 {
			return pluginSpec{}, fmt.Errorf("plugin spec %q: want key=value[,key=value]... with keys %s", spec, strings.Join(specKeys, ", "))
		}
		last := order[len(order)-1]
		fields[last] += "," + piece
	}
	for _, key := range order {
		if !isSpecKey(key) {
			return pluginSpec{}, fmt.Errorf("plugin spec %q: unknown key %q (known: %s)", spec, key, strings.Join(specKeys, ", "))
		}
		if fields[key] == "" {
			return pluginSpec{}, fmt.Errorf("plugin spec %q: empty value for %s", spec, key)
		}
	}
	return pluginSpec{
		label:      fields[keyLabel],
		pluginPath: fields[keyPluginPath],
		so:         fields[keySO],
		packages:   fields[keyPackages],
		rlocation:  fields[keyRlocation],
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

func isSpecKey(k string) bool {
	for _, known := range specKeys {
		if k == known {
			return true
		}
	}
	return false
}

// isKeyWord reports whether s looks like a key: [a-z0-9_]+.
func isKeyWord(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
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

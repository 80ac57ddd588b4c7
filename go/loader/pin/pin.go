// Package pin holds the plugin manifest that go_plugin_host links into a host program, for the
// loader library (package loader) to read instead of a file. go_plugin_host generates, per
// host, a package that calls Set in its init. This package imports only sync/atomic, so a host
// that does not use the loader links next to nothing for it.
package pin

import "sync/atomic"

var manifest atomic.Pointer[string]

// Set records the manifest's content. It is called by the package go_plugin_host generates
// for a host, while the program initializes; host code has no reason to call it. Calling it
// again with another content panics: a binary has one manifest.
func Set(content string) {
	if !manifest.CompareAndSwap(nil, &content) && *manifest.Load() != content {
		panic("rules_go_plugin pin: Set called twice with different manifests: a binary has one go_plugin_host manifest")
	}
}

// Manifest returns the content given to Set, or "" if there was none.
func Manifest() string {
	if m := manifest.Load(); m != nil {
		return *m
	}
	return ""
}

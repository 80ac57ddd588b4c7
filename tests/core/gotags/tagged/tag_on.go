//go:build e2e_tag

// Package tagged differs with the build tag e2e_tag: a host and a plugin that share it load
// together only if both are built with the same tags.
package tagged

// Mode says which file was compiled.
func Mode() string { return "tagged" }

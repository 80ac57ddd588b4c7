//go:build !unix

package loader

// Where package plugin cannot load plugins, nothing is loaded from the copy.

const openNonblock = 0

func checkCopyParent(dir string) error { return nil }

func removeStaleCopies(parent string) {}

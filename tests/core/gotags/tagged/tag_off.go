//go:build !e2e_tag

package tagged

// Mode says which file was compiled.
func Mode() string { return "untagged" }

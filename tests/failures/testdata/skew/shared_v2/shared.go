// Package shared, version 2 (same import path, different API): what the skewed plugin links.
package shared

// Version says which version of the package this is.
func Version() string { return "v2" }

// Added exists only in version 2.
func Added() int { return 2 }

// Package shared, version 1: what the skewed host links.
package shared

// Version says which version of the package this is.
func Version() string { return "v1" }

// A go_plugin fixture of the analysis tests.
package main

import "example.com/analysis/dep"

// Greet is looked up with plugin.Lookup.
func Greet(name string) string { return dep.Greeting(name) }

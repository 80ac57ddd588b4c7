// Package dep is a dependency of the go_plugin fixtures of the analysis tests.
package dep

// Greeting returns a greeting for name.
func Greeting(name string) string { return "hello, " + name }

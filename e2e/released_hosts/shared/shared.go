// Package shared is linked into the host and the plugins.
package shared

// Greeting greets name.
func Greeting(name string) string { return "hello, " + name }

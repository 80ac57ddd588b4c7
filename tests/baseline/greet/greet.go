// Package greet is linked into both the host and the plugin, so plugin.Open checks that
// both sides were built from the same version of it.
package greet

// Greeting returns the greeting both sides agree on.
func Greeting(who string) string { return "hello, " + who }

// Package shared is linked into the host and the plugin of same_build_abi.
package shared

// Greeting is what the plugin returns.
func Greeting(name string) string { return "hello, " + name }

// Package api is the contract between the example host and its plugins. Both sides link it,
// so plugin.Open checks that they were built from the same version of it.
package api

// Greeter is implemented by every example plugin.
type Greeter interface {
	// Greet returns a greeting for who.
	Greet(who string) string
}

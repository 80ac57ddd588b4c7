// Package api is what the released host and its plugins share: the interface a plugin's
// New returns.
package api

// Greeter greets.
type Greeter interface {
	Greet(who string) string
}

// Package greeting is shared by the gazelle example's host and plugins.
package greeting

// Greeter greets.
type Greeter func(who string) string

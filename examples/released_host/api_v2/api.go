// Package api is the next version of the host's api package (same import path, one method
// more): a plugin built with it cannot load into the released host, and go_plugin's
// host_abis check says so at build time.
package api

// Greeter greets.
type Greeter interface {
	Greet(who string) string
	Farewell(who string) string
}

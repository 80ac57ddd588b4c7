// Command skewed is a plugin built against the next version of the host's api package: its
// build fails (host_abis), instead of its plugin.Open in production.
package main

import "github.com/rules-go-plugin/rules_go_plugin/examples/released_host/api"

type greeter struct{}

func (greeter) Greet(who string) string { return "hello, " + who }

func (greeter) Farewell(who string) string { return "bye, " + who }

// New returns the plugin's Greeter.
func New() api.Greeter { return greeter{} }

func main() {}

// Command greeter is a plugin built after its host was released, checked at build time
// against the host's published ABI file.
package main

import "github.com/rules-go-plugin/rules_go_plugin/examples/released_host/api"

type greeter struct{}

func (greeter) Greet(who string) string { return "hello, " + who }

// New returns the plugin's Greeter.
func New() api.Greeter { return greeter{} }

func main() {}

// Command hello is a plugin whose BUILD file gazelle generates (go_plugin on).
package main

import "github.com/rules-go-plugin/rules_go_plugin/examples/gazelle/greeting"

// Greet is looked up by the host.
var Greet greeting.Greeter = func(who string) string { return "hello, " + who }

func main() {}

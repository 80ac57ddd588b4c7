// Command plugin is built with rules_go's go_binary(linkmode = "plugin") and loaded by the
// baseline host: the reference point the go_plugin rule is measured against.
package main

import "github.com/rules-go-plugin/rules_go_plugin/tests/baseline/greet"

// Version is an exported variable the host reads through plugin.Lookup.
var Version = 1

// Hello is an exported function the host calls through plugin.Lookup.
func Hello(who string) string { return "baseline plugin: " + greet.Greeting(who) }

func main() {}

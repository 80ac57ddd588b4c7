// Package main is a plugin built against a host's ABI file.
package main

import "github.com/rules-go-plugin/rules_go_plugin/e2e/released_hosts/shared"

// Greet greets name.
func Greet(name string) string { return shared.Greeting(name) }

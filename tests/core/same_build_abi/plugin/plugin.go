// Package main is a plugin checked against the ABI file of a host of the same build.
package main

import "github.com/rules-go-plugin/rules_go_plugin/tests/core/same_build_abi/shared"

// Greet greets name.
func Greet(name string) string { return shared.Greeting(name) }

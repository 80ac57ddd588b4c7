// Command cycle_a opens cycle_b from its init function, whose init opens cycle_a: a cycle.
package main

import "github.com/rules-go-plugin/rules_go_plugin/tests/core/reentrant/initopen"

var initErr = initopen.Open("//tests/core/reentrant/cycle_b")

// InitErr is the error of the open made while this plugin was being initialized.
func InitErr() error { return initErr }

func main() {}

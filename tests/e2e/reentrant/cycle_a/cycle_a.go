// Command cycle_a opens cycle_b from its init function, whose init opens cycle_a: a cycle.
package main

import "github.com/rules-go-plugin/rules_go_plugin/tests/e2e/reentrant/initopen"

var initErr = initopen.Open("//tests/e2e/reentrant/cycle_b")

// InitErr is the error of the open made while this plugin was being initialized.
func InitErr() error { return initErr }

func main() {}

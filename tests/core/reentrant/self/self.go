// Command self opens itself through the loader from its init function: a load that can never finish.
package main

import "github.com/rules-go-plugin/rules_go_plugin/tests/core/reentrant/initopen"

var initErr = initopen.Open("//tests/core/reentrant/self")

// InitErr is the error of the open made while this plugin was being initialized.
func InitErr() error { return initErr }

func main() {}

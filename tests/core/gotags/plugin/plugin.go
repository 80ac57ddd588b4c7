// Command plugin reports the mode of the tagged package it is built with.
package main

import "github.com/rules-go-plugin/rules_go_plugin/tests/core/gotags/tagged"

// PluginMode is tagged.Mode() as built into the plugin.
func PluginMode() string { return tagged.Mode() }

func main() {}

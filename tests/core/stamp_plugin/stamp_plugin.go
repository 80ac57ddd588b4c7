// Command stamp_plugin has variables set from Bazel's workspace status (--stamp) through
// go_plugin's x_defs.
package main

// Commit is x_defs {STABLE_RULES_GO_PLUGIN_E2E}: the status value under --stamp; unstamped,
// the definition is dropped (as rules_go does) and the default stays.
var Commit = "unstamped"

// Plain is an x_defs value without status keys: set with or without --stamp.
var Plain = "unset"

func main() {}

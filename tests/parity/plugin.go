// Command plugin is built twice from one library: by rules_go's go_binary(linkmode = "plugin")
// and by go_plugin, so that tests/cli can compare the two files under Bazel's settings.
package main

import "fmt"

// Greet is the plugin's symbol.
func Greet(name string) string { return fmt.Sprintf("hello, %s", name) }

func main() {}

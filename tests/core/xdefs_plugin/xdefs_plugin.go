// Command xdefs_plugin has variables set at link time through go_plugin's x_defs.
package main

// Version is set with x_defs = {"main.Version": ...}.
var Version = "unset"

// Channel is set with x_defs = {"Channel": ...} (no package: the plugin's own).
var Channel = "unset"

func main() {}

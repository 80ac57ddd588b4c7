// Command plugin_b is a second example plugin. Its package is also "main", and it has no
// import path: go_plugin derives a pluginpath from its label, so both load side by side.
package main

import (
	"strings"

	"github.com/rules-go-plugin/rules_go_plugin/examples/basic/api"
)

// Name is an exported variable, read by the host through plugin.Lookup.
var Name = "plugin_b"

type shouter struct{}

func (shouter) Greet(who string) string { return strings.ToUpper("hey "+who+"!") + " (" + Name + ")" }

// NewGreeter is an exported function, called by the host through plugin.Lookup.
func NewGreeter() api.Greeter { return shouter{} }

func main() {}

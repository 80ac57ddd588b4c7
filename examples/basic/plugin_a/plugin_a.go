// Command plugin_a is an example Go plugin: it exports a constructor returning an api.Greeter
// and a variable.
package main

import (
	"fmt"

	"github.com/rules-go-plugin/rules_go_plugin/examples/basic/api"
)

// Name is an exported variable, read by the host through plugin.Lookup.
var Name = "plugin_a"

type greeter struct{}

func (greeter) Greet(who string) string { return fmt.Sprintf("hello, %s, from %s", who, Name) }

// NewGreeter is an exported function, called by the host through plugin.Lookup.
func NewGreeter() api.Greeter { return greeter{} }

func main() {}

// Command upper is a filter plugin that upper-cases text.
package main

import (
	"strings"

	"github.com/rules-go-plugin/rules_go_plugin/examples/hosts/filter"
)

type upper struct{}

func (upper) Name() string          { return "upper" }
func (upper) Apply(s string) string { return strings.ToUpper(s) }

// NewFilter is looked up by the host.
func NewFilter() filter.Filter { return upper{} }

func main() {}

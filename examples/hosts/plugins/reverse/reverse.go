// Command reverse is a filter plugin that reverses text.
package main

import "github.com/rules-go-plugin/rules_go_plugin/examples/hosts/filter"

type reverse struct{}

func (reverse) Name() string { return "reverse" }

func (reverse) Apply(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// NewFilter is looked up by the host.
func NewFilter() filter.Filter { return reverse{} }

func main() {}

// Command host runs text through every filter plugin it was built with. The plugins come
// from go_plugin_host's manifest: the loader finds them in the runfiles, checks their
// digests and opens them; the build has already checked that they can load into this host.
package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/rules-go-plugin/rules_go_plugin/examples/hosts/filter"
	"github.com/rules-go-plugin/rules_go_plugin/go/loader"
)

// loadFilters opens every plugin of the host and returns their filters, in manifest order.
func loadFilters() ([]filter.Filter, error) {
	l, err := loader.New()
	if err != nil {
		return nil, err
	}
	var filters []filter.Filter
	for _, e := range l.Plugins() {
		p, err := l.Open(e.PluginPath)
		if err != nil {
			return nil, err
		}
		newFilter, err := loader.Lookup[func() filter.Filter](p, "NewFilter")
		if err != nil {
			return nil, err
		}
		filters = append(filters, newFilter())
	}
	return filters, nil
}

func main() {
	filters, err := loadFilters()
	if err != nil {
		fmt.Fprintln(os.Stderr, "host:", err)
		os.Exit(1)
	}
	text := strings.Join(os.Args[1:], " ")
	if text == "" {
		text = "hello, plugins"
	}
	for _, f := range filters {
		fmt.Printf("%s: %s\n", f.Name(), f.Apply(text))
	}
}

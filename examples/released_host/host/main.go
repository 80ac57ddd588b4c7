// Command host is a "released" plugin host: it was built and shipped before the plugins it
// loads, so it opens them by path (as Tyk and KrakenD hosts do), not through a manifest of
// plugins known when it was built.
package main

import (
	"fmt"
	"os"
	"plugin"

	"github.com/rules-go-plugin/rules_go_plugin/examples/released_host/api"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: host PLUGIN.so...")
		os.Exit(2)
	}
	for _, path := range os.Args[1:] {
		p, err := plugin.Open(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		sym, err := p.Lookup("New")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		newGreeter, ok := sym.(func() api.Greeter)
		if !ok {
			fmt.Fprintf(os.Stderr, "%s: New is a %T, want func() api.Greeter\n", path, sym)
			os.Exit(1)
		}
		fmt.Println(newGreeter().Greet("release"))
	}
}

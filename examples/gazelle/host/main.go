// Command host greets through every plugin of the gazelle example.
package main

import (
	"fmt"
	"os"

	"github.com/rules-go-plugin/rules_go_plugin/examples/gazelle/greeting"
	"github.com/rules-go-plugin/rules_go_plugin/go/loader"
)

// greetAll returns each plugin's greeting for who, by pluginpath.
func greetAll(who string) (map[string]string, error) {
	l, err := loader.New()
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, e := range l.Plugins() {
		p, err := l.Open(e.PluginPath)
		if err != nil {
			return nil, err
		}
		greet, err := loader.Lookup[*greeting.Greeter](p, "Greet")
		if err != nil {
			return nil, err
		}
		out[e.PluginPath] = (*greet)(who)
	}
	return out, nil
}

func main() {
	greetings, err := greetAll("gazelle")
	if err != nil {
		fmt.Fprintln(os.Stderr, "host:", err)
		os.Exit(1)
	}
	for path, g := range greetings {
		fmt.Printf("%s: %s\n", path, g)
	}
}

// Command host loads its plugins (go_plugin_host's plugins attribute) with the loader library
// and prints what each plugin's greeter returns.
package main

import (
	"fmt"
	"os"

	"github.com/rules-go-plugin/rules_go_plugin/examples/basic/api"
	"github.com/rules-go-plugin/rules_go_plugin/go/loader"
)

// greet opens the plugin named by label (or pluginpath), verified against the host's manifest,
// and returns its Name and its greeting for who.
func greet(l *loader.Loader, label, who string) (string, string, error) {
	p, err := l.Open(label)
	if err != nil {
		return "", "", err
	}
	name, err := loader.Lookup[*string](p, "Name") // a variable is looked up as a pointer
	if err != nil {
		return "", "", err
	}
	newGreeter, err := loader.Lookup[func() api.Greeter](p, "NewGreeter")
	if err != nil {
		return "", "", err
	}
	return *name, newGreeter().Greet(who), nil
}

func main() {
	l, err := loader.New()
	if err != nil {
		fmt.Fprintln(os.Stderr, "host:", err)
		os.Exit(1)
	}
	for _, e := range l.Plugins() {
		name, greeting, err := greet(l, e.Label, "host")
		if err != nil {
			fmt.Fprintln(os.Stderr, "host:", err)
			os.Exit(1)
		}
		fmt.Printf("%s: %s\n", name, greeting)
	}
}

// Command host loads the example plugins named on its command line (runfiles paths, as
// `$(rlocationpaths ...)` gives them), and prints what each plugin's greeter returns.
package main

import (
	"fmt"
	"os"
	"plugin"

	"github.com/bazelbuild/rules_go/go/runfiles"
	"github.com/rules-go-plugin/rules_go_plugin/examples/basic/api"
)

// greet opens the plugin at runfiles path rlocation and returns its Name and greeting for who.
func greet(rlocation, who string) (string, string, error) {
	path, err := runfiles.Rlocation(rlocation)
	if err != nil {
		return "", "", fmt.Errorf("finding %s in runfiles: %w", rlocation, err)
	}
	p, err := plugin.Open(path)
	if err != nil {
		return "", "", err
	}
	nameSym, err := p.Lookup("Name")
	if err != nil {
		return "", "", err
	}
	name, ok := nameSym.(*string)
	if !ok {
		return "", "", fmt.Errorf("%s: Name is a %T, want *string", rlocation, nameSym)
	}
	newSym, err := p.Lookup("NewGreeter")
	if err != nil {
		return "", "", err
	}
	newGreeter, ok := newSym.(func() api.Greeter)
	if !ok {
		return "", "", fmt.Errorf("%s: NewGreeter is a %T, want func() api.Greeter", rlocation, newSym)
	}
	return *name, newGreeter().Greet(who), nil
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: host PLUGIN_RLOCATION...")
		os.Exit(2)
	}
	for _, rlocation := range os.Args[1:] {
		name, greeting, err := greet(rlocation, "host")
		if err != nil {
			fmt.Fprintln(os.Stderr, "host:", err)
			os.Exit(1)
		}
		fmt.Printf("%s: %s\n", name, greeting)
	}
}

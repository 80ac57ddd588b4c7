// Command host loads the baseline plugin from its runfiles and prints what it returns.
package main

import (
	"fmt"
	"os"
	"plugin"

	"github.com/bazelbuild/rules_go/go/runfiles"
	"github.com/rules-go-plugin/rules_go_plugin/tests/baseline/greet"
)

// load opens the plugin at the runfiles path rlocation and returns Hello("host") and Version.
func load(rlocation string) (string, int, error) {
	path, err := runfiles.Rlocation(rlocation)
	if err != nil {
		return "", 0, fmt.Errorf("finding plugin %q in runfiles: %w", rlocation, err)
	}
	p, err := plugin.Open(path)
	if err != nil {
		return "", 0, err
	}
	hello, err := p.Lookup("Hello")
	if err != nil {
		return "", 0, err
	}
	helloFn, ok := hello.(func(string) string)
	if !ok {
		return "", 0, fmt.Errorf("Hello has type %T, want func(string) string", hello)
	}
	version, err := p.Lookup("Version")
	if err != nil {
		return "", 0, err
	}
	versionPtr, ok := version.(*int)
	if !ok {
		return "", 0, fmt.Errorf("Version has type %T, want *int", version)
	}
	return helloFn("host"), *versionPtr, nil
}

func main() {
	msg, version, err := load(os.Getenv("PLUGIN_RLOCATION"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "host:", err)
		os.Exit(1)
	}
	fmt.Printf("%s (plugin version %d; host says %q)\n", msg, version, greet.Greeting("plugin"))
}

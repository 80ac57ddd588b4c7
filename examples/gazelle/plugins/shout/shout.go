// Command shout is a plugin with an external module dependency, resolved by gazelle.
package main

import (
	"strings"

	"github.com/rules-go-plugin/rules_go_plugin/examples/gazelle/greeting"
	"golang.org/x/sync/errgroup"
)

// Greet is looked up by the host.
var Greet greeting.Greeter = func(who string) string {
	var g errgroup.Group
	var out string
	g.Go(func() error { out = strings.ToUpper("hey " + who + "!"); return nil })
	_ = g.Wait()
	return out
}

func main() {}

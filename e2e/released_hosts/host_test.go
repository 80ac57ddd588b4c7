package host_test

import (
	"testing"

	"github.com/rules-go-plugin/rules_go_plugin/go/loader"
)

// TestLoad opens both plugins (the go_plugin and the release) and calls their Greet.
func TestLoad(t *testing.T) {
	l, err := loader.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, pluginpath := range []string{"github.com/rules-go-plugin/rules_go_plugin/e2e/released_hosts/plugin", "github.com/rules-go-plugin/rules_go_plugin/e2e/released_hosts/greeter"} {
		p, err := l.Open(pluginpath)
		if err != nil {
			t.Fatal(err)
		}
		greet, err := loader.Lookup[func(string) string](p, "Greet")
		if err != nil {
			t.Fatal(err)
		}
		if got := greet("test"); got != "hello, test" {
			t.Errorf("%s: Greet(test) = %q", pluginpath, got)
		}
	}
}

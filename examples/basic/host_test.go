package main

import (
	"testing"

	"github.com/rules-go-plugin/rules_go_plugin/go/loader"
)

func TestHostLoadsBothPlugins(t *testing.T) {
	l, err := loader.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		label, wantName, wantGreeting string
	}{
		{"//examples/basic/plugin_a", "plugin_a", "hello, test, from plugin_a"},
		{"//examples/basic/plugin_b", "plugin_b", "HEY TEST! (plugin_b)"},
	} {
		name, greeting, err := greet(l, tc.label, "test")
		if err != nil {
			t.Fatalf("greet(%s): %v", tc.label, err)
		}
		if name != tc.wantName || greeting != tc.wantGreeting {
			t.Errorf("greet(%s) = %q, %q; want %q, %q", tc.label, name, greeting, tc.wantName, tc.wantGreeting)
		}
	}
}

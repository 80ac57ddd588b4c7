package main

import "testing"

func TestHostLoadsBothPlugins(t *testing.T) {
	for _, tc := range []struct {
		rlocation, wantName, wantGreeting string
	}{
		{"_main/examples/basic/plugin_a/plugin_a.so", "plugin_a", "hello, test, from plugin_a"},
		{"_main/examples/basic/plugin_b/plugin_b.so", "plugin_b", "HEY TEST! (plugin_b)"},
	} {
		name, greeting, err := greet(tc.rlocation, "test")
		if err != nil {
			t.Fatalf("greet(%s): %v", tc.rlocation, err)
		}
		if name != tc.wantName || greeting != tc.wantGreeting {
			t.Errorf("greet(%s) = %q, %q; want %q, %q", tc.rlocation, name, greeting, tc.wantName, tc.wantGreeting)
		}
	}
}

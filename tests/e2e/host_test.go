// Package e2e loads plugins built by go_plugin with plugin.Open and calls their symbols.
package e2e

import (
	"plugin"
	"testing"

	"github.com/bazelbuild/rules_go/go/runfiles"
)

func open(t *testing.T, name string) *plugin.Plugin {
	t.Helper()
	path, err := runfiles.Rlocation("_main/tests/e2e/" + name + "/" + name + ".so")
	if err != nil {
		t.Fatalf("runfiles: %v", err)
	}
	p, err := plugin.Open(path)
	if err != nil {
		t.Fatalf("plugin.Open(%s): %v", path, err)
	}
	return p
}

func lookup[T any](t *testing.T, p *plugin.Plugin, name string) T {
	t.Helper()
	sym, err := p.Lookup(name)
	if err != nil {
		t.Fatalf("Lookup(%s): %v", name, err)
	}
	v, ok := sym.(T)
	if !ok {
		var want T
		t.Fatalf("%s is a %T, want %T", name, sym, want)
	}
	return v
}

func TestCgoPlugin(t *testing.T) {
	p := open(t, "cgo_plugin")
	for _, tc := range []struct {
		fn   string
		call func(p *plugin.Plugin) int
		want int
	}{
		{"Add", func(p *plugin.Plugin) int { return lookup[func(int, int) int](t, p, "Add")(2, 40) }, 42},
		{"Scale", func(p *plugin.Plugin) int { return lookup[func(int) int](t, p, "Scale")(7) }, 70},
	} {
		if got := tc.call(p); got != tc.want {
			t.Errorf("%s = %d, want %d", tc.fn, got, tc.want)
		}
	}
}

func TestXDefs(t *testing.T) {
	p := open(t, "xdefs_plugin")
	for _, tc := range []struct{ name, want string }{
		{"Version", "1.2.3"},
		{"Channel", "stable"},
	} {
		if got := *lookup[*string](t, p, tc.name); got != tc.want {
			t.Errorf("%s = %q, want %q (set by x_defs)", tc.name, got, tc.want)
		}
	}
}

func TestExternalModuleDependency(t *testing.T) {
	p := open(t, "extdep_plugin")
	got, err := lookup[func(int) (int, error)](t, p, "SumSquares")(4)
	if err != nil || got != 30 {
		t.Errorf("SumSquares(4) = %d, %v; want 30, nil", got, err)
	}
}

func TestDataInPluginRunfiles(t *testing.T) {
	p := open(t, "data_plugin")
	got, err := lookup[func() (string, error)](t, p, "Message")()
	if err != nil || got != "data travels with the plugin\n" {
		t.Errorf("Message() = %q, %v", got, err)
	}
}

// Package gotags checks that go_plugin_test's gotags reach the plugins: the host and the
// plugin share package tagged, whose code depends on the tag.
package gotags

import (
	"testing"

	"github.com/rules-go-plugin/rules_go_plugin/go/loader"
	"github.com/rules-go-plugin/rules_go_plugin/tests/core/gotags/tagged"
)

func TestPluginBuiltWithTheHostsTags(t *testing.T) {
	if got := tagged.Mode(); got != "tagged" {
		t.Fatalf("host: tagged.Mode() = %q, want \"tagged\" (gotags = [\"e2e_tag\"])", got)
	}
	l, err := loader.New()
	if err != nil {
		t.Fatal(err)
	}
	p, err := l.Open("//tests/core/gotags/plugin")
	if err != nil {
		t.Fatal(err)
	}
	mode, err := loader.Lookup[func() string](p, "PluginMode")
	if err != nil {
		t.Fatal(err)
	}
	if got := mode(); got != "tagged" {
		t.Errorf("plugin: tagged.Mode() = %q, want \"tagged\"", got)
	}
}

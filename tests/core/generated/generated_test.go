// Package generated checks that a plugin and its host can share a package whose source is
// generated (rules_go#2604: generated files live under configuration-specific paths).
package generated

import (
	"plugin"
	"testing"

	"github.com/bazelbuild/rules_go/go/runfiles"
	"github.com/rules-go-plugin/rules_go_plugin/tests/core/generated/gen"
)

func TestGeneratedPackageShared(t *testing.T) {
	path, err := runfiles.Rlocation("_main/tests/core/generated/gen_plugin/gen_plugin.so")
	if err != nil {
		t.Fatal(err)
	}
	p, err := plugin.Open(path)
	if err != nil {
		t.Fatalf("plugin.Open: %v", err)
	}
	sym, err := p.Lookup("Answer")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := sym.(func() int)(), gen.Answer(); got != want {
		t.Errorf("plugin's Answer() = %d, host's = %d", got, want)
	}
}

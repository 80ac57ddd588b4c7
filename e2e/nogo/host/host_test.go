// Package host loads the nogo-checked plugin.
package host

import (
	"testing"

	"github.com/rules-go-plugin/rules_go_plugin/go/loader"
)

func TestLoad(t *testing.T) {
	l, err := loader.New()
	if err != nil {
		t.Fatal(err)
	}
	p, err := l.Open("example.com/nogo/plugin")
	if err != nil {
		t.Fatal(err)
	}
	describe, err := loader.Lookup[func(int) string](p, "Describe")
	if err != nil {
		t.Fatal(err)
	}
	if got := describe(3); got != "n = 3" {
		t.Errorf("Describe(3) = %q", got)
	}
}

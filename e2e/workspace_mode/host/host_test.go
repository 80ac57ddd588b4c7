package host

import (
	"testing"

	"github.com/rules-go-plugin/rules_go_plugin/go/loader"
)

func TestLoadsPlugin(t *testing.T) {
	l, err := loader.New()
	if err != nil {
		t.Fatal(err)
	}
	p, err := l.Open("example.com/smoke/plugin")
	if err != nil {
		t.Fatal(err)
	}
	answer, err := loader.Lookup[func() int](p, "Answer")
	if err != nil {
		t.Fatal(err)
	}
	if got := answer(); got != 42 {
		t.Errorf("Answer() = %d, want 42", got)
	}
}

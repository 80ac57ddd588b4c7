package main

import "testing"

func TestGeneratedPluginsLoad(t *testing.T) {
	got, err := greetAll("test")
	if err != nil {
		t.Fatal(err)
	}
	const prefix = "github.com/rules-go-plugin/rules_go_plugin/examples/gazelle/plugins/"
	for path, want := range map[string]string{
		prefix + "hello": "hello, test",
		prefix + "shout": "HEY TEST!",
	} {
		if got[path] != want {
			t.Errorf("%s greets %q, want %q (all: %v)", path, got[path], want, got)
		}
	}
}

package main

import (
	"os"
	"testing"
)

func TestLoadsRulesGoPlugin(t *testing.T) {
	msg, version, err := load(os.Getenv("PLUGIN_RLOCATION"))
	if err != nil {
		t.Fatalf("loading the plugin built by go_binary(linkmode = \"plugin\"): %v", err)
	}
	if want := "baseline plugin: hello, host"; msg != want {
		t.Errorf("Hello(\"host\") = %q, want %q", msg, want)
	}
	if version != 1 {
		t.Errorf("Version = %d, want 1", version)
	}
}

func TestMissingPluginFails(t *testing.T) {
	if _, _, err := load("_main/tests/baseline/plugin/no_such_plugin.so"); err == nil {
		t.Fatal("loading a plugin that does not exist succeeded")
	}
}

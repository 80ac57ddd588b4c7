// Package manifestenv checks which plugin manifest the loader reads when the environment
// names another one (RULES_GO_PLUGIN_MANIFEST): the one linked into the program, unless the
// host was built with manifest_override = True.
package manifestenv

import (
	"os"
	"strings"
	"testing"

	"github.com/rules-go-plugin/rules_go_plugin/go/loader"
)

func TestManifestChoice(t *testing.T) {
	want := os.Getenv("WANT_PLUGIN") // a label, as BUILD.bazel writes it
	if os.Getenv(loader.ManifestEnv) == "" || want == "" {
		t.Fatalf("%s and WANT_PLUGIN must be set (BUILD.bazel's env)", loader.ManifestEnv)
	}
	l, err := loader.New()
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, e := range l.Plugins() {
		labels = append(labels, e.Label)
	}
	if len(labels) != 1 || !strings.HasSuffix(labels[0], want) {
		t.Errorf("the loader read a manifest listing %v, want only %s (%s=%s)", labels, want, loader.ManifestEnv, os.Getenv(loader.ManifestEnv))
	}
}

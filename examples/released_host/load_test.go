// Package releasedhost runs the released host on a plugin built later and checked against the
// host's ABI file: it loads.
package releasedhost

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/bazelbuild/rules_go/go/runfiles"
)

func TestPluginLoadsIntoReleasedHost(t *testing.T) {
	if len(os.Args) < 3 {
		t.Fatalf("args: host and plugin runfiles paths, got %q", os.Args[1:])
	}
	var paths []string
	for _, r := range os.Args[len(os.Args)-2:] {
		p, err := runfiles.Rlocation(r)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	out, err := exec.Command(paths[0], paths[1]).CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "hello, release" {
		t.Fatalf("host %s: %v\n%s", paths[1], err, out)
	}
}

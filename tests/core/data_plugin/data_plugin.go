// Command data_plugin reads a data file from its runfiles.
package main

import (
	"os"

	"github.com/bazelbuild/rules_go/go/runfiles"
)

// Message returns the content of the plugin's data file.
func Message() (string, error) {
	path, err := runfiles.Rlocation("_main/tests/core/data_plugin/message.txt")
	if err != nil {
		return "", err
	}
	b, err := os.ReadFile(path)
	return string(b), err
}

func main() {}

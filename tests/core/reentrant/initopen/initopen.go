// Package initopen opens a plugin through the loader, for the init functions of the
// reentrant test's plugins.
package initopen

import "github.com/rules-go-plugin/rules_go_plugin/go/loader"

// Open opens the host's plugin with this label and returns the error.
func Open(label string) error {
	l, err := loader.New()
	if err != nil {
		return err
	}
	_, err = l.Open(label)
	return err
}

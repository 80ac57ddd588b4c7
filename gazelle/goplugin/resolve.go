package goplugin

import (
	"github.com/bazelbuild/bazel-gazelle/config"
	"github.com/bazelbuild/bazel-gazelle/label"
	"github.com/bazelbuild/bazel-gazelle/repo"
	"github.com/bazelbuild/bazel-gazelle/resolve"
	"github.com/bazelbuild/bazel-gazelle/rule"
)

// Imports returns nil: nothing can import a plugin, so go_plugin rules are not indexed.
// (The go_library it embeds is indexed by the Go extension as usual, like a go_binary's.)
func (*pluginLang) Imports(*config.Config, *rule.Rule, *rule.File) []resolve.ImportSpec {
	return nil
}

// Embeds returns the labels in the rule's embed attribute, as the Go extension does.
func (l *pluginLang) Embeds(r *rule.Rule, from label.Label) []label.Label {
	return l.goResolver.Embeds(r, from)
}

// Resolve sets the deps of a generated go_plugin. The rule is the Go extension's
// go_binary with its kind changed, and imports is what the Go extension recorded for it,
// so the Go extension's resolver does the work: the deps are the ones the go_binary would
// have had (go_plugin's attributes for dependencies are go_binary's). Gazelle also calls
// Resolve, through its inverse map_kind resolver, for a go_plugin mapped to another kind.
func (l *pluginLang) Resolve(c *config.Config, ix *resolve.RuleIndex, rc *repo.RemoteCache, r *rule.Rule, imports interface{}, from label.Label) {
	l.goResolver.Resolve(c, ix, rc, r, imports, from)
}

package goplugin

import (
	"path"
	"strings"

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

// loaderImportPath is the Go module of rules_go_plugin's loader library (go/loader/go.mod),
// which hosts import; the Bazel module rules_go_plugin holds it at go/loader.
const loaderImportPath = "github.com/rules-go-plugin/rules_go_plugin/go/loader"

var _ resolve.CrossResolver = (*pluginLang)(nil)

// CrossResolve resolves the Go imports of the loader library (and its subpackages) to their
// targets in rules_go_plugin, under the name the user's MODULE.bazel gives it: a go.mod that
// lists the loader's Go module would otherwise make Gazelle pick go_deps' copy, a second
// library with the same import path. Gazelle asks only after its own index has no rule for
// the import, so in rules_go_plugin's repository the local targets win.
func (*pluginLang) CrossResolve(c *config.Config, _ *resolve.RuleIndex, imp resolve.ImportSpec, lang string) []resolve.FindResult {
	if lang != "go" || imp.Lang != "go" || (imp.Imp != loaderImportPath && !strings.HasPrefix(imp.Imp, loaderImportPath+"/")) {
		return nil
	}
	repo := ""
	if c.ModuleToApparentName != nil {
		repo = c.ModuleToApparentName(rulesGoPluginModule)
	}
	if repo == "" {
		repo = rulesGoPluginModule
	}
	// The loader's packages follow the import naming convention: the target is named after
	// the directory.
	pkg := "go/loader" + strings.TrimPrefix(imp.Imp, loaderImportPath)
	return []resolve.FindResult{{Label: label.New(repo, pkg, path.Base(pkg))}}
}

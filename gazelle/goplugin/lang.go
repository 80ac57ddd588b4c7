// Package goplugin is a Gazelle language extension that generates go_plugin targets
// (rules_go_plugin, `go build -buildmode=plugin`) for the main packages of directories
// marked as plugin directories.
//
// It does not parse Go code and does not resolve imports itself. It runs after Gazelle's
// Go extension in a gazelle_binary:
//
//	gazelle_binary(
//	    name = "gazelle_bin",
//	    languages = [
//	        "@bazel_gazelle//language/go",
//	        "@rules_go_plugin_gazelle//goplugin",
//	    ],
//	)
//
// and turns the go_binary that the Go extension generated for a plugin directory into a
// go_plugin. See README.md next to this package's parent directory for the directives.
//
// # How the go_binary is replaced (and why this way)
//
// The Go extension always generates, for a main package, a go_library (the package's
// sources, with an importpath) and a go_binary that embeds it. In a plugin directory this
// extension changes the kind of that generated go_binary to go_plugin in place, in
// GenerateRules (the rule arrives in GenerateArgs.OtherGen; its name may also be changed by
// the go_plugin_name directive). Nothing else of the Go extension's output changes: the
// go_library stays, embedded with `embed`, and the go_test, if any, keeps embedding it.
//
// Alternatives that were rejected:
//
//   - Adding a map_kind entry (go_binary -> go_plugin) to the Config of plugin directories.
//     It would reuse Gazelle's own machinery, but a mapped kind is merged with the KindInfo
//     of the kind it was mapped from: go_binary's, which owns cgo, copts, clinkopts,
//     gc_goopts and gc_linkopts, so a hand-written gc_linkopts or clinkopts on a go_plugin
//     would be deleted at the next run. It would also rename every go_binary in the
//     directory, and it would take the place of a user's own `map_kind go_binary ...`.
//   - Generating a separate go_plugin rule: the Go extension's go_binary would still be
//     emitted for the same package, and there is no way to withdraw another language's
//     generated rule other than changing it.
//
// With the kind changed before merging, everything downstream sees an ordinary go_plugin
// rule: it merges with this extension's KindInfo (gazelle owns srcs, embed and embedsrcs,
// and resolves deps; every other attribute is left as written), a user's
// `# gazelle:map_kind go_plugin my_plugin //:my.bzl` applies to it like to any rule, and a
// `# gazelle:alias_kind my_plugin go_plugin` wrapper in an existing BUILD file is matched
// and merged. Dependencies are resolved by the Go extension's resolver (Resolve delegates
// to it with the imports the Go extension recorded for that rule), so they are exactly what
// the go_binary would have had. A go_plugin is never indexed as importable: Imports returns
// nil.
//
// Existing BUILD files: in a directory with `# gazelle:go_plugin on`, Fix changes the kind
// of existing go_binary rules (the ones the Go extension would otherwise update, or rules
// of the kind a user's map_kind gives go_binary) to go_plugin, keeping their names and hand-written attributes (and dropping a
// `linkmode = "plugin"`, which go_plugin implies), so that regenerating does not leave a
// go_binary and a go_plugin for one package. A go_binary marked `# keep` is left alone
// and then also opts its directory's generated rule out: it stays a go_binary.
package goplugin

import (
	"fmt"

	"github.com/bazelbuild/bazel-gazelle/language"
	golang "github.com/bazelbuild/bazel-gazelle/language/go"
	"github.com/bazelbuild/bazel-gazelle/resolve"
	"github.com/bazelbuild/bazel-gazelle/rule"
)

const (
	// languageName is the extension's name: the key of its Config.Exts entry and the name
	// to list in `# gazelle:lang` / -lang when that filter is used.
	languageName = "go_plugin"

	pluginKind = "go_plugin"
	binaryKind = "go_binary"

	// rulesGoPluginModule is the Bazel module that defines go_plugin.
	rulesGoPluginModule = "rules_go_plugin"
	defsBzl             = "//go:defs.bzl"
)

// pluginKindInfo says how Gazelle matches and merges go_plugin rules.
//
// Gazelle owns only what it derives from the directory's sources: srcs, embed and embedsrcs
// (MergeableAttrs) and deps (ResolveAttrs). Everything else (x_defs, gc_goopts,
// gc_linkopts, cgo, cdeps, copts, clinkopts, pluginpath, importpath, data, out, visibility
// ...) is written once if Gazelle generated it and otherwise left as the user wrote it.
// MatchAny: one go_plugin per directory (as for go_binary), so an existing go_plugin with
// another name is updated instead of a second one being added.
var pluginKindInfo = rule.KindInfo{
	MatchAny: true,
	NonEmptyAttrs: map[string]bool{
		"deps":  true,
		"embed": true,
		"srcs":  true,
	},
	SubstituteAttrs: map[string]bool{"embed": true},
	MergeableAttrs: map[string]bool{
		"embed":     true,
		"embedsrcs": true,
		"srcs":      true,
	},
	ResolveAttrs: map[string]bool{"deps": true},
}

type pluginLang struct {
	// goResolver resolves the deps of generated go_plugin rules, exactly as the Go
	// extension resolves a go_binary's. Its Resolve reads only the shared Config (the Go
	// extension's Exts entry), the rule index and the imports the Go extension recorded.
	goResolver resolve.Resolver
}

var (
	_ language.Language            = (*pluginLang)(nil)
	_ language.ModuleAwareLanguage = (*pluginLang)(nil)
)

// NewLanguage returns the go_plugin extension. gazelle_binary calls it.
func NewLanguage() language.Language {
	return &pluginLang{goResolver: golang.NewLanguage()}
}

func (*pluginLang) Name() string { return languageName }

func (*pluginLang) Kinds() map[string]rule.KindInfo {
	return map[string]rule.KindInfo{pluginKind: pluginKindInfo}
}

// Loads is the pre-bzlmod form of ApparentLoads.
func (l *pluginLang) Loads() []rule.LoadInfo {
	return l.ApparentLoads(func(string) string { return "" })
}

func (*pluginLang) ApparentLoads(moduleToApparentName func(string) string) []rule.LoadInfo {
	return []rule.LoadInfo{{
		Name:    defsLabel(moduleToApparentName),
		Symbols: []string{pluginKind},
	}}
}

// defsLabel is the label of the .bzl file defining go_plugin, with the repository name the
// user's MODULE.bazel gives rules_go_plugin (its repo_name), or the module name.
func defsLabel(moduleToApparentName func(string) string) string {
	repo := ""
	if moduleToApparentName != nil {
		repo = moduleToApparentName(rulesGoPluginModule)
	}
	if repo == "" {
		repo = rulesGoPluginModule
	}
	return fmt.Sprintf("@%s%s", repo, defsBzl)
}

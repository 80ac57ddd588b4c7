package goplugin

import (
	"log"

	"github.com/bazelbuild/bazel-gazelle/config"
	"github.com/bazelbuild/bazel-gazelle/language"
	"github.com/bazelbuild/bazel-gazelle/rule"
)

// GenerateRules turns the go_binary the Go extension generated for this directory (in
// args.OtherGen) into a go_plugin, when the directory is a plugin directory. See the
// package documentation for why the rule is changed in place.
//
// The result holds no generated rules of its own (so no imports either: the converted
// rule keeps its place, and its imports, in the Go extension's result). In a directory with
// `# gazelle:go_plugin on` it holds an empty go_plugin for each empty go_binary of the Go
// extension, so that a go_plugin whose main package went away is deleted just like a
// go_binary would be.
func (*pluginLang) GenerateRules(args language.GenerateArgs) language.GenerateResult {
	c := args.Config
	pc := getConfig(c)
	if !pc.isPluginDir(c, args.File) {
		return language.GenerateResult{}
	}
	if args.File != nil {
		// After Fix, a go_binary left in a plugin directory is one marked `# keep`, one
		// with another linkmode, a call of an alias_kind wrapper of go_binary (a macro
		// cannot be turned into a go_plugin) or, in a directory that is a plugin directory
		// only because it already has a go_plugin, one whose role is unclear. Leave the Go
		// extension's rule alone then: it merges into that go_binary as it always did,
		// instead of a go_plugin being added for the same package.
		binaryKinds := kindsOf(c, binaryKind, true)
		for _, r := range args.File.Rules {
			if binaryKinds[r.Kind()] {
				return language.GenerateResult{}
			}
		}
	}
	for _, r := range args.OtherGen {
		if r.Kind() != binaryKind {
			continue
		}
		r.SetKind(pluginKind)
		if name := pc.pluginName(r.Name()); name != r.Name() {
			r.SetName(name)
		}
	}
	var res language.GenerateResult
	if pc.mode == modeOn {
		for _, r := range args.OtherEmpty {
			if r.Kind() == binaryKind {
				res.Empty = append(res.Empty, rule.NewRule(pluginKind, pc.pluginName(r.Name())))
			}
		}
	}
	return res
}

// isPluginDir reports whether the main package of the directory with the configuration c
// and BUILD file f (nil if none) is built as a go_plugin.
func (pc *pluginConfig) isPluginDir(c *config.Config, f *rule.File) bool {
	switch pc.mode {
	case modeOn:
		return true
	case modeOff:
		return false
	}
	// No directive: only a directory that already has a go_plugin (written by hand, or
	// before the directive was removed) keeps it, instead of getting a go_binary as well.
	if f == nil {
		return false
	}
	pluginKinds := kindsOf(c, pluginKind, true)
	for _, r := range f.Rules {
		if pluginKinds[r.Kind()] {
			return true
		}
	}
	return false
}

// kindsOf returns the kinds that stand for kind in the BUILD files of the directory with
// configuration c: kind itself, what `# gazelle:map_kind` maps it to (transitively), and,
// if withAliases, the `# gazelle:alias_kind` wrappers of any of those.
func kindsOf(c *config.Config, kind string, withAliases bool) map[string]bool {
	kinds := map[string]bool{kind: true}
	for k := kind; ; {
		mapped, ok := c.KindMap[k]
		if !ok || kinds[mapped.KindName] {
			break
		}
		k = mapped.KindName
		kinds[k] = true
	}
	if withAliases {
		for alias, underlying := range c.AliasMap {
			if kinds[underlying] {
				kinds[alias] = true
			}
		}
	}
	return kinds
}

// Fix runs before rules are generated for a directory. In a directory with
// `# gazelle:go_plugin on` it changes the kind of existing go_binary rules (or rules of the
// kind a map_kind directive gives go_binary) to go_plugin, so that the go_plugin generated
// for the directory's main package merges into them instead of being added next to them.
// Names and hand-written attributes are kept; `linkmode = "plugin"` (how rules_go's
// go_binary builds a plugin) is dropped since go_plugin implies it. Rules marked
// `# keep`, and go_binary rules with another linkmode, are left alone.
//
// This is a change of kind, not a deletion or renaming, and the user asked for it with
// the directive, so it is done by `gazelle update` as well as `gazelle fix`.
func (*pluginLang) Fix(c *config.Config, f *rule.File) {
	if f == nil || getConfig(c).mode != modeOn {
		return
	}
	binaryKinds := kindsOf(c, binaryKind, false)
	converted := map[string]bool{}
	for _, r := range f.Rules {
		if !binaryKinds[r.Kind()] || r.ShouldKeep() {
			continue
		}
		if r.Attr("linkmode") != nil {
			if lm := r.AttrString("linkmode"); lm != "plugin" {
				log.Printf("%s: %s %q has linkmode %q; not turned into a %s (# gazelle:%s on)",
					f.Path, r.Kind(), r.Name(), lm, pluginKind, pluginDirective)
				continue
			}
			r.DelAttr("linkmode")
		}
		converted[r.Kind()] = true
		r.SetKind(pluginKind)
	}
	// Gazelle's load fixing removes go_binary from the rules_go load once it is unused, and
	// adds the go_plugin load. It does not know the .bzl file of a kind that map_kind gives
	// go_binary unless that mapping is applied in this directory, so remove such a symbol
	// here when no rule uses it anymore.
	delete(converted, binaryKind)
	for _, r := range f.Rules {
		delete(converted, r.Kind())
	}
	for kind := range converted {
		for _, l := range f.Loads {
			if l.Has(kind) {
				l.Remove(kind)
				if l.IsEmpty() {
					l.Delete()
				}
			}
		}
	}
}

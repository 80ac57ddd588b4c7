package goplugin

import (
	"strings"
	"testing"

	"github.com/bazelbuild/bazel-gazelle/config"
	"github.com/bazelbuild/bazel-gazelle/label"
	"github.com/bazelbuild/bazel-gazelle/language"
	"github.com/bazelbuild/bazel-gazelle/rule"
)

func TestApparentLoads(t *testing.T) {
	for _, tc := range []struct {
		name    string
		modules map[string]string // module name -> repo_name in MODULE.bazel
		want    string
	}{
		{name: "no MODULE.bazel", want: "@rules_go_plugin//go:defs.bzl"},
		{name: "bazel_dep without repo_name", modules: map[string]string{"rules_go_plugin": "rules_go_plugin"}, want: "@rules_go_plugin//go:defs.bzl"},
		{name: "repo_name", modules: map[string]string{"rules_go_plugin": "plugins"}, want: "@plugins//go:defs.bzl"},
		{name: "other modules only", modules: map[string]string{"rules_go": "io_bazel_rules_go"}, want: "@rules_go_plugin//go:defs.bzl"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			loads := (&pluginLang{}).ApparentLoads(func(m string) string { return tc.modules[m] })
			if len(loads) != 1 || loads[0].Name != tc.want || strings.Join(loads[0].Symbols, ",") != "go_plugin" {
				t.Errorf("ApparentLoads = %+v, want one load of go_plugin from %s", loads, tc.want)
			}
		})
	}
}

func TestImportsNil(t *testing.T) {
	r := rule.NewRule("go_plugin", "p")
	r.SetAttr("embed", []string{":p_lib"})
	r.SetAttr("importpath", "example.com/p")
	if got := (&pluginLang{}).Imports(config.New(), r, rule.EmptyFile("BUILD.bazel", "p")); got != nil {
		t.Errorf("Imports(go_plugin) = %v, want nil (never indexed)", got)
	}
}

func TestEmbeds(t *testing.T) {
	l := NewLanguage().(*pluginLang)
	r := rule.NewRule("go_plugin", "p")
	r.SetAttr("embed", []string{":p_lib"})
	got := l.Embeds(r, label.New("", "a/p", "p"))
	if len(got) != 1 || got[0].String() != "//a/p:p_lib" {
		t.Errorf("Embeds = %v, want [//a/p:p_lib]", got)
	}
}

func TestKindInfo(t *testing.T) {
	ki := (&pluginLang{}).Kinds()["go_plugin"]
	if !ki.MatchAny {
		t.Error("MatchAny = false: an existing go_plugin under another name would be duplicated")
	}
	// Gazelle owns what it derives from sources; hand-written attributes must survive.
	for attr, want := range map[string]bool{
		"srcs": true, "embed": true, "embedsrcs": true,
		"x_defs": false, "gc_goopts": false, "gc_linkopts": false, "cgo": false, "cdeps": false,
		"copts": false, "clinkopts": false, "pluginpath": false, "importpath": false,
		"data": false, "out": false, "visibility": false, "deps": false,
	} {
		if ki.MergeableAttrs[attr] != want {
			t.Errorf("MergeableAttrs[%q] = %v, want %v", attr, ki.MergeableAttrs[attr], want)
		}
	}
	if !ki.ResolveAttrs["deps"] || len(ki.ResolveAttrs) != 1 {
		t.Errorf("ResolveAttrs = %v, want only deps", ki.ResolveAttrs)
	}
}

// configFor returns the configuration of a directory whose BUILD file is build (with
// map_kind and alias_kind directives applied as Gazelle's CommonConfigurer does).
func configFor(t *testing.T, build string) (*config.Config, *rule.File) {
	t.Helper()
	c := config.New()
	f := parseBuild(t, build)
	for _, d := range f.Directives {
		vals := strings.Fields(d.Value)
		switch d.Key {
		case "map_kind":
			if c.KindMap == nil {
				c.KindMap = map[string]config.MappedKind{}
			}
			c.KindMap[vals[0]] = config.MappedKind{FromKind: vals[0], KindName: vals[1], KindLoad: vals[2]}
		case "alias_kind":
			if c.AliasMap == nil {
				c.AliasMap = map[string]string{}
			}
			c.AliasMap[vals[0]] = vals[1]
		}
	}
	(&pluginLang{}).Configure(c, "pkg", f)
	return c, f
}

// kinds lists "kind(name)" for every rule of f.
func kinds(f *rule.File) string {
	var s []string
	for _, r := range f.Rules {
		s = append(s, r.Kind()+"("+r.Name()+")")
	}
	return strings.Join(s, " ")
}

func TestFix(t *testing.T) {
	for _, tc := range []struct {
		name, build, want string
		wantLinkmode      string // linkmode left on the first rule afterwards
	}{
		{
			name:  "on: go_binary becomes go_plugin",
			build: "# gazelle:go_plugin on\ngo_binary(name = 'a', embed = [':a_lib'])\n",
			want:  "go_plugin(a)",
		},
		{
			name:  "on: linkmode plugin is dropped",
			build: "# gazelle:go_plugin on\ngo_binary(name = 'a', linkmode = 'plugin')\n",
			want:  "go_plugin(a)",
		},
		{
			name:         "on: another linkmode is left alone",
			build:        "# gazelle:go_plugin on\ngo_binary(name = 'a', linkmode = 'c-shared')\n",
			want:         "go_binary(a)",
			wantLinkmode: "c-shared",
		},
		{
			name:  "on: # keep is left alone",
			build: "# gazelle:go_plugin on\ngo_binary(name = 'a') # keep\n",
			want:  "go_binary(a)",
		},
		{
			name:  "on: the map_kind target of go_binary is converted too",
			build: "# gazelle:go_plugin on\n# gazelle:map_kind go_binary my_binary //:b.bzl\nmy_binary(name = 'a')\n",
			want:  "go_plugin(a)",
		},
		{
			name:  "on: an alias_kind wrapper of go_binary is a macro and stays",
			build: "# gazelle:go_plugin on\n# gazelle:alias_kind my_bin go_binary\nmy_bin(name = 'a')\n",
			want:  "my_bin(a)",
		},
		{
			name:  "on: other kinds are untouched",
			build: "# gazelle:go_plugin on\ngo_library(name = 'a_lib')\ngo_test(name = 'a_test')\n",
			want:  "go_library(a_lib) go_test(a_test)",
		},
		{
			name:  "unset: nothing changes",
			build: "go_binary(name = 'a')\n",
			want:  "go_binary(a)",
		},
		{
			name:  "off: nothing changes",
			build: "# gazelle:go_plugin off\ngo_binary(name = 'a')\n",
			want:  "go_binary(a)",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, f := configFor(t, tc.build)
			(&pluginLang{}).Fix(c, f)
			if got := kinds(f); got != tc.want {
				t.Errorf("after Fix: %s, want %s", got, tc.want)
			}
			if got := f.Rules[0].AttrString("linkmode"); got != tc.wantLinkmode {
				t.Errorf("linkmode = %q, want %q", got, tc.wantLinkmode)
			}
		})
	}
}

func TestGenerateRules(t *testing.T) {
	// goGen is what the Go extension generates for a main package in directory "hello".
	goGen := func() []*rule.Rule {
		lib := rule.NewRule("go_library", "hello_lib")
		bin := rule.NewRule("go_binary", "hello")
		bin.SetAttr("embed", []string{":hello_lib"})
		test := rule.NewRule("go_test", "hello_test")
		return []*rule.Rule{lib, bin, test}
	}
	for _, tc := range []struct {
		name      string
		build     string // "" means no BUILD file
		otherGen  []*rule.Rule
		empty     []*rule.Rule
		wantGen   string // kinds of OtherGen afterwards
		wantEmpty string // kinds of the result's Empty
	}{
		{
			name:     "no directive: nothing changes",
			otherGen: goGen(),
			wantGen:  "go_library(hello_lib) go_binary(hello) go_test(hello_test)",
		},
		{
			name:     "on",
			build:    "# gazelle:go_plugin on\n",
			otherGen: goGen(),
			wantGen:  "go_library(hello_lib) go_plugin(hello) go_test(hello_test)",
		},
		{
			name:     "on, with a name template",
			build:    "# gazelle:go_plugin on\n# gazelle:go_plugin_name {dirname}_plugin\n",
			otherGen: goGen(),
			wantGen:  "go_library(hello_lib) go_plugin(hello_plugin) go_test(hello_test)",
		},
		{
			name:     "off",
			build:    "# gazelle:go_plugin off\n",
			otherGen: goGen(),
			wantGen:  "go_library(hello_lib) go_binary(hello) go_test(hello_test)",
		},
		{
			name:     "no directive, existing go_plugin: plugin directory",
			build:    "go_plugin(name = 'custom')\n",
			otherGen: goGen(),
			wantGen:  "go_library(hello_lib) go_plugin(hello) go_test(hello_test)",
		},
		{
			name:     "no directive, existing alias of go_plugin: plugin directory",
			build:    "# gazelle:alias_kind my_plugin go_plugin\nmy_plugin(name = 'custom')\n",
			otherGen: goGen(),
			wantGen:  "go_library(hello_lib) go_plugin(hello) go_test(hello_test)",
		},
		{
			name:     "no directive, existing map_kind target of go_plugin: plugin directory",
			build:    "# gazelle:map_kind go_plugin my_plugin //:p.bzl\nmy_plugin(name = 'custom')\n",
			otherGen: goGen(),
			wantGen:  "go_library(hello_lib) go_plugin(hello) go_test(hello_test)",
		},
		{
			name:     "explicit off wins over an existing go_plugin",
			build:    "# gazelle:go_plugin off\ngo_plugin(name = 'custom')\n",
			otherGen: goGen(),
			wantGen:  "go_library(hello_lib) go_binary(hello) go_test(hello_test)",
		},
		{
			name:     "on, a kept go_binary remains: the Go extension's rule is left alone",
			build:    "# gazelle:go_plugin on\ngo_binary(name = 'hello') # keep\n",
			otherGen: goGen(),
			wantGen:  "go_library(hello_lib) go_binary(hello) go_test(hello_test)",
		},
		{
			name:      "on, empty go_binary: empty go_plugin",
			build:     "# gazelle:go_plugin on\n# gazelle:go_plugin_name p_{dirname}\n",
			otherGen:  []*rule.Rule{rule.NewRule("go_library", "lib")},
			empty:     []*rule.Rule{rule.NewRule("go_binary", "hello")},
			wantGen:   "go_library(lib)",
			wantEmpty: "go_plugin(p_hello)",
		},
		{
			name:     "existing go_plugin only: no empty go_plugin (it may be hand-written)",
			build:    "go_plugin(name = 'custom', srcs = ['x.go'])\n",
			otherGen: []*rule.Rule{rule.NewRule("go_library", "lib")},
			empty:    []*rule.Rule{rule.NewRule("go_binary", "hello")},
			wantGen:  "go_library(lib)",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c *config.Config
			var f *rule.File
			if tc.build != "" {
				c, f = configFor(t, tc.build)
			} else {
				c = config.New()
				(&pluginLang{}).Configure(c, "hello", nil)
			}
			res := (&pluginLang{}).GenerateRules(language.GenerateArgs{
				Config:     c,
				Rel:        "hello",
				File:       f,
				OtherGen:   tc.otherGen,
				OtherEmpty: tc.empty,
			})
			if len(res.Gen) != 0 || len(res.Imports) != 0 {
				t.Errorf("Gen = %v, Imports = %v; want none", res.Gen, res.Imports)
			}
			if got := kinds(&rule.File{Rules: tc.otherGen}); got != tc.wantGen {
				t.Errorf("OtherGen afterwards: %s, want %s", got, tc.wantGen)
			}
			if got := kinds(&rule.File{Rules: res.Empty}); got != tc.wantEmpty {
				t.Errorf("Empty: %s, want %s", got, tc.wantEmpty)
			}
		})
	}
}

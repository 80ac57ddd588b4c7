package main

import (
	"reflect"
	"strings"
	"testing"
)

func TestClassifyParams(t *testing.T) {
	mandatory := func(name string) ParamInfo { return ParamInfo{Name: name, Mandatory: true} }
	optional := func(name string) ParamInfo { return ParamInfo{Name: name, Default: "None"} }
	residual := func(name string) ParamInfo { return ParamInfo{Name: name} }
	tests := []struct {
		name  string
		in    []ParamInfo
		roles []FunctionParamRole
	}{
		{name: "none", in: nil, roles: nil},
		{name: "ordinary", in: []ParamInfo{mandatory("a"), optional("b")}, roles: []FunctionParamRole{RoleOrdinary, RoleOrdinary}},
		{name: "kwargs", in: []ParamInfo{mandatory("name"), residual("kwargs")}, roles: []FunctionParamRole{RoleOrdinary, RoleKwargs}},
		{name: "kwargs of another name", in: []ParamInfo{residual("attrs")}, roles: []FunctionParamRole{RoleKwargs}},
		{name: "args alone", in: []ParamInfo{mandatory("a"), residual("args")}, roles: []FunctionParamRole{RoleOrdinary, RoleVarargs}},
		{
			name:  "args and kwargs",
			in:    []ParamInfo{mandatory("a"), residual("rest"), residual("options")},
			roles: []FunctionParamRole{RoleOrdinary, RoleVarargs, RoleKwargs},
		},
		{
			name:  "a mandatory parameter after an optional one is keyword-only",
			in:    []ParamInfo{mandatory("a"), optional("b"), mandatory("c"), optional("d"), residual("kwargs")},
			roles: []FunctionParamRole{RoleOrdinary, RoleOrdinary, RoleKeywordOnly, RoleKeywordOnly, RoleKwargs},
		},
		{
			name:  "roles set by Bazel are kept",
			in:    []ParamInfo{{Name: "a", Mandatory: true, Role: RoleKeywordOnly}, {Name: "b", Role: RoleVarargs}},
			roles: []FunctionParamRole{RoleKeywordOnly, RoleVarargs},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := classifyParams(tt.in)
			var roles []FunctionParamRole
			for _, p := range got {
				roles = append(roles, p.Role)
			}
			if !reflect.DeepEqual(roles, tt.roles) {
				t.Errorf("roles = %v, want %v", roles, tt.roles)
			}
			for _, p := range tt.in {
				if tt.name != "roles set by Bazel are kept" && p.Role != RoleUnspecified {
					t.Errorf("classifyParams modified its input")
				}
			}
		})
	}
}

func TestSignatureArgs(t *testing.T) {
	tests := []struct {
		name string
		in   []ParamInfo
		want []string
	}{
		{name: "none", in: nil, want: nil},
		{
			name: "defaults",
			in:   []ParamInfo{{Name: "a", Mandatory: true, Role: RoleOrdinary}, {Name: "b", Default: "[]", Role: RoleOrdinary}},
			want: []string{"a", "b = []"},
		},
		{
			name: "keyword-only after a bare star",
			in:   []ParamInfo{{Name: "a", Role: RoleOrdinary, Mandatory: true}, {Name: "k", Role: RoleKeywordOnly, Mandatory: true}, {Name: "kw", Role: RoleKwargs}},
			want: []string{"a", "*", "k", "**kw"},
		},
		{
			name: "keyword-only after *args",
			in:   []ParamInfo{{Name: "k", Role: RoleKeywordOnly, Default: "1"}, {Name: "args", Role: RoleVarargs}},
			want: []string{"*args", "k = 1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := signatureArgs(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("signatureArgs() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAttrType(t *testing.T) {
	tests := []struct {
		name string
		in   AttributeInfo
		want string
	}{
		{name: "string", in: AttributeInfo{Type: AttrString}, want: "String"},
		{name: "dict", in: AttributeInfo{Type: AttrStringListDict}, want: "Dictionary: String → List of strings"},
		{name: "unknown", in: AttributeInfo{Type: 99}, want: "Unknown"},
		{
			name: "providers",
			in:   AttributeInfo{Type: AttrLabelList, Providers: []ProviderNameGroup{{Names: []string{"GoInfo"}}}},
			want: "List of labels; providing `GoInfo`",
		},
		{
			name: "provider groups",
			in: AttributeInfo{Type: AttrLabel, Providers: []ProviderNameGroup{
				{Names: []string{"A", "B"}}, {Names: []string{"C"}}, {},
			}},
			want: "Label; providing `A` and `B`, or `C`",
		},
		{name: "nonconfigurable", in: AttributeInfo{Type: AttrBool, Nonconfigurable: true}, want: "Boolean; nonconfigurable"},
		{name: "outputs are always nonconfigurable", in: AttributeInfo{Type: AttrOutput, Nonconfigurable: true}, want: "Label (output)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := attrType(tt.in); got != tt.want {
				t.Errorf("attrType() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCodeList(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"a"}, "`a`"},
		{[]string{"a", "b"}, "`a` and `b`"},
		{[]string{"a", "b", "c"}, "`a`, `b`, and `c`"},
	}
	for _, tt := range tests {
		if got := codeList(tt.in, "and"); got != tt.want {
			t.Errorf("codeList(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// testModule is a public .bzl file exporting a macro around a private rule, a provider and a
// plain function.
func testModule() (*ModuleInfo, []RuleInfo) {
	m := &ModuleInfo{
		Doc:  "Public API.\n\nMore.",
		File: "//go:defs.bzl",
		Funcs: []FunctionInfo{
			{
				Name: "my_macro",
				Doc:  "Declares a thing.\n\n    Details of the macro.\n",
				Params: []ParamInfo{
					{Name: "name", Doc: "The name.", Mandatory: true},
					{Name: "plugins", Doc: "Plugins.", Default: "[]"},
					{Name: "kwargs", Doc: "Other attributes."},
				},
			},
			{
				Name:       "helper",
				Doc:        "Helps.",
				Params:     []ParamInfo{{Name: "x", Doc: "An x.", Default: `"y"`}},
				Return:     "Nothing.",
				Deprecated: "Use other.",
			},
		},
		Providers: []ProviderInfo{{
			Name:   "MyInfo",
			Doc:    "Info.",
			Fields: []FieldInfo{{Name: "file", Doc: "File: the output."}},
		}},
	}
	rules := []RuleInfo{{
		Name: "my_rule",
		Doc:  "The rule.",
		Attrs: []AttributeInfo{
			{Name: "name", Doc: "A unique name for this target.", Type: AttrName, Mandatory: true},
			{Name: "binary", Doc: "Set by the macro.", Type: AttrLabel, Mandatory: true},
			{Name: "plugins", Doc: "The plugins.", Type: AttrLabelList, Default: "[]"},
			{Name: "race", Doc: "Race | not.", Type: AttrString, Default: `"auto"`},
		},
		Executable: true,
	}}
	return m, rules
}

func TestRenderPage(t *testing.T) {
	m, rules := testModule()
	md, sum, err := RenderPage(m, PageConfig{
		Load:       "@x//go:defs.bzl",
		Regenerate: "bazel run //docs:update",
		Macros:     map[string]string{"my_macro": "my_rule"},
		Rules:      rules,
		SetByMacro: map[string][]string{"my_rule": {"binary"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"<!-- Generated by tools/docgen from the docstrings of //go:defs.bzl (starlark_doc_extract). DO NOT EDIT. -->\n<!-- Regenerate: bazel run //docs:update -->\n\n# `@x//go:defs.bzl`\n\nPublic API.\n\nMore.\n",
		"* [`my_macro`](#my_macro) (macro)\n* [`helper`](#helper) (function)\n* [`MyInfo`](#MyInfo) (provider)\n",
		"<a id=\"my_macro\"></a>\n\n## `my_macro`\n\n```starlark\nload(\"@x//go:defs.bzl\", \"my_macro\")\n\nmy_macro(name, plugins, race, **kwargs)\n```\n\nDeclares a thing.\n\nDetails of the macro.\n\nThe rule.\n\nAn executable rule (`bazel run`).\n",
		"**Attributes (of the rule `my_rule` that the macro declares)**\n\n| Name | Description | Type | Default |\n| :--- | :--- | :--- | :--- |\n" +
			"| <a id=\"my_macro-name\"></a>`name` | A unique name for this target. | Name | required |\n" +
			"| <a id=\"my_macro-plugins\"></a>`plugins` | The plugins. | List of labels | `[]` |\n" +
			"| <a id=\"my_macro-race\"></a>`race` | Race \\| not. | String | `\"auto\"` |\n\nSet by the macro: `binary`.\n",
		"**Macro parameters**\n\n| Name | Description | Default |\n| :--- | :--- | :--- |\n" +
			"| <a id=\"my_macro-macro-name\"></a>`name` | The name. | required |\n" +
			"| <a id=\"my_macro-macro-plugins\"></a>`plugins` | Plugins. | `[]` |\n" +
			"| <a id=\"my_macro-macro-kwargs\"></a>`**kwargs` | Other attributes. |  |\n",
		"helper(x = \"y\")\n```\n\nHelps.\n\n**Deprecated:** Use other.\n",
		"| <a id=\"helper-x\"></a>`x` | An x. | `\"y\"` |\n\n**Returns:** Nothing.\n",
		"## `MyInfo`\n\n```starlark\nload(\"@x//go:defs.bzl\", \"MyInfo\")\n```\n\nInfo.\n\n**Fields**\n\n| Name | Description |\n| :--- | :--- |\n| <a id=\"MyInfo-file\"></a>`file` | File: the output. |\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("page lacks\n%s\n--- page ---\n%s", want, md)
		}
	}
	if strings.Contains(md, "my_macro-binary") {
		t.Errorf("the attribute set by the macro is documented:\n%s", md)
	}
	wantSum := Summary{
		Title: "@x//go:defs.bzl",
		Doc:   "Public API.",
		Entries: []Entry{
			{Name: "my_macro", Kind: "macro", Anchor: "my_macro", Summary: "Declares a thing."},
			{Name: "helper", Kind: "function", Anchor: "helper", Summary: "Helps."},
			{Name: "MyInfo", Kind: "provider", Anchor: "MyInfo", Summary: "Info."},
		},
	}
	if !reflect.DeepEqual(sum, wantSum) {
		t.Errorf("summary = %+v, want %+v", sum, wantSum)
	}
}

func TestRenderPageSections(t *testing.T) {
	tests := []struct {
		name string
		m    *ModuleInfo
		want []string
	}{
		{
			name: "empty module, no load label",
			m:    &ModuleInfo{File: "//:empty.bzl"},
			want: []string{"# `//:empty.bzl`\n"},
		},
		{
			name: "test rule with advertised providers",
			m: &ModuleInfo{Rules: []RuleInfo{{
				Name: "t_test", Doc: "Tests.", Test: true, Executable: true,
				Provides: ProviderNameGroup{Names: []string{"AInfo", "BInfo"}},
				Attrs:    []AttributeInfo{{Name: "name", Type: AttrName, Mandatory: true}},
			}}},
			want: []string{
				"* [`t_test`](#t_test) (test rule)\n",
				"t_test(name)\n```\n\nTests.\n\nA test rule (`bazel test`). Provides `AInfo` and `BInfo`.\n",
			},
		},
		{
			name: "module extension",
			m: &ModuleInfo{Extensions: []ExtensionInfo{{
				Name: "ext", Doc: "Extends.",
				Tags: []TagClassInfo{
					{Name: "tag", Doc: "A tag.", Attrs: []AttributeInfo{{Name: "add", Doc: "Adds.", Type: AttrStringList, Default: "[]"}}},
					{Name: "empty"},
				},
			}}},
			want: []string{
				"```starlark\next = use_extension(\"@m//:m.bzl\", \"ext\")\next.tag(add)\next.empty()\n```\n\nExtends.\n",
				"<a id=\"ext.tag\"></a>\n\n### Tag class `tag`\n\nA tag.\n\n**Attributes**\n",
				"| <a id=\"ext.tag-add\"></a>`add` | Adds. | List of strings | `[]` |\n",
				"<a id=\"ext.empty\"></a>\n\n### Tag class `empty`\n",
			},
		},
		{
			name: "provider with init",
			m: &ModuleInfo{Providers: []ProviderInfo{{
				Name: "PInfo",
				Init: &FunctionInfo{Params: []ParamInfo{{Name: "a", Doc: "The a.", Mandatory: true}}},
			}}},
			want: []string{"\nConstructor: `PInfo(a)`\n\n**Constructor parameters**\n", "| <a id=\"PInfo-init-a\"></a>`a` | The a. | required |\n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := PageConfig{Load: "@m//:m.bzl"}
			if tt.m.File != "" {
				cfg.Load = "" // the title and load label come from the file
			}
			md, _, err := RenderPage(tt.m, cfg)
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range tt.want {
				if !strings.Contains(md, want) {
					t.Errorf("page lacks\n%s\n--- page ---\n%s", want, md)
				}
			}
		})
	}
}

func TestRenderPageConfigErrors(t *testing.T) {
	tests := []struct {
		name    string
		cfg     func(rules []RuleInfo) PageConfig
		wantErr string
	}{
		{
			name: "unknown macro",
			cfg: func(rules []RuleInfo) PageConfig {
				return PageConfig{Macros: map[string]string{"nope": "my_rule"}, Rules: rules}
			},
			wantErr: "macro nope: //go:defs.bzl has no function nope",
		},
		{
			name:    "unknown rule",
			cfg:     func([]RuleInfo) PageConfig { return PageConfig{Macros: map[string]string{"my_macro": "my_rule"}} },
			wantErr: "macro my_macro: no documentation for rule my_rule",
		},
		{
			name: "set_by_macro of an unknown rule",
			cfg: func(rules []RuleInfo) PageConfig {
				return PageConfig{Rules: rules, SetByMacro: map[string][]string{"other_rule": {"binary"}}}
			},
			wantErr: "no documentation for rule other_rule",
		},
		{
			name: "set_by_macro of an unknown attribute",
			cfg: func(rules []RuleInfo) PageConfig {
				return PageConfig{Rules: rules, SetByMacro: map[string][]string{"my_rule": {"binary", "bogus"}}}
			},
			wantErr: "rule my_rule has no attribute bogus",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, rules := testModule()
			_, _, err := RenderPage(m, tt.cfg(rules))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("RenderPage() error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestRenderIndex(t *testing.T) {
	got := RenderIndex("Reference", "Generated.\n", []IndexPage{
		{File: "defs.md", Summary: Summary{
			Title: "@x//go:defs.bzl",
			Doc:   "Public API.",
			Entries: []Entry{
				{Name: "my_macro", Kind: "macro", Anchor: "my_macro", Summary: "Declares a | thing."},
				{Name: "MyInfo", Kind: "provider", Anchor: "MyInfo"},
			},
		}},
		{File: "empty.md", Summary: Summary{Title: "@x//go:empty.bzl"}},
	})
	want := `<!-- Generated by tools/docgen. DO NOT EDIT. -->

# Reference

Generated.

## [` + "`@x//go:defs.bzl`" + `](defs.md)

Public API.

| Symbol | Kind | Description |
| :--- | :--- | :--- |
| [` + "`my_macro`" + `](defs.md#my_macro) | macro | Declares a \| thing. |
| [` + "`MyInfo`" + `](defs.md#MyInfo) | provider |  |

## [` + "`@x//go:empty.bzl`" + `](empty.md)
`
	if got != want {
		t.Errorf("RenderIndex() =\n%s\nwant\n%s", got, want)
	}
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The tests below read what Bazel's starlark_doc_extract really writes for testdata/sample.bzl
// (//tools/docgen:sample_doc) and testdata/sample_dep.bzl (:sample_rule_doc), so that a
// change in the proto (field numbers, what Bazel fills in) shows up here. They need Bazel:
// SAMPLE_DOC and SAMPLE_RULE_DOC hold the rlocation paths of the two protos.

func extracted(t *testing.T, key string) *ModuleInfo {
	t.Helper()
	rloc := os.Getenv(key)
	if rloc == "" {
		t.Skipf("%s is not set: run with `bazel test //tools/docgen:docgen_test`", key)
	}
	path := rloc
	if !filepath.IsAbs(path) {
		dir := os.Getenv("RUNFILES_DIR")
		if dir == "" {
			dir = os.Getenv("TEST_SRCDIR")
		}
		path = filepath.Join(dir, filepath.FromSlash(rloc))
	}
	m, err := readModule(path)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestExtractedSample(t *testing.T) {
	m := extracted(t, "SAMPLE_DOC")
	if m.File != "//tools/docgen:testdata/sample.bzl" {
		t.Errorf("File = %q", m.File)
	}
	names := func(kind string, got []string, want ...string) {
		t.Helper()
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s = %q, want %q", kind, got, want)
		}
	}
	var rules, funcs, providers, exts []string
	for _, r := range m.Rules {
		rules = append(rules, r.Name)
	}
	for _, f := range m.Funcs {
		funcs = append(funcs, f.Name)
	}
	for _, p := range m.Providers {
		providers = append(providers, p.Name)
	}
	for _, e := range m.Extensions {
		exts = append(exts, e.Name)
	}
	names("rules", rules, "every_attr_test")
	names("functions", funcs, "sample_macro", "sample_function", "undocumented_function")
	names("providers", providers, "SampleInfo")
	names("extensions", exts, "sample_extension")

	r := m.Rules[0]
	if !r.Test || !r.Executable {
		t.Errorf("every_attr_test: Test = %v, Executable = %v", r.Test, r.Executable)
	}
	types := map[string]AttributeType{}
	for _, a := range r.Attrs {
		types[a.Name] = a.Type
	}
	wantTypes := map[string]AttributeType{
		"name": AttrName, "b": AttrBool, "i": AttrInt, "il": AttrIntList, "l": AttrLabel,
		"lsd": AttrLabelStringDict, "o": AttrOutput, "ol": AttrOutputList, "s": AttrString,
		"sd": AttrStringDict, "sld": AttrStringListDict, "sl": AttrStringList, "undocumented": AttrString,
	}
	for name, want := range wantTypes {
		if types[name] != want {
			t.Errorf("attribute %s: type %d, want %d", name, types[name], want)
		}
	}
	if _, ok := types["_private"]; ok {
		t.Errorf("private attribute _private extracted")
	}

	md, _, err := RenderPage(m, PageConfig{Load: "@sample//:sample.bzl"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| <a id=\"every_attr_test-l\"></a>`l` | A mandatory label. | Label | required |",
		"| <a id=\"every_attr_test-b\"></a>`b` | A bool. | Boolean | `True` |",
		"sample_function(pos, opt = None, *args, kw_only, kw_default = {\"a\": 1}, **kwargs)",
		"| <a id=\"sample_function-opt\"></a>`opt` | optional, documented over two lines. | `None` |",
		"**Returns:** None, always.",
		"**Deprecated:** Use nothing instead.",
		"| <a id=\"SampleInfo-name\"></a>`name` | string: a name, over two lines. |",
		"What a sample rule returns.\n\nSecond paragraph, with a `|` pipe.\n",
		"sample_extension = use_extension(\"@sample//:sample.bzl\", \"sample_extension\")\nsample_extension.tag(names)\nsample_extension.other()\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("page lacks\n%s\n--- page ---\n%s", want, md)
		}
	}
}

func TestExtractedMacroWithRule(t *testing.T) {
	m := extracted(t, "SAMPLE_DOC")
	rules := extracted(t, "SAMPLE_RULE_DOC")
	if len(rules.Rules) != 1 || rules.Rules[0].Name != "sample_rule" {
		t.Fatalf("rules = %+v, want sample_rule only", rules.Rules)
	}
	if got := rules.Rules[0].Provides.Names; len(got) != 1 || got[0] != "SampleInfo" {
		t.Errorf("sample_rule provides %q, want SampleInfo", got)
	}
	md, sum, err := RenderPage(m, PageConfig{
		Load:       "@sample//:sample.bzl",
		Macros:     map[string]string{"sample_macro": "sample_rule"},
		Rules:      rules.Rules,
		SetByMacro: map[string][]string{"sample_rule": {"internal"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"sample_macro(name, mode, srcs, deps, **kwargs)\n",
		"Declares a sample.\n\nMore about the macro.\n\nThe rule behind `sample_macro`.\n\nProvides `SampleInfo`.\n",
		"| <a id=\"sample_macro-deps\"></a>`deps` | Other samples. | List of labels; providing `SampleInfo` | `[]` |",
		"| <a id=\"sample_macro-mode\"></a>`mode` | How:<br><br>* fast<br>* slow | String | `\"fast\"` |",
		"Set by the macro: `internal`.",
		"| <a id=\"sample_macro-macro-kwargs\"></a>`**kwargs` | attributes of `sample_rule`. |  |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("page lacks\n%s\n--- page ---\n%s", want, md)
		}
	}
	if sum.Entries[1].Kind != "macro" {
		t.Errorf("sample_macro listed as %q, want macro", sum.Entries[1].Kind)
	}
}

package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// spec writes a -plugin SPEC, as the rules' json.encode does, from "key=value" fields.
func spec(fields ...string) string {
	m := map[string]string{}
	for _, f := range fields {
		k, v, _ := strings.Cut(f, "=")
		m[k] = v
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func TestParseSpec(t *testing.T) {
	for _, tc := range []struct {
		name    string
		spec    string
		want    pluginSpec
		wantErr string
	}{
		{
			name: "check fields",
			spec: `{"label": "//x/p:p", "pluginpath": "example.com/p", "so": "bazel-out/k8/bin/x/p/p.so", "packages": "bazel-out/k8/bin/x/p/p.packages.txt"}`,
			want: pluginSpec{label: "//x/p:p", pluginPath: "example.com/p", so: "bazel-out/k8/bin/x/p/p.so", packages: "bazel-out/k8/bin/x/p/p.packages.txt"},
		},
		{
			name: "manifest fields, any order",
			spec: `{"so": "x/p/p.so", "rlocation": "_main/x/p/p.so", "pluginpath": "example.com/p", "label": "@@//x/p:p"}`,
			want: pluginSpec{label: "@@//x/p:p", pluginPath: "example.com/p", so: "x/p/p.so", rlocation: "_main/x/p/p.so"},
		},
		{
			name: "commas, equals signs and quotes in values",
			spec: spec("label=//x:a,b", "pluginpath=example.com/p", `so=dir,with=odd "chars"/p.so`),
			want: pluginSpec{label: "//x:a,b", pluginPath: "example.com/p", so: `dir,with=odd "chars"/p.so`},
		},
		{name: "only some keys", spec: `{"label": "//x:p"}`, want: pluginSpec{label: "//x:p"}},
		{name: "unknown key", spec: `{"label": "//x:p", "plugin_path": "example.com/p"}`, wantErr: `unknown field "plugin_path"`},
		{name: "not a string", spec: `{"label": 1}`, wantErr: "want a JSON object with string fields label, pluginpath, so, packages, rlocation"},
		{name: "the old key=value format", spec: "label=//x:p,pluginpath=p", wantErr: "want a JSON object"},
		{name: "two objects", spec: `{"label": "//a"} {"label": "//b"}`, wantErr: "text after the JSON object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseSpec(tc.spec)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("parseSpec(%q) error = %v, want one containing %q", tc.spec, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("parseSpec(%q) = %+v, want %+v", tc.spec, got, tc.want)
			}
		})
	}
}

func TestSpecRequire(t *testing.T) {
	s, err := parseSpec(`{"label": "//x:p"}`)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.require("SPEC", keyLabel); err != nil {
		t.Errorf("require(label) = %v", err)
	}
	if err := s.require("SPEC", keyLabel, keyPluginPath, keySO); err == nil || !strings.Contains(err.Error(), "missing pluginpath, so") {
		t.Errorf("require(label, pluginpath, so) = %v, want missing pluginpath, so", err)
	}
}

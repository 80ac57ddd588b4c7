package main

import (
	"strings"
	"testing"
)

func TestParseSpec(t *testing.T) {
	for _, tc := range []struct {
		name    string
		spec    string
		want    pluginSpec
		wantErr string
	}{
		{
			name: "check spec",
			spec: "label=//x/p:p,pluginpath=example.com/p,so=bazel-out/k8/bin/x/p/p.so,packages=bazel-out/k8/bin/x/p/p.packages.txt",
			want: pluginSpec{label: "//x/p:p", pluginPath: "example.com/p", so: "bazel-out/k8/bin/x/p/p.so", packages: "bazel-out/k8/bin/x/p/p.packages.txt"},
		},
		{
			name: "any order",
			spec: "packages=p.txt,so=p.so,pluginpath=example.com/p,label=@@//x/p:p",
			want: pluginSpec{label: "@@//x/p:p", pluginPath: "example.com/p", so: "p.so", packages: "p.txt"},
		},
		{
			name: "manifest spec",
			spec: "label=//x/p:p,pluginpath=example.com/p,rlocation=_main/x/p/p.so,so=x/p/p.so",
			want: pluginSpec{label: "//x/p:p", pluginPath: "example.com/p", so: "x/p/p.so", rlocation: "_main/x/p/p.so"},
		},
		{
			name: "commas in values",
			spec: "label=//x:a,b,pluginpath=example.com/p,so=dir,with,commas/p.so",
			want: pluginSpec{label: "//x:a,b", pluginPath: "example.com/p", so: "dir,with,commas/p.so"},
		},
		{
			name: "equals sign in value",
			spec: "label=//x:p,pluginpath=example.com/p,so=a=b/p.so",
			want: pluginSpec{label: "//x:p", pluginPath: "example.com/p", so: "a=b/p.so"},
		},
		{
			name: "comma then non-key equals belongs to value",
			spec: "label=//x:p,pluginpath=example.com/p,so=x,A=b.so",
			want: pluginSpec{label: "//x:p", pluginPath: "example.com/p", so: "x,A=b.so"},
		},
		{name: "only some keys", spec: "label=//x:p", want: pluginSpec{label: "//x:p"}},
		{name: "empty", spec: "", wantErr: "want key=value"},
		{name: "no key", spec: "//x:p,pluginpath=example.com/p", wantErr: "want key=value"},
		{name: "unknown key", spec: "label=//x:p,plugin_path=example.com/p", wantErr: `unknown key "plugin_path" (known: label, pluginpath, so, packages, rlocation)`},
		{name: "duplicate key", spec: "label=//x:p,label=//y:p", wantErr: "key label given twice"},
		{name: "empty value", spec: "label=,pluginpath=example.com/p", wantErr: "empty value for label"},
		{name: "trailing comma", spec: "label=//x:p,", want: pluginSpec{label: "//x:p,"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseSpec(tc.spec)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestSpecRequire(t *testing.T) {
	s := pluginSpec{label: "//x:p", so: "p.so"}
	for _, tc := range []struct {
		keys    []string
		wantErr string
	}{
		{[]string{keyLabel, keySO}, ""},
		{[]string{keyLabel, keyPluginPath}, "missing pluginpath"},
		{[]string{keyPluginPath, keyLabel, keyRlocation, keyPackages}, "missing pluginpath, rlocation, packages"},
	} {
		err := s.require("SPEC", tc.keys...)
		if tc.wantErr == "" {
			if err != nil {
				t.Errorf("require(%q): %v", tc.keys, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("require(%q) = %v, want error containing %q", tc.keys, err, tc.wantErr)
		}
	}
}

func TestJoinAnd(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"a"}, "a"},
		{[]string{"a", "b"}, "a and b"},
		{[]string{"a", "b", "c"}, "a, b and c"},
	} {
		if got := joinAnd(tc.in); got != tc.want {
			t.Errorf("joinAnd(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

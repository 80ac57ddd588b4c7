package manifest

import (
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	shaA := strings.Repeat("a", 64)
	shaB := strings.Repeat("b", 64)
	for _, tc := range []struct {
		name    string
		json    string
		want    []Entry
		wantErr string
	}{
		{"empty list", `{"plugins":[]}`, []Entry{}, ""},
		{
			"sorted by pluginpath, upper-case sha256, unknown fields",
			`{"version": 2, "plugins":[
				{"label":"//z","pluginpath":"z","rlocation":"_main/z.so","sha256":"` + strings.ToUpper(shaB) + `","size":3},
				{"label":"//a","pluginpath":"a","rlocation":"_main/a.so","sha256":"` + shaA + `"}]}`,
			[]Entry{
				{Label: "//a", PluginPath: "a", RlocationPath: "_main/a.so", SHA256: shaA},
				{Label: "//z", PluginPath: "z", RlocationPath: "_main/z.so", SHA256: shaB},
			},
			"",
		},
		{"no label is fine", `{"plugins":[{"pluginpath":"a","rlocation":"r","sha256":"` + shaA + `"}]}`, []Entry{{PluginPath: "a", RlocationPath: "r", SHA256: shaA}}, ""},
		{"not JSON", `plugins: []`, nil, "invalid character"},
		{"trailing data", `{"plugins":[]} {}`, nil, "invalid character"},
		{"no plugins key", `{}`, nil, `no "plugins" list`},
		{"null plugins", `{"plugins":null}`, nil, `no "plugins" list`},
		{"no pluginpath", `{"plugins":[{"label":"//a","rlocation":"r","sha256":"` + shaA + `"}]}`, nil, "plugin 1 (//a): no pluginpath"},
		{"no rlocation", `{"plugins":[{"pluginpath":"a","sha256":"` + shaA + `"}]}`, nil, "plugin 1: no rlocation"},
		{"absolute rlocation", `{"plugins":[{"pluginpath":"a","rlocation":"/etc/a.so","sha256":"` + shaA + `"}]}`, nil, `plugin 1: rlocation "/etc/a.so" is absolute`},
		{"rlocation climbing out", `{"plugins":[{"pluginpath":"a","rlocation":"_main/../../a.so","sha256":"` + shaA + `"}]}`, nil, `plugin 1: rlocation "_main/../../a.so" climbs out of the runfiles tree`},
		{"unclean rlocation", `{"plugins":[{"pluginpath":"a","rlocation":"_main//a.so","sha256":"` + shaA + `"}]}`, nil, `plugin 1: rlocation "_main//a.so" is not a clean path`},
		{"short sha256", `{"plugins":[{"pluginpath":"a","rlocation":"r","sha256":"abcd"}]}`, nil, `sha256 "abcd" is not 64 hex digits`},
		{"no sha256", `{"plugins":[{"pluginpath":"a","rlocation":"r"}]}`, nil, `sha256 "" is not 64 hex digits`},
		{
			"duplicate pluginpath",
			`{"plugins":[{"pluginpath":"a","rlocation":"r","sha256":"` + shaA + `"},{"pluginpath":"a","rlocation":"s","sha256":"` + shaB + `"}]}`,
			nil, "plugin 2: pluginpath a listed twice",
		},
		{
			"duplicate label",
			`{"plugins":[{"label":"//x","pluginpath":"a","rlocation":"r","sha256":"` + shaA + `"},{"label":"//x","pluginpath":"b","rlocation":"s","sha256":"` + shaB + `"}]}`,
			nil, "plugin 2 (//x): label listed twice",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse([]byte(tc.json))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestCheckRlocation(t *testing.T) {
	for r, ok := range map[string]bool{
		"_main/x/p.so":      true,
		"repo+/p.so":        true,
		"p.so":              true,
		"/abs/p.so":         false,
		`C:\p.so`:           false,
		"c:/p.so":           false,
		"_main/x/../p.so":   false,
		"../p.so":           false,
		"./p.so":            false,
		"_main//p.so":       false,
		"_main/x/":          false,
		".":                 false,
		"":                  false,
		"_main/a\\b.so":     false,
		"_main/..":          false,
		"..":                false,
		"_main/dir,x/p.so":  true,
		"_main/with space/": false,
	} {
		if err := CheckRlocation(r); (err == nil) != ok {
			t.Errorf("CheckRlocation(%q) = %v, want ok=%v", r, err, ok)
		}
	}
}

func TestEncode(t *testing.T) {
	sha := strings.Repeat("a", 64)
	for _, tc := range []struct {
		name    string
		entries []Entry
		want    string
	}{
		{"no plugins", nil, "{\n  \"plugins\": []\n}\n"},
		{
			"sorted by pluginpath",
			[]Entry{{Label: "//z", PluginPath: "z", RlocationPath: "_main/z.so", SHA256: sha}, {PluginPath: "a", RlocationPath: "_main/a.so", SHA256: sha}},
			`{
  "plugins": [
    {
      "label": "",
      "pluginpath": "a",
      "rlocation": "_main/a.so",
      "sha256": "` + sha + `"
    },
    {
      "label": "//z",
      "pluginpath": "z",
      "rlocation": "_main/z.so",
      "sha256": "` + sha + `"
    }
  ]
}
`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Encode(tc.entries)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("Encode:\n%s\nwant\n%s", got, tc.want)
			}
			if _, err := Parse(got); len(tc.entries) > 0 && err != nil {
				t.Errorf("Parse(Encode(...)): %v", err)
			}
		})
	}
}

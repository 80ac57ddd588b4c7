package goplugin

import (
	"strings"
	"testing"

	"github.com/bazelbuild/bazel-gazelle/config"
	"github.com/bazelbuild/bazel-gazelle/rule"
)

func TestParseMode(t *testing.T) {
	for _, tc := range []struct {
		value   string
		want    pluginMode
		wantErr bool
	}{
		{value: "on", want: modeOn},
		{value: "off", want: modeOff},
		{value: " ON ", want: modeOn},
		{value: "Off", want: modeOff},
		{value: "true", want: modeOn},
		{value: "false", want: modeOff},
		{value: "", wantErr: true},
		{value: "yes", wantErr: true},
		{value: "on off", wantErr: true},
	} {
		got, err := parseMode(tc.value)
		if (err != nil) != tc.wantErr {
			t.Errorf("parseMode(%q) error = %v, want error: %v", tc.value, err, tc.wantErr)
			continue
		}
		if err == nil && got != tc.want {
			t.Errorf("parseMode(%q) = %v, want %v", tc.value, got, tc.want)
		}
	}
}

func TestParseNameTemplate(t *testing.T) {
	for _, tc := range []struct {
		value   string
		want    string
		wantErr bool
	}{
		{value: "", want: ""},
		{value: "  ", want: ""},
		{value: "plugin", want: "plugin"},
		{value: "{dirname}", want: "{dirname}"},
		{value: " {dirname}_plugin ", want: "{dirname}_plugin"},
		{value: "lib{dirname}", want: "lib{dirname}"},
		{value: "plugins/{dirname}", want: "plugins/{dirname}"},
		{value: "{dirname}.so-target", want: "{dirname}.so-target"},
		{value: "my plugin", wantErr: true},
		{value: ":plugin", wantErr: true},
		{value: "//pkg:plugin", wantErr: true},
		{value: "/plugin", wantErr: true},
		{value: "plugin/", wantErr: true},
		{value: "a//b", wantErr: true},
		{value: "{name}", wantErr: true},
		{value: "{dirname", wantErr: true},
		{value: "dirname}", wantErr: true},
		{value: "../{dirname}", wantErr: true},
		{value: "a/./b", wantErr: true},
		{value: `"plugin"`, wantErr: true},
	} {
		got, err := parseNameTemplate(tc.value)
		if (err != nil) != tc.wantErr {
			t.Errorf("parseNameTemplate(%q) error = %v, want error: %v", tc.value, err, tc.wantErr)
			continue
		}
		if err == nil && got != tc.want {
			t.Errorf("parseNameTemplate(%q) = %q, want %q", tc.value, got, tc.want)
		}
	}
}

func TestPluginName(t *testing.T) {
	for _, tc := range []struct {
		template, goName, want string
	}{
		{template: "", goName: "hello", want: "hello"},
		{template: "{dirname}", goName: "hello", want: "hello"},
		{template: "plugin", goName: "hello", want: "plugin"},
		{template: "{dirname}_plugin", goName: "hello", want: "hello_plugin"},
		{template: "{dirname}_{dirname}", goName: "x", want: "x_x"},
	} {
		pc := &pluginConfig{nameTemplate: tc.template}
		if got := pc.pluginName(tc.goName); got != tc.want {
			t.Errorf("template %q: pluginName(%q) = %q, want %q", tc.template, tc.goName, got, tc.want)
		}
	}
}

// parseBuild parses BUILD file content (directives and rules) for tests.
func parseBuild(t *testing.T, content string) *rule.File {
	t.Helper()
	f, err := rule.LoadData("BUILD.bazel", "", []byte(content))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestConfigure checks directive inheritance along a chain of directories: each step
// configures a child of the previous one, as Gazelle's walk does.
func TestConfigure(t *testing.T) {
	type step struct {
		build      string // BUILD file content; "" means no BUILD file
		wantMode   pluginMode
		wantName   string // nameTemplate
		wantErrors int    // invalid directives reported
	}
	for _, tc := range []struct {
		name  string
		steps []step
	}{
		{
			name: "default",
			steps: []step{
				{wantMode: modeUnset},
				{build: "# nothing\n", wantMode: modeUnset},
			},
		},
		{
			name: "on is inherited",
			steps: []step{
				{build: "# gazelle:go_plugin on\n", wantMode: modeOn},
				{wantMode: modeOn},
				{build: "", wantMode: modeOn},
			},
		},
		{
			name: "off in a subdirectory, on again below",
			steps: []step{
				{build: "# gazelle:go_plugin on\n", wantMode: modeOn},
				{build: "# gazelle:go_plugin off\n", wantMode: modeOff},
				{wantMode: modeOff},
				{build: "# gazelle:go_plugin on\n", wantMode: modeOn},
			},
		},
		{
			name: "last directive wins",
			steps: []step{
				{build: "# gazelle:go_plugin on\n# gazelle:go_plugin off\n", wantMode: modeOff},
			},
		},
		{
			name: "name template is inherited and reset by an empty value",
			steps: []step{
				{build: "# gazelle:go_plugin_name {dirname}_plugin\n", wantName: "{dirname}_plugin"},
				{build: "# gazelle:go_plugin on\n", wantMode: modeOn, wantName: "{dirname}_plugin"},
				{build: "# gazelle:go_plugin_name plugin\n", wantMode: modeOn, wantName: "plugin"},
				{build: "# gazelle:go_plugin_name\n", wantMode: modeOn, wantName: ""},
			},
		},
		{
			name: "invalid values are reported and ignored",
			steps: []step{
				{build: "# gazelle:go_plugin on\n# gazelle:go_plugin_name x\n", wantMode: modeOn, wantName: "x"},
				{build: "# gazelle:go_plugin maybe\n# gazelle:go_plugin_name a b\n", wantMode: modeOn, wantName: "x", wantErrors: 2},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := config.New()
			l := &pluginLang{}
			for i, s := range tc.steps {
				// Gazelle gives each directory a copy of its parent's Config.
				c = c.Clone()
				var f *rule.File
				if s.build != "" {
					f = parseBuild(t, s.build)
					pc := *getConfig(c)
					if errs := pc.applyDirectives(f.Directives); len(errs) != s.wantErrors {
						t.Errorf("step %d: %d errors (%v), want %d", i, len(errs), errs, s.wantErrors)
					}
				}
				parentPtr := getConfig(c)
				parent := *parentPtr
				l.Configure(c, strings.Repeat("d/", i), f)
				got := getConfig(c)
				if got.mode != s.wantMode || got.nameTemplate != s.wantName {
					t.Errorf("step %d: mode %v, name %q; want %v, %q", i, got.mode, got.nameTemplate, s.wantMode, s.wantName)
				}
				if *parentPtr != parent {
					t.Errorf("step %d: Configure modified the parent directory's configuration", i)
				}
				if s.build == "" && *got != parent {
					t.Errorf("step %d: configuration changed without a BUILD file", i)
				}
			}
		})
	}
}

func TestKnownDirectives(t *testing.T) {
	got := (&pluginLang{}).KnownDirectives()
	want := []string{"go_plugin", "go_plugin_name"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("KnownDirectives() = %v, want %v", got, want)
	}
}

package main

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// fps builds a fingerprint map from "pkg=hex" pairs.
func fps(pairs ...string) map[string]string {
	m := map[string]string{}
	for _, p := range pairs {
		k, v, _ := strings.Cut(p, "=")
		m[k] = v
	}
	return m
}

// with returns a copy of base with the given "pkg=hex" pairs set.
func with(base map[string]string, pairs ...string) map[string]string {
	m := map[string]string{}
	for k, v := range base {
		m[k] = v
	}
	for k, v := range fps(pairs...) {
		m[k] = v
	}
	return m
}

// stdHost is a host with a few std packages, a shared library and its
// main package.
var stdHost = fps(
	"runtime=0000000000000001",
	"fmt=0000000000000002",
	"errors=0000000000000003",
	"sync=0000000000000004",
	"internal/abi=0000000000000005",
	"example.com/api=00000000000000a1",
	"example.com/util=00000000000000a2",
	"main=00000000000000ff",
)

// pluginOf returns a plugin that links the host's std packages and api,
// its own main package, plus extra "pkg=hex" pairs (overriding).
func pluginOf(label, pluginPath string, extra ...string) plugin {
	m := fps(
		"runtime=0000000000000001",
		"fmt=0000000000000002",
		"errors=0000000000000003",
		"sync=0000000000000004",
		"internal/abi=0000000000000005",
		"example.com/api=00000000000000a1",
		pluginPath+"=00000000000000b0",
	)
	return plugin{label: label, pluginPath: pluginPath, fps: with(m, extra...)}
}

func TestCheckPluginsExactMessage(t *testing.T) {
	p := pluginOf("//x/p:p", "example.com/p", "example.com/api=00000000000000a9", "example.com/util=00000000000000aa")
	err := checkPlugins("//x:host", stdHost, nil, []plugin{p})
	want := `go_plugin_host //x:host: plugin //x/p:p (pluginpath example.com/p) would fail to load ("plugin was built with a different version of package ...", naming the first of them it checks): 2 packages differ between host and plugin:
  example.com/api: host 00000000000000a1, plugin 00000000000000a9
  example.com/util: host 00000000000000a2, plugin 00000000000000aa
Likely cause: only non-standard packages differ, so the host and the plugin compiled different sources or build tags for them: two versions of a module, a different go_library target for the same import path, different gotags, coverage instrumentation of one side only, or generated code with configuration-specific contents or paths.
Fix: make the host and the plugin depend on the same go_library targets (one version of each module) and build the host with go_plugin_host and the plugin with go_plugin in the same build, with the same gotags.`
	if err == nil || err.Error() != want {
		t.Errorf("got:\n%v\n\nwant:\n%s", err, want)
	}
}

func TestCheckPlugins(t *testing.T) {
	// Many std packages, to exercise the "most std packages differ" rule
	// and the listing limit.
	bigHost := with(stdHost)
	bigPlugin := pluginOf("//big", "example.com/big")
	var changedStd []string
	for i := 0; i < 30; i++ {
		pkg := fmt.Sprintf("std%02d", i)
		bigHost[pkg] = "1111111111111111"
		bigPlugin.fps[pkg] = "1111111111111111"
		changedStd = append(changedStd, pkg+"=2222222222222222")
	}
	bigSkew := bigPlugin
	bigSkew.fps = with(bigPlugin.fps, changedStd...)

	for _, tc := range []struct {
		name    string
		host    map[string]string
		plugins []plugin
		want    [][]string // per expected message, substrings it must contain
		notWant []string   // substrings no message may contain
	}{
		{
			name:    "all equal",
			host:    stdHost,
			plugins: []plugin{pluginOf("//a", "example.com/a"), pluginOf("//b", "example.com/b")},
		},
		{
			name:    "no plugins",
			host:    stdHost,
			plugins: nil,
		},
		{
			name: "packages only on one side do not matter",
			host: stdHost,
			plugins: []plugin{
				pluginOf("//a", "example.com/a", "example.com/only_a=0102030405060708"),
				pluginOf("//b", "example.com/b", "example.com/only_b=0102030405060708"),
			},
		},
		{
			name: "equal packages shared by plugins but not the host",
			host: stdHost,
			plugins: []plugin{
				pluginOf("//a", "example.com/a", "example.com/lib=0102030405060708"),
				pluginOf("//b", "example.com/b", "example.com/lib=0102030405060708"),
			},
		},
		{
			name:    "one non-std package differs",
			host:    stdHost,
			plugins: []plugin{pluginOf("//x/p:p", "example.com/p", "example.com/api=00000000000000a9")},
			want: [][]string{{
				`go_plugin_host //h: plugin //x/p:p (pluginpath example.com/p) would fail to load ("plugin was built with a different version of package example.com/api"): 1 package differs between host and plugin:` + "\n",
				"\n  example.com/api: host 00000000000000a1, plugin 00000000000000a9\n",
				"\nLikely cause: only non-standard packages differ",
				"two versions of a module, a different go_library target for the same import path, different gotags",
				"\nFix: make the host and the plugin depend on the same go_library targets",
			}},
			notWant: []string{"fmt:", "runtime:"},
		},
		{
			name: "runtime differs: Go settings, runtime listed first",
			host: stdHost,
			plugins: []plugin{pluginOf("//p", "example.com/p",
				"runtime=1000000000000001", "errors=1000000000000003", "example.com/api=10000000000000a1")},
			want: [][]string{{
				`("plugin was built with a different version of package ...", naming the first of them it checks): 3 packages differ between host and plugin:` + "\n" +
					"  runtime: host 0000000000000001, plugin 1000000000000001\n" +
					"  errors: host 0000000000000003, plugin 1000000000000003\n" +
					"  example.com/api: host 00000000000000a1, plugin 10000000000000a1\n" +
					"Likely cause: the host and the plugin were compiled with different Go settings",
				"-race, -msan or -asan", "coverage instrumentation", "-N -l", "a PGO profile", "another Go SDK",
				"\nFix: build the host with go_plugin_host and the plugin with go_plugin in the same build, with the same flags and Go SDK",
			}},
		},
		{
			name:    "most std packages differ, not runtime: Go settings",
			host:    bigHost,
			plugins: []plugin{bigSkew},
			want: [][]string{{
				"30 packages differ between host and plugin:\n",
				"  std00: host 1111111111111111, plugin 2222222222222222\n",
				"  std19: host",
				"  ... and 10 more\nLikely cause: the host and the plugin were compiled with different Go settings",
			}},
			notWant: []string{"std20:"},
		},
		{
			name:    "a few std packages differ: tags or cgo",
			host:    stdHost,
			plugins: []plugin{pluginOf("//p", "example.com/p", "fmt=1000000000000002")},
			want: [][]string{{
				"1 package differs between host and plugin:\n  fmt: host 0000000000000002, plugin 1000000000000002\n",
				"Likely cause: some standard library packages (but not the runtime) differ, so the host and the plugin were built with different build tags or cgo settings for them (e.g. gotags such as netgo or osusergo, or pure/CGO_ENABLED differing).\n",
				"Fix: build the host with go_plugin_host and the plugin with go_plugin in the same build, with the same gotags and cgo settings.",
			}},
		},
		{
			name:    "a few std and a non-std package differ",
			host:    stdHost,
			plugins: []plugin{pluginOf("//p", "example.com/p", "fmt=1000000000000002", "example.com/api=10000000000000a1")},
			want: [][]string{{
				"2 packages differ",
				"the non-standard packages that differ may also come from different sources",
				"and make the host and the plugin depend on the same go_library targets.",
			}},
		},
		{
			name: "two plugins fail: one message each, in order",
			host: stdHost,
			plugins: []plugin{
				pluginOf("//b", "example.com/b", "example.com/api=10000000000000a1"),
				pluginOf("//ok", "example.com/ok"),
				pluginOf("//a", "example.com/a", "runtime=1000000000000001"),
			},
			want: [][]string{
				{"plugin //b (pluginpath example.com/b) would fail to load", "example.com/api: host"},
				{"plugin //a (pluginpath example.com/a) would fail to load", "runtime: host"},
			},
			notWant: []string{"//ok"},
		},
		{
			name:    "pluginpath is a host package",
			host:    stdHost,
			plugins: []plugin{pluginOf("//p", "example.com/util")},
			want: [][]string{{
				`go_plugin_host //h: plugin //p has pluginpath example.com/util, which is also the path of a package linked into the host; plugin.Open would fail ("plugin was built with a different version of package example.com/util")`,
				"\nFix: give the plugin its own pluginpath",
			}},
			notWant: []string{"Likely cause"},
		},
		{
			name:    "pluginpath is a package of another plugin",
			host:    stdHost,
			plugins: []plugin{pluginOf("//a", "example.com/a", "example.com/b=0102030405060708"), pluginOf("//b", "example.com/b")},
			want: [][]string{{
				"plugin //b has pluginpath example.com/b, which is also the path of a package linked into plugin //a; the two plugins cannot both be loaded",
			}},
		},
		{
			name: "plugins disagree on a package the host does not link",
			host: stdHost,
			plugins: []plugin{
				pluginOf("//a", "example.com/a", "example.com/lib=0102030405060708", "example.com/lib2=0000000000000001"),
				pluginOf("//ok", "example.com/ok"),
				pluginOf("//b", "example.com/b", "example.com/lib=0807060504030201", "example.com/lib2=0000000000000001"),
			},
			want: [][]string{{
				`go_plugin_host //h: plugins //a and //b cannot both be loaded: whichever is loaded second would fail ("plugin was built with a different version of package example.com/lib"): 1 package differs between them (packages the host does not link, so the first plugin loaded defines them):` + "\n" +
					"  example.com/lib: //a 0102030405060708, //b 0807060504030201\n" +
					"Likely cause: only non-standard packages differ, so the two plugins compiled different sources or build tags for them",
				"\nFix: make the two plugins depend on the same go_library targets (one version of each module) and build both plugins with go_plugin in the same build",
			}},
			notWant: []string{"lib2", "//ok"},
		},
		{
			name: "plugins that differ from the host in the same package: only host messages",
			host: stdHost,
			plugins: []plugin{
				pluginOf("//a", "example.com/a", "example.com/api=10000000000000a1"),
				pluginOf("//b", "example.com/b", "example.com/api=20000000000000a1"),
			},
			want: [][]string{
				{"plugin //a (pluginpath example.com/a) would fail to load"},
				{"plugin //b (pluginpath example.com/b) would fail to load"},
			},
			notWant: []string{"cannot both be loaded"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkPlugins("//h", tc.host, nil, tc.plugins)
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("unexpected error:\n%v", err)
				}
				return
			}
			var ce checkError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v is not a checkError", err)
			}
			if len(ce) != len(tc.want) {
				t.Fatalf("%d messages, want %d:\n%v", len(ce), len(tc.want), err)
			}
			for i, wants := range tc.want {
				for _, w := range wants {
					if !strings.Contains(ce[i], w) {
						t.Errorf("message %d does not contain %q:\n%s", i, w, ce[i])
					}
				}
			}
			for _, nw := range tc.notWant {
				if strings.Contains(err.Error(), nw) {
					t.Errorf("error contains %q:\n%v", nw, err)
				}
			}
		})
	}
}

func TestClassify(t *testing.T) {
	d := func(pkgs ...string) []diff {
		var ds []diff
		for _, p := range pkgs {
			ds = append(ds, diff{pkg: p})
		}
		return ds
	}
	for _, tc := range []struct {
		name      string
		diffs     []diff
		sharedStd int
		want      skewKind
	}{
		{"runtime alone", d("runtime"), 40, skewSettings},
		{"runtime among others", d("example.com/a", "runtime"), 40, skewSettings},
		{"half of std", d("fmt", "sync"), 4, skewSettings},
		{"less than half of std", d("fmt"), 4, skewSomeStd},
		{"non-std only", d("example.com/a", "github.com/x/y"), 40, skewSources},
		{"default pluginpath is not std", d("plugin/x/p"), 40, skewSources},
		{"main is not std", d("main"), 40, skewSources},
		{"std and non-std", d("net", "example.com/a"), 40, skewSomeStd},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := classify(tc.diffs, tc.sharedStd); got != tc.want {
				t.Errorf("classify = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestIsStd(t *testing.T) {
	for pkg, want := range map[string]bool{
		"runtime":                 true,
		"internal/abi":            true,
		"vendor/golang.org/x/net": true,
		"plugin":                  true,
		"plugin/_main/x/p":        false,
		"main":                    false,
		"example.com/a":           false,
		"golang.org/x/sys/unix":   false,
	} {
		if got := isStd(pkg); got != want {
			t.Errorf("isStd(%q) = %v, want %v", pkg, got, want)
		}
	}
}

func TestStamp(t *testing.T) {
	got := string(stamp("//x:host", stdHost, []plugin{pluginOf("//a", "example.com/a"), pluginOf("//b", "example.com/b", "example.com/extra=00")}))
	want := "go_plugin_host //x:host: OK: 2 plugin(s) checked against 8 host packages\n" +
		"//a example.com/a: 7 packages, 6 shared with the host, all equal\n" +
		"//b example.com/b: 8 packages, 6 shared with the host, all equal\n"
	if got != want {
		t.Errorf("stamp:\n%s\nwant:\n%s", got, want)
	}
}

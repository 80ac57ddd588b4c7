package main

import (
	"bytes"
	"go/format"
	"go/parser"
	"go/token"
	"image/png"
	"math"
	"path"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot"
)

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []float64
		want float64
	}{
		{"empty", nil, 0},
		{"one", []float64{3}, 3},
		{"odd unsorted", []float64{5, 1, 3}, 3},
		{"even is mean of middle two", []float64{4, 1, 3, 2}, 2.5},
		{"outlier does not move it", []float64{1, 1.1, 1.2, 1000}, 1.15},
		{"duplicates", []float64{2, 2, 2}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := append([]float64(nil), tc.in...)
			if got := median(tc.in); got != tc.want {
				t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
			}
			if !reflect.DeepEqual(in, tc.in) {
				t.Errorf("median modified its input: %v, was %v", tc.in, in)
			}
		})
	}
}

func TestRatio(t *testing.T) {
	for _, tc := range []struct {
		a, b float64
		want string
	}{
		{2, 1, "2.00×"},
		{1, 4, "0.25×"},
		{130, 100, "1.30×"},
		{2500, 10, "250×"},
		{0, 1, "–"},
		{1, 0, "–"},
		{math.NaN(), 1, "–"},
		{-1, 1, "–"},
	} {
		if got := formatRatio(ratio(tc.a, tc.b)); got != tc.want {
			t.Errorf("formatRatio(ratio(%v, %v)) = %q, want %q", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestFormatSeconds(t *testing.T) {
	for _, tc := range []struct {
		in   float64
		want string
	}{
		{0.4123, "0.412 s"},
		{1.234, "1.23 s"},
		{12.34, "12.3 s"},
		{298.4, "298 s"},
		{0, "–"},
		{math.NaN(), "–"},
	} {
		if got := formatSeconds(tc.in); got != tc.want {
			t.Errorf("formatSeconds(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestPairedOverheads(t *testing.T) {
	for _, tc := range []struct {
		name           string
		helper, direct []time.Duration
		want           []float64
	}{
		{"pairs", []time.Duration{110, 200}, []time.Duration{100, 200}, []float64{0.1, 0}},
		{"unpaired tail ignored", []time.Duration{110, 300}, []time.Duration{100}, []float64{0.1}},
		{"zero direct skipped", []time.Duration{110}, []time.Duration{0}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := pairedOverheads(tc.helper, tc.direct)
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if math.Abs(got[i]-tc.want[i]) > 1e-9 {
					t.Errorf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
}

func sec(s float64) sample { return sample{Wall: time.Duration(s * float64(time.Second))} }

func TestRenderTimeTable(t *testing.T) {
	tab := table{}
	// Added out of order: rows come out by N, then scenario.
	for _, s := range []float64{3, 1, 2} {
		tab.add(rowKey{scEditPlugin, 1, false}, toolGoBuild, sec(s))
	}
	tab.add(rowKey{scEditPlugin, 1, false}, toolRulesGo, sec(2.6))
	tab.add(rowKey{scEditPlugin, 1, false}, toolGoPlugin, sec(2.4))
	tab.add(rowKey{scCold, 10, false}, toolGoBuild, sec(20))
	tab.add(rowKey{scCold, 10, false}, toolRulesGo, sec(200))
	tab.add(rowKey{scCold, 10, false}, toolGoPlugin, sec(300))
	tab.add(rowKey{scNoop, 1, false}, toolGoBuild, sec(0.1))

	got := renderTimeTable(tab)
	want := "| scenario | N | runs | go build | rules_go `linkmode = \"plugin\"` | `go_plugin` | rules_go ÷ go build | go_plugin ÷ go build | go_plugin ÷ rules_go |\n" +
		"|---|--:|--:|--:|--:|--:|--:|--:|--:|\n" +
		"| no-op | 1 | 0–1 | 0.100 s | – | – | – | – | – |\n" +
		"| edit one plugin file | 1 | 1–3 | 2.00 s | 2.60 s | 2.40 s | 1.30× | 1.20× | 0.92× |\n" +
		"| cold | 10 | 1 | 20.0 s | 200 s | 300 s | 10.00× | 15.00× | 1.50× |\n"
	if got != want {
		t.Errorf("renderTimeTable:\n%s\nwant:\n%s", got, want)
	}

	targets := renderTargets(tab, nil)
	for _, frag := range []string{"**missed** (wall) on cold, N=10 (1.50×)", "edit one plugin file, N=1: go_plugin ÷ go build = 1.20× (target ≤ 1.30×): **met**"} {
		if !strings.Contains(targets, frag) {
			t.Errorf("renderTargets: no %q in\n%s", frag, targets)
		}
	}
}

func TestRenderMemoryTable(t *testing.T) {
	tab := table{}
	tab.add(rowKey{scCold, 1, false}, toolGoBuild, sample{PeakRSS: 200 << 20})
	tab.add(rowKey{scNoop, 1, false}, toolGoBuild, sample{PeakRSS: 20 << 20})
	tab.add(rowKey{scNoop, 1, false}, toolGoPlugin, sample{PeakRSS: 600 << 20})
	got := renderMemoryTable(tab)
	if !strings.Contains(got, "| 1 | 200 MiB | – | 600 MiB |") {
		t.Errorf("renderMemoryTable:\n%s", got)
	}
}

func TestGenerate(t *testing.T) {
	for _, tc := range []struct {
		tool    string
		plugins int
		libs    int
	}{
		{toolGoBuild, 1, 1},
		{toolGoBuild, 3, 4},
		{toolRulesGo, 2, 3},
		{toolGoPlugin, 10, 4},
	} {
		t.Run(tc.tool+"/"+strconv.Itoa(tc.plugins), func(t *testing.T) {
			files := generate(wsSpec{Tool: tc.tool, Plugins: tc.plugins, Libs: tc.libs, GoVersion: "1.26", Bazelrc: "common --noenable_workspace\n"})
			var names []string
			for n := range files {
				names = append(names, n)
			}
			sort.Strings(names)

			// Every Go file is gofmt-clean; plugins are package main and import the shared
			// library and, with more than one library, one other.
			goFiles := 0
			for _, n := range names {
				if !strings.HasSuffix(n, ".go") {
					continue
				}
				goFiles++
				src := files[n]
				formatted, err := format.Source([]byte(src))
				if err != nil {
					t.Fatalf("%s: %v\n%s", n, err, src)
				}
				if string(formatted) != src {
					t.Errorf("%s is not gofmt-clean:\n%s", n, src)
				}
				f, err := parser.ParseFile(token.NewFileSet(), n, src, parser.ImportsOnly)
				if err != nil {
					t.Fatal(err)
				}
				if strings.HasPrefix(n, "plugins/") {
					if f.Name.Name != "main" {
						t.Errorf("%s: package %s, want main", n, f.Name.Name)
					}
					var local []string
					for _, imp := range f.Imports {
						p, _ := strconv.Unquote(imp.Path.Value)
						if strings.HasPrefix(p, modulePath+"/") {
							local = append(local, p)
							if _, ok := files[strings.TrimPrefix(p, modulePath+"/")+"/"+path.Base(p)+".go"]; !ok {
								t.Errorf("%s imports %s, which is not generated", n, p)
							}
						}
					}
					wantLocal := 2
					if tc.libs == 1 {
						wantLocal = 1
					}
					sort.Strings(local)
					if len(local) != wantLocal || local[len(local)-1] != modulePath+"/lib/"+sharedLib {
						t.Errorf("%s imports %v, want the shared library and %d other", n, local, wantLocal-1)
					}
				}
			}
			if want := tc.plugins + tc.libs; goFiles != want {
				t.Errorf("%d Go files, want %d: %v", goFiles, want, names)
			}

			if tc.tool == toolGoBuild {
				if files["go.mod"] != "module example.com/bench\n\ngo 1.26\n" {
					t.Errorf("go.mod = %q", files["go.mod"])
				}
				for _, n := range names {
					if strings.Contains(n, "BUILD") || strings.Contains(n, "MODULE") {
						t.Errorf("go build workspace has Bazel file %s", n)
					}
				}
				return
			}
			mod := files["MODULE.bazel"]
			if usesPlugin := strings.Contains(mod, "rules_go_plugin\""); usesPlugin != (tc.tool == toolGoPlugin) {
				t.Errorf("MODULE.bazel depends on rules_go_plugin: %v, want %v:\n%s", usesPlugin, tc.tool == toolGoPlugin, mod)
			}
			if tc.tool == toolGoPlugin && !strings.Contains(mod, "path = \""+snapshotDir+"\"") {
				t.Errorf("MODULE.bazel does not override rules_go_plugin to the snapshot:\n%s", mod)
			}
			if !strings.Contains(files[".bazelignore"], snapshotDir+"\n") {
				t.Errorf(".bazelignore does not ignore the snapshot: %q", files[".bazelignore"])
			}
			if files[".bazelrc"] != "common --noenable_workspace\n" {
				t.Errorf(".bazelrc = %q, want the repository's", files[".bazelrc"])
			}
			root := files["BUILD.bazel"]
			for i := 0; i < tc.plugins; i++ {
				if !strings.Contains(root, "\"//"+pluginDir(i)+":plugin\"") {
					t.Errorf("//:plugins lacks plugin %d:\n%s", i, root)
				}
				build := files[pluginDir(i)+"/BUILD.bazel"]
				wantRule := "go_plugin(\n"
				if tc.tool == toolRulesGo {
					wantRule = "go_binary(\n"
					if !strings.Contains(build, "linkmode = \"plugin\"") {
						t.Errorf("%s: no linkmode = \"plugin\":\n%s", pluginDir(i), build)
					}
				}
				if !strings.Contains(build, wantRule) || !strings.Contains(build, "\"//lib/"+sharedLib+"\"") {
					t.Errorf("%s/BUILD.bazel:\n%s", pluginDir(i), build)
				}
			}
			for j := 0; j < tc.libs; j++ {
				if _, ok := files["lib/"+libName(j)+"/BUILD.bazel"]; !ok {
					t.Errorf("no BUILD.bazel for %s", libName(j))
				}
			}
		})
	}
}

func TestEditsChangeSources(t *testing.T) {
	if pluginSource(0, 4, "1") == pluginSource(0, 4, "2") {
		t.Error("pluginSource does not depend on the revision")
	}
	if sharedSource(1) == sharedSource(2) {
		t.Error("sharedSource does not depend on the revision")
	}
	if !strings.Contains(sharedSource(42), "const Revision = 42\n") {
		t.Errorf("sharedSource(42):\n%s", sharedSource(42))
	}
}

func TestFilterSnapshot(t *testing.T) {
	got := filterSnapshot([]string{"tools/bazel", "", "bench/main.go", "MODULE.bazel", "go/defs.bzl", "docs/x.md", "tools/bazel", "e2e/smoke/BUILD.bazel", "tests/a", "examples/b", "gazelle/c"})
	want := []string{"MODULE.bazel", "go/defs.bzl", "tools/bazel"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("filterSnapshot = %v, want %v", got, want)
	}
}

func TestOrderOutputs(t *testing.T) {
	for _, tc := range []struct {
		name    string
		out     string
		want    []string
		wantErr bool
	}{
		{
			name: "sorted by plugin, non-.so lines dropped",
			out:  "bazel-out/k8-ST-1/bin/plugins/p001/plugin.so\nINFO: x\nbazel-out/k8-ST-1/bin/plugins/p000/plugin_/plugin.so\n",
			want: []string{"/x/bazel-out/k8-ST-1/bin/plugins/p000/plugin_/plugin.so", "/x/bazel-out/k8-ST-1/bin/plugins/p001/plugin.so"},
		},
		{name: "gap", out: "a/plugins/p000/plugin.so\na/plugins/p002/plugin.so\n", wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := orderOutputs("/x", tc.out)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			if !tc.wantErr && !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCheckChanges(t *testing.T) {
	before := []string{"a", "b", "c"}
	for _, tc := range []struct {
		name    string
		after   []string
		want    func(int) bool
		wantErr string
	}{
		{"no-op", []string{"a", "b", "c"}, func(int) bool { return false }, ""},
		{"one changed", []string{"x", "b", "c"}, func(i int) bool { return i == 0 }, ""},
		{"all changed", []string{"x", "y", "z"}, func(int) bool { return true }, ""},
		{"stale", []string{"x", "b", "c"}, func(int) bool { return true }, "p001 did not change, p002 did not change"},
		{"spurious", []string{"a", "y", "c"}, func(int) bool { return false }, "p001 changed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkChanges(tc.name, before, tc.after, tc.want)
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("err = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func TestParseProcStatCPU(t *testing.T) {
	// Field 2 may contain spaces and parentheses; utime..cstime are fields 14-17.
	stat := "1234 (java (x) y) S 1 2 3 4 5 6 7 8 9 10 100 50 25 25 20 0 1 0 5 6 7\n"
	got, err := parseProcStatCPU([]byte(stat))
	if err != nil || got != 2*time.Second {
		t.Errorf("parseProcStatCPU = %v, %v; want 2s", got, err)
	}
	if _, err := parseProcStatCPU([]byte("garbage")); err == nil {
		t.Error("parseProcStatCPU(garbage): no error")
	}
}

func TestParseVmHWM(t *testing.T) {
	got, err := parseVmHWM(strings.NewReader("Name:\tjava\nVmPeak:\t 9 kB\nVmHWM:\t  622840 kB\nVmRSS:\t 1 kB\n"))
	if err != nil || got != 622840<<10 {
		t.Errorf("parseVmHWM = %v, %v", got, err)
	}
	if _, err := parseVmHWM(strings.NewReader("Name:\tjava\n")); err == nil {
		t.Error("no VmHWM: no error")
	}
}

func TestParseProfile(t *testing.T) {
	doc := `{"otherData":{},"traceEvents":[
{"cat":"build phase marker","name":"Launch Blaze","ph":"X","ts":-4000000,"dur":4000000},
{"cat":"action processing","name":"GoStdlib external/rules_go~/stdlib_/pkg [for tool]","ph":"X","ts":10,"dur":180000000,"args":{"mnemonic":"GoStdlib"}},
{"cat":"action processing","name":"GoStdlib external/rules_go~/stdlib_/pkg","ph":"X","ts":20,"dur":190000000,"args":{"mnemonic":"GoStdlib"}},
{"cat":"action processing","name":"Linking Go plugin //p:p","ph":"X","ts":200000000,"dur":1000000,"args":{"mnemonic":"GoPluginLink"}},
{"cat":"action processing","name":"GoCompilePkg p/p.a","ph":"X","ts":190000100,"dur":300000},
{"cat":"critical path component","name":"action 'GoStdlib external/rules_go~/stdlib_/pkg'","ph":"X","ts":20,"dur":190000000}
]}`
	p, err := parseProfile(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if p.Launch != 4*time.Second || p.Total != 205*time.Second || p.FirstAction != 10*time.Microsecond {
		t.Errorf("Launch %v, Total %v, FirstAction %v", p.Launch, p.Total, p.FirstAction)
	}
	groups := groupActions(p.Actions)
	want := []actionGroup{
		{Key: "GoStdlib", Count: 1, Total: 190 * time.Second, Max: 190 * time.Second},
		{Key: "GoStdlib (exec)", Count: 1, Total: 180 * time.Second, Max: 180 * time.Second},
		{Key: "GoPluginLink", Count: 1, Total: time.Second, Max: time.Second},
		{Key: "GoCompilePkg", Count: 1, Total: 300 * time.Millisecond, Max: 300 * time.Millisecond},
	}
	if !reflect.DeepEqual(groups, want) {
		t.Errorf("groupActions = %+v, want %+v", groups, want)
	}
	if d := actionDurations(p, "GoPluginLink"); len(d) != 1 || d[0] != time.Second {
		t.Errorf("actionDurations = %v", d)
	}
	if len(p.CriticalPath) != 1 || p.CriticalPath[0].Mnemonic != "GoStdlib" {
		t.Errorf("CriticalPath = %+v", p.CriticalPath)
	}
}

func TestLinkArgs(t *testing.T) {
	args := []string{"-link", "l", "-o", "a.so", "-packages_out", "p.txt"}
	got, err := replaceFlagValue(args, "-o", "/s/a.so")
	if err != nil || !reflect.DeepEqual(got, []string{"-link", "l", "-o", "/s/a.so", "-packages_out", "p.txt"}) {
		t.Errorf("replaceFlagValue = %v, %v", got, err)
	}
	if args[3] != "a.so" {
		t.Error("replaceFlagValue modified its input")
	}
	if _, err := replaceFlagValue(args, "-importcfg", "x"); err == nil {
		t.Error("missing flag: no error")
	}
	if flagValue(args, "-link") != "l" || flagValue(args, "-x") != "" {
		t.Error("flagValue")
	}
	actions, err := parseAquery([]byte(`{"actions":[{"mnemonic":"GoPluginLink","arguments":["h","-link","l"],"environmentVariables":[{"key":"GOOS","value":"linux"},{"key":"GOPATH"}]}]}`))
	if err != nil || len(actions) != 1 || actions[0].Arguments[0] != "h" || actions[0].Env[1].Key != "GOPATH" {
		t.Errorf("parseAquery = %+v, %v", actions, err)
	}
}

func TestParseNsAndGoVersion(t *testing.T) {
	if ns, err := parseNs("1, 10,50"); err != nil || !reflect.DeepEqual(ns, []int{1, 10, 50}) {
		t.Errorf("parseNs = %v, %v", ns, err)
	}
	for _, bad := range []string{"", "0", "x", "1,,2", "1000"} {
		if _, err := parseNs(bad); err == nil {
			t.Errorf("parseNs(%q): no error", bad)
		}
	}
	for in, want := range map[string]string{"go1.26.8\n": "1.26", "go1.27rc1": "1.27", "devel": "1.22"} {
		if got := goModVersion(in); got != want {
			t.Errorf("goModVersion(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWriteChart(t *testing.T) {
	full := table{}
	for _, k := range []rowKey{{scCold, 1, false}, {scNoop, 1, false}, {scEditPlugin, 50, false}, {scCold, 10, true}} {
		for i, tool := range tools {
			full.add(k, tool, sec(0.05*float64(i+1)*float64(k.N)))
		}
	}
	// A tool without samples in a row, a zero time, a row of one tool only.
	sparse := table{}
	sparse.add(rowKey{scCold, 1, false}, tools[0], sec(3))
	sparse.add(rowKey{scCold, 1, false}, tools[1], sec(40))
	sparse.add(rowKey{scNoop, 1, false}, tools[0], sec(0))
	sparse.add(rowKey{scNoop, 1, false}, tools[2], sec(0.4))
	sparse.add(rowKey{scEditLib, 1, false}, tools[1], sec(2))
	for _, tc := range []struct {
		name  string
		tab   table
		tools []int // tools whose color must appear (bars and legend)
	}{
		{"full", full, []int{0, 1, 2}},
		{"sparse", sparse, []int{0, 1, 2}},
		{"empty", table{}, []int{0, 1, 2}}, // the legend only
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := writeChart(&buf, tc.tab, "test chart"); err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(&buf)
			if err != nil {
				t.Fatal(err)
			}
			b := img.Bounds()
			if b.Dx() < 700 || b.Dy() < 400 {
				t.Errorf("chart is %v", b)
			}
			seen := map[[3]uint32]int{}
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					r, g, bl, _ := img.At(x, y).RGBA()
					seen[[3]uint32{r >> 8, g >> 8, bl >> 8}]++
				}
			}
			for _, i := range tc.tools {
				c := toolColors[i]
				if seen[[3]uint32{uint32(c.R), uint32(c.G), uint32(c.B)}] == 0 {
					t.Errorf("color of %s not drawn", tools[i])
				}
			}
		})
	}
}

func TestLogRange(t *testing.T) {
	for _, tc := range []struct {
		in     []float64
		lo, hi float64
	}{
		{[]float64{0.05, 7.5, math.NaN()}, 0.01, 10},
		{[]float64{0.103, 155}, 0.1, 1000},
		{[]float64{1, 10}, 1, 10},
		{[]float64{3, 3}, 1, 10},
		{[]float64{2, 0, -1, math.NaN()}, 1, 10},
		{nil, 0.1, 10},
		{[]float64{0, math.NaN()}, 0.1, 10},
	} {
		if lo, hi := logRange(tc.in); lo != tc.lo || hi != tc.hi {
			t.Errorf("logRange(%v) = %v, %v, want %v, %v", tc.in, lo, hi, tc.lo, tc.hi)
		}
	}
}

func TestDecadeTicks(t *testing.T) {
	for _, tc := range []struct {
		min, max float64
		labels   []string
	}{
		{0.1, 1000, []string{"0.1", "1", "10", "100", "1000"}},
		{0.01, 10, []string{"0.01", "0.1", "1", "10"}},
		{1, 10, []string{"1", "10"}},
		{10, 100, []string{"10", "100"}},
	} {
		var labels []string
		minor := 0
		for _, tk := range (decadeTicks{plot.LogTicks{Prec: -1}}).Ticks(tc.min, tc.max) {
			if tk.Value < tc.min*(1-1e-9) || tk.Value > tc.max*(1+1e-9) {
				t.Errorf("Ticks(%v, %v): %v out of range", tc.min, tc.max, tk.Value)
			}
			if tk.IsMinor() {
				minor++
			} else {
				labels = append(labels, tk.Label)
			}
		}
		// LogTicks gives 1×, 2×, … 9× of each decade as minor ticks, next to its label.
		if !slices.Equal(labels, tc.labels) || minor != 9*(len(tc.labels)-1) {
			t.Errorf("Ticks(%v, %v): labels %q and %d minor ticks, want %q", tc.min, tc.max, labels, minor, tc.labels)
		}
	}
}

func TestChartLabel(t *testing.T) {
	for _, tc := range []struct {
		k      rowKey
		l1, l2 string
	}{
		{rowKey{scCold, 1, false}, "cold", "n=1"},
		{rowKey{scFirst, 10, false}, "first", "n=10"},
		{rowKey{scNoop, 50, false}, "no-op", "n=50"},
		{rowKey{scEditPlugin, 10, true}, "plugin", "h+10"},
		{rowKey{scEditLib, 1, false}, "lib", "n=1"},
		{rowKey{"other", 2, false}, "other", "n=2"},
	} {
		if l1, l2 := chartLabel(tc.k); l1 != tc.l1 || l2 != tc.l2 {
			t.Errorf("chartLabel(%v) = %q, %q, want %q, %q", tc.k, l1, l2, tc.l1, tc.l2)
		}
	}
}

func TestParseProfileName(t *testing.T) {
	for _, tc := range []struct {
		name     string
		tool     string
		n        int
		scenario string
		run      int
		ok       bool
		host     bool
	}{
		{"go_plugin-n10-edit_one_plugin_file-2.json.gz", toolGoPlugin, 10, scEditPlugin, 2, true, false},
		{"go_plugin-n10host-edit_shared_lib-1.json.gz", toolGoPlugin, 10, scEditLib, 1, true, true},
		{"rules_go-n1-cold-1.json.gz", toolRulesGo, 1, scCold, 1, true, false},
		{"go_plugin-n50-no-op-3.json.gz", toolGoPlugin, 50, scNoop, 3, true, false},
		{"go_build-n2-first_build-1.json.gz", toolGoBuild, 2, scFirst, 1, true, false},
		{"go_plugin-n2-unknown-1.json.gz", "", 0, "", 0, false, false},
		{"shutdown.log", "", 0, "", 0, false, false},
	} {
		tool, k, run, ok := parseProfileName(tc.name)
		if ok != tc.ok || ok && (tool != tc.tool || k != rowKey{tc.scenario, tc.n, tc.host} || run != tc.run) {
			t.Errorf("parseProfileName(%q) = %q, %+v, %d, %v", tc.name, tool, k, run, ok)
		}
	}
	// Labels as sequence() writes them parse back.
	b := &bench{}
	for _, tool := range tools {
		for sc := range scenarioOrder {
			for _, host := range []bool{false, true} {
				key := rowKey{sc, 7, host}
				name := b.label(tool, key, 3) + ".json.gz"
				if gt, gk, run, ok := parseProfileName(name); !ok || gt != tool || gk != key || run != 3 {
					t.Errorf("round trip of %q failed", name)
				}
			}
		}
	}
}

func TestGenerateHost(t *testing.T) {
	for _, tc := range []struct {
		tool     string
		wantRule string // in host/BUILD.bazel; "" for go build
	}{
		{toolGoBuild, ""},
		{toolRulesGo, "go_binary(\n    name = \"host\",\n    embed = [\":lib\"],\n    pure = \"off\","},
		{toolGoPlugin, "go_plugin_host(\n    name = \"host\",\n    embed = [\":lib\"],\n    plugins = ["},
	} {
		t.Run(tc.tool, func(t *testing.T) {
			files := generate(wsSpec{Tool: tc.tool, Plugins: 3, Libs: 2, GoVersion: "1.26", Host: true})
			src := files[hostDir+"/main.go"]
			if formatted, err := format.Source([]byte(src)); err != nil || string(formatted) != src {
				t.Errorf("host/main.go is not gofmt-clean (%v):\n%s", err, src)
			}
			f, err := parser.ParseFile(token.NewFileSet(), "main.go", src, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			var imports []string
			for _, imp := range f.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				imports = append(imports, p)
			}
			if f.Name.Name != "main" || !slices.Contains(imports, "plugin") || !slices.Contains(imports, modulePath+"/lib/"+sharedLib) {
				t.Errorf("host/main.go: package %s importing %v, want main importing plugin and the shared library", f.Name.Name, imports)
			}
			build, hasBuild := files[hostDir+"/BUILD.bazel"]
			if tc.wantRule == "" {
				if hasBuild {
					t.Errorf("go build workspace has host/BUILD.bazel")
				}
				return
			}
			if !strings.Contains(build, tc.wantRule) {
				t.Errorf("host/BUILD.bazel lacks %q:\n%s", tc.wantRule, build)
			}
			for i := 0; i < 3; i++ {
				if listed := strings.Contains(build, "\"//"+pluginDir(i)+":plugin\""); listed != (tc.tool == toolGoPlugin) {
					t.Errorf("host/BUILD.bazel lists %s: %v, want %v", pluginDir(i), listed, tc.tool == toolGoPlugin)
				}
			}
			if !strings.Contains(files["BUILD.bazel"], "\"//"+hostDir+"\"") {
				t.Errorf("//:plugins does not build the host:\n%s", files["BUILD.bazel"])
			}
		})
	}
	if _, ok := generate(wsSpec{Tool: toolGoPlugin, Plugins: 1, Libs: 1})[hostDir+"/main.go"]; ok {
		t.Error("a workspace without Host has a host program")
	}
}

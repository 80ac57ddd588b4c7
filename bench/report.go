package main

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"runtime"
	"sort"
	"strings"
	"time"
)

// Scenarios (rows of the table, per N).
const (
	scCold       = "cold"
	scFirst      = "first build"
	scNoop       = "no-op"
	scEditPlugin = "edit one plugin file"
	scEditLib    = "edit shared lib"
)

// scenarioOrder orders rows within one N.
var scenarioOrder = map[string]int{scCold: 0, scFirst: 1, scNoop: 2, scEditPlugin: 3, scEditLib: 4}

// rowKey is a table row: a scenario at one plugin count.
type rowKey struct {
	Scenario string `json:"scenario"`
	N        int    `json:"n"`
	// Host: the workspace also has a host program that loads the N plugins (the host scenario).
	Host bool `json:"host,omitempty"`
}

func (k rowKey) String() string { return fmt.Sprintf("%s, N=%d", k.scenarioCell(), k.N) }

// scenarioCell is the scenario column of a table row: "host + " in front in the host scenario.
func (k rowKey) scenarioCell() string {
	if k.Host {
		return "host + " + k.Scenario
	}
	return k.Scenario
}

// sortRows orders rows by kind (plugins only, then host), N, then scenario.
func sortRows(rows []rowKey) {
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].Host != rows[j].Host {
			return !rows[i].Host
		}
		if rows[i].N != rows[j].N {
			return rows[i].N < rows[j].N
		}
		return scenarioOrder[rows[i].Scenario] < scenarioOrder[rows[j].Scenario]
	})
}

// table holds every sample: row -> tool -> samples.
type table map[rowKey]map[string][]sample

func (t table) add(k rowKey, tool string, s sample) {
	if t[k] == nil {
		t[k] = map[string][]sample{}
	}
	t[k][tool] = append(t[k][tool], s)
}

// rows returns the table's rows in order.
func (t table) rows() []rowKey {
	rows := make([]rowKey, 0, len(t))
	for k := range t {
		rows = append(rows, k)
	}
	sortRows(rows)
	return rows
}

// medianWall returns the median wall time in seconds of a cell, NaN if empty.
func (t table) medianWall(k rowKey, tool string) float64 {
	ss := t[k][tool]
	if len(ss) == 0 {
		return math.NaN()
	}
	return median(wallSeconds(ss))
}

// medianCPU returns the median CPU time in seconds of a cell, NaN if unknown.
func (t table) medianCPU(k rowKey, tool string) float64 {
	cs := cpuSeconds(t[k][tool])
	if len(cs) == 0 {
		return math.NaN()
	}
	return median(cs)
}

// runCounts returns "3" or "1–3" for the number of samples per cell of a row.
func (t table) runCounts(k rowKey) string {
	lo, hi := math.MaxInt, 0
	for _, tool := range tools {
		n := len(t[k][tool])
		lo, hi = min(lo, n), max(hi, n)
	}
	if lo == hi {
		return fmt.Sprint(lo)
	}
	return fmt.Sprintf("%d–%d", lo, hi)
}

// renderTimeTable renders median wall times and their ratios as a Markdown table.
func renderTimeTable(t table) string {
	var b strings.Builder
	b.WriteString("| scenario | N | runs | go build | rules_go `linkmode = \"plugin\"` | `go_plugin` | rules_go ÷ go build | go_plugin ÷ go build | go_plugin ÷ rules_go |\n")
	b.WriteString("|---|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, k := range t.rows() {
		g, r, p := t.medianWall(k, toolGoBuild), t.medianWall(k, toolRulesGo), t.medianWall(k, toolGoPlugin)
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %s | %s | %s | %s |\n", k.scenarioCell(), k.N, t.runCounts(k),
			formatSeconds(g), formatSeconds(r), formatSeconds(p),
			formatRatio(ratio(r, g)), formatRatio(ratio(p, g)), formatRatio(ratio(p, r)))
	}
	return b.String()
}

// renderCPUTable renders median CPU times (user+system) as a Markdown table.
func renderCPUTable(t table) string {
	var b strings.Builder
	b.WriteString("| scenario | N | go build | rules_go | `go_plugin` | go_plugin ÷ rules_go |\n")
	b.WriteString("|---|--:|--:|--:|--:|--:|\n")
	for _, k := range t.rows() {
		g, r, p := t.medianCPU(k, toolGoBuild), t.medianCPU(k, toolRulesGo), t.medianCPU(k, toolGoPlugin)
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %s |\n", k.scenarioCell(), k.N,
			formatSeconds(g), formatSeconds(r), formatSeconds(p), formatRatio(ratio(p, r)))
	}
	return b.String()
}

// renderMemoryTable renders the peak memory per N and tool (the largest over its rows).
func renderMemoryTable(t table) string {
	// One line per workspace: N, and whether it has a host (rows keyed with scenario "").
	byWs := map[rowKey]map[string]int64{}
	var wss []rowKey
	for k, cells := range t {
		ws := rowKey{N: k.N, Host: k.Host}
		if byWs[ws] == nil {
			byWs[ws] = map[string]int64{}
			wss = append(wss, ws)
		}
		for tool, ss := range cells {
			byWs[ws][tool] = max(byWs[ws][tool], maxRSS(ss))
		}
	}
	sortRows(wss)
	var b strings.Builder
	b.WriteString("| N | go build: largest process (max RSS) | rules_go: Bazel server peak RSS | `go_plugin`: Bazel server peak RSS |\n")
	b.WriteString("|--:|--:|--:|--:|\n")
	for _, ws := range wss {
		n := fmt.Sprint(ws.N)
		if ws.Host {
			n += " + host"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", n, formatMiB(byWs[ws][toolGoBuild]), formatMiB(byWs[ws][toolRulesGo]), formatMiB(byWs[ws][toolGoPlugin]))
	}
	return b.String()
}

// renderLinkTable renders the link helper measurement.
func renderLinkTable(l *linkResult) string {
	t := l.Times
	hw, dw := median(durSeconds(t.HelperWall)), median(durSeconds(t.DirectWall))
	hc, dc := median(durSeconds(t.HelperCPU)), median(durSeconds(t.DirectCPU))
	var b strings.Builder
	b.WriteString("| | helper (go/tools/pluginlink) | `go tool link` directly | overhead: median of pairs | overhead: ratio of medians |\n")
	b.WriteString("|---|--:|--:|--:|--:|\n")
	fmt.Fprintf(&b, "| wall | %s | %s | %s | %s |\n", formatSeconds(hw), formatSeconds(dw),
		formatPercent(median(pairedOverheads(t.HelperWall, t.DirectWall))), formatPercent(ratio(hw, dw)-1))
	fmt.Fprintf(&b, "| CPU (user+sys) | %s | %s | %s | %s |\n", formatSeconds(hc), formatSeconds(dc),
		formatPercent(median(pairedOverheads(t.HelperCPU, t.DirectCPU))), formatPercent(ratio(hc, dc)-1))
	fmt.Fprintf(&b, "\n%d alternating pairs. ", len(t.HelperWall))
	if len(l.ActionWall) > 0 {
		fmt.Fprintf(&b, "For comparison, Bazel's own wall time of the sandboxed GoPluginLink action (edit-plugin builds, median of %d): %s",
			len(l.ActionWall), formatSeconds(median(durSeconds(l.ActionWall))))
		if len(l.RulesGoActionWall) > 0 {
			fmt.Fprintf(&b, "; rules_go's GoLink action of a `linkmode = \"plugin\"` target, same scenario (median of %d): %s",
				len(l.RulesGoActionWall), formatSeconds(median(durSeconds(l.RulesGoActionWall))))
		}
		b.WriteString(".")
	}
	b.WriteString("\n")
	return b.String()
}

// coldProfile is the profile of one cold Bazel build.
type coldProfile struct {
	Tool string
	N    int
	Host bool
	Wall time.Duration
	Prof *profile
}

// coldFigures are the parts of one cold Bazel build, from its profile.
type coldFigures struct {
	Wall, FirstAction, Builder, StdTarget, StdExec, Compile, Link, Helper, CriticalPath time.Duration
}

// isHelperAction reports whether a is part of building rules_go_plugin's own Go tools.
func isHelperAction(a profileAction) bool {
	return a.Mnemonic == "GoPluginHelpersBuild" || a.Exec && (strings.Contains(a.Name, "rules_go_plugin~/go/tools/") || strings.Contains(a.Name, "rules_go_plugin+/go/tools/"))
}

func figures(cp coldProfile) coldFigures {
	f := coldFigures{Wall: cp.Wall, FirstAction: cp.Prof.FirstAction}
	for _, a := range cp.Prof.Actions {
		switch {
		case a.Mnemonic == "GoToolchainBinaryBuild":
			f.Builder += a.Dur
		case a.Mnemonic == "GoStdlib" && a.Exec:
			f.StdExec += a.Dur
		case a.Mnemonic == "GoStdlib":
			f.StdTarget += a.Dur
		case isHelperAction(a):
			f.Helper += a.Dur
		case a.Mnemonic == "GoCompilePkg" && !a.Exec:
			f.Compile += a.Dur
		case (a.Mnemonic == "GoLink" || a.Mnemonic == "GoPluginLink") && !a.Exec:
			f.Link += a.Dur
		}
	}
	for _, a := range cp.Prof.CriticalPath {
		f.CriticalPath += a.Dur
	}
	return f
}

// groupColds groups cold profiles by tool and N, ordered by N then rules_go before go_plugin.
func groupColds(cps []coldProfile) [][]coldProfile {
	idx := map[string]int{}
	var groups [][]coldProfile
	for _, cp := range cps {
		key := fmt.Sprintf("%s|%d|%v", cp.Tool, cp.N, cp.Host)
		i, ok := idx[key]
		if !ok {
			i = len(groups)
			idx[key] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], cp)
	}
	sort.SliceStable(groups, func(i, j int) bool {
		if groups[i][0].Host != groups[j][0].Host {
			return !groups[i][0].Host
		}
		if groups[i][0].N != groups[j][0].N {
			return groups[i][0].N < groups[j][0].N
		}
		return groups[i][0].Tool > groups[j][0].Tool // rules_go before go_plugin
	})
	return groups
}

// medianOf returns the median of one figure over a group, in seconds.
func medianOf(group []coldProfile, pick func(coldFigures) time.Duration) float64 {
	var xs []float64
	for _, cp := range group {
		xs = append(xs, pick(figures(cp)).Seconds())
	}
	return median(xs)
}

// renderColdBreakdown renders where the time of cold Bazel builds goes: per tool and N, the
// medians over the cold runs of the main actions' wall times (from the profiles).
func renderColdBreakdown(cps []coldProfile) string {
	var b strings.Builder
	b.WriteString("Medians over the cold runs of each figure, from Bazel's profiles. Actions run in parallel (two at a time on two cores), so the parts add up to more than the wall time; the critical path is the longest chain of dependent actions.\n\n")
	b.WriteString("| tool | N | runs | wall | first action after | rules_go builder (GoToolchainBinaryBuild) | GoStdlib, plugin configuration | GoStdlib, exec configuration | go_plugin's helper: compile + link | compile plugins and libraries (sum) | link plugins (sum) | critical path |\n")
	b.WriteString("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, g := range groupColds(cps) {
		fs := func(pick func(coldFigures) time.Duration) string {
			v := medianOf(g, pick)
			if v == 0 {
				return "–"
			}
			return formatSeconds(v)
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", g[0].Tool, coldN(g[0]), len(g),
			fs(func(f coldFigures) time.Duration { return f.Wall }),
			fs(func(f coldFigures) time.Duration { return f.FirstAction }),
			fs(func(f coldFigures) time.Duration { return f.Builder }),
			fs(func(f coldFigures) time.Duration { return f.StdTarget }),
			fs(func(f coldFigures) time.Duration { return f.StdExec }),
			fs(func(f coldFigures) time.Duration { return f.Helper }),
			fs(func(f coldFigures) time.Duration { return f.Compile }),
			fs(func(f coldFigures) time.Duration { return f.Link }),
			fs(func(f coldFigures) time.Duration { return f.CriticalPath }))
	}
	// The critical path of one build per tool (the first N's median-wall run).
	seen := map[string]bool{}
	for _, g := range groupColds(cps) {
		if seen[g[0].Tool] {
			continue
		}
		seen[g[0].Tool] = true
		sorted := append([]coldProfile(nil), g...)
		sort.Slice(sorted, func(i, j int) bool { return sorted[i].Wall < sorted[j].Wall })
		cp := sorted[len(sorted)/2]
		var parts []string
		for _, a := range cp.Prof.CriticalPath {
			if a.Dur >= 500*time.Millisecond {
				parts = append(parts, fmt.Sprintf("%s %s", a.Mnemonic, formatSeconds(a.Dur.Seconds())))
			}
		}
		fmt.Fprintf(&b, "\nCritical path of %s, N=%s (the median run, wall %s): %s.\n", cp.Tool, coldN(cp), formatSeconds(cp.Wall.Seconds()), strings.Join(parts, " → "))
	}
	return b.String()
}

// coldN is the N column of a cold group: the plugin count, and "+ host" in the host scenario.
func coldN(cp coldProfile) string {
	if cp.Host {
		return fmt.Sprintf("%d + host", cp.N)
	}
	return fmt.Sprint(cp.N)
}

// machine describes where the benchmark ran.
type machine struct {
	CPUs      int
	CPUModel  string
	MemTotal  string
	Kernel    string
	GoVersion string
	Bazel     string
	LoadStart string
	LoadEnd   string
}

func readMachine(goBin string) machine {
	m := machine{CPUs: runtime.NumCPU()}
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPUModel = strings.TrimSpace(v)
				break
			}
		}
	}
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(line, "MemTotal:") {
				var kb int64
				fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, "MemTotal:")), "%d", &kb)
				m.MemTotal = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
			}
		}
	}
	if data, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(data))
	}
	if out, err := exec.Command(goBin, "version").Output(); err == nil {
		m.GoVersion = strings.TrimSpace(string(out))
	}
	m.LoadStart = loadAvg()
	return m
}

func loadAvg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

func (m machine) markdown() string {
	return fmt.Sprintf("- CPU: %d × %s\n- memory: %s\n- kernel: Linux %s\n- %s; %s\n- load average (1, 5, 15 min) at start: %s; at end: %s\n",
		m.CPUs, m.CPUModel, m.MemTotal, m.Kernel, m.GoVersion, m.Bazel, m.LoadStart, m.LoadEnd)
}

// renderExecCost quantifies what building go_plugin's Go helpers (go/tools/pluginlink,
// go/tools/pluginhost) costs, which rules_go's linkmode = "plugin" does not pay: on a cold build
// their `go build` from the SDK (GoPluginHelpersBuild), and, if a regression brought one back,
// a second standard library (GoStdlib for the exec configuration); on every later build, Bazel
// checking that second standard library tree.
func renderExecCost(t table, cps []coldProfile, noops []*profile) string {
	var b strings.Builder
	for _, g := range groupColds(cps) {
		if g[0].Tool != toolGoPlugin {
			continue
		}
		k := rowKey{scCold, g[0].N, g[0].Host}
		stdExec := "none"
		if v := medianOf(g, func(f coldFigures) time.Duration { return f.StdExec }); v > 0 {
			stdExec = formatSeconds(v)
		}
		fmt.Fprintf(&b, "- cold, N=%s (medians of %d): GoStdlib for the exec configuration: %s, next to %s for the plugin configuration; building the helpers %s (in parallel with the standard library: the two compete for the cores). go_plugin − rules_go: wall %s, CPU %s.\n",
			coldN(g[0]), len(g), stdExec,
			formatSeconds(medianOf(g, func(f coldFigures) time.Duration { return f.StdTarget })),
			formatSeconds(medianOf(g, func(f coldFigures) time.Duration { return f.Helper })),
			formatDelta(t.medianWall(k, toolGoPlugin)-t.medianWall(k, toolRulesGo)),
			formatDelta(t.medianCPU(k, toolGoPlugin)-t.medianCPU(k, toolRulesGo)))
	}
	var execChecks, targetChecks []float64
	for _, p := range noops {
		var e, tg time.Duration
		for _, d := range p.DepChecks {
			if d.Mnemonic != "GoStdlib" {
				continue
			}
			if d.Exec {
				e += d.Dur
			} else {
				tg += d.Dur
			}
		}
		execChecks, targetChecks = append(execChecks, e.Seconds()), append(targetChecks, tg.Seconds())
	}
	if len(execChecks) > 0 && median(execChecks) == 0 {
		fmt.Fprintf(&b, "- no-op builds (%d): in most, Bazel's profile shows no up-to-date check of the exec configuration's standard library (below its recording threshold); the largest: %s (plugin configuration's: %s).\n",
			len(execChecks), formatSeconds(maxOf(execChecks)), formatSeconds(maxOf(targetChecks)))
	} else if len(execChecks) > 0 {
		fmt.Fprintf(&b, "- no-op builds (median of %d): Bazel spends %s checking that the exec configuration's standard library tree is up to date, next to %s for the plugin configuration's.\n",
			len(execChecks), formatSeconds(median(execChecks)), formatSeconds(median(targetChecks)))
	}
	return b.String()
}

func maxOf(xs []float64) float64 {
	m := 0.0
	for _, x := range xs {
		m = math.Max(m, x)
	}
	return m
}

// formatDelta renders a signed difference in seconds.
func formatDelta(d float64) string {
	if math.IsNaN(d) {
		return "–"
	}
	if math.Abs(d) < 10 {
		return fmt.Sprintf("%+.2f s", d)
	}
	return fmt.Sprintf("%+.0f s", d)
}

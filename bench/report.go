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
}

func (k rowKey) String() string { return fmt.Sprintf("%s, N=%d", k.Scenario, k.N) }

// sortRows orders rows by N, then scenario.
func sortRows(rows []rowKey) {
	sort.Slice(rows, func(i, j int) bool {
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
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %s | %s | %s | %s |\n", k.Scenario, k.N, t.runCounts(k),
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
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %s |\n", k.Scenario, k.N,
			formatSeconds(g), formatSeconds(r), formatSeconds(p), formatRatio(ratio(p, r)))
	}
	return b.String()
}

// renderMemoryTable renders the peak memory per N and tool (the largest over its rows).
func renderMemoryTable(t table) string {
	byN := map[int]map[string]int64{}
	var ns []int
	for k, cells := range t {
		if byN[k.N] == nil {
			byN[k.N] = map[string]int64{}
			ns = append(ns, k.N)
		}
		for tool, ss := range cells {
			byN[k.N][tool] = max(byN[k.N][tool], maxRSS(ss))
		}
	}
	sort.Ints(ns)
	var b strings.Builder
	b.WriteString("| N | go build: largest process (max RSS) | rules_go: Bazel server peak RSS | `go_plugin`: Bazel server peak RSS |\n")
	b.WriteString("|--:|--:|--:|--:|\n")
	for _, n := range ns {
		fmt.Fprintf(&b, "| %d | %s | %s | %s |\n", n, formatMiB(byN[n][toolGoBuild]), formatMiB(byN[n][toolRulesGo]), formatMiB(byN[n][toolGoPlugin]))
	}
	return b.String()
}

// renderLinkTable renders the link helper measurement.
func renderLinkTable(l *linkResult) string {
	t := l.Times
	hw, dw := median(durSeconds(t.HelperWall)), median(durSeconds(t.DirectWall))
	hc, dc := median(durSeconds(t.HelperCPU)), median(durSeconds(t.DirectCPU))
	var b strings.Builder
	b.WriteString("| | helper (tools/pluginlink) | `go tool link` directly | overhead: median of pairs | overhead: ratio of medians |\n")
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
	Wall time.Duration
	Prof *profile
}

// renderColdBreakdown renders where the time of cold Bazel builds goes.
func renderColdBreakdown(cps []coldProfile) string {
	var b strings.Builder
	for _, cp := range cps {
		p := cp.Prof
		fmt.Fprintf(&b, "**%s, N=%d, cold** (wall %s; server start %s; first action after %s: module resolution, repository setup, loading, analysis). Action wall time by mnemonic (actions run in parallel, so the sum exceeds the wall time):\n\n",
			cp.Tool, cp.N, formatSeconds(cp.Wall.Seconds()), formatSeconds(p.Launch.Seconds()), formatSeconds(p.FirstAction.Seconds()))
		b.WriteString("| actions | count | total | longest |\n|---|--:|--:|--:|\n")
		for i, g := range groupActions(p.Actions) {
			if i == 10 || g.Total < 100*time.Millisecond {
				break
			}
			fmt.Fprintf(&b, "| %s | %d | %s | %s |\n", g.Key, g.Count, formatSeconds(g.Total.Seconds()), formatSeconds(g.Max.Seconds()))
		}
		var cpTotal time.Duration
		var parts []string
		for _, a := range p.CriticalPath {
			cpTotal += a.Dur
			if a.Dur >= time.Second {
				parts = append(parts, fmt.Sprintf("%s %s", a.Mnemonic, formatSeconds(a.Dur.Seconds())))
			}
		}
		fmt.Fprintf(&b, "\nCritical path %s: %s.\n\n", formatSeconds(cpTotal.Seconds()), strings.Join(parts, " → "))
	}
	return b.String()
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

// renderExecCost quantifies what building go_plugin's Go helper (tools/pluginlink) in the
// exec configuration costs, which rules_go's linkmode = "plugin" does not pay: on a cold
// build a second standard library (GoStdlib for the exec configuration) and the helper's own
// compile and link; on every later build, Bazel checking that second standard library tree.
func renderExecCost(t table, cps []coldProfile, noops []*profile) string {
	var b strings.Builder
	for _, cp := range cps {
		if cp.Tool != toolGoPlugin {
			continue
		}
		var stdExec, stdTarget, helper time.Duration
		for _, a := range cp.Prof.Actions {
			switch {
			case a.Mnemonic == "GoStdlib" && a.Exec:
				stdExec += a.Dur
			case a.Mnemonic == "GoStdlib":
				stdTarget += a.Dur
			case a.Exec && (strings.Contains(a.Name, "rules_go_plugin~/tools/") || strings.Contains(a.Name, "rules_go_plugin+/tools/")):
				helper += a.Dur
			}
		}
		k := rowKey{scCold, cp.N}
		fmt.Fprintf(&b, "- cold, N=%d: GoStdlib for the exec configuration %s, for the plugin configuration %s (the two run at the same time and compete for the cores); compiling and linking the helper %s. go_plugin − rules_go (medians): wall %s, CPU %s.\n",
			cp.N, formatSeconds(stdExec.Seconds()), formatSeconds(stdTarget.Seconds()), formatSeconds(helper.Seconds()),
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
		fmt.Fprintf(&b, "- no-op builds (%d): Bazel's profile shows no up-to-date check of the exec configuration's standard library (below its recording threshold).\n", len(execChecks))
	} else if len(execChecks) > 0 {
		fmt.Fprintf(&b, "- no-op builds (median of %d): Bazel spends %s checking that the exec configuration's standard library tree is up to date, next to %s for the plugin configuration's.\n",
			len(execChecks), formatSeconds(median(execChecks)), formatSeconds(median(targetChecks)))
	}
	return b.String()
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

// Command bench measures how long building Go plugins takes with `go build
// -buildmode=plugin`, rules_go's `go_binary(linkmode = "plugin")` and rules_go_plugin's
// `go_plugin`, side by side on generated workspaces, and how much the go_plugin link
// helper adds over calling `go tool link` directly. It writes a Markdown report
// (results.md), the raw samples (results.json), a PNG chart (chart.png), the logs and the
// Bazel profiles to -out. See bench/README.md.
//
// Usage, from the repository root:
//
//	go run ./bench            # full run (20-40 min on 2 cores)
//	go run ./bench -smoke     # CI smoke mode (a few minutes with a warm disk cache)
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type config struct {
	repo       string
	out        string
	workDir    string
	goBin      string
	ns         []int
	hostNs     []int // plugin counts of the host scenario (none: nil)
	libs       int
	runs       int
	coldRuns   int
	linkRuns   int
	goJobs     int
	bazelFlags []string
	smoke      bool
	keep       bool
	commandArg string
}

func main() {
	// The recording linker of the link measurement (see linkbench.go).
	if dir := os.Getenv(envRecordDir); dir != "" {
		if err := recordLink(dir, os.Getenv(envRealLink), os.Args[1:]); err != nil {
			fmt.Fprintf(os.Stderr, "bench (recording linker): %v\n", err)
			os.Exit(1)
		}
	}
	var (
		cfg        config
		nsFlag     string
		hostNsFlag string
		driver     string
		bazelFlags string
		rerenderIn string
	)
	flag.BoolVar(&cfg.smoke, "smoke", false, "smoke mode (CI): N=2, one run, no cold rows, shared disk cache, 2 link pairs; defaults below change accordingly")
	flag.StringVar(&nsFlag, "n", "", "comma-separated plugin counts (default 1,10,50; smoke: 2)")
	flag.StringVar(&hostNsFlag, "host_n", "", "comma-separated plugin counts of the host scenario: a host program loading N plugins, built with them (default 10; smoke: 2; \"none\" skips it)")
	flag.IntVar(&cfg.libs, "libs", 4, "libraries per workspace (one shared by every plugin)")
	flag.IntVar(&cfg.runs, "runs", -1, "K: runs of each incremental scenario (default 5; smoke: 1)")
	flag.IntVar(&cfg.coldRuns, "cold_runs", -1, "cold builds per tool and N, each with a fresh output base or GOCACHE (default 3; smoke: 0)")
	flag.IntVar(&cfg.linkRuns, "link_runs", -1, "pairs of helper/direct link runs (default 20; smoke: 2; 0 = skip)")
	flag.IntVar(&cfg.goJobs, "gobuild_jobs", 1, "go build invocations run in parallel (one per plugin)")
	flag.StringVar(&cfg.repo, "repo", "", "rules_go_plugin repository (default: found from the current directory)")
	flag.StringVar(&cfg.out, "out", "", "output directory (default: <repo>/bench/out, or bench/out-smoke)")
	flag.StringVar(&cfg.workDir, "work_dir", "", "where workspaces are generated, outside the repository (default: $RULES_GO_PLUGIN_CACHE or ~/.cache/rules_go_plugin, + /bench or /bench-smoke)")
	flag.StringVar(&cfg.goBin, "go", "go", "go command")
	flag.StringVar(&bazelFlags, "bazel_flags", "", "extra flags for every Bazel build of both Bazel tools, space-separated (e.g. --strip=never)")
	flag.BoolVar(&cfg.keep, "keep", false, "full runs: keep the workspaces, cold output bases and GOCACHEs")
	flag.StringVar(&driver, "linkbench_driver", "", "internal: run the link measurement driver with this spec")
	flag.StringVar(&rerenderIn, "rerender", "", "rewrite results.md and chart.png of this output directory from its results.json and profiles; builds nothing")
	flag.Parse()
	if driver != "" {
		if err := linkDriver(driver); err != nil {
			fmt.Fprintf(os.Stderr, "bench: link driver: %v\n", err)
			os.Exit(1)
		}
		return
	}
	if rerenderIn != "" {
		if err := rerender(rerenderIn); err != nil {
			fmt.Fprintf(os.Stderr, "bench: %v\n", err)
			os.Exit(1)
		}
		return
	}
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "bench: unexpected arguments %q\n", flag.Args())
		os.Exit(2)
	}
	if err := applyDefaults(&cfg, nsFlag, hostNsFlag); err != nil {
		fmt.Fprintf(os.Stderr, "bench: %v\n", err)
		os.Exit(2)
	}
	cfg.bazelFlags = strings.Fields(bazelFlags)
	cfg.commandArg = "go run ./bench " + strings.Join(os.Args[1:], " ")

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg); err != nil {
		fmt.Fprintf(os.Stderr, "bench: FAILED: %v\n", err)
		os.Exit(1)
	}
}

// parseNs parses "1,10,50".
func parseNs(s string) ([]int, error) {
	var ns []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 999 {
			return nil, fmt.Errorf("-n: %q is not a plugin count in 1..999", f)
		}
		ns = append(ns, n)
	}
	return ns, nil
}

func applyDefaults(cfg *config, nsFlag, hostNsFlag string) error {
	pick := func(v *int, full, smoke int) {
		if *v < 0 {
			*v = full
			if cfg.smoke {
				*v = smoke
			}
		}
	}
	pick(&cfg.runs, 5, 1)
	pick(&cfg.coldRuns, 3, 0)
	pick(&cfg.linkRuns, 20, 2)
	if cfg.runs < 1 {
		return fmt.Errorf("-runs must be at least 1")
	}
	if cfg.libs < 1 {
		return fmt.Errorf("-libs must be at least 1")
	}
	if nsFlag == "" {
		nsFlag = "1,10,50"
		if cfg.smoke {
			nsFlag = "2"
		}
	}
	ns, err := parseNs(nsFlag)
	if err != nil {
		return err
	}
	cfg.ns = ns
	if hostNsFlag == "" {
		hostNsFlag = "10"
		if cfg.smoke {
			hostNsFlag = "2"
		}
	}
	if hostNsFlag != "none" {
		if cfg.hostNs, err = parseNs(hostNsFlag); err != nil {
			return fmt.Errorf("-host_n: %v", err)
		}
	}
	if cfg.repo == "" {
		if cfg.repo, err = findRepo(); err != nil {
			return err
		}
	}
	if cfg.repo, err = filepath.Abs(cfg.repo); err != nil {
		return err
	}
	suffix := ""
	if cfg.smoke {
		suffix = "-smoke"
	}
	if cfg.out == "" {
		cfg.out = filepath.Join(cfg.repo, "bench", "out"+suffix)
	}
	if cfg.workDir == "" {
		cache := os.Getenv("RULES_GO_PLUGIN_CACHE")
		if cache == "" {
			dir, err := os.UserCacheDir()
			if err != nil {
				return err
			}
			cache = filepath.Join(dir, "rules_go_plugin")
		}
		cfg.workDir = filepath.Join(cache, "bench"+suffix)
	}
	if cfg.out, err = filepath.Abs(cfg.out); err != nil {
		return err
	}
	if cfg.workDir, err = filepath.Abs(cfg.workDir); err != nil {
		return err
	}
	// Bazel would see generated workspaces inside the repository as packages of its `//...`.
	if rel, err := filepath.Rel(cfg.repo, cfg.workDir); err == nil && !strings.HasPrefix(rel, "..") {
		return fmt.Errorf("-work_dir %s is inside the repository; `bazel test //...` there would build the generated plugins", cfg.workDir)
	}
	return nil
}

// findRepo returns the nearest directory upwards holding tools/bazel and MODULE.bazel.
func findRepo() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if fileExists(filepath.Join(dir, "tools", "bazel")) && fileExists(filepath.Join(dir, "MODULE.bazel")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("not inside the rules_go_plugin repository (no tools/bazel upwards); use -repo")
		}
		dir = parent
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// goModVersion turns `go env GOVERSION` output ("go1.26.8") into a go.mod version ("1.26").
func goModVersion(goversion string) string {
	m := regexp.MustCompile(`^go(\d+\.\d+)`).FindStringSubmatch(strings.TrimSpace(goversion))
	if m == nil {
		return "1.22"
	}
	return m[1]
}

func slug(s string) string {
	return strings.NewReplacer(" ", "_", "=", "", ",", "").Replace(s)
}

// bench holds the state of one benchmark run.
type bench struct {
	cfg       config
	bazelrc   string
	snapshot  []string
	goVersion string
	table     table
	colds     []coldProfile
	link      *linkResult
	profiles  map[string][]string // "<tool>|<scenario>" -> profile paths
	machine   machine
	failures  []string
	revision  int64
	date      time.Time
}

func run(ctx context.Context, cfg config) error {
	start := time.Now()
	b := &bench{cfg: cfg, table: table{}, profiles: map[string][]string{}, revision: time.Now().UnixNano() / 1000, date: time.Now()}
	rc, err := os.ReadFile(filepath.Join(cfg.repo, ".bazelrc"))
	if err != nil {
		return err
	}
	b.bazelrc = string(rc)
	if b.snapshot, err = snapshotFiles(cfg.repo); err != nil {
		return err
	}
	gv, err := exec.Command(cfg.goBin, "env", "GOVERSION").Output()
	if err != nil {
		return fmt.Errorf("%s env GOVERSION: %v", cfg.goBin, err)
	}
	b.goVersion = goModVersion(string(gv))
	b.machine = readMachine(cfg.goBin)
	for _, d := range []string{cfg.out, cfg.workDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	// Old logs and profiles would be mistaken for this run's.
	for _, d := range []string{"logs", "profiles"} {
		if err := os.RemoveAll(filepath.Join(cfg.out, d)); err != nil {
			return err
		}
	}
	logf("mode %s; N=%v, host scenario N=%v; %d run(s) per incremental scenario, %d cold run(s); workspaces in %s; results in %s",
		map[bool]string{true: "smoke", false: "full"}[cfg.smoke], cfg.ns, cfg.hostNs, cfg.runs, cfg.coldRuns, cfg.workDir, cfg.out)

	for ni, n := range cfg.ns {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		b.sequence(ctx, ni, n, false)
	}
	for ni, n := range cfg.hostNs {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		b.sequence(ctx, len(cfg.ns)+ni, n, true)
	}
	b.machine.LoadEnd = loadAvg()
	b.collectLinkActions()
	if err := b.write(time.Since(start)); err != nil {
		return err
	}
	fmt.Println(renderTimeTable(b.table))
	logf("done in %s; report: %s", time.Since(start).Round(time.Second), filepath.Join(cfg.out, "results.md"))
	if len(b.failures) > 0 {
		return fmt.Errorf("%d failure(s):\n%s", len(b.failures), strings.Join(b.failures, "\n"))
	}
	return nil
}

func (b *bench) nextRevision() int64 {
	b.revision++
	return b.revision
}

// prepare generates the workspace of tool at N (with a host program if host) and returns its
// runner.
func (b *bench) prepare(ctx context.Context, tool string, n int, host bool) (runner, string, error) {
	ws := filepath.Join(b.cfg.workDir, fmt.Sprintf("%s-n%d%s", slug(tool), n, hostSuffix(host)))
	if !b.cfg.smoke {
		// Full runs start from nothing; smoke runs keep the workspace and its output base.
		if err := removeAllWritable(ws); err != nil {
			return nil, "", err
		}
	}
	if err := os.RemoveAll(filepath.Join(ws, snapshotDir)); err != nil {
		return nil, "", err
	}
	files := generate(wsSpec{Tool: tool, Plugins: n, Libs: b.cfg.libs, GoVersion: b.goVersion, Bazelrc: b.bazelrc, Host: host})
	if err := writeFiles(ws, files); err != nil {
		return nil, "", err
	}
	logDir := filepath.Join(b.cfg.out, "logs")
	if tool == toolGoBuild {
		// Smoke runs keep GOCACHE as they keep Bazel's output base.
		return &goBuildRunner{goBin: b.cfg.goBin, ws: ws, n: n, host: host, jobs: b.cfg.goJobs,
			gocache: filepath.Join(ws, ".gocache"), logDir: logDir, keep: b.cfg.keep || b.cfg.smoke}, ws, nil
	}
	if err := copySnapshot(b.cfg.repo, filepath.Join(ws, snapshotDir), b.snapshot); err != nil {
		return nil, "", err
	}
	r := &bazelRunner{
		ws:         ws,
		script:     filepath.Join(ws, snapshotDir, "tools", "bazel"),
		freshBases: !b.cfg.smoke,
		logDir:     logDir,
		profDir:    filepath.Join(b.cfg.out, "profiles"),
		keep:       b.cfg.keep,
	}
	if b.cfg.smoke {
		// With a disk cache, Bazel 7 leaves intermediate outputs of cache hits in the cache
		// (build without the bytes); the link measurement needs the archives on disk.
		r.buildFlags = []string{"--remote_download_outputs=all"}
	} else {
		r.buildFlags = []string{"--disk_cache="} // cold means cold; no cache hits for edits either
	}
	r.buildFlags = append(r.buildFlags, b.cfg.bazelFlags...)
	if b.machine.Bazel == "" {
		if out, err := exec.CommandContext(ctx, r.script, "--version").Output(); err == nil {
			b.machine.Bazel = strings.TrimSpace(string(out))
		}
	}
	return r, ws, nil
}

// toolRun is one tool's workspace and state during the scenarios at one N.
type toolRun struct {
	tool   string
	host   bool // the host scenario's workspace
	r      runner
	ws     string
	sums   []string // sha256 of the plugin outputs after the last build
	failed bool
}

// rotated returns the tool runs in an order rotated by i, so that the load drift of a
// shared machine does not always favor the same tool.
func rotated(runs []*toolRun, i int) []*toolRun {
	out := make([]*toolRun, 0, len(runs))
	for j := range runs {
		out = append(out, runs[(i+j)%len(runs)])
	}
	return out
}

// sequence runs every scenario at one N, for all tools, interleaved run by run: the k-th
// cold build of each tool, then the k-th no-op / edit plugin / edit lib of each tool, so
// that all tools see the machine in the same state as far as possible. Each tool keeps its
// Bazel server (or GOCACHE) across the incremental runs.
func (b *bench) sequence(ctx context.Context, ni, n int, host bool) {
	var runs []*toolRun
	for _, tool := range tools {
		r, ws, err := b.prepare(ctx, tool, n, host)
		if err != nil {
			b.fail(tool, n, err)
			continue
		}
		runs = append(runs, &toolRun{tool: tool, host: host, r: r, ws: ws})
	}
	defer func() {
		// Stop the Bazel servers even when interrupted.
		cctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		for _, tr := range runs {
			if err := tr.r.close(cctx); err != nil {
				b.fail(tr.tool, n, fmt.Errorf("close: %v", err))
			}
			// Full runs start from scratch anyway; smoke runs keep their warm workspaces.
			if !b.cfg.smoke && !b.cfg.keep {
				_ = removeAllWritable(tr.ws)
			}
		}
	}()
	step := func(tr *toolRun, f func() error) {
		if tr.failed || ctx.Err() != nil {
			return
		}
		if err := f(); err != nil {
			tr.failed = true
			b.fail(tr.tool, n, err)
		}
	}

	first, firstRuns := scFirst, 1
	if b.cfg.coldRuns > 0 {
		first, firstRuns = scCold, b.cfg.coldRuns
	}
	for c := 1; c <= firstRuns; c++ {
		for _, tr := range rotated(runs, ni+c) {
			step(tr, func() error {
				if first == scCold {
					if err := tr.r.fresh(ctx); err != nil {
						return err
					}
				}
				sums, err := b.buildAndHash(ctx, tr, n, first, c)
				tr.sums = sums
				return err
			})
		}
	}
	for k := 1; k <= b.cfg.runs; k++ {
		for _, tr := range rotated(runs, ni+k) {
			step(tr, func() error { return b.incremental(ctx, tr, n, k) })
		}
	}
	for _, tr := range runs {
		br, ok := tr.r.(*bazelRunner)
		if !ok || tr.tool != toolGoPlugin || tr.host || b.link != nil || b.cfg.linkRuns <= 0 {
			continue
		}
		step(tr, func() error {
			logf("link helper overhead: %d alternating pairs on %s (N=%d)", b.cfg.linkRuns, pluginDir(0), n)
			t, err := measureLinkOverhead(ctx, br, b.cfg.linkRuns)
			if err != nil {
				return fmt.Errorf("link helper measurement: %v", err)
			}
			b.link = &linkResult{Times: t}
			logf("link: helper median %s, direct median %s", formatSeconds(median(durSeconds(t.HelperWall))), formatSeconds(median(durSeconds(t.DirectWall))))
			return nil
		})
	}
}

func (b *bench) fail(tool string, n int, err error) {
	msg := fmt.Sprintf("%s, N=%d: %v", tool, n, err)
	logf("FAILED: %s", msg)
	b.failures = append(b.failures, msg)
}

func (b *bench) label(tool string, key rowKey, k int) string {
	return fmt.Sprintf("%s-n%d%s-%s-%d", slug(tool), key.N, hostSuffix(key.Host), slug(key.Scenario), k)
}

// hostSuffix marks the names of the host scenario's workspaces and profiles.
func hostSuffix(host bool) string {
	if host {
		return "host"
	}
	return ""
}

// profilesKey is the key of bench.profiles for a tool and row.
func profilesKey(tool string, k rowKey) string {
	return fmt.Sprintf("%s|%s|%v", tool, k.Scenario, k.Host)
}

// buildAndHash builds, checks that every plugin output exists, records the sample and
// returns the outputs' digests.
func (b *bench) buildAndHash(ctx context.Context, tr *toolRun, n int, sc string, k int) ([]string, error) {
	key := rowKey{sc, n, tr.host}
	label := b.label(tr.tool, key, k)
	s, err := tr.r.build(ctx, label)
	if err != nil {
		return nil, err
	}
	outs, err := tr.r.outputs(ctx)
	if err != nil {
		return nil, err
	}
	if len(outs) != n {
		return nil, fmt.Errorf("%s: %d plugin outputs, want %d", sc, len(outs), n)
	}
	sums, err := hashFiles(outs)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", sc, err)
	}
	b.table.add(key, tr.tool, s)
	prof := filepath.Join(b.cfg.out, "profiles", label+".json.gz")
	b.profiles[profilesKey(tr.tool, key)] = append(b.profiles[profilesKey(tr.tool, key)], prof)
	logf("%-9s N=%-3d%s %-20s run %d: %s (CPU %s, peak RSS %s)", tr.tool, n, hostSuffix(tr.host), sc, k, formatSeconds(s.Wall.Seconds()),
		formatSeconds(s.CPU.Seconds()), formatMiB(s.PeakRSS))
	if sc == scCold && tr.tool != toolGoBuild {
		if p, err := readProfile(prof); err == nil {
			b.colds = append(b.colds, coldProfile{Tool: tr.tool, N: n, Host: tr.host, Wall: s.Wall, Prof: p})
		}
	}
	return sums, nil
}

// incremental runs the k-th no-op, edit-plugin and edit-lib builds of one tool and checks
// which outputs changed.
func (b *bench) incremental(ctx context.Context, tr *toolRun, n, k int) error {
	after, err := b.buildAndHash(ctx, tr, n, scNoop, k)
	if err != nil {
		return err
	}
	if err := checkChanges(scNoop, tr.sums, after, func(int) bool { return false }); err != nil {
		return err
	}
	tr.sums = after

	src := pluginSource(0, b.cfg.libs, fmt.Sprint(b.nextRevision()))
	if err := os.WriteFile(filepath.Join(tr.ws, pluginDir(0), "main.go"), []byte(src), 0o644); err != nil {
		return err
	}
	if after, err = b.buildAndHash(ctx, tr, n, scEditPlugin, k); err != nil {
		return err
	}
	if err := checkChanges(scEditPlugin, tr.sums, after, func(i int) bool { return i == 0 }); err != nil {
		return err
	}
	tr.sums = after

	lib := sharedSource(b.nextRevision())
	if err := os.WriteFile(filepath.Join(tr.ws, "lib", sharedLib, sharedLib+".go"), []byte(lib), 0o644); err != nil {
		return err
	}
	if after, err = b.buildAndHash(ctx, tr, n, scEditLib, k); err != nil {
		return err
	}
	if err := checkChanges(scEditLib, tr.sums, after, func(int) bool { return true }); err != nil {
		return err
	}
	tr.sums = after
	return nil
}

// collectLinkActions reads Bazel's link action times from the edit-plugin profiles.
func (b *bench) collectLinkActions() {
	if b.link == nil {
		return
	}
	read := func(tool, mnemonic string) []time.Duration {
		var out []time.Duration
		for _, p := range b.profiles[profilesKey(tool, rowKey{Scenario: scEditPlugin})] {
			if prof, err := readProfile(p); err == nil {
				out = append(out, actionDurations(prof, mnemonic)...)
			}
		}
		return out
	}
	b.link.ActionWall = read(toolGoPlugin, "GoPluginLink")
	b.link.RulesGoActionWall = read(toolRulesGo, "GoLink")
}

// noopProfiles reads the profiles of go_plugin's no-op builds.
func (b *bench) noopProfiles() []*profile {
	var out []*profile
	for _, p := range b.profiles[profilesKey(toolGoPlugin, rowKey{Scenario: scNoop})] {
		if prof, err := readProfile(p); err == nil {
			out = append(out, prof)
		}
	}
	return out
}

// write writes results.md, results.json and chart.png.
func (b *bench) write(elapsed time.Duration) error {
	var chartTitle string
	if b.cfg.smoke {
		chartTitle = "smoke run: median wall time per build, log scale"
	} else {
		chartTitle = "median wall time per build, log scale"
	}
	f, err := os.Create(filepath.Join(b.cfg.out, "chart.png"))
	if err != nil {
		return err
	}
	if err := writeChart(f, b.table, chartTitle); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(b.cfg.out, "results.md"), []byte(b.markdown(elapsed)), 0o644); err != nil {
		return err
	}
	type jsonRow struct {
		rowKey
		Samples map[string][]sample `json:"samples"`
	}
	var rows []jsonRow
	for _, k := range b.table.rows() {
		rows = append(rows, jsonRow{k, b.table[k]})
	}
	data, err := json.MarshalIndent(map[string]any{"config": map[string]any{
		"smoke": b.cfg.smoke, "n": b.cfg.ns, "libs": b.cfg.libs, "runs": b.cfg.runs, "cold_runs": b.cfg.coldRuns,
		"link_runs": b.cfg.linkRuns, "gobuild_jobs": b.cfg.goJobs, "bazel_flags": b.cfg.bazelFlags,
	}, "command": b.cfg.commandArg, "date": b.date, "elapsed_ns": elapsed, "machine": b.machine, "rows": rows, "link": b.link, "failures": b.failures}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(b.cfg.out, "results.json"), data, 0o644)
}

func (b *bench) markdown(elapsed time.Duration) string {
	var s strings.Builder
	mode := "full"
	if b.cfg.smoke {
		mode = "smoke"
	}
	fmt.Fprintf(&s, "# rules_go_plugin benchmark results (%s mode)\n\n", mode)
	fmt.Fprintf(&s, "`%s` on %s, took %s. Plugins per workspace N: %v, importing %d libraries (one shared by all plugins); %d run(s) of each incremental scenario, %d cold run(s) (each with a fresh output base and no disk cache, or an empty GOCACHE); go build: one invocation per plugin, %d at a time.\n\n",
		strings.TrimSpace(b.cfg.commandArg), b.date.UTC().Format("2006-01-02 15:04 UTC"), elapsed.Round(time.Second),
		b.cfg.ns, b.cfg.libs, b.cfg.runs, b.cfg.coldRuns, b.cfg.goJobs)
	if len(b.cfg.bazelFlags) > 0 {
		fmt.Fprintf(&s, "Extra Bazel flags for both Bazel tools: `%s`.\n\n", strings.Join(b.cfg.bazelFlags, " "))
	}
	if len(b.failures) > 0 {
		s.WriteString("**Failures:**\n\n")
		for _, f := range b.failures {
			fmt.Fprintf(&s, "- %s\n", strings.SplitN(f, "\n", 2)[0])
		}
		s.WriteString("\n")
	}
	s.WriteString("## Machine\n\n")
	s.WriteString(b.machine.markdown())
	s.WriteString("\n## Wall time, median\n\n")
	s.WriteString(renderTimeTable(b.table))
	s.WriteString("\n![chart](chart.png)\n\n## CPU time (user + system), median\n\n")
	s.WriteString("go build: the go command and its compilers/linkers. Bazel: the server and every process it waited for (sandboxed actions).\n\n")
	s.WriteString(renderCPUTable(b.table))
	s.WriteString("\n## Peak memory\n\n")
	s.WriteString(renderMemoryTable(b.table))
	if b.link != nil {
		s.WriteString("\n## Link helper overhead\n\n")
		s.WriteString(renderLinkTable(b.link))
	}
	if len(b.colds) > 0 {
		s.WriteString("\n## Cold builds: where the time goes\n\n")
		s.WriteString(renderColdBreakdown(b.colds))
	}
	if ec := renderExecCost(b.table, b.colds, b.noopProfiles()); ec != "" {
		s.WriteString("\n## What go_plugin's exec-configuration helper costs\n\n")
		s.WriteString(ec)
	}
	s.WriteString("\n## Targets\n\n")
	s.WriteString(renderTargets(b.table, b.link))
	return s.String()
}

// renderTargets checks the targets against the measured medians.
func renderTargets(t table, l *linkResult) string {
	var s strings.Builder
	slowerBy := func(pick func(rowKey, string) float64) []string {
		var out []string
		for _, k := range t.rows() {
			if r := ratio(pick(k, toolGoPlugin), pick(k, toolRulesGo)); r > 1 {
				out = append(out, fmt.Sprintf("%s (%s)", k, formatRatio(r)))
			}
		}
		return out
	}
	if slower := slowerBy(t.medianWall); len(slower) == 0 {
		s.WriteString("- go_plugin never slower than rules_go `linkmode = \"plugin\"`: **met** on every row (wall).\n")
	} else {
		fmt.Fprintf(&s, "- go_plugin never slower than rules_go `linkmode = \"plugin\"`: **missed** (wall) on %s.\n", strings.Join(slower, "; "))
	}
	if slower := slowerBy(t.medianCPU); len(slower) > 0 {
		fmt.Fprintf(&s, "  By CPU time, go_plugin needs more than rules_go on %s.\n", strings.Join(slower, "; "))
	}
	for _, k := range t.rows() {
		if k.Scenario != scCold {
			continue
		}
		w := ratio(t.medianWall(k, toolGoPlugin), t.medianWall(k, toolRulesGo))
		c := ratio(t.medianCPU(k, toolGoPlugin), t.medianCPU(k, toolRulesGo))
		verdict := "met"
		if !(w <= 0.95 && c <= 0.95) {
			verdict = "missed"
		}
		fmt.Fprintf(&s, "- %s: go_plugin ÷ rules_go = %s wall, %s CPU (target ≤ 0.95×): **%s**.\n", k, formatRatio(w), formatRatio(c), verdict)
	}
	for _, k := range t.rows() {
		if k.Scenario != scEditPlugin || k.N != 1 || k.Host {
			continue
		}
		r := ratio(t.medianWall(k, toolGoPlugin), t.medianWall(k, toolGoBuild))
		verdict := "met"
		if !(r <= 1.3) {
			verdict = "missed"
		}
		fmt.Fprintf(&s, "- edit one plugin file, N=%d: go_plugin ÷ go build = %s (target ≤ 1.30×): **%s**.\n", k.N, formatRatio(r), verdict)
	}
	if l != nil {
		t := l.Times
		o := median(pairedOverheads(t.HelperWall, t.DirectWall))
		verdict := "met"
		if !(o <= 0.03) {
			verdict = "missed"
		}
		hw, dw := median(durSeconds(t.HelperWall)), median(durSeconds(t.DirectWall))
		hc, dc := median(durSeconds(t.HelperCPU)), median(durSeconds(t.DirectCPU))
		fmt.Fprintf(&s, "- link helper over `go tool link` (target ≤ +3 %%): median of pairs %s wall: **%s**. Other estimates: ratio of medians %s wall; CPU %s (pairs), %s (medians); absolute: %.0f ms wall, %.0f ms CPU.\n",
			formatPercent(o), verdict, formatPercent(ratio(hw, dw)-1),
			formatPercent(median(pairedOverheads(t.HelperCPU, t.DirectCPU))), formatPercent(ratio(hc, dc)-1),
			1000*(hw-dw), 1000*(hc-dc))
	}
	return s.String()
}

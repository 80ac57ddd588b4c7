package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// runner builds the plugins of one generated workspace with one tool.
type runner interface {
	// fresh discards all build state: a new output base without disk cache (Bazel) or an
	// empty GOCACHE (go build). The next build is a cold build.
	fresh(ctx context.Context) error
	// build builds every plugin of the workspace and times it. label names logs and profiles.
	build(ctx context.Context, label string) (sample, error)
	// outputs returns the plugin files (.so), by plugin index, after a successful build.
	outputs(ctx context.Context) ([]string, error)
	// close stops what the runner started (a Bazel server) and, unless keep, deletes build
	// state that fresh created.
	close(ctx context.Context) error
}

// logf prints a progress line to stderr.
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s bench: %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

// runLogged runs cmd with its output appended to logPath. On failure the error holds the
// log's last lines.
func runLogged(cmd *exec.Cmd, logPath string) (time.Duration, *os.ProcessState, error) {
	if err := os.MkdirAll(filepath.Dir(logPath), 0o755); err != nil {
		return 0, nil, err
	}
	f, err := os.OpenFile(logPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return 0, nil, err
	}
	defer f.Close()
	fmt.Fprintf(f, "\n$ (cd %s && %s)\n", cmd.Dir, strings.Join(cmd.Args, " "))
	cmd.Stdout = f
	cmd.Stderr = f
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return wall, cmd.ProcessState, fmt.Errorf("%s: %v (log %s):\n%s", strings.Join(cmd.Args, " "), err, logPath, tailFile(logPath, 25))
	}
	return wall, cmd.ProcessState, nil
}

// tailFile returns the last n lines of a file.
func tailFile(path string, n int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// ---- go build ----

// goBuildRunner runs `go build -buildmode=plugin` once per plugin (a plugin build takes
// exactly one main package), jobs at a time.
type goBuildRunner struct {
	goBin   string
	ws      string
	n       int
	host    bool // also build the host program (hostDir), after the plugins
	jobs    int
	gocache string // a directory owned by the runner; fresh empties it
	logDir  string
	keep    bool
}

func (r *goBuildRunner) env() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "GOCACHE", "GOFLAGS", "GOTOOLCHAIN", "GOWORK", "GOPROXY", "CGO_ENABLED", "GOOS", "GOARCH", "GOEXPERIMENT":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "GOCACHE="+r.gocache, "GOFLAGS=", "GOTOOLCHAIN=local", "GOWORK=off", "GOPROXY=off", "CGO_ENABLED=1")
}

func (r *goBuildRunner) fresh(ctx context.Context) error {
	if err := os.RemoveAll(r.gocache); err != nil {
		return err
	}
	if err := os.RemoveAll(filepath.Join(r.ws, "out")); err != nil {
		return err
	}
	return os.MkdirAll(r.gocache, 0o755)
}

func (r *goBuildRunner) output(i int) string {
	return filepath.Join(r.ws, "out", pluginName(i)+".so")
}

func (r *goBuildRunner) build(ctx context.Context, label string) (sample, error) {
	jobs := r.jobs
	if jobs < 1 {
		jobs = 1
	}
	var (
		mu       sync.Mutex
		s        sample
		firstErr error
		wg       sync.WaitGroup
	)
	sem := make(chan struct{}, jobs)
	start := time.Now()
	for i := 0; i < r.n; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			cmd := exec.CommandContext(ctx, r.goBin, "build", "-buildmode=plugin", "-o", r.output(i), "./"+pluginDir(i))
			cmd.Dir = r.ws
			cmd.Env = r.env()
			_, ps, err := runLogged(cmd, filepath.Join(r.logDir, fmt.Sprintf("%s-%s.log", label, pluginName(i))))
			mu.Lock()
			defer mu.Unlock()
			if err != nil && firstErr == nil {
				firstErr = err
			}
			s.addUsage(ps)
		}(i)
	}
	wg.Wait()
	if r.host && firstErr == nil {
		cmd := exec.CommandContext(ctx, r.goBin, "build", "-o", filepath.Join(r.ws, "out", hostDir), "./"+hostDir)
		cmd.Dir = r.ws
		cmd.Env = r.env()
		_, ps, err := runLogged(cmd, filepath.Join(r.logDir, label+"-host.log"))
		firstErr = err
		s.addUsage(ps)
	}
	s.Wall = time.Since(start)
	return s, firstErr
}

// addUsage adds the CPU time of a finished go command (and the processes it waited for) to
// s and raises s.PeakRSS to its largest process's.
func (s *sample) addUsage(ps *os.ProcessState) {
	if ps == nil {
		return
	}
	s.CPU += ps.UserTime() + ps.SystemTime()
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok && ru.Maxrss<<10 > s.PeakRSS {
		s.PeakRSS = ru.Maxrss << 10 // kB on Linux
	}
}

func (r *goBuildRunner) outputs(ctx context.Context) ([]string, error) {
	out := make([]string, r.n)
	for i := range out {
		out[i] = r.output(i)
	}
	return out, nil
}

func (r *goBuildRunner) close(ctx context.Context) error {
	if r.keep {
		return nil
	}
	return os.RemoveAll(r.gocache)
}

// ---- Bazel ----

// bazelRunner runs tools/bazel (of the workspace's rules_go_plugin snapshot) in a generated
// workspace and builds //:plugins.
type bazelRunner struct {
	ws         string
	script     string   // the snapshot's tools/bazel
	buildFlags []string // e.g. --disk_cache= (no disk cache)
	freshBases bool     // fresh() creates a new output base under ws/.ob
	outputBase string   // "" = Bazel's default for the workspace
	logDir     string
	profDir    string // where profiles are moved to
	keep       bool

	serial   int
	pid      int
	execRoot string
	files    []string
}

// startup returns the startup options of every command. A server left behind by an
// interrupted run exits after max_idle_secs.
func (r *bazelRunner) startup() []string {
	opts := []string{"--max_idle_secs=900"}
	if r.outputBase != "" {
		opts = append(opts, "--output_base="+r.outputBase)
	}
	return opts
}

// command runs one Bazel command and returns its wall time.
func (r *bazelRunner) command(ctx context.Context, logName string, args ...string) (time.Duration, error) {
	cmd := exec.CommandContext(ctx, r.script, append(r.startup(), args...)...)
	cmd.Dir = r.ws
	cmd.Env = os.Environ()
	cmd.WaitDelay = 10 * time.Second
	wall, _, err := runLogged(cmd, filepath.Join(r.logDir, logName+".log"))
	return wall, err
}

// output runs a Bazel command and returns its standard output.
func (r *bazelRunner) output(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, r.script, append(r.startup(), args...)...)
	cmd.Dir = r.ws
	cmd.Env = os.Environ()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("bazel %s: %v\n%s", strings.Join(args, " "), err, lastLines(stderr.String(), 20))
	}
	return string(out), nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func (r *bazelRunner) fresh(ctx context.Context) error {
	if err := r.close(ctx); err != nil {
		return err
	}
	if !r.freshBases {
		return fmt.Errorf("internal error: fresh() on a runner without fresh output bases")
	}
	r.serial++
	r.outputBase = filepath.Join(r.ws, ".ob", fmt.Sprintf("cold-%d-%d", os.Getpid(), r.serial))
	r.pid, r.execRoot, r.files = 0, "", nil
	return nil
}

// serverPID returns the pid of the workspace's Bazel server, from the output base's
// server/server.pid.txt (no Bazel command, so nothing else runs in the server).
func (r *bazelRunner) serverPID(ctx context.Context) (int, error) {
	base := r.outputBase
	if base == "" {
		out, err := r.output(ctx, "info", "output_base")
		if err != nil {
			return 0, err
		}
		r.outputBase = strings.TrimSpace(out) // pinned from now on: same server
		base = r.outputBase
	}
	data, err := os.ReadFile(filepath.Join(base, "server", "server.pid.txt"))
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(strings.TrimSpace(string(data)))
}

func (r *bazelRunner) build(ctx context.Context, label string) (sample, error) {
	if err := os.MkdirAll(filepath.Join(r.ws, ".profiles"), 0o755); err != nil {
		return sample{}, err
	}
	profile := filepath.Join(r.ws, ".profiles", label+".json.gz")
	var before time.Duration
	if r.pid != 0 {
		if c, err := procCPU(r.pid); err == nil {
			before = c
		} else {
			r.pid = 0 // the server went away; the build starts a new one
		}
	}
	args := append([]string{"build"}, r.buildFlags...)
	args = append(args, "--profile="+profile, "//:plugins")
	wall, err := r.command(ctx, label, args...)
	s := sample{Wall: wall}
	if err != nil {
		return s, err
	}
	if r.profDir != "" {
		if err := os.MkdirAll(r.profDir, 0o755); err == nil {
			_ = moveFile(profile, filepath.Join(r.profDir, label+".json.gz"))
		}
	}
	if r.pid == 0 {
		pid, err := r.serverPID(ctx)
		if err != nil {
			return s, err
		}
		r.pid = pid
		before = 0 // a new server: all its CPU time belongs to this build
	}
	if c, err := procCPU(r.pid); err == nil {
		s.CPU = c - before
	}
	if rss, err := procPeakRSS(r.pid); err == nil {
		s.PeakRSS = rss
	}
	return s, nil
}

func (r *bazelRunner) outputs(ctx context.Context) ([]string, error) {
	if r.files != nil {
		return r.files, nil
	}
	if r.execRoot == "" {
		out, err := r.output(ctx, "info", "execution_root")
		if err != nil {
			return nil, err
		}
		r.execRoot = strings.TrimSpace(out)
	}
	out, err := r.output(ctx, append([]string{"cquery"}, append(append([]string{}, r.buildFlags...), "--output=files", "//:plugins")...)...)
	if err != nil {
		return nil, err
	}
	files, err := orderOutputs(r.execRoot, out)
	if err != nil {
		return nil, err
	}
	r.files = files
	return files, nil
}

// orderOutputs turns cquery --output=files lines (execroot-relative) into absolute paths
// ordered by plugin index (plugins/pNNN/...).
func orderOutputs(execRoot, cqueryOut string) ([]string, error) {
	var files []string
	sc := bufio.NewScanner(strings.NewReader(cqueryOut))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasSuffix(line, ".so") {
			files = append(files, filepath.Join(execRoot, line))
		}
	}
	sort.Slice(files, func(i, j int) bool { return pluginOf(files[i]) < pluginOf(files[j]) })
	for i, f := range files {
		if pluginOf(f) != pluginName(i) {
			return nil, fmt.Errorf("plugin outputs: %s is not %s's (outputs: %v)", f, pluginName(i), files)
		}
	}
	return files, nil
}

// pluginOf returns the pNNN path element of a plugin output path.
func pluginOf(path string) string {
	for _, el := range strings.Split(filepath.ToSlash(path), "/") {
		if len(el) == 4 && el[0] == 'p' && strings.Trim(el[1:], "0123456789") == "" {
			return el
		}
	}
	return ""
}

func (r *bazelRunner) close(ctx context.Context) error {
	if r.outputBase == "" && r.pid == 0 {
		return nil
	}
	var err error
	if _, statErr := os.Stat(filepath.Join(r.outputBase, "server")); r.outputBase == "" || statErr == nil {
		_, err = r.command(ctx, "shutdown", "shutdown")
	}
	if r.freshBases && r.outputBase != "" && !r.keep {
		if rmErr := removeAllWritable(r.outputBase); rmErr != nil && err == nil {
			err = rmErr
		}
		r.outputBase = ""
	}
	r.pid, r.execRoot, r.files = 0, "", nil
	return err
}

// removeAllWritable removes a tree in which Bazel left read-only directories.
func removeAllWritable(dir string) error {
	if err := os.RemoveAll(dir); err == nil {
		return nil
	}
	_ = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && info.IsDir() {
			_ = os.Chmod(p, 0o755)
		}
		return nil
	})
	return os.RemoveAll(dir)
}

func moveFile(src, dst string) error {
	if err := os.Rename(src, dst); err == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Remove(src)
}

// ---- output checks ----

// hashFiles returns the sha256 of each file; a missing or empty file is an error.
func hashFiles(paths []string) ([]string, error) {
	sums := make([]string, len(paths))
	for i, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, fmt.Errorf("plugin output missing: %v", err)
		}
		h := sha256.New()
		n, err := io.Copy(h, f)
		f.Close()
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, fmt.Errorf("plugin output %s is empty", p)
		}
		sums[i] = fmt.Sprintf("%x", h.Sum(nil))
	}
	return sums, nil
}

// checkChanges verifies which plugin outputs a build changed: exactly the ones in want.
func checkChanges(scenario string, before, after []string, want func(i int) bool) error {
	if len(before) != len(after) {
		return fmt.Errorf("%s: %d plugin outputs before, %d after", scenario, len(before), len(after))
	}
	var problems []string
	for i := range before {
		changed := before[i] != after[i]
		if changed != want(i) {
			verb := "did not change"
			if changed {
				verb = "changed"
			}
			problems = append(problems, fmt.Sprintf("%s %s", pluginName(i), verb))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s: unexpected plugin outputs: %s", scenario, strings.Join(problems, ", "))
	}
	return nil
}

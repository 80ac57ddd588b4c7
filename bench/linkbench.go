package main

// The link helper's overhead (issue 7, point 2: "the link helper adds <= 3% over calling
// go tool link directly").
//
// Method. After the go_plugin builds, the benchmark reads the GoPluginLink action of plugin
// p000 (arguments and environment) with `bazel aquery`, and runs, in the execution root and
// in the same environment Bazel's actions run in (inside the offline root filesystem when
// tools/bazel uses it), two commands alternately:
//
//   - helper: the action's command (go/tools/pluginlink with the action's arguments in a
//     params file), as Bazel runs it, but writing its outputs to a scratch directory;
//   - direct: the very `go tool link` command line the helper ran, with the same importcfg
//     (recorded once by running the helper with -link pointing to this program in a recording
//     mode, which saves the arguments and the importcfg and then execs the real linker).
//
// The helper's overhead is what it does besides the link: start, parse its arguments, check
// the main package's package clause, write the importcfg (listing the standard library
// archives), and read the linked packages' fingerprints back from the .so. Sandboxing is
// Bazel's cost, not the helper's, and is the same for any action; it is left out by running
// both outside Bazel. Each pair's order alternates, so that drift on a shared machine affects
// both sides alike; the result is the median of the per-pair ratios, and of wall and CPU
// times separately.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Environment variables of the recording mode (see recordLink).
const (
	envRecordDir = "RULES_GO_PLUGIN_BENCH_RECORD_DIR"
	envRealLink  = "RULES_GO_PLUGIN_BENCH_REAL_LINK"
)

// linkSpec is what the driver (running inside Bazel's environment) needs.
type linkSpec struct {
	ExecRoot string   `json:"exec_root"`
	Helper   string   `json:"helper"`    // absolute path of the pluginlink binary
	Args     []string `json:"args"`      // the helper's arguments, outputs redirected
	Env      []string `json:"env"`       // the action's environment
	RealLink string   `json:"real_link"` // absolute path of the SDK's link tool
	Self     string   `json:"self"`      // this program, as the recording -link
	Scratch  string   `json:"scratch"`
	Runs     int      `json:"runs"`
}

// linkTimes is the driver's result.
type linkTimes struct {
	HelperWall []time.Duration `json:"helper_wall_ns"`
	DirectWall []time.Duration `json:"direct_wall_ns"`
	HelperCPU  []time.Duration `json:"helper_cpu_ns"`
	DirectCPU  []time.Duration `json:"direct_cpu_ns"`
	LinkArgs   []string        `json:"link_args"`
}

// linkResult is the measurement as reported.
type linkResult struct {
	Times linkTimes
	// Bazel's own wall times of the GoPluginLink actions (sandboxed) in the edit-plugin builds.
	ActionWall []time.Duration
	// rules_go's GoLink actions of its linkmode = "plugin" targets in the same scenario.
	RulesGoActionWall []time.Duration
}

// pairedOverheads returns helper/direct - 1 for each pair.
func pairedOverheads(helper, direct []time.Duration) []float64 {
	var out []float64
	for i := range helper {
		if i < len(direct) && direct[i] > 0 {
			out = append(out, float64(helper[i])/float64(direct[i])-1)
		}
	}
	return out
}

func durSeconds(ds []time.Duration) []float64 {
	out := make([]float64, len(ds))
	for i, d := range ds {
		out[i] = d.Seconds()
	}
	return out
}

// replaceFlagValue returns args with the value following flag replaced; it is an error if
// the flag is absent.
func replaceFlagValue(args []string, flag, value string) ([]string, error) {
	out := append([]string(nil), args...)
	for i := 0; i+1 < len(out); i++ {
		if out[i] == flag {
			out[i+1] = value
			return out, nil
		}
	}
	return nil, fmt.Errorf("no %s argument in %q", flag, args)
}

// flagValue returns the value following flag in args, or "".
func flagValue(args []string, flag string) string {
	for i := 0; i+1 < len(args); i++ {
		if args[i] == flag {
			return args[i+1]
		}
	}
	return ""
}

// aqueryAction is the part of `aquery --output=jsonproto` the benchmark reads.
type aqueryAction struct {
	Mnemonic  string   `json:"mnemonic"`
	Arguments []string `json:"arguments"`
	Env       []struct {
		Key   string `json:"key"`
		Value string `json:"value"`
	} `json:"environmentVariables"`
}

// parseAquery returns the actions of an aquery jsonproto document.
func parseAquery(data []byte) ([]aqueryAction, error) {
	var doc struct {
		Actions []aqueryAction `json:"actions"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	return doc.Actions, nil
}

// measureLinkOverhead runs the measurement described at the top of this file on the
// go_plugin workspace of r (after a successful build).
func measureLinkOverhead(ctx context.Context, r *bazelRunner, runs int) (linkTimes, error) {
	if _, err := r.outputs(ctx); err != nil { // sets r.execRoot
		return linkTimes{}, err
	}
	out, err := r.output(ctx, append(append([]string{"aquery"}, r.buildFlags...),
		"--output=jsonproto", `mnemonic("GoPluginLink", //`+pluginDir(0)+`:plugin)`)...)
	if err != nil {
		return linkTimes{}, err
	}
	actions, err := parseAquery([]byte(out))
	if err != nil {
		return linkTimes{}, fmt.Errorf("aquery output: %v", err)
	}
	if len(actions) != 1 || len(actions[0].Arguments) < 2 {
		return linkTimes{}, fmt.Errorf("aquery: want one GoPluginLink action for %s, got %d", pluginDir(0), len(actions))
	}
	a := actions[0]
	scratch := filepath.Join(r.ws, ".linkbench")
	if err := os.RemoveAll(scratch); err != nil {
		return linkTimes{}, err
	}
	if err := os.MkdirAll(scratch, 0o755); err != nil {
		return linkTimes{}, err
	}
	args := a.Arguments[1:]
	for _, rep := range [][2]string{{"-o", filepath.Join(scratch, "plugin.so")}, {"-packages_out", filepath.Join(scratch, "packages.txt")}} {
		if args, err = replaceFlagValue(args, rep[0], rep[1]); err != nil {
			return linkTimes{}, err
		}
	}
	realLink := flagValue(args, "-link")
	if realLink == "" {
		return linkTimes{}, fmt.Errorf("GoPluginLink action has no -link: %q", args)
	}
	self, err := os.Executable()
	if err != nil {
		return linkTimes{}, err
	}
	selfCopy := filepath.Join(scratch, "bench")
	if err := copyFile(self, selfCopy, 0o755); err != nil {
		return linkTimes{}, err
	}
	spec := linkSpec{
		ExecRoot: r.execRoot,
		Helper:   filepath.Join(r.execRoot, a.Arguments[0]),
		Args:     args,
		RealLink: filepath.Join(r.execRoot, realLink),
		Self:     selfCopy,
		Scratch:  scratch,
		Runs:     runs,
	}
	for _, kv := range a.Env {
		spec.Env = append(spec.Env, kv.Key+"="+kv.Value)
	}
	specPath := filepath.Join(scratch, "spec.json")
	data, _ := json.MarshalIndent(spec, "", "  ")
	if err := os.WriteFile(specPath, data, 0o644); err != nil {
		return linkTimes{}, err
	}

	// Inside the offline root filesystem when tools/bazel runs Bazel there (it then writes
	// .offline.bazelrc into the workspace), so that the linker finds the same C toolchain.
	var cmd *exec.Cmd
	if _, err := os.Stat(filepath.Join(r.ws, ".offline.bazelrc")); err == nil {
		enter := filepath.Join(r.ws, snapshotDir, "tools", "offline", "enter.sh")
		cmd = exec.CommandContext(ctx, enter, "--workspace", r.ws, "--", selfCopy, "-linkbench_driver", specPath)
	} else {
		cmd = exec.CommandContext(ctx, selfCopy, "-linkbench_driver", specPath)
	}
	cmd.Dir = r.ws
	var stderr strings.Builder
	cmd.Stderr = &stderr
	res, err := cmd.Output()
	if err != nil {
		return linkTimes{}, fmt.Errorf("link measurement: %v\n%s", err, lastLines(stderr.String(), 30))
	}
	var t linkTimes
	if err := json.Unmarshal(res, &t); err != nil {
		return linkTimes{}, fmt.Errorf("link measurement output: %v: %s", err, res)
	}
	return t, nil
}

// linkDriver runs in Bazel's environment: it records the link command, then times helper
// and direct runs, and prints linkTimes as JSON.
func linkDriver(specPath string) error {
	data, err := os.ReadFile(specPath)
	if err != nil {
		return err
	}
	var spec linkSpec
	if err := json.Unmarshal(data, &spec); err != nil {
		return err
	}

	// 1. Record the link command line and importcfg (also a warm-up of the helper).
	recArgs, err := replaceFlagValue(spec.Args, "-link", spec.Self)
	if err != nil {
		return err
	}
	recEnv := append(append([]string(nil), spec.Env...), envRecordDir+"="+spec.Scratch, envRealLink+"="+spec.RealLink)
	if _, _, err := runHelper(spec, recArgs, recEnv, "record.params"); err != nil {
		return fmt.Errorf("recording run: %v", err)
	}
	var linkArgs []string
	data, err = os.ReadFile(filepath.Join(spec.Scratch, "link-args.json"))
	if err != nil {
		return fmt.Errorf("the helper did not run the recording linker: %v", err)
	}
	if err := json.Unmarshal(data, &linkArgs); err != nil {
		return err
	}
	direct, err := replaceFlagValue(linkArgs, "-importcfg", filepath.Join(spec.Scratch, "importcfg"))
	if err != nil {
		return err
	}
	// The helper gives the linker itself as the C linker (a wrapper that expands rules_go's
	// placeholders for relative C toolchain paths, in a temporary directory gone by now); the
	// direct link runs the real one, so the wrapper's cost counts as the helper's.
	if extld := flagValue(spec.Args, "-extld"); extld != "" {
		for i, a := range direct {
			if strings.HasPrefix(a, "-extld=") {
				direct[i] = "-extld=" + extld
			}
		}
	}
	// The helper runs the linker with GOROOT replaced by a constant (pluginlink's linkerEnv).
	var directEnv []string
	for _, kv := range spec.Env {
		if !strings.HasPrefix(kv, "GOROOT=") {
			directEnv = append(directEnv, kv)
		}
	}
	directEnv = append(directEnv, "GOROOT=GOROOT")
	runDirect := func() (time.Duration, time.Duration, error) {
		cmd := exec.Command(spec.RealLink, direct...)
		cmd.Dir = spec.ExecRoot
		cmd.Env = directEnv
		return timeCmd(cmd)
	}
	// Warm-up of the direct command.
	if _, _, err := runDirect(); err != nil {
		return fmt.Errorf("direct link: %v", err)
	}

	// 2. Alternate helper and direct runs.
	t := linkTimes{LinkArgs: direct}
	for i := 0; i < spec.Runs; i++ {
		for j := 0; j < 2; j++ {
			if (i+j)%2 == 0 {
				w, c, err := runHelper(spec, spec.Args, spec.Env, "helper.params")
				if err != nil {
					return err
				}
				t.HelperWall, t.HelperCPU = append(t.HelperWall, w), append(t.HelperCPU, c)
			} else {
				w, c, err := runDirect()
				if err != nil {
					return err
				}
				t.DirectWall, t.DirectCPU = append(t.DirectWall, w), append(t.DirectCPU, c)
			}
		}
	}
	return json.NewEncoder(os.Stdout).Encode(t)
}

// runHelper runs the helper as Bazel does: in the execution root, arguments in a multiline
// params file.
func runHelper(spec linkSpec, args, env []string, paramsName string) (time.Duration, time.Duration, error) {
	params := filepath.Join(spec.Scratch, paramsName)
	if err := os.WriteFile(params, []byte(strings.Join(args, "\n")+"\n"), 0o644); err != nil {
		return 0, 0, err
	}
	cmd := exec.Command(spec.Helper, "@"+params)
	cmd.Dir = spec.ExecRoot
	cmd.Env = env
	return timeCmd(cmd)
}

// timeCmd runs cmd and returns its wall time and the CPU time of it and its waited-for
// descendants.
func timeCmd(cmd *exec.Cmd) (time.Duration, time.Duration, error) {
	var out strings.Builder
	cmd.Stdout = &out
	cmd.Stderr = &out
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return 0, 0, fmt.Errorf("%s: %v\n%s", cmd.Path, err, out.String())
	}
	return wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), nil
}

// recordLink is the recording mode: this program stands in for the linker, saves its
// arguments and the importcfg they name into $RULES_GO_PLUGIN_BENCH_RECORD_DIR, and execs
// the real linker with the same arguments and environment.
func recordLink(dir, realLink string, args []string) error {
	data, err := json.Marshal(args)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "link-args.json"), data, 0o644); err != nil {
		return err
	}
	icfg := flagValue(args, "-importcfg")
	if icfg == "" {
		return fmt.Errorf("no -importcfg in linker arguments %q", args)
	}
	in, err := os.ReadFile(icfg)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "importcfg"), in, 0o644); err != nil {
		return err
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, envRecordDir+"=") && !strings.HasPrefix(kv, envRealLink+"=") {
			env = append(env, kv)
		}
	}
	return syscall.Exec(realLink, append([]string{realLink}, args...), env)
}

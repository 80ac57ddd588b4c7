// Command remotecheck checks the results of tests/remote/run.sh: Bazel execution logs,
// and the plugin files built in each environment.
//
//	remotecheck execlog [-ours M,...] [-remote M,...|*] [-nolocal M,...|*] [-hit M,...|*]
//	    [-except M,...] [-min M=N,...] LOG.json
//	    Prints, per mnemonic, how many spawns ran where (Bazel's runner names: remote,
//	    remote cache hit, linux-sandbox, ...), and fails unless: every spawn of the -ours
//	    mnemonics is remotable and cacheable (remotely too); every spawn of the -remote
//	    mnemonics ran remotely (runner "remote"; "*": every spawn but the -except ones); every
//	    spawn of the -nolocal mnemonics ran remotely or came from the remote cache; every
//	    spawn of the -hit mnemonics came from the remote cache; each -min mnemonic has at
//	    least N spawns.
//	    LOG.json is written by --execution_log_json_file (a stream of SpawnExec objects).
//
//	remotecheck digests -mnemonics M,... LOG.json
//	    Prints the action digest (hash) of every spawn of the mnemonics, one a line.
//
//	remotecheck outputs -mnemonics M,... [-min N] LOG1.json LOG2.json
//	    Compares the output digests of the mnemonics' spawns in two execution logs: fails
//	    if an output path in both has different contents, or fewer than N paths are in both.
//
//	remotecheck hash -execroot DIR -o OUT [-forbid S]... FILE...
//	    Writes "sha256  FILE" for each FILE (relative to DIR) to OUT, and fails if a file
//	    contains one of the -forbid strings (machine paths), quoting where.
//
//	remotecheck compare [-want same|differ] NAME=HASHFILE...
//	    Prints a table of the hashes per environment, keyed by the path below bazel-out/*/bin/,
//	    and fails unless every file is in every environment and (-want same, the default)
//	    all are equal, or (-want differ) at least one differs.
package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: remotecheck execlog|hash|compare [flags] ARGS (see the package documentation)")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "execlog":
		err = execlogCmd(os.Args[2:], os.Stdout)
	case "digests":
		err = digestsCmd(os.Args[2:], os.Stdout)
	case "outputs":
		err = outputsCmd(os.Args[2:], os.Stdout)
	case "hash":
		err = hashCmd(os.Args[2:], os.Stdout)
	case "compare":
		err = compareCmd(os.Args[2:], os.Stdout)
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "remotecheck %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

// spawn holds the fields of Bazel's SpawnExec (src/main/protobuf/spawn.proto) that we use.
type spawn struct {
	Mnemonic        string `json:"mnemonic"`
	Runner          string `json:"runner"`
	Remotable       bool   `json:"remotable"`
	Cacheable       bool   `json:"cacheable"`
	RemoteCacheable bool   `json:"remoteCacheable"`
	CacheHit        bool   `json:"cacheHit"`
	ExitCode        int    `json:"exitCode"`
	TargetLabel     string `json:"targetLabel"`
	Digest          digest `json:"digest"`
	ActualOutputs   []struct {
		Path   string `json:"path"`
		Digest digest `json:"digest"`
	} `json:"actualOutputs"`
}

type digest struct {
	Hash      string `json:"hash"`
	SizeBytes string `json:"sizeBytes"`
}

const (
	runnerRemote   = "remote"
	runnerCacheHit = "remote cache hit"
)

func readSpawns(r io.Reader) ([]spawn, error) {
	dec := json.NewDecoder(bufio.NewReader(r))
	var spawns []spawn
	for {
		var s spawn
		err := dec.Decode(&s)
		if errors.Is(err, io.EOF) {
			return spawns, nil
		}
		if err != nil {
			return nil, fmt.Errorf("spawn %d: %v", len(spawns)+1, err)
		}
		spawns = append(spawns, s)
	}
}

// list is a comma-separated flag value; "*" stands for every mnemonic.
type list map[string]bool

func (l list) String() string {
	var s []string
	for k := range l {
		s = append(s, k)
	}
	sort.Strings(s)
	return strings.Join(s, ",")
}

func (l list) Set(v string) error {
	for _, m := range strings.Split(v, ",") {
		if m = strings.TrimSpace(m); m != "" {
			l[m] = true
		}
	}
	return nil
}

// has reports whether mnemonic m is selected by l, given the exceptions.
func (l list) has(m string, except list) bool {
	return l[m] || (l["*"] && !except[m])
}

func execlogCmd(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("execlog", flag.ContinueOnError)
	ours, remote, nolocal, hit, except := list{}, list{}, list{}, list{}, list{}
	fs.Var(ours, "ours", "mnemonics that must be remotable and cacheable")
	fs.Var(remote, "remote", "mnemonics (or *) whose spawns must all have run remotely")
	fs.Var(nolocal, "nolocal", "mnemonics (or *) whose spawns must all have run remotely or be remote cache hits")
	fs.Var(hit, "hit", "mnemonics (or *) whose spawns must all be remote cache hits")
	fs.Var(except, "except", "mnemonics left out of *")
	minCounts := fs.String("min", "", "MNEMONIC=N,...: at least N spawns of MNEMONIC")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("want one execution log, got %d arguments", fs.NArg())
	}
	spawns, err := readLog(fs.Arg(0))
	if err != nil {
		return err
	}
	return checkSpawns(spawns, checks{ours, remote, nolocal, hit, except}, *minCounts, out)
}

// checks selects what checkSpawns requires of which mnemonics.
type checks struct {
	ours, remote, nolocal, hit, except list
}

func checkSpawns(spawns []spawn, c checks, minCounts string, out io.Writer) error {
	ours, remote, nolocal, hit, except := c.ours, c.remote, c.nolocal, c.hit, c.except
	type row struct {
		total   int
		runners map[string]int
	}
	rows := map[string]*row{}
	runnerSet := map[string]bool{}
	var problems []string
	problem := func(format string, args ...any) {
		if len(problems) < 20 {
			problems = append(problems, fmt.Sprintf(format, args...))
		} else if len(problems) == 20 {
			problems = append(problems, "...")
		}
	}
	hits := 0
	for _, s := range spawns {
		r := rows[s.Mnemonic]
		if r == nil {
			r = &row{runners: map[string]int{}}
			rows[s.Mnemonic] = r
		}
		r.total++
		r.runners[s.Runner]++
		runnerSet[s.Runner] = true
		if s.Runner == runnerCacheHit {
			hits++
		}
		if ours[s.Mnemonic] && !(s.Remotable && s.Cacheable && s.RemoteCacheable) {
			problem("%s %s: remotable=%v cacheable=%v remoteCacheable=%v; want all true",
				s.Mnemonic, s.TargetLabel, s.Remotable, s.Cacheable, s.RemoteCacheable)
		}
		if remote.has(s.Mnemonic, except) && s.Runner != runnerRemote {
			problem("%s %s: ran on %q, want %q", s.Mnemonic, s.TargetLabel, s.Runner, runnerRemote)
		}
		if nolocal.has(s.Mnemonic, except) && s.Runner != runnerRemote && s.Runner != runnerCacheHit {
			problem("%s %s: ran on %q, want %q or %q", s.Mnemonic, s.TargetLabel, s.Runner, runnerRemote, runnerCacheHit)
		}
		if hit.has(s.Mnemonic, except) && s.Runner != runnerCacheHit {
			problem("%s %s: ran on %q, want %q", s.Mnemonic, s.TargetLabel, s.Runner, runnerCacheHit)
		}
	}
	for m := range ours {
		if rows[m] == nil {
			problem("no %s spawn in the log", m)
		}
	}
	if minCounts != "" {
		for _, kv := range strings.Split(minCounts, ",") {
			m, n, ok := strings.Cut(kv, "=")
			want, err := strconv.Atoi(n)
			if !ok || err != nil {
				return fmt.Errorf("-min %q: want MNEMONIC=N", kv)
			}
			got := 0
			if rows[m] != nil {
				got = rows[m].total
			}
			if got < want {
				problem("%d %s spawns, want at least %d", got, m, want)
			}
		}
	}

	// The table.
	var mnemonics, runners []string
	for m := range rows {
		mnemonics = append(mnemonics, m)
	}
	sort.Strings(mnemonics)
	for r := range runnerSet {
		runners = append(runners, r)
	}
	sort.Strings(runners)
	w := 8
	for _, m := range mnemonics {
		w = max(w, len(m))
	}
	fmt.Fprintf(out, "  %-*s %6s", w, "mnemonic", "total")
	for _, r := range runners {
		fmt.Fprintf(out, "  %s", r)
	}
	fmt.Fprintln(out)
	for _, m := range mnemonics {
		fmt.Fprintf(out, "  %-*s %6d", w, m, rows[m].total)
		for _, r := range runners {
			fmt.Fprintf(out, "  %*d", len(r), rows[m].runners[r])
		}
		fmt.Fprintln(out)
	}
	fmt.Fprintf(out, "  spawns: %d, remote cache hits: %d/%d\n", len(spawns), hits, len(spawns))
	if len(spawns) == 0 {
		problem("the log has no spawns")
	}
	if len(problems) > 0 {
		return fmt.Errorf("%d problem(s):\n  %s", len(problems), strings.Join(problems, "\n  "))
	}
	return nil
}

func readLog(path string) ([]spawn, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	spawns, err := readSpawns(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return spawns, nil
}

func digestsCmd(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("digests", flag.ContinueOnError)
	mnemonics := list{}
	fs.Var(mnemonics, "mnemonics", "mnemonics whose action digests to print")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("want one execution log")
	}
	spawns, err := readLog(fs.Arg(0))
	if err != nil {
		return err
	}
	for _, s := range spawns {
		if mnemonics.has(s.Mnemonic, nil) && s.Digest.Hash != "" {
			fmt.Fprintln(out, s.Digest.Hash)
		}
	}
	return nil
}

func outputsCmd(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("outputs", flag.ContinueOnError)
	mnemonics := list{}
	fs.Var(mnemonics, "mnemonics", "mnemonics whose outputs to compare")
	minSame := fs.Int("min", 1, "at least this many outputs must be in both logs")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return fmt.Errorf("want two execution logs")
	}
	var maps [2]map[string]string
	for i := range maps {
		spawns, err := readLog(fs.Arg(i))
		if err != nil {
			return err
		}
		maps[i] = map[string]string{}
		for _, s := range spawns {
			if mnemonics.has(s.Mnemonic, nil) {
				for _, o := range s.ActualOutputs {
					maps[i][o.Path] = o.Digest.Hash
				}
			}
		}
	}
	var paths, differ []string
	for p := range maps[0] {
		if _, ok := maps[1][p]; ok {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	for _, p := range paths {
		if maps[0][p] != maps[1][p] {
			differ = append(differ, fmt.Sprintf("%s: %.16s vs %.16s", p, maps[0][p], maps[1][p]))
		}
	}
	fmt.Fprintf(out, "  %d outputs of %s in both logs, %d differ\n", len(paths), mnemonics, len(differ))
	if len(differ) > 0 {
		return fmt.Errorf("outputs differ:\n  %s", strings.Join(differ, "\n  "))
	}
	if len(paths) < *minSame {
		return fmt.Errorf("%d outputs in both logs, want at least %d", len(paths), *minSame)
	}
	return nil
}

// strs is a repeatable string flag.
type strs []string

func (s *strs) String() string     { return strings.Join(*s, " ") }
func (s *strs) Set(v string) error { *s = append(*s, v); return nil }

func hashCmd(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("hash", flag.ContinueOnError)
	execroot := fs.String("execroot", "", "directory the files are relative to")
	output := fs.String("o", "", "output file")
	var forbid strs
	fs.Var(&forbid, "forbid", "a string no file may contain (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *execroot == "" || *output == "" || fs.NArg() == 0 {
		return fmt.Errorf("want -execroot, -o and files")
	}
	var lines bytes.Buffer
	var problems []string
	files := append([]string(nil), fs.Args()...)
	sort.Strings(files)
	for _, rel := range files {
		b, err := os.ReadFile(filepath.Join(*execroot, rel))
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		fmt.Fprintf(&lines, "%s  %s\n", hex.EncodeToString(sum[:]), rel)
		for _, p := range forbid {
			if p == "" {
				continue
			}
			if i := bytes.Index(b, []byte(p)); i >= 0 {
				lo, hi := max(0, i-40), min(len(b), i+len(p)+40)
				problems = append(problems, fmt.Sprintf("%s contains %q: ...%q...", rel, p, b[lo:hi]))
			}
		}
	}
	if err := os.WriteFile(*output, lines.Bytes(), 0o666); err != nil {
		return err
	}
	fmt.Fprintf(out, "  %d files hashed, none contains any of %d machine paths\n", len(files), len(forbid))
	if len(problems) > 0 {
		return fmt.Errorf("machine paths in plugins:\n  %s", strings.Join(problems, "\n  "))
	}
	return nil
}

// key is the part of an output path that does not depend on the configuration directory.
func key(path string) string {
	if i := strings.Index(path, "/bin/"); i >= 0 {
		return path[i+len("/bin/"):]
	}
	return path
}

func compareCmd(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	want := fs.String("want", "same", "same: all environments agree; differ: at least one file differs")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *want != "same" && *want != "differ" {
		return fmt.Errorf("-want %q: want same or differ", *want)
	}
	if fs.NArg() < 2 {
		return fmt.Errorf("want at least two NAME=HASHFILE arguments")
	}
	var names []string
	hashes := map[string]map[string]string{} // file -> env -> hash
	for _, arg := range fs.Args() {
		name, file, ok := strings.Cut(arg, "=")
		if !ok {
			return fmt.Errorf("%q: want NAME=HASHFILE", arg)
		}
		names = append(names, name)
		b, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			h, p, ok := strings.Cut(line, "  ")
			if !ok {
				return fmt.Errorf("%s: bad line %q", file, line)
			}
			k := key(p)
			if hashes[k] == nil {
				hashes[k] = map[string]string{}
			}
			hashes[k][name] = h
		}
	}
	var files []string
	w := 4
	for f := range hashes {
		files = append(files, f)
		w = max(w, len(f))
	}
	sort.Strings(files)
	fmt.Fprintf(out, "  %-*s", w, "file")
	for _, n := range names {
		fmt.Fprintf(out, "  %-16s", n)
	}
	fmt.Fprintln(out)
	var missing, differ []string
	for _, f := range files {
		fmt.Fprintf(out, "  %-*s", w, f)
		seen := map[string]bool{}
		for _, n := range names {
			h, ok := hashes[f][n]
			if !ok {
				missing = append(missing, f+" in "+n)
				h = "(missing)"
			} else {
				seen[h] = true
				h = h[:min(16, len(h))]
			}
			fmt.Fprintf(out, "  %-16s", h)
		}
		if len(seen) > 1 {
			differ = append(differ, f)
			fmt.Fprint(out, "  DIFFERS")
		}
		fmt.Fprintln(out)
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing: %s", strings.Join(missing, ", "))
	}
	switch {
	case *want == "same" && len(differ) > 0:
		return fmt.Errorf("%d of %d files differ between %s: %s", len(differ), len(files), strings.Join(names, ", "), strings.Join(differ, ", "))
	case *want == "differ" && len(differ) == 0:
		return fmt.Errorf("all %d files are identical in %s; expected a difference", len(files), strings.Join(names, ", "))
	}
	if len(differ) == 0 {
		fmt.Fprintf(out, "  %d files, byte-identical in %s\n", len(files), strings.Join(names, ", "))
	} else {
		fmt.Fprintf(out, "  %d of %d files differ, as expected\n", len(differ), len(files))
	}
	return nil
}

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"time"
)

// profileName matches the profile files bench writes: <tool>-n<N>-<scenario>-<run>.json.gz.
var profileName = regexp.MustCompile(`^(go_build|rules_go|go_plugin)-n(\d+)(host)?-(.+)-(\d+)\.json\.gz$`)

// parseProfileName returns the tool, N, scenario and run of a profile file name.
func parseProfileName(name string) (tool string, k rowKey, run int, ok bool) {
	m := profileName.FindStringSubmatch(name)
	if m == nil {
		return "", rowKey{}, 0, false
	}
	for _, t := range tools {
		if slug(t) == m[1] {
			tool = t
		}
	}
	for sc := range scenarioOrder {
		if slug(sc) == m[4] {
			k.Scenario = sc
		}
	}
	k.N, _ = strconv.Atoi(m[2])
	k.Host = m[3] != ""
	run, _ = strconv.Atoi(m[5])
	return tool, k, run, tool != "" && k.Scenario != ""
}

// rerender rewrites results.md and chart.png of an output directory from its results.json
// and profiles, e.g. after a change to the report's format, without building anything.
func rerender(dir string) error {
	data, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil {
		return err
	}
	var doc struct {
		Config struct {
			Smoke      bool     `json:"smoke"`
			N          []int    `json:"n"`
			Libs       int      `json:"libs"`
			Runs       int      `json:"runs"`
			ColdRuns   int      `json:"cold_runs"`
			LinkRuns   int      `json:"link_runs"`
			GoJobs     int      `json:"gobuild_jobs"`
			BazelFlags []string `json:"bazel_flags"`
		} `json:"config"`
		Command  string        `json:"command"`
		Date     time.Time     `json:"date"`
		Elapsed  time.Duration `json:"elapsed_ns"`
		Machine  machine       `json:"machine"`
		Link     *linkResult   `json:"link"`
		Failures []string      `json:"failures"`
		Rows     []struct {
			rowKey
			Samples map[string][]sample `json:"samples"`
		} `json:"rows"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("%s: %v", filepath.Join(dir, "results.json"), err)
	}
	c := doc.Config
	b := &bench{
		cfg: config{out: dir, ns: c.N, libs: c.Libs, runs: c.Runs, coldRuns: c.ColdRuns, linkRuns: c.LinkRuns,
			goJobs: c.GoJobs, bazelFlags: c.BazelFlags, smoke: c.Smoke, commandArg: doc.Command},
		table:    table{},
		profiles: map[string][]string{},
		machine:  doc.Machine,
		link:     doc.Link,
		failures: doc.Failures,
		date:     doc.Date,
	}
	if b.date.IsZero() {
		if fi, err := os.Stat(filepath.Join(dir, "results.json")); err == nil {
			b.date = fi.ModTime()
		}
	}
	for _, r := range doc.Rows {
		for tool, ss := range r.Samples {
			for _, s := range ss {
				b.table.add(r.rowKey, tool, s)
			}
		}
	}
	names, _ := filepath.Glob(filepath.Join(dir, "profiles", "*.json.gz"))
	sort.Strings(names)
	for _, p := range names {
		tool, k, run, ok := parseProfileName(filepath.Base(p))
		if !ok {
			continue
		}
		key := profilesKey(tool, k)
		b.profiles[key] = append(b.profiles[key], p)
		if k.Scenario == scCold && tool != toolGoBuild {
			ss := b.table[k][tool]
			if prof, err := readProfile(p); err == nil && run <= len(ss) {
				b.colds = append(b.colds, coldProfile{Tool: tool, N: k.N, Host: k.Host, Wall: ss[run-1].Wall, Prof: prof})
			}
		}
	}
	sort.SliceStable(b.colds, func(i, j int) bool {
		if b.colds[i].Host != b.colds[j].Host {
			return !b.colds[i].Host
		}
		if b.colds[i].N != b.colds[j].N {
			return b.colds[i].N < b.colds[j].N
		}
		return b.colds[i].Tool > b.colds[j].Tool // rules_go before go_plugin
	})
	return b.write(doc.Elapsed)
}

package main

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"sort"
	"strings"
	"time"
)

// profileAction is one action of a Bazel JSON trace profile (--profile).
type profileAction struct {
	Name     string        // progress message, e.g. "GoStdlib external/rules_go~/stdlib_/pkg [for tool]"
	Mnemonic string        // e.g. "GoStdlib"
	Exec     bool          // built for the exec configuration ("[for tool]")
	Dur      time.Duration // wall time of the action, as Bazel measured it
}

// profile is what the benchmark reads from a Bazel profile.
type profile struct {
	Actions []profileAction
	// DepChecks are the "action dependency checking" events: Bazel deciding whether an
	// action is up to date (for a tree artifact output such as rules_go's standard library,
	// this stats every file of the tree).
	DepChecks    []profileAction
	CriticalPath []profileAction // "critical path component" events, in order
	Launch       time.Duration   // server start-up ("Launch Blaze"), 0 for a running server
	// FirstAction is when the first action started, from the command's start (after module
	// resolution, repository setup, loading and analysis of what it needs); 0 if none ran.
	FirstAction time.Duration
	Total       time.Duration // from the command's start to the last event's end
}

type traceEvent struct {
	Cat  string          `json:"cat"`
	Name string          `json:"name"`
	Ph   string          `json:"ph"`
	TS   int64           `json:"ts"`
	Dur  int64           `json:"dur"`
	Args json.RawMessage `json:"args"`
}

// readProfile reads a (gzipped) Bazel JSON trace profile.
func readProfile(path string) (*profile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			return nil, err
		}
		defer gz.Close()
		r = gz
	}
	return parseProfile(r)
}

// parseProfile parses a Bazel JSON trace profile (uncompressed).
func parseProfile(r io.Reader) (*profile, error) {
	var doc struct {
		TraceEvents []traceEvent `json:"traceEvents"`
	}
	if err := json.NewDecoder(r).Decode(&doc); err != nil {
		return nil, err
	}
	p := &profile{}
	var end int64
	for _, e := range doc.TraceEvents {
		if e.Ph == "X" && e.TS+e.Dur > end {
			end = e.TS + e.Dur
		}
		switch e.Cat {
		case "build phase marker":
			if e.Name == "Launch Blaze" {
				p.Launch = time.Duration(e.Dur) * time.Microsecond
			}
		case "action processing":
			var args struct {
				Mnemonic string `json:"mnemonic"`
			}
			_ = json.Unmarshal(e.Args, &args)
			if ts := time.Duration(e.TS) * time.Microsecond; p.FirstAction == 0 || ts < p.FirstAction {
				p.FirstAction = ts
			}
			p.Actions = append(p.Actions, newProfileAction(e.Name, args.Mnemonic, e.Dur))
		case "action dependency checking":
			p.DepChecks = append(p.DepChecks, newProfileAction(e.Name, "", e.Dur))
		case "critical path component":
			name := strings.TrimSuffix(strings.TrimPrefix(e.Name, "action '"), "'")
			p.CriticalPath = append(p.CriticalPath, newProfileAction(name, "", e.Dur))
		}
	}
	p.Total = time.Duration(end)*time.Microsecond + p.Launch
	return p, nil
}

func newProfileAction(name, mnemonic string, durMicros int64) profileAction {
	if mnemonic == "" {
		mnemonic, _, _ = strings.Cut(name, " ")
	}
	return profileAction{
		Name:     name,
		Mnemonic: mnemonic,
		Exec:     strings.HasSuffix(name, "[for tool]"),
		Dur:      time.Duration(durMicros) * time.Microsecond,
	}
}

// actionGroup sums the actions of one mnemonic and configuration.
type actionGroup struct {
	Key   string // mnemonic, with " (exec)" for the exec configuration
	Count int
	Total time.Duration
	Max   time.Duration
}

// groupActions sums actions by mnemonic and configuration, largest total first.
func groupActions(actions []profileAction) []actionGroup {
	byKey := map[string]*actionGroup{}
	for _, a := range actions {
		key := a.Mnemonic
		if a.Exec {
			key += " (exec)"
		}
		g := byKey[key]
		if g == nil {
			g = &actionGroup{Key: key}
			byKey[key] = g
		}
		g.Count++
		g.Total += a.Dur
		if a.Dur > g.Max {
			g.Max = a.Dur
		}
	}
	out := make([]actionGroup, 0, len(byKey))
	for _, g := range byKey {
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Total != out[j].Total {
			return out[i].Total > out[j].Total
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// actionDurations returns the durations of the actions with the given mnemonic.
func actionDurations(p *profile, mnemonic string) []time.Duration {
	var out []time.Duration
	for _, a := range p.Actions {
		if a.Mnemonic == mnemonic {
			out = append(out, a.Dur)
		}
	}
	return out
}

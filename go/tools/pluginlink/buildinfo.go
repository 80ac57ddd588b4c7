package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"runtime/debug"
	"slices"
	"strings"
)

// The markers cmd/go puts around the build info it hands the linker (cmd/go/internal/modload
// ModInfoData), which runtime/debug.ReadBuildInfo and debug/buildinfo look for.
const (
	buildInfoStart = "\x30\x77\xaf\x0c\x92\x74\x08\x02\x41\xe1\xc1\x07\xe6\xd6\x18\xe6"
	buildInfoEnd   = "\xf9\x32\x43\x31\x86\x18\x20\x72\x00\x82\x42\x10\x41\x16\xd8\xf2"
)

// modinfoLine is the importcfg line that gives the plugin its build info, as cmd/go's link of
// a plugin does: the main package's path, the module dependencies of the packages it reaches
// (read from rules_go's module metadata files, as rules_go's link builder does for
// executables: go/tools/builders/buildinfo.go), and the build settings.
func modinfoLine(c *config) (string, error) {
	deps, main, err := reachableModules(c)
	if err != nil {
		return "", err
	}
	path := c.mainPackagePath
	if path == "" {
		path = c.pluginPath
	}
	info := debug.BuildInfo{Path: path, Main: main, Deps: deps, Settings: pluginBuildSettings(c)}
	return fmt.Sprintf("modinfo %q\n", buildInfoStart+info.String()+buildInfoEnd), nil
}

// reachableModules walks the imports files from the main package and returns the modules of
// the packages reached, sorted, without the main package's own module.
func reachableModules(c *config) ([]*debug.Module, debug.Module, error) {
	var main debug.Module
	if c.mainModuleMetadata != "" {
		m, ok, err := moduleFromMetadata(c.mainModuleMetadata)
		if err != nil {
			return nil, main, err
		}
		if ok {
			main = m
		}
	}
	if c.mainImports == "" {
		return nil, main, nil // rules_go before 0.63 records no imports or metadata
	}
	imports, metadata := keyed(c.imports), keyed(c.packageMetadata)
	seen := map[string]bool{}
	queue, err := readLines(c.mainImports)
	if err != nil {
		return nil, main, err
	}
	for len(queue) > 0 {
		p := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		if seen[p] {
			continue
		}
		seen[p] = true
		if f, ok := imports[p]; ok {
			more, err := readLines(f)
			if err != nil {
				return nil, main, err
			}
			queue = append(queue, more...)
		}
	}
	mods := map[debug.Module]bool{}
	for p := range seen {
		f, ok := metadata[p]
		if !ok {
			continue
		}
		m, ok, err := moduleFromMetadata(f)
		if err != nil {
			return nil, main, err
		}
		if ok && m.Path != main.Path {
			mods[m] = true
		}
	}
	deps := make([]*debug.Module, 0, len(mods))
	for m := range mods {
		deps = append(deps, &m)
	}
	slices.SortFunc(deps, func(a, b *debug.Module) int {
		return strings.Compare(a.Path+" "+a.Version+" "+a.Sum, b.Path+" "+b.Version+" "+b.Sum)
	})
	return deps, main, nil
}

// moduleFromMetadata reads a package metadata file ({"purl": "pkg:golang/PATH@VERSION?checksum=SUM"})
// as rules_go's moduleFromPURL does: only golang purls count; no version is (devel).
func moduleFromMetadata(path string) (debug.Module, bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return debug.Module{}, false, err
	}
	var meta struct {
		PURL string `json:"purl"`
	}
	if err := json.Unmarshal(data, &meta); err != nil {
		return debug.Module{}, false, fmt.Errorf("package metadata %s: %v", path, err)
	}
	rest, ok := strings.CutPrefix(meta.PURL, "pkg:golang/")
	if !ok {
		return debug.Module{}, false, nil
	}
	rest, query, _ := strings.Cut(rest, "?")
	rest, _, _ = strings.Cut(rest, "#")
	modPath, version := rest, ""
	if i := strings.LastIndex(rest, "@"); i >= 0 {
		modPath, version = rest[:i], rest[i+1:]
	}
	if p, err := url.PathUnescape(modPath); err == nil {
		modPath = p
	}
	if v, err := url.PathUnescape(version); err == nil {
		version = v
	}
	switch {
	case version == "":
		version = "(devel)"
	case version[0] >= '0' && version[0] <= '9':
		version = "v" + version
	}
	m := debug.Module{Path: modPath, Version: version}
	if q, err := url.ParseQuery(query); err == nil {
		m.Sum = q.Get("checksum")
	}
	return m, modPath != "", nil
}

// pluginBuildSettings are the settings rules_go's link builder records for an executable
// (buildInfoSettingsFromEnv), with -buildmode=plugin, as cmd/go records for a plugin.
func pluginBuildSettings(c *config) []debug.BuildSetting {
	s := []debug.BuildSetting{{Key: "-buildmode", Value: "plugin"}, {Key: "-compiler", Value: "gc"}}
	race, msan := slices.Contains(c.linkopts, "-race"), slices.Contains(c.linkopts, "-msan")
	if msan {
		s = append(s, debug.BuildSetting{Key: "-msan", Value: "true"})
	}
	if race {
		s = append(s, debug.BuildSetting{Key: "-race", Value: "true"})
	}
	var tags []string
	for _, t := range c.buildinfoTags {
		if !(race && t == "race") && !(msan && t == "msan") {
			tags = append(tags, t)
		}
	}
	if len(tags) > 0 {
		s = append(s, debug.BuildSetting{Key: "-tags", Value: strings.Join(tags, ",")})
	}
	s = append(s, debug.BuildSetting{Key: "-trimpath", Value: "true"})
	for _, key := range []string{"CGO_ENABLED", "GOARCH", "GOEXPERIMENT", "GOOS"} {
		if v := os.Getenv(key); v != "" {
			s = append(s, debug.BuildSetting{Key: key, Value: v})
		}
	}
	return s
}

// keyed maps "key=value" flag values by key.
func keyed(values []string) map[string]string {
	m := map[string]string{}
	for _, v := range values {
		if k, f, ok := strings.Cut(v, "="); ok {
			m[k] = f
		}
	}
	return m
}

// readLines returns the non-empty lines of a file.
func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			lines = append(lines, l)
		}
	}
	return lines, sc.Err()
}

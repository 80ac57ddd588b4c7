package main

import (
	"bytes"
	"debug/buildinfo"
	"debug/elf"
	"debug/macho"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/rules-go-plugin/rules_go_plugin/go/tools/internal/gofingerprint"
)

// abiSchema names the format of a host's plugin ABI file, so that a reader
// of a later format fails clearly instead of comparing the wrong fields.
const abiSchema = "rules_go_plugin/plugin_abi/v1"

// hostABI is what a plugin must agree with to load into a host executable:
// the host's <name>.plugin_abi.json, which a release publishes next to the
// binary so plugins built later or elsewhere can be checked against it at
// build time. It holds no timestamps or machine paths; encoding/json sorts
// the maps' keys, so the file is deterministic.
type hostABI struct {
	Schema string `json:"schema"`
	// Host names the executable: a Bazel label, or the file's base name.
	Host      string `json:"host,omitempty"`
	GOOS      string `json:"goos"`
	GOARCH    string `json:"goarch"`
	GoVersion string `json:"go_version"`
	// Settings are the build settings the binary's build info records that
	// change what plugins must be built with (-race, -tags, CGO_ENABLED,
	// GOEXPERIMENT, GOAMD64, -trimpath...); version control and linker
	// flags are left out.
	Settings map[string]string `json:"settings,omitempty"`
	// Modules maps each dependency module of the host to its version, from
	// the build info (empty for a binary built without module information).
	Modules map[string]string `json:"modules,omitempty"`
	// Packages maps every package linked into the host to its link-time
	// fingerprint (lower-case hex), the value plugin.Open compares.
	Packages map[string]string `json:"packages"`
	// SourceDirs maps the host's packages to the directory its compiler
	// recorded for their files ("fmt" under -trimpath, an absolute module
	// cache directory without): fingerprints hash these names, and a host
	// SDK (go_plugin's host_sdk) compiles shared packages with them. Read
	// from the function table, so a package with no function left in the
	// binary gets its module's directory plus its subdirectory.
	SourceDirs map[string]string `json:"source_dirs,omitempty"`

	// builtWithHostSDK is the host SDK the checked plugin was built with (check -host_sdk),
	// for messages; not part of the file.
	builtWithHostSDK string
}

// abiSetting reports whether a build info setting belongs in the ABI file.
func abiSetting(key string) bool {
	switch {
	case strings.HasPrefix(key, "vcs"), key == "-ldflags", key == "-buildmode", key == "DefaultGODEBUG",
		strings.HasPrefix(key, "CGO_") && key != "CGO_ENABLED":
		return false
	}
	return true
}

// readHostABI extracts the plugin ABI of the Go executable at path (ELF or
// Mach-O; built by Bazel or by go build). name goes into the Host field.
func readHostABI(name, path string) (*hostABI, error) {
	fps, err := gofingerprint.ReadPackageFingerprints(path)
	if errors.Is(err, gofingerprint.ErrNoFingerprints) {
		return nil, fmt.Errorf("%s has no Go package fingerprints, so no plugin can load into it: it does not import package \"plugin\", was linked without cgo, or is not a Go executable", path)
	}
	if err != nil && strings.Contains(err.Error(), path) {
		return nil, err
	} else if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	bi, err := buildinfo.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: no Go build information (%v); the ABI names the Go version from it", path, err)
	}
	abi := &hostABI{Schema: abiSchema, Host: name, GoVersion: bi.GoVersion, Settings: map[string]string{}, Modules: map[string]string{}, Packages: fps}
	for _, s := range bi.Settings {
		switch s.Key {
		case "GOOS":
			abi.GOOS = s.Value
		case "GOARCH":
			abi.GOARCH = s.Value
		}
		if abiSetting(s.Key) {
			abi.Settings[s.Key] = s.Value
		}
	}
	abi.Modules = moduleVersions(bi)
	// Without a function table (an unusual link) the file still serves host_abis checks; only
	// a host SDK needs the directories, and says so when they are missing.
	if dirs, err := gofingerprint.ReadSourceDirs(path, fps, abi.Modules, bi.Main.Path); err == nil && len(dirs) > 0 {
		abi.SourceDirs = dirs
	}
	if abi.GOOS == "" || abi.GOARCH == "" {
		// rules_go before v0.63 links no GOOS/GOARCH settings into the build info: the
		// object file's header says the same.
		goos, goarch, err := objectPlatform(path)
		if err != nil {
			return nil, fmt.Errorf("%s: its build information records no GOOS/GOARCH, and %v", path, err)
		}
		abi.GOOS, abi.GOARCH = goos, goarch
	}
	return abi, nil
}

// objectPlatform returns the GOOS and GOARCH of an ELF or Mach-O Go executable from its header:
// Mach-O is darwin, ELF is linux (android when its interpreter is Android's linker).
func objectPlatform(path string) (goos, goarch string, err error) {
	if f, err := macho.Open(path); err == nil {
		defer f.Close()
		switch f.Cpu {
		case macho.CpuAmd64:
			return "darwin", "amd64", nil
		case macho.CpuArm64:
			return "darwin", "arm64", nil
		}
		return "", "", fmt.Errorf("its Mach-O CPU %v is not one Go builds plugins for", f.Cpu)
	}
	f, err := elf.Open(path)
	if err != nil {
		return "", "", fmt.Errorf("it is neither an ELF nor a Mach-O file: %v", err)
	}
	defer f.Close()
	arch := map[elf.Machine]string{
		elf.EM_X86_64: "amd64", elf.EM_386: "386", elf.EM_AARCH64: "arm64", elf.EM_ARM: "arm",
		elf.EM_RISCV: "riscv64", elf.EM_S390: "s390x", elf.EM_LOONGARCH: "loong64",
	}[f.Machine]
	if f.Machine == elf.EM_PPC64 && f.ByteOrder == binary.LittleEndian {
		arch = "ppc64le"
	}
	if arch == "" {
		return "", "", fmt.Errorf("its ELF machine %v is not one Go builds plugins for", f.Machine)
	}
	goos = "linux"
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			interp, _ := io.ReadAll(p.Open())
			if bytes.HasPrefix(interp, []byte("/system/bin/linker")) {
				goos = "android"
			}
		}
	}
	return goos, arch, nil
}

// moduleVersions maps the dependency modules of a build info to their
// versions (a replacement by another module version counts; a local
// directory keeps the required version).
func moduleVersions(bi *buildinfo.BuildInfo) map[string]string {
	m := map[string]string{}
	for _, d := range bi.Deps {
		v := d.Version
		if d.Replace != nil && d.Replace.Version != "" {
			v = d.Replace.Version
		}
		m[d.Path] = v
	}
	return m
}

// modulesOf returns the module versions of a Go binary's build info, or nil
// if it has none (go_plugin records them with rules_go v0.63 or newer and go_deps modules).
func modulesOf(path string) map[string]string {
	bi, err := buildinfo.ReadFile(path)
	if err != nil || len(bi.Deps) == 0 {
		return nil
	}
	return moduleVersions(bi)
}

func (a *hostABI) encode() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(a); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// parseHostABI reads an ABI file and checks it is whole: the schema, the
// platform, the Go version and at least one package fingerprint (hex).
func parseHostABI(name string, data []byte) (*hostABI, error) {
	var a hostABI
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, fmt.Errorf("host ABI file %s is not valid JSON: %v (regenerate it with go_plugin_abi, or from the host's plugin_abi output group)", name, err)
	}
	var missing []string
	for _, f := range []struct{ key, val string }{{"goos", a.GOOS}, {"goarch", a.GOARCH}, {"go_version", a.GoVersion}} {
		if f.val == "" {
			missing = append(missing, f.key)
		}
	}
	if len(a.Packages) == 0 {
		missing = append(missing, "packages")
	}
	switch {
	case a.Schema != abiSchema:
		return nil, fmt.Errorf("host ABI file %s has schema %q, want %q (written by another version of rules_go_plugin, or not an ABI file)", name, a.Schema, abiSchema)
	case len(missing) > 0:
		return nil, fmt.Errorf("host ABI file %s has no %s (regenerate it with go_plugin_abi)", name, strings.Join(missing, ", "))
	}
	for pkg, fp := range a.Packages {
		if b, err := hex.DecodeString(fp); err != nil || len(b) == 0 {
			return nil, fmt.Errorf("host ABI file %s: package %s: fingerprint %q is not hex", name, pkg, fp)
		}
	}
	return &a, nil
}

// moduleOf returns the module of modules that provides pkg (the longest
// module path that is pkg or a prefix of it), and its version.
func moduleOf(modules map[string]string, pkg string) (path, version string, ok bool) {
	for m, v := range modules {
		if (pkg == m || strings.HasPrefix(pkg, m+"/")) && len(m) > len(path) {
			path, version, ok = m, v, true
		}
	}
	return path, version, ok
}

// platformProblems compares the host's platform and Go version with the
// plugin's (as its go_plugin target is built), in go_plugin_host's message
// style; empty values are not compared.
func (a *hostABI) platformProblems(who, pluginLabel, goos, goarch, goVersion string) []string {
	var msgs []string
	if goos != "" && goarch != "" && (goos != a.GOOS || goarch != a.GOARCH) {
		msgs = append(msgs, fmt.Sprintf("%s: plugin %s is built for %s/%s, the host for %s/%s; it cannot load.\n"+
			"Fix: build the plugin for the host's platform (--platforms, or go_plugin's goos and goarch).",
			who, pluginLabel, goos, goarch, a.GOOS, a.GOARCH))
	}
	if goVersion != "" && normalizeGoVersion(goVersion) != normalizeGoVersion(a.GoVersion) {
		msgs = append(msgs, fmt.Sprintf("%s: plugin %s is built with Go %s, the host with %s; the runtime and every standard package differ, so plugin.Open would refuse it (\"plugin was built with a different version of package runtime\") or, between Go releases, the runtime would abort the host (\"fatal error: runtime: no plugin module data\", measured with a Go 1.27.3 plugin in a Go 1.26.8 host).\n"+
			"Fix: build the plugin with the host's Go SDK (%s): go_plugin_releases builds one plugin per host release with sdk_versions = {\"<release>\": %q}, and an SDK of that version must be registered (go_sdk.download(version = %q) in MODULE.bazel).",
			who, pluginLabel, normalizeGoVersion(goVersion), normalizeGoVersion(a.GoVersion), normalizeGoVersion(a.GoVersion), sdkVersion(a.GoVersion), sdkVersion(a.GoVersion)))
	}
	return msgs
}

// sdkVersion is a Go version as rules_go's sdk_version writes it: "1.27.3".
func sdkVersion(v string) string {
	return strings.TrimPrefix(normalizeGoVersion(v), "go")
}

// normalizeGoVersion writes "1.26.8" and "go1.26.8" alike, as "go1.26.8"
// (a GOEXPERIMENT suffix " X:..." of the build info is dropped: the
// settings hold it).
func normalizeGoVersion(v string) string {
	v, _, _ = strings.Cut(strings.TrimSpace(v), " ")
	if !strings.HasPrefix(v, "go") {
		v = "go" + v
	}
	return v
}

// sortedKeys returns m's keys, sorted.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// writeABI writes the ABI file of the executable at path.
func writeABI(name, path, out string) error {
	abi, err := readHostABI(name, path)
	if err != nil {
		return err
	}
	b, err := abi.encode()
	if err != nil {
		return err
	}
	return os.WriteFile(out, b, 0o666)
}

// readABIFile reads and parses the ABI file at path.
func readABIFile(path string) (*hostABI, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseHostABI(path, data)
}

package goplugin

import (
	"flag"
	"fmt"
	"log"
	"strings"

	"github.com/bazelbuild/bazel-gazelle/config"
	"github.com/bazelbuild/bazel-gazelle/rule"
)

// Directives. Both apply to the directory whose BUILD file holds them and to its
// subdirectories, until a subdirectory sets them again.
const (
	// `# gazelle:go_plugin on|off`: whether main packages become go_plugin targets.
	pluginDirective = "go_plugin"
	// `# gazelle:go_plugin_name TEMPLATE`: the name of new go_plugin targets; {dirname} is
	// replaced by the name the Go extension gives the go_binary (the directory's base
	// name). An empty value restores that default.
	nameDirective = "go_plugin_name"
)

// dirnamePlaceholder is the one placeholder go_plugin_name templates may use.
const dirnamePlaceholder = "{dirname}"

// pluginMode is the value of the go_plugin directive in effect.
type pluginMode int

const (
	// modeUnset: no go_plugin directive applies. Main packages stay go_binary, except in a
	// directory whose BUILD file already has a go_plugin: that one is kept up to date
	// instead of the Go extension adding a go_binary next to it.
	modeUnset pluginMode = iota
	modeOn
	modeOff
)

func (m pluginMode) String() string {
	switch m {
	case modeOn:
		return "on"
	case modeOff:
		return "off"
	default:
		return "unset"
	}
}

// pluginConfig is this extension's per-directory configuration (Config.Exts[languageName]).
type pluginConfig struct {
	mode pluginMode
	// nameTemplate is the go_plugin_name template; "" keeps the Go extension's name.
	nameTemplate string
}

func getConfig(c *config.Config) *pluginConfig {
	if pc, ok := c.Exts[languageName].(*pluginConfig); ok {
		return pc
	}
	return &pluginConfig{}
}

// parseMode parses the value of a go_plugin directive.
func parseMode(value string) (pluginMode, error) {
	switch strings.ToLower(strings.TrimSpace(value)) {
	case "on", "true":
		return modeOn, nil
	case "off", "false":
		return modeOff, nil
	default:
		return modeUnset, fmt.Errorf("invalid value %q for # gazelle:%s: want on or off", value, pluginDirective)
	}
}

// parseNameTemplate validates the value of a go_plugin_name directive. The empty value
// (the directive without argument) restores the default.
func parseNameTemplate(value string) (string, error) {
	t := strings.TrimSpace(value)
	if t == "" {
		return "", nil
	}
	bad := func(why string) (string, error) {
		return "", fmt.Errorf("invalid value %q for # gazelle:%s: %s", value, nameDirective, why)
	}
	if strings.ContainsAny(t, " \t\n:\"\\") {
		return bad("a target name has no whitespace, ':', '\"' or '\\'")
	}
	if strings.HasPrefix(t, "/") || strings.HasSuffix(t, "/") || strings.Contains(t, "//") {
		return bad("a target name cannot start or end with '/' or contain '//'")
	}
	rest := strings.ReplaceAll(t, dirnamePlaceholder, "")
	if strings.ContainsAny(rest, "{}") {
		return bad("the only placeholder is " + dirnamePlaceholder)
	}
	for _, seg := range strings.Split(strings.ReplaceAll(t, dirnamePlaceholder, "x"), "/") {
		if seg == "." || seg == ".." {
			return bad("a target name has no '.' or '..' segment")
		}
	}
	return t, nil
}

// pluginName is the name of a new go_plugin target whose go_binary the Go extension named
// goName.
func (pc *pluginConfig) pluginName(goName string) string {
	if pc.nameTemplate == "" {
		return goName
	}
	return strings.ReplaceAll(pc.nameTemplate, dirnamePlaceholder, goName)
}

func (*pluginLang) RegisterFlags(*flag.FlagSet, string, *config.Config) {}

func (*pluginLang) CheckFlags(*flag.FlagSet, *config.Config) error { return nil }

func (*pluginLang) KnownDirectives() []string {
	return []string{pluginDirective, nameDirective}
}

// Configure applies the directives of rel's BUILD file (f, nil if none) on top of the
// configuration inherited from the parent directory.
func (*pluginLang) Configure(c *config.Config, rel string, f *rule.File) {
	pc := &pluginConfig{}
	if parent, ok := c.Exts[languageName].(*pluginConfig); ok {
		*pc = *parent // c.Exts is a shallow copy of the parent's: never modify *parent.
	}
	if f != nil {
		for _, err := range pc.applyDirectives(f.Directives) {
			log.Printf("%s: %v", f.Path, err)
		}
	}
	c.Exts[languageName] = pc
}

// applyDirectives applies directives in order. An invalid directive is returned as an
// error and otherwise ignored; the others still apply.
func (pc *pluginConfig) applyDirectives(directives []rule.Directive) []error {
	var errs []error
	for _, d := range directives {
		switch d.Key {
		case pluginDirective:
			m, err := parseMode(d.Value)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			pc.mode = m
		case nameDirective:
			t, err := parseNameTemplate(d.Value)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			pc.nameTemplate = t
		}
	}
	return errs
}

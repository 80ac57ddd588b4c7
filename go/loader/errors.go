package loader

import (
	"errors"
	"fmt"
	"strings"
)

// Errors returned (wrapped) by this package; test for them with errors.Is.
var (
	// ErrNoManifest: New found no manifest to read: RULES_GO_PLUGIN_MANIFEST
	// is not set and the binary was not linked with a manifest path.
	ErrNoManifest = errors.New("no plugin manifest")

	// ErrNotInManifest: Open was given a name that is neither a pluginpath
	// nor a label in the manifest, or OpenFile a file whose SHA-256 matches
	// no manifest entry. Nothing was loaded.
	ErrNotInManifest = errors.New("not a plugin in the manifest")

	// ErrDigestMismatch: the plugin file's SHA-256 differs from the one the
	// manifest records (the file changed after the host was built). Nothing
	// was loaded.
	ErrDigestMismatch = errors.New("plugin file does not match the manifest's sha256")

	// ErrVersionSkew: plugin.Open refused the plugin because it links a
	// package that was built differently from the host's (or an already
	// loaded plugin's) version: "plugin was built with a different version
	// of package ...".
	ErrVersionSkew = errors.New("plugin was built with a different version of a package")

	// ErrAlreadyLoaded: plugin.Open refused the plugin because another
	// plugin with the same pluginpath is loaded in this process.
	ErrAlreadyLoaded = errors.New("a plugin with the same pluginpath is already loaded")

	// ErrPluginsUnsupported: this host cannot load plugins at all: it was
	// built without cgo, or for a platform without plugin support
	// ("plugin: not implemented").
	ErrPluginsUnsupported = errors.New("plugins are not supported by this host binary")

	// ErrNotGoPlugin: the file (whose digest the manifest lists) is not a Go
	// plugin: not an ELF or Mach-O shared object with Go package
	// fingerprints (a truncated file, a C library, an executable). Nothing
	// was loaded: plugin.Open would abort the process on some such files.
	ErrNotGoPlugin = errors.New("not a Go plugin")

	// ErrInitPanicked: an init function of the plugin panicked during an
	// earlier Open in this process. Go cannot run a plugin's init again, nor
	// undo the part that ran, so the plugin cannot be opened any more.
	ErrInitPanicked = errors.New("plugin's init function panicked in an earlier open")

	// ErrReentrantOpen: Open or OpenFile was called, on the goroutine that is
	// loading a plugin, for that plugin: from the plugin's init functions, or
	// from the init functions of plugins they open (a cycle). Such a load can
	// never finish; nothing more was loaded.
	ErrReentrantOpen = errors.New("plugin opened again while it is being loaded")

	// ErrPluginPathConflict: a plugin with the same pluginpath but another
	// SHA-256 is already loaded (or being loaded) in this process, by this
	// or another Loader. Go keeps one plugin per pluginpath per process, so
	// the file this open names cannot be loaded, and the loaded one is not
	// what its manifest lists. Nothing was loaded.
	ErrPluginPathConflict = errors.New("another plugin with this pluginpath is loaded")

	// ErrSymbolNotFound: the plugin has no exported symbol of that name.
	ErrSymbolNotFound = errors.New("symbol not found")

	// ErrSymbolType: Lookup's type parameter does not match the symbol.
	ErrSymbolType = errors.New("symbol has another type than requested")
)

// OpenError is the error Open and OpenFile return when plugin.Open fails.
// errors.Is(err, Kind) holds for its Kind, and errors.Is and errors.As see
// plugin.Open's error too.
type OpenError struct {
	Entry Entry  // the plugin's manifest entry
	Path  string // the plugin file (plugin.Open loaded a private copy of it)
	// Kind is ErrVersionSkew, ErrAlreadyLoaded, ErrPluginsUnsupported or
	// ErrNotGoPlugin, or nil for another failure (such as a dlopen error).
	Kind error
	// Package is, for ErrVersionSkew, the package plugin.Open named.
	Package string
	Err     error // plugin.Open's error
}

func (e *OpenError) Error() string {
	var hint string
	switch e.Kind {
	case ErrVersionSkew:
		hint = fmt.Sprintf("the host and this plugin were built with different versions of package %s (different sources, build tags or Go settings such as -race, gc flags or the Go SDK). "+
			"Rebuild both in one build with the same flags, and build the host with go_plugin_host listing this plugin: its build-time check reports every differing package, so the skew cannot reach run time", e.Package)
	case ErrAlreadyLoaded:
		hint = fmt.Sprintf("another plugin with pluginpath %s is already loaded in this process, and Go loads at most one plugin per pluginpath. "+
			"Give each plugin its own pluginpath (go_plugin_host's check rejects duplicates among the plugins it lists)", e.Entry.PluginPath)
	case ErrNotGoPlugin:
		hint = "the file the manifest lists is not a plugin built by go_plugin; it was not given to plugin.Open. Rebuild the host, or deploy its runfiles as a whole"
	case ErrPluginsUnsupported:
		hint = "this host binary cannot load plugins: it was built without cgo (pure = \"on\", --@io_bazel_rules_go//go/config:pure, CGO_ENABLED=0, or no C toolchain) or for a platform without plugin support. " +
			"Build the host with go_plugin_host, which builds it with cgo"
	}
	msg := fmt.Sprintf("loader: opening plugin %s (pluginpath %s): %v", entryName(e.Entry), e.Entry.PluginPath, e.Err)
	if hint != "" {
		msg += ": " + hint
	}
	return msg
}

// Unwrap returns Kind (if any) and plugin.Open's error.
func (e *OpenError) Unwrap() []error {
	if e.Kind == nil {
		return []error{e.Err}
	}
	return []error{e.Kind, e.Err}
}

// skewPrefix is how runtime/plugin.go words a fingerprint mismatch.
const skewPrefix = "plugin was built with a different version of package "

// newOpenError classifies plugin.Open's error err by its text (package
// plugin has no typed errors).
func newOpenError(e Entry, path string, err error) *OpenError {
	oe := &OpenError{Entry: e, Path: path, Err: err}
	msg := err.Error()
	switch {
	case errors.Is(err, ErrNotGoPlugin):
		oe.Kind = ErrNotGoPlugin
	case strings.Contains(msg, skewPrefix):
		oe.Kind = ErrVersionSkew
		pkg := msg[strings.Index(msg, skewPrefix)+len(skewPrefix):]
		oe.Package, _, _ = strings.Cut(pkg, " ") // e.g. " (previous failure)"
	case strings.Contains(msg, "plugin already loaded"):
		oe.Kind = ErrAlreadyLoaded
	case strings.Contains(msg, "plugin: not implemented"):
		oe.Kind = ErrPluginsUnsupported
	}
	return oe
}

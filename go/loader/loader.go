// Package loader opens the plugins of a Go plugin host built with
// go_plugin_host, finding them through Bazel runfiles and refusing any file
// that is not exactly a plugin the host was built and checked against.
//
// go_plugin_host writes a manifest of the host's plugins (label,
// pluginpath, runfiles path and SHA-256 of each .so), adds it and the
// plugins to the host's runfiles, and tells the host where the manifest is
// (see New). A host then opens plugins by pluginpath or label:
//
//	l, err := loader.New()
//	if err != nil {
//		log.Fatal(err)
//	}
//	p, err := l.Open("example.com/plugins/greeter") // or "//plugins/greeter"
//	if err != nil {
//		log.Fatal(err)
//	}
//	newGreeter, err := loader.Lookup[func() api.Greeter](p, "NewGreeter")
//	if err != nil {
//		log.Fatal(err)
//	}
//	name, err := loader.Lookup[*string](p, "Name") // a variable: a pointer
//
// Before plugin.Open, Open checks the file's SHA-256 against the manifest
// and loads nothing on a mismatch (ErrDigestMismatch); OpenFile loads a
// file only if its SHA-256 is in the manifest (ErrNotInManifest). The bytes
// hashed are the bytes loaded: they are hashed while being copied into a
// fresh directory only the process's user can write, and plugin.Open loads
// that copy (see WithCopyDir).
// plugin.Open's own failures come back as *OpenError, which names the
// likely cause (ErrVersionSkew, ErrAlreadyLoaded, ErrPluginsUnsupported).
//
// The host must be built with cgo, and this package imports package plugin,
// so a binary that depends on it can load plugins (and carries the package
// fingerprints go_plugin_host's build-time check reads).
package loader

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"plugin"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/bazelbuild/rules_go/go/runfiles"
	"github.com/rules-go-plugin/rules_go_plugin/go/loader/manifest"
	"github.com/rules-go-plugin/rules_go_plugin/go/loader/pin"
)

// ManifestEnv is the environment variable from which New reads the
// manifest's runfiles path (rlocation path, such as
// "_main/app/host.plugins.json") when the binary has none linked in, or
// was linked to accept an override (go_plugin_host's manifest_override).
// go_plugin_host sets it for `bazel run` and `bazel test`.
const ManifestEnv = "RULES_GO_PLUGIN_MANIFEST"

// manifestRlocationpath is the manifest's runfiles path, set at link time
// by go_plugin_host:
//
//	x_defs = {"github.com/rules-go-plugin/rules_go_plugin/go/loader.manifestRlocationpath": "$(rlocationpath :manifest)"}
//
// It wins over ManifestEnv, so that whoever controls the environment (or a
// parent process that is itself a host) does not choose the plugins, unless
// manifestOverride is "1".
var manifestRlocationpath string

// manifestOverride is "1" when the binary was linked to let ManifestEnv
// win over the linked manifest (go_plugin_host's manifest_override).
var manifestOverride string

// pinnedManifest returns the manifest's content that go_plugin_host linked
// into the binary (package pin), or "". It wins over any file: see New.
// A variable for tests.
var pinnedManifest = pin.Manifest

// linkedManifestName names the linked manifest in messages.
const linkedManifestName = "the manifest linked into this binary"

// Entry is one plugin of the manifest (the format is package
// github.com/rules-go-plugin/rules_go_plugin/go/loader/manifest, which
// go_plugin_host writes it with).
type Entry = manifest.Entry

// entryName is how messages refer to an entry: its label, else its pluginpath.
func entryName(e Entry) string {
	if e.Label != "" {
		return e.Label
	}
	return e.PluginPath
}

// Option configures New and NewFromManifest.
type Option interface{ apply(*Loader) }

type optionFunc func(*Loader)

func (f optionFunc) apply(l *Loader) { f(l) }

// WithRunfiles makes the Loader resolve runfiles paths (of the manifest in
// New, and of the plugins) with r instead of the runfiles the process
// discovers itself (runfiles.New()).
func WithRunfiles(r *runfiles.Runfiles) Option {
	return optionFunc(func(l *Loader) {
		l.rf = r
		l.rfOnce.Do(func() {})
	})
}

// WithCopyDir makes the Loader create the private directories for the
// copies it loads (see Open) in dir instead of os.TempDir(): for a host
// whose temporary directory is mounted noexec, where dlopen cannot map a
// copy. dir must be owned by the process's user or root, and not writable
// by others unless it has the sticky bit.
func WithCopyDir(dir string) Option {
	return optionFunc(func(l *Loader) { l.copyDir = dir })
}

// symbols is what the Loader needs of a loaded plugin: *plugin.Plugin, or
// a fake in tests.
type symbols interface {
	Lookup(symName string) (plugin.Symbol, error)
}

// openPlugin is plugin.Open behind the symbols interface, for Go plugins
// only (checkGoPlugin).
func openPlugin(path string) (symbols, error) {
	if err := checkGoPlugin(path); err != nil {
		return nil, err
	}
	p, err := plugin.Open(path)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// Loader opens the plugins listed in a manifest. Its methods are safe for
// concurrent use.
type Loader struct {
	manifestPath string
	entries      []Entry // sorted by pluginpath, as in the manifest

	rfOnce sync.Once
	rf     *runfiles.Runfiles
	rfErr  error

	open    func(path string) (symbols, error) // openPlugin, or a fake in tests
	copyDir string                             // WithCopyDir's, or "" for os.TempDir()

	// loaded holds the plugins opened so far, by pluginpath. Go keeps one plugin per
	// pluginpath per process, so every Loader that opens real plugins shares one table
	// (processPlugins); tests with a fake opener get their own.
	loaded *pluginTable
}

type pluginTable struct {
	mu sync.Mutex
	m  map[string]*Plugin
	// pending holds the loads in progress, by pluginpath, and waiting what each goroutine
	// waits for (a pluginpath of pending), so that an open that would wait for itself (a
	// plugin's init opening it again, or a cycle of such inits) fails instead of hanging.
	pending map[string]*pendingLoad
	waiting map[int64]string
	// loading holds, per goroutine, the pluginpaths it is loading, outermost first (a
	// plugin's init opening another plugin nests loads), for the cycle in error messages.
	loading map[int64][]string
	// initPanicked holds the error for each pluginpath whose init panicked: Go cannot load
	// that plugin again in this process.
	initPanicked map[string]error
}

// pendingLoad is a plugin.Open in progress.
type pendingLoad struct {
	owner int64         // the goroutine running it (and the plugin's init functions)
	done  chan struct{} // closed when it has finished; then p or err is set
	p     *Plugin
	err   error
}

func newPluginTable() *pluginTable {
	return &pluginTable{m: map[string]*Plugin{}, pending: map[string]*pendingLoad{}, waiting: map[int64]string{}, loading: map[int64][]string{}, initPanicked: map[string]error{}}
}

var processPlugins = newPluginTable()

// New returns a Loader for the manifest go_plugin_host made for this
// binary. go_plugin_host links the manifest's content into the binary
// (package pin), and New uses that content, whatever the environment or
// the runfiles tree holds: the plugins' digests are the ones the build
// computed, so other bytes are refused (ErrDigestMismatch). Only a binary
// built with go_plugin_host's manifest_override = True lets the
// environment variable RULES_GO_PLUGIN_MANIFEST (ManifestEnv, a runfiles
// path) choose another manifest. A binary without a linked manifest reads
// the one at the runfiles path linked into it, else at ManifestEnv's. The
// plugins (and such a manifest) are found through the binary's runfiles, by
// relative paths (absolute or ".." paths are refused), so New reads no file
// outside the runfiles tree; NewFromManifest and OpenFile read the files
// their caller names. It returns an error wrapping ErrNoManifest if there
// is no manifest at all.
func New(opts ...Option) (*Loader, error) {
	rlocation := manifestRlocationpath
	env := os.Getenv(ManifestEnv)
	if pin := pinnedManifest(); pin != "" && (env == "" || manifestOverride != "1") {
		l := newLoader(opts)
		if err := l.parseManifest(linkedManifestName, []byte(pin)); err != nil {
			return nil, err
		}
		return l, nil
	}
	if env != "" && (rlocation == "" || manifestOverride == "1") {
		rlocation = env
	}
	if rlocation == "" {
		return nil, fmt.Errorf("loader: %w: %s is not set; run the host built by go_plugin_host (bazel run and bazel test set it), or use NewFromManifest", ErrNoManifest, ManifestEnv)
	}
	if err := manifest.CheckRlocation(rlocation); err != nil {
		return nil, fmt.Errorf("loader: the plugin manifest's runfiles path %w", err)
	}
	l := newLoader(opts)
	rf, err := l.runfiles()
	if err != nil {
		return nil, fmt.Errorf("loader: finding the plugin manifest %s: %w", rlocation, err)
	}
	path, err := rf.Rlocation(rlocation)
	if err != nil {
		return nil, fmt.Errorf("loader: finding the plugin manifest %s in runfiles: %w", rlocation, err)
	}
	if err := l.readManifest(path); err != nil {
		return nil, err
	}
	return l, nil
}

// NewFromManifest returns a Loader for the manifest file at path (a file
// system path). The plugins' runfiles paths are resolved when they are
// opened, with the process's runfiles unless WithRunfiles is given.
func NewFromManifest(path string, opts ...Option) (*Loader, error) {
	l := newLoader(opts)
	if err := l.readManifest(path); err != nil {
		return nil, err
	}
	return l, nil
}

func newLoader(opts []Option) *Loader {
	l := &Loader{open: openPlugin, loaded: processPlugins}
	for _, o := range opts {
		o.apply(l)
	}
	return l
}

func (l *Loader) readManifest(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("loader: reading the plugin manifest: %w", err)
	}
	return l.parseManifest(path, data)
}

// parseManifest sets the Loader's entries from a manifest's content; name
// says where it comes from, for messages.
func (l *Loader) parseManifest(name string, data []byte) error {
	entries, err := manifest.Parse(data)
	if err != nil {
		return fmt.Errorf("loader: plugin manifest %s: %w", name, err)
	}
	l.manifestPath = name
	l.entries = entries
	return nil
}

// runfiles returns the runfiles given by WithRunfiles, or discovers the
// process's on first use.
func (l *Loader) runfiles() (*runfiles.Runfiles, error) {
	l.rfOnce.Do(func() { l.rf, l.rfErr = runfiles.New() })
	return l.rf, l.rfErr
}

// Plugins returns the manifest's entries, sorted by pluginpath.
func (l *Loader) Plugins() []Entry {
	return append([]Entry(nil), l.entries...)
}

// Open loads the manifest's plugin whose pluginpath or label is name and
// returns it. A label may be written as in the manifest or in its short
// forms ("//a/b" for "//a/b:b", "//a:b" for "@@//a:b" or "@//a:b").
//
// Open finds the plugin's .so in the runfiles and compares its SHA-256 with
// the manifest's before loading anything: on a mismatch it returns an error
// wrapping ErrDigestMismatch and loads nothing. Failures of plugin.Open are
// returned as *OpenError. Opening a plugin again returns the same *Plugin.
func (l *Loader) Open(name string) (*Plugin, error) {
	e, ok := l.find(name)
	if !ok {
		return nil, fmt.Errorf("loader: %w: no plugin has pluginpath or label %q (the manifest lists %s)", ErrNotInManifest, name, l.describeEntries())
	}
	if p := l.cached(e); p != nil {
		return p, nil
	}
	rf, err := l.runfiles()
	if err != nil {
		return nil, fmt.Errorf("loader: plugin %s: %w", entryName(e), err)
	}
	path, err := rf.Rlocation(e.RlocationPath)
	if err != nil {
		return nil, fmt.Errorf("loader: plugin %s: finding %s in runfiles: %w", entryName(e), e.RlocationPath, err)
	}
	return l.load(e, path, func() (*privateCopy, error) {
		c, err := newPrivateCopy(path, l.copyDir)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("loader: plugin %s: %w (is it in the host's runfiles? go_plugin_host adds its plugins)", entryName(e), err)
		} else if err != nil {
			return nil, fmt.Errorf("loader: plugin %s: %w", entryName(e), err)
		}
		if c.sum != e.SHA256 {
			c.remove()
			hint := ""
			if l.manifestPath == linkedManifestName {
				hint = "; the manifest is linked into the host, so neither the runfiles tree nor the environment chooses other plugin files (a host built with go_plugin_host's manifest_override = True takes its manifest from RULES_GO_PLUGIN_MANIFEST)"
			}
			return nil, fmt.Errorf("loader: plugin %s: %w: %s has sha256 %s, the manifest expects %s; the file changed after the host was built, so it was not loaded (rebuild the host)%s",
				entryName(e), ErrDigestMismatch, path, c.sum, e.SHA256, hint)
		}
		return c, nil
	})
}

// OpenFile loads the plugin file at path if its SHA-256 is that of a
// plugin in the manifest, and returns it; otherwise it returns an error
// wrapping ErrNotInManifest and loads nothing. Failures of plugin.Open are
// returned as *OpenError. If that plugin is already open, OpenFile returns
// it (Go cannot load two copies of one plugin).
func (l *Loader) OpenFile(path string) (*Plugin, error) {
	c, err := newPrivateCopy(path, l.copyDir)
	if err != nil {
		return nil, fmt.Errorf("loader: %w", err)
	}
	defer c.remove()
	var (
		e     Entry
		found bool
	)
	for _, m := range l.entries {
		if m.SHA256 == c.sum {
			e, found = m, true
			break
		}
	}
	if !found {
		return nil, fmt.Errorf("loader: %w: %s (sha256 %s) is none of the plugins this host was built with (the manifest lists %s); not loaded",
			ErrNotInManifest, path, c.sum, l.describeEntries())
	}
	if p := l.cached(e); p != nil {
		return p, nil
	}
	return l.load(e, path, func() (*privateCopy, error) { return c, nil })
}

// find returns the entry whose pluginpath, label, or normalized label is
// name.
func (l *Loader) find(name string) (Entry, bool) {
	for _, e := range l.entries {
		if e.PluginPath == name {
			return e, true
		}
	}
	for _, e := range l.entries {
		if e.Label != "" && e.Label == name {
			return e, true
		}
	}
	n := normalizeLabel(name)
	for _, e := range l.entries {
		if e.Label != "" && normalizeLabel(e.Label) == n {
			return e, true
		}
	}
	return Entry{}, false
}

func (l *Loader) cached(e Entry) *Plugin {
	l.loaded.mu.Lock()
	defer l.loaded.mu.Unlock()
	if p := l.loaded.m[e.PluginPath]; p != nil && p.entry.SHA256 == e.SHA256 {
		return p
	}
	return nil
}

// load runs plugin.Open on the verified copy of the file at path that
// verify makes (only if this goroutine is to load the plugin: an open that
// waits for another's load, or fails, copies nothing). The lock is not held
// during plugin.Open: a plugin's init functions may use the Loader. A second open
// of a plugin being loaded waits for that load, unless the wait could never
// end: the plugin's own init functions (run by plugin.Open on the loading
// goroutine) open it again, directly or through other plugins' inits. Go's
// plugin.Open would wait forever there; load returns ErrReentrantOpen.
func (l *Loader) load(e Entry, path string, verify func() (*privateCopy, error)) (*Plugin, error) {
	t := l.loaded
	g := goroutineID()
	t.mu.Lock()
	if p := t.m[e.PluginPath]; p != nil {
		t.mu.Unlock()
		return sameDigest(e, p) // opened concurrently, or by another Loader
	}
	if err := t.initPanicked[e.PluginPath]; err != nil {
		t.mu.Unlock()
		return nil, err
	}
	if pl := t.pending[e.PluginPath]; pl != nil {
		if chain := t.waitCycle(g, e.PluginPath); chain != nil {
			t.mu.Unlock()
			return nil, fmt.Errorf("loader: plugin %s: %w: it is still being loaded on this goroutine, whose plugin init functions open it again (%s); Go cannot finish such a load, so this open fails instead of waiting forever: open plugins after init, from a function the host calls",
				entryName(e), ErrReentrantOpen, strings.Join(chain, " → "))
		}
		t.waiting[g] = e.PluginPath
		t.mu.Unlock()
		<-pl.done
		t.mu.Lock()
		delete(t.waiting, g)
		t.mu.Unlock()
		if pl.err != nil {
			return nil, pl.err
		}
		return sameDigest(e, pl.p)
	}
	pl := &pendingLoad{owner: g, done: make(chan struct{})}
	t.pending[e.PluginPath] = pl
	t.loading[g] = append(t.loading[g], e.PluginPath)
	t.mu.Unlock()

	finished := false
	defer func() {
		// Also when an init function panics through plugin.Open: waiters get an error.
		t.mu.Lock()
		defer t.mu.Unlock()
		if !finished {
			pl.err = fmt.Errorf("loader: plugin %s: %w: Go can neither run it again nor undo what it did, so this plugin cannot be used in this process (restart the host)", entryName(e), ErrInitPanicked)
			t.initPanicked[e.PluginPath] = pl.err
		}
		delete(t.pending, e.PluginPath)
		if stack := t.loading[g]; len(stack) > 1 {
			t.loading[g] = stack[:len(stack)-1]
		} else {
			delete(t.loading, g)
		}
		if pl.p != nil {
			t.m[e.PluginPath] = pl.p
		}
		close(pl.done)
	}()
	c, err := verify()
	if err != nil {
		finished = true
		pl.err = err
		return nil, err
	}
	defer c.remove()
	var syms symbols
	if err = c.linkOrigins(path); err == nil {
		syms, err = l.open(c.path)
	}
	finished = true
	if err != nil {
		pl.err = newOpenError(e, path, err)
		return nil, pl.err
	}
	pl.p = &Plugin{entry: e, path: path, syms: syms}
	return pl.p, nil
}

// sameDigest returns p, the plugin loaded for e's pluginpath, if it is the
// file e lists; otherwise ErrPluginPathConflict: Go cannot load e's file
// beside p, and handing out p would give the caller bytes its manifest does
// not list.
func sameDigest(e Entry, p *Plugin) (*Plugin, error) {
	if p.entry.SHA256 == e.SHA256 {
		return p, nil
	}
	return nil, fmt.Errorf("loader: plugin %s: %w: pluginpath %s is loaded in this process from a file with sha256 %s (%s), and this manifest lists sha256 %s; Go loads one plugin per pluginpath, so %s was not loaded (give the two plugins different pluginpaths, or build both hosts' manifests from one plugin)",
		entryName(e), ErrPluginPathConflict, e.PluginPath, p.entry.SHA256, entryName(p.entry), e.SHA256, entryName(e))
}

// waitCycle returns, if goroutine g waiting for the load of pluginpath would
// wait for itself, the pluginpaths of the cycle (pluginpath first); else nil.
// Called with t.mu held.
func (t *pluginTable) waitCycle(g int64, pluginpath string) []string {
	chain := []string{pluginpath}
	seen := map[int64]bool{}
	for pp := pluginpath; ; {
		pl := t.pending[pp]
		if pl == nil {
			return nil
		}
		if pl.owner == g {
			// The loads this goroutine nests from pp on lead back here.
			stack := t.loading[g]
			for i, q := range stack {
				if q == pp {
					return append(append(chain, stack[i+1:]...), pluginpath)
				}
			}
			return append(chain, pluginpath)
		}
		if seen[pl.owner] {
			return nil // a cycle among other goroutines, not through g (cannot happen)
		}
		seen[pl.owner] = true
		if pp = t.waiting[pl.owner]; pp == "" {
			return nil
		}
		chain = append(chain, pp)
	}
}

// goroutineID returns the current goroutine's ID, from the first line of its
// stack trace ("goroutine 18 [running]:"), the only place Go reports it.
func goroutineID() int64 {
	var buf [64]byte
	n := runtime.Stack(buf[:], false)
	f := strings.Fields(string(buf[:n]))
	if len(f) < 2 || f[0] != "goroutine" {
		return 0
	}
	id, _ := strconv.ParseInt(f[1], 10, 64)
	return id
}

// describeEntries lists the manifest's plugins for error messages.
func (l *Loader) describeEntries() string {
	if len(l.entries) == 0 {
		return "no plugins"
	}
	var s []string
	for _, e := range l.entries {
		if e.Label != "" {
			s = append(s, fmt.Sprintf("%s (%s)", e.PluginPath, e.Label))
		} else {
			s = append(s, e.PluginPath)
		}
	}
	sort.Strings(s)
	return strings.Join(s, ", ")
}

// normalizeLabel rewrites a main-repository label "@@//a:b" or "@//a:b" as
// "//a:b", and a label without a target name "//a/b" as "//a/b:b".
func normalizeLabel(s string) string {
	switch {
	case strings.HasPrefix(s, "@@//"):
		s = s[2:]
	case strings.HasPrefix(s, "@//"):
		s = s[1:]
	}
	i := strings.Index(s, "//")
	if i < 0 || strings.Contains(s[i:], ":") {
		return s
	}
	pkg := s[i+2:]
	if name := pkg[strings.LastIndex(pkg, "/")+1:]; name != "" {
		s += ":" + name
	}
	return s
}

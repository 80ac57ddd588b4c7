package loader

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"plugin"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bazelbuild/rules_go/go/runfiles"
)

// fakeSymbols is a loaded plugin's symbol table.
type fakeSymbols struct {
	pluginPath string
	syms       map[string]any
}

func (f fakeSymbols) Lookup(name string) (plugin.Symbol, error) {
	if s, ok := f.syms[name]; ok {
		return s, nil
	}
	return nil, errors.New("plugin: symbol " + name + " not found in plugin " + f.pluginPath)
}

// fakeOpener replaces plugin.Open: it records what it is called with and
// returns, per file base name, a symbol table or an error.
type fakeOpener struct {
	mu sync.Mutex
	// calls holds, per call, the file's base name and the content it had
	// when open ran (after the file's init): "a.so (plugin a)".
	calls []string
	// notPrivate holds the paths open was given that were not a copy in a
	// fresh private directory (mode 0700, prefix rules_go_plugin-).
	notPrivate []string
	errs       map[string]error // by base name
	// inits, by base name, run inside open like a plugin's init functions.
	inits map[string]func()
}

func (f *fakeOpener) open(path string) (symbols, error) {
	f.mu.Lock()
	init := f.inits[filepath.Base(path)]
	call := len(f.calls)
	f.calls = append(f.calls, filepath.Base(path)+" (init did not return)")
	f.mu.Unlock()
	if init != nil {
		init()
	}
	content, err := os.ReadFile(path)
	if err != nil {
		content = []byte(err.Error())
	}
	fi, err := os.Stat(filepath.Dir(path))
	private := err == nil && fi.Mode().Perm() == 0o700 && strings.HasPrefix(filepath.Base(filepath.Dir(path)), "rules_go_plugin-")
	f.mu.Lock()
	f.calls[call] = fmt.Sprintf("%s (%s)", filepath.Base(path), content)
	if !private {
		f.notPrivate = append(f.notPrivate, path)
	}
	f.mu.Unlock()
	if err := f.errs[filepath.Base(path)]; err != nil {
		return nil, err
	}
	return fakeSymbols{pluginPath: filepath.Base(path), syms: map[string]any{}}, nil
}

// testHost is a runfiles tree with two plugin files and a manifest for
// them.
type testHost struct {
	dir      string // runfiles root
	manifest string // file system path of the manifest
	rf       *runfiles.Runfiles
	entries  []Entry // as in the manifest
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func newTestHost(t *testing.T) *testHost {
	t.Helper()
	dir := t.TempDir()
	h := &testHost{dir: dir}
	writeFile(t, filepath.Join(dir, "_main/plugins/a/a.so"), []byte("plugin a"))
	writeFile(t, filepath.Join(dir, "other+/plugins/b/b.so"), []byte("plugin b"))
	h.entries = []Entry{
		{Label: "@@//plugins/a:a", PluginPath: "example.com/plugins/a", RlocationPath: "_main/plugins/a/a.so", SHA256: sha([]byte("plugin a"))},
		{Label: "@@other+//plugins/b:b", PluginPath: "example.com/plugins/b", RlocationPath: "other+/plugins/b/b.so", SHA256: sha([]byte("plugin b"))},
	}
	b, err := json.Marshal(map[string]any{"plugins": h.entries})
	if err != nil {
		t.Fatal(err)
	}
	h.manifest = filepath.Join(dir, "_main", "app", "host.plugins.json")
	writeFile(t, h.manifest, b)
	h.rf, err = runfiles.New(runfiles.Directory(dir))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// loader returns a Loader for the host whose plugin.Open is fake.
func (h *testHost) loader(t *testing.T) (*Loader, *fakeOpener) {
	t.Helper()
	l, err := NewFromManifest(h.manifest, WithRunfiles(h.rf))
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeOpener{errs: map[string]error{}, inits: map[string]func(){}}
	l.open = f.open
	l.loaded = newPluginTable()
	return l, f
}

func writeFile(t *testing.T, path string, content []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, content, 0o666); err != nil {
		t.Fatal(err)
	}
}

func TestNew(t *testing.T) {
	h := newTestHost(t)
	for _, tc := range []struct {
		name     string
		env      string // RULES_GO_PLUGIN_MANIFEST; "-" for unset
		linked   string // manifestRlocationpath
		override string // manifestOverride
		wantErr  error
		wantText string
	}{
		{name: "from the environment", env: "_main/app/host.plugins.json"},
		{name: "linked in", env: "-", linked: "_main/app/host.plugins.json"},
		{name: "linked in wins over the environment", env: "_main/nope.json", linked: "_main/app/host.plugins.json"},
		{name: "environment wins when built to accept an override", env: "_main/app/host.plugins.json", linked: "_main/nope.json", override: "1"},
		{name: "absolute path refused", env: filepath.Join(h.dir, "_main/app/host.plugins.json"), wantText: "is absolute; a runfiles path is relative to the runfiles tree"},
		{name: "unclean path refused", env: "_main/./app/host.plugins.json", wantText: "is not a clean path"},
		{name: "none", env: "-", wantErr: ErrNoManifest, wantText: "loader: no plugin manifest: RULES_GO_PLUGIN_MANIFEST is not set"},
		{name: "empty is unset", env: "", wantErr: ErrNoManifest},
		{name: "missing manifest", env: "_main/app/missing.json", wantErr: os.ErrNotExist, wantText: "loader: reading the plugin manifest: "},
		{name: "bad runfiles path", env: "_main/../x.json", wantText: `climbs out of the runfiles tree`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.env == "-" {
				t.Setenv(ManifestEnv, "")
				os.Unsetenv(ManifestEnv)
			} else {
				t.Setenv(ManifestEnv, tc.env)
			}
			defer func(l, o string) { manifestRlocationpath, manifestOverride = l, o }(manifestRlocationpath, manifestOverride)
			manifestRlocationpath, manifestOverride = tc.linked, tc.override

			l, err := New(WithRunfiles(h.rf))
			if tc.wantErr == nil && tc.wantText == "" {
				if err != nil {
					t.Fatal(err)
				}
				if got := l.Plugins(); !reflect.DeepEqual(got, h.entries) {
					t.Errorf("Plugins() = %+v, want %+v", got, h.entries)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("error %v does not wrap %v", err, tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantText) {
				t.Errorf("error %q does not contain %q", err, tc.wantText)
			}
		})
	}
}

func TestNewFromManifestErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	writeFile(t, bad, []byte(`{"plugins":[{"pluginpath":"a"}]}`))
	for _, tc := range []struct{ path, want string }{
		{filepath.Join(dir, "missing.json"), "loader: reading the plugin manifest: open "},
		{bad, "loader: plugin manifest " + bad + ": plugin 1: no rlocation"},
	} {
		if _, err := NewFromManifest(tc.path); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("NewFromManifest(%s) = %v, want error containing %q", tc.path, err, tc.want)
		}
	}
}

func TestPluginsIsACopy(t *testing.T) {
	h := newTestHost(t)
	l, _ := h.loader(t)
	l.Plugins()[0].PluginPath = "changed"
	if got := l.Plugins()[0].PluginPath; got != "example.com/plugins/a" {
		t.Errorf("Plugins() shares its slice: %q", got)
	}
}

func TestOpen(t *testing.T) {
	for _, tc := range []struct {
		name      string
		open      string
		modify    func(t *testing.T, h *testHost) // before opening
		errs      map[string]error                // fake plugin.Open errors by file base name
		wantEntry int                             // index into h.entries, if no error
		wantErr   []error                         // errors.Is targets
		wantText  []string                        // substrings of the error
		inits     map[string]func(h *testHost)    // run inside the fake plugin.Open
		wantCalls []string                        // plugin.Open calls, as fakeOpener records them
	}{
		{name: "by pluginpath", open: "example.com/plugins/b", wantEntry: 1, wantCalls: []string{"b.so (plugin b)"}},
		{name: "by label", open: "@@//plugins/a:a", wantEntry: 0, wantCalls: []string{"a.so (plugin a)"}},
		{name: "by label without @@", open: "//plugins/a:a", wantEntry: 0, wantCalls: []string{"a.so (plugin a)"}},
		{name: "by short label", open: "//plugins/a", wantEntry: 0, wantCalls: []string{"a.so (plugin a)"}},
		{name: "by canonical label of another repo", open: "@@other+//plugins/b", wantEntry: 1, wantCalls: []string{"b.so (plugin b)"}},
		{
			// The check-then-open race: the file is replaced after its digest was checked,
			// before plugin.Open reads it. What is loaded is still what was checked.
			name: "replaced after the check: the checked bytes are loaded", open: "example.com/plugins/a", wantEntry: 0,
			inits: map[string]func(h *testHost){"a.so": func(h *testHost) {
				if err := os.WriteFile(filepath.Join(h.dir, "_main/plugins/a/a.so"), []byte("evil"), 0o666); err != nil {
					panic(err)
				}
			}},
			wantCalls: []string{"a.so (plugin a)"},
		},
		{
			name: "unknown", open: "example.com/plugins/c",
			wantErr:  []error{ErrNotInManifest},
			wantText: []string{`loader: not a plugin in the manifest: no plugin has pluginpath or label "example.com/plugins/c" (the manifest lists example.com/plugins/a (@@//plugins/a:a), example.com/plugins/b (@@other+//plugins/b:b))`},
		},
		{
			name: "digest mismatch: refused before plugin.Open", open: "example.com/plugins/a",
			modify: func(t *testing.T, h *testHost) {
				writeFile(t, filepath.Join(h.dir, "_main/plugins/a/a.so"), []byte("tampered"))
			},
			wantErr:  []error{ErrDigestMismatch},
			wantText: []string{"loader: plugin @@//plugins/a:a: plugin file does not match the manifest's sha256: ", "a.so has sha256 " + sha([]byte("tampered")) + ", the manifest expects " + sha([]byte("plugin a")), "not loaded"},
		},
		{
			name: "missing file", open: "example.com/plugins/a",
			modify:   func(t *testing.T, h *testHost) { os.Remove(filepath.Join(h.dir, "_main/plugins/a/a.so")) },
			wantErr:  []error{os.ErrNotExist},
			wantText: []string{"loader: plugin @@//plugins/a:a: open ", "is it in the host's runfiles?"},
		},
		{
			name: "plugin.Open fails: version skew", open: "example.com/plugins/a",
			errs:      map[string]error{"a.so": errors.New(`plugin.Open("x/a"): plugin was built with a different version of package example.com/api`)},
			wantErr:   []error{ErrVersionSkew},
			wantText:  []string{"different versions of package example.com/api", "go_plugin_host"},
			wantCalls: []string{"a.so (plugin a)"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newTestHost(t)
			if tc.modify != nil {
				tc.modify(t, h)
			}
			l, f := h.loader(t)
			for k, v := range tc.errs {
				f.errs[k] = v
			}
			for k, init := range tc.inits {
				f.inits[k] = func() { init(h) }
			}
			p, err := l.Open(tc.open)
			if !reflect.DeepEqual(f.calls, tc.wantCalls) {
				t.Errorf("plugin.Open calls %q, want %q", f.calls, tc.wantCalls)
			}
			if len(f.notPrivate) != 0 {
				t.Errorf("plugin.Open given files that are not private copies: %q", f.notPrivate)
			}
			if len(tc.wantErr) == 0 && len(tc.wantText) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				want := h.entries[tc.wantEntry]
				if p.Entry() != want {
					t.Errorf("Entry() = %+v, want %+v", p.Entry(), want)
				}
				wantPath := filepath.Join(h.dir, filepath.FromSlash(want.RlocationPath))
				if p.Path() != wantPath {
					t.Errorf("Path() = %s, want %s", p.Path(), wantPath)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, target := range tc.wantErr {
				if !errors.Is(err, target) {
					t.Errorf("error %v does not wrap %v", err, target)
				}
			}
			for _, s := range tc.wantText {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
		})
	}
}

func TestOpenTwiceLoadsOnce(t *testing.T) {
	h := newTestHost(t)
	l, f := h.loader(t)
	p1, err := l.Open("example.com/plugins/a")
	if err != nil {
		t.Fatal(err)
	}
	p2, err := l.Open("//plugins/a")
	if err != nil {
		t.Fatal(err)
	}
	// A copy of the same plugin elsewhere: Go could not load it again.
	copyPath := filepath.Join(t.TempDir(), "copy.so")
	writeFile(t, copyPath, []byte("plugin a"))
	p3, err := l.OpenFile(copyPath)
	if err != nil {
		t.Fatal(err)
	}
	if p1 != p2 || p1 != p3 {
		t.Error("opening one plugin again returned another *Plugin")
	}
	if len(f.calls) != 1 {
		t.Errorf("plugin.Open called %d times: %q", len(f.calls), f.calls)
	}
}

func TestOpenFile(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name      string
		content   []byte // of the file to open; nil: no file
		wantEntry int
		wantErr   error
		wantText  string
	}{
		{name: "a plugin of the manifest, elsewhere", content: []byte("plugin b"), wantEntry: 1},
		{name: "not in the manifest", content: []byte("plugin c"), wantErr: ErrNotInManifest,
			wantText: "loader: not a plugin in the manifest: "},
		{name: "missing", wantErr: os.ErrNotExist, wantText: "loader: open "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newTestHost(t)
			l, f := h.loader(t)
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".so")
			if tc.content != nil {
				writeFile(t, path, tc.content)
			}
			p, err := l.OpenFile(path)
			if tc.wantErr == nil {
				if err != nil {
					t.Fatal(err)
				}
				if p.Entry() != h.entries[tc.wantEntry] || p.Path() != path {
					t.Errorf("got entry %+v at %s", p.Entry(), p.Path())
				}
				if want := []string{filepath.Base(path) + " (" + string(tc.content) + ")"}; !reflect.DeepEqual(f.calls, want) || len(f.notPrivate) != 0 {
					t.Errorf("plugin.Open calls %q (not private: %q), want %q", f.calls, f.notPrivate, want)
				}
				return
			}
			if !errors.Is(err, tc.wantErr) || !strings.Contains(err.Error(), tc.wantText) {
				t.Errorf("error %v, want %v containing %q", err, tc.wantErr, tc.wantText)
			}
			if len(f.calls) != 0 {
				t.Errorf("plugin.Open called: %q", f.calls)
			}
			if tc.wantErr == ErrNotInManifest && !strings.Contains(err.Error(), sha(tc.content)) {
				t.Errorf("error %q does not give the file's sha256", err)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	e := Entry{Label: "//p:p", PluginPath: "example.com/p"}
	underlying := func(s string) error { return errors.New(`plugin.Open("/r/p"): ` + s) }
	for _, tc := range []struct {
		name        string
		err         error
		wantKind    error
		wantPackage string
		wantText    []string
	}{
		{
			name:        "version skew",
			err:         underlying("plugin was built with a different version of package example.com/api/v2"),
			wantKind:    ErrVersionSkew,
			wantPackage: "example.com/api/v2",
			wantText: []string{
				`loader: opening plugin //p:p (pluginpath example.com/p): plugin.Open("/r/p"): plugin was built with a different version of package example.com/api/v2: `,
				"the host and this plugin were built with different versions of package example.com/api/v2",
				"build the host with go_plugin_host listing this plugin: its build-time check reports every differing package",
			},
		},
		{
			name:        "version skew, cached failure",
			err:         underlying("plugin was built with a different version of package runtime (previous failure)"),
			wantKind:    ErrVersionSkew,
			wantPackage: "runtime",
		},
		{
			name:     "already loaded",
			err:      underlying("plugin already loaded"),
			wantKind: ErrAlreadyLoaded,
			wantText: []string{"another plugin with pluginpath example.com/p is already loaded in this process", "own pluginpath"},
		},
		{
			name:     "no cgo",
			err:      errors.New("plugin: not implemented"),
			wantKind: ErrPluginsUnsupported,
			wantText: []string{"loader: opening plugin //p:p (pluginpath example.com/p): plugin: not implemented: this host binary cannot load plugins: it was built without cgo"},
		},
		{
			name:     "dlopen failure",
			err:      underlying("libfoo.so: cannot open shared object file"),
			wantText: []string{`loader: opening plugin //p:p (pluginpath example.com/p): plugin.Open("/r/p"): libfoo.so: cannot open shared object file`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error = newOpenError(e, "/r/p.so", tc.err)
			var oe *OpenError
			if !errors.As(err, &oe) {
				t.Fatal("not an *OpenError")
			}
			if oe.Kind != tc.wantKind || oe.Package != tc.wantPackage || oe.Path != "/r/p.so" || oe.Entry != e {
				t.Errorf("got %+v", oe)
			}
			if !errors.Is(err, tc.err) {
				t.Error("does not wrap plugin.Open's error")
			}
			if tc.wantKind != nil && !errors.Is(err, tc.wantKind) {
				t.Errorf("does not wrap %v", tc.wantKind)
			}
			for _, k := range []error{ErrVersionSkew, ErrAlreadyLoaded, ErrPluginsUnsupported} {
				if k != tc.wantKind && errors.Is(err, k) {
					t.Errorf("wraps %v", k)
				}
			}
			for _, s := range tc.wantText {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
		})
	}
}

// The real opener: a file that is in the manifest but not a Go plugin
// passes the digest check and is refused before plugin.Open (which would
// abort the process on a shared object without Go code), as an *OpenError
// of Kind ErrNotGoPlugin.
func TestOpenRealPluginOpen(t *testing.T) {
	h := newTestHost(t)
	l, err := NewFromManifest(h.manifest, WithRunfiles(h.rf))
	if err != nil {
		t.Fatal(err)
	}
	_, err = l.Open("example.com/plugins/a")
	var oe *OpenError
	if !errors.As(err, &oe) || oe.Kind != ErrNotGoPlugin || !errors.Is(err, ErrNotGoPlugin) {
		t.Fatalf("error %v is not an *OpenError of Kind ErrNotGoPlugin", err)
	}
	if want := "neither an ELF nor a Mach-O file"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}
}

func TestNormalizeLabel(t *testing.T) {
	for in, want := range map[string]string{
		"//a/b:c":         "//a/b:c",
		"@@//a/b:c":       "//a/b:c",
		"@//a/b:c":        "//a/b:c",
		"//a/b":           "//a/b:b",
		"@@//a/b":         "//a/b:b",
		"@@repo+//a/b":    "@@repo+//a/b:b",
		"@repo//a:b":      "@repo//a:b",
		"//:x":            "//:x",
		"example.com/p":   "example.com/p",
		"//a/b:c/d":       "//a/b:c/d",
		"@@repo+//:x.so":  "@@repo+//:x.so",
		"//plugins/greet": "//plugins/greet:greet",
	} {
		if got := normalizeLabel(in); got != want {
			t.Errorf("normalizeLabel(%q) = %q, want %q", in, got, want)
		}
	}
}

func ExampleLookup() {
	l, err := New()
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := l.Open("example.com/plugins/greeter")
	if err != nil {
		fmt.Println(err)
		return
	}
	hello, err := Lookup[func() string](p, "Hello") // a function
	if err != nil {
		fmt.Println(err)
		return
	}
	name, err := Lookup[*string](p, "Name") // a variable: a pointer to it
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(*name, hello())
}

// TestReentrantOpen: an open that would wait for itself (a plugin's init opening it again,
// or a cycle of inits) fails with ErrReentrantOpen instead of hanging, and the outer loads
// still finish.
func TestReentrantOpen(t *testing.T) {
	const a, b = "example.com/plugins/a", "example.com/plugins/b"
	for _, tc := range []struct {
		name  string
		inits map[string][]string // base name -> pluginpaths its init opens
		open  string
		// wantInner: the errors of the inits' opens, in the order they ran.
		wantInner []string
	}{
		{name: "self", inits: map[string][]string{"a.so": {a}}, open: a,
			wantInner: []string{"(example.com/plugins/a → example.com/plugins/a)"}},
		{name: "cycle of two", inits: map[string][]string{"a.so": {b}, "b.so": {a}}, open: a,
			wantInner: []string{"(example.com/plugins/a → example.com/plugins/b → example.com/plugins/a)", ""}},
		{name: "init opens another plugin", inits: map[string][]string{"a.so": {b}}, open: a,
			wantInner: []string{""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, f := newTestHost(t).loader(t)
			var inner []string
			for base, opens := range tc.inits {
				base, opens := base, opens // the module's go line is 1.21: one variable per loop
				f.inits[base] = func() {
					for _, name := range opens {
						_, err := l.Open(name)
						msg := ""
						if err != nil {
							if !errors.Is(err, ErrReentrantOpen) {
								t.Errorf("init of %s: Open(%s) = %v, want ErrReentrantOpen", base, name, err)
							}
							msg = err.Error()
						}
						inner = append(inner, msg)
					}
				}
			}
			done := make(chan error, 1)
			go func() {
				_, err := l.Open(tc.open)
				done <- err
			}()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("Open(%s) = %v", tc.open, err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("Open hangs")
			}
			if len(inner) != len(tc.wantInner) {
				t.Fatalf("the inits' opens returned %q, want %d results", inner, len(tc.wantInner))
			}
			for i, want := range tc.wantInner {
				if (want == "") != (inner[i] == "") || !strings.Contains(inner[i], want) {
					t.Errorf("init open %d: error %q, want one containing %q", i, inner[i], want)
				}
			}
			// What was opened is cached: a later open does not run plugin.Open again.
			calls := len(f.calls)
			if _, err := l.Open(tc.open); err != nil || len(f.calls) != calls {
				t.Errorf("Open again: %v, %d more plugin.Open calls", err, len(f.calls)-calls)
			}
		})
	}
}

// TestConcurrentOpenWaits: a second goroutine opening a plugin being loaded waits for that
// load and gets the same plugin; plugin.Open runs once.
func TestConcurrentOpenWaits(t *testing.T) {
	l, f := newTestHost(t).loader(t)
	started, release := make(chan struct{}), make(chan struct{})
	f.inits["a.so"] = func() {
		close(started)
		<-release
	}
	first := make(chan *Plugin, 1)
	go func() {
		p, err := l.Open("example.com/plugins/a")
		if err != nil {
			t.Error(err)
		}
		first <- p
	}()
	<-started
	second := make(chan *Plugin, 1)
	go func() {
		p, err := l.Open("example.com/plugins/a")
		if err != nil {
			t.Error(err)
		}
		second <- p
	}()
	// The second open is waiting (or about to): it must not finish before the first.
	select {
	case <-second:
		t.Fatal("the second Open returned while the first was still loading")
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	p1, p2 := <-first, <-second
	if p1 == nil || p1 != p2 {
		t.Errorf("the two opens returned %p and %p, want the same plugin", p1, p2)
	}
	if len(f.calls) != 1 {
		t.Errorf("plugin.Open ran %d times, want 1", len(f.calls))
	}
}

// TestOpenAfterInitPanic: a panic in a plugin's init propagates to the caller of Open (Go
// cannot undo a half-run init), and leaves no pending load behind: the opens waiting for it and
// the next opens fail with ErrInitPanicked instead of waiting forever, and plugin.Open is not
// run again (Go cannot load a plugin twice).
func TestOpenAfterInitPanic(t *testing.T) {
	l, f := newTestHost(t).loader(t)
	f.inits["a.so"] = func() { panic("init failed") }
	func() {
		defer func() {
			if r := recover(); r != "init failed" {
				t.Errorf("recovered %v, want the init's panic", r)
			}
		}()
		l.Open("example.com/plugins/a")
	}()
	delete(f.inits, "a.so")
	for _, name := range []string{"example.com/plugins/a", "//plugins/a"} {
		if _, err := l.Open(name); !errors.Is(err, ErrInitPanicked) {
			t.Errorf("Open(%s) after the panic: %v, want ErrInitPanicked", name, err)
		}
	}
	if _, err := l.Open("example.com/plugins/b"); err != nil {
		t.Errorf("another plugin after the panic: %v", err)
	}
	if len(f.calls) != 2 {
		t.Errorf("plugin.Open ran %d times, want 2 (a once, b once)", len(f.calls))
	}
}

// TestOnePluginPathOneDigest: Loaders share the process's one plugin per pluginpath, so a
// second Loader whose manifest lists another file (another sha256) for a loaded pluginpath
// gets ErrPluginPathConflict, loaded or still loading, by Open or OpenFile, and its file is
// not loaded; a manifest that lists the same file gets the loaded plugin.
func TestOnePluginPathOneDigest(t *testing.T) {
	for _, tc := range []struct {
		name     string
		content  string // the second manifest's file for example.com/plugins/a
		pending  bool   // the second open starts while the first is in plugin.Open
		openFile bool   // the second opens with OpenFile instead of Open
		wantErr  error
	}{
		{name: "another digest, loaded", content: "plugin evil", wantErr: ErrPluginPathConflict},
		{name: "another digest, being loaded", content: "plugin evil", pending: true, wantErr: ErrPluginPathConflict},
		{name: "another digest, OpenFile", content: "plugin evil", openFile: true, wantErr: ErrPluginPathConflict},
		{name: "same digest, loaded", content: "plugin a"},
		{name: "same digest, being loaded", content: "plugin a", pending: true},
		{name: "same digest, OpenFile", content: "plugin a", openFile: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newTestHost(t)
			first, f := h.loader(t)

			// A second host's manifest in the same process: pluginpath a, its own file.
			dir := t.TempDir()
			so := filepath.Join(dir, "_main/second/a.so")
			writeFile(t, so, []byte(tc.content))
			b, err := json.Marshal(map[string]any{"plugins": []Entry{{
				Label: "@@//second:a", PluginPath: "example.com/plugins/a",
				RlocationPath: "_main/second/a.so", SHA256: sha([]byte(tc.content)),
			}}})
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(dir, "second.json"), b)
			rf, err := runfiles.New(runfiles.Directory(dir))
			if err != nil {
				t.Fatal(err)
			}
			second, err := NewFromManifest(filepath.Join(dir, "second.json"), WithRunfiles(rf))
			if err != nil {
				t.Fatal(err)
			}
			second.open, second.loaded = f.open, first.loaded

			started, release := make(chan struct{}), make(chan struct{})
			if tc.pending {
				f.inits["a.so"] = func() {
					close(started)
					<-release
				}
			} else {
				close(started)
				close(release)
			}
			firstDone := make(chan *Plugin, 1)
			go func() {
				p, err := first.Open("example.com/plugins/a")
				if err != nil {
					t.Error(err)
				}
				firstDone <- p
			}()
			<-started
			if !tc.pending {
				<-firstDone
			}
			secondDone := make(chan error, 1)
			var p2 *Plugin
			go func() {
				var err error
				if tc.openFile {
					p2, err = second.OpenFile(so)
				} else {
					p2, err = second.Open("example.com/plugins/a")
				}
				secondDone <- err
			}()
			if tc.pending {
				time.Sleep(20 * time.Millisecond) // the second open waits for the first load
				close(release)
				<-firstDone
			}
			err = <-secondDone
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) || p2 != nil {
					t.Errorf("second open: %v, %v; want nil, %v", p2, err, tc.wantErr)
				}
			} else if err != nil || p2 == nil {
				t.Errorf("second open: %v, %v; want the loaded plugin", p2, err)
			}
			if len(f.calls) != 1 {
				t.Errorf("plugin.Open ran %d times (%q), want once", len(f.calls), f.calls)
			}
		})
	}
}

// TestNewPinned: with the manifest linked into the binary (package pin, as go_plugin_host
// does), New reads no manifest file: a forged runfiles tree (RUNFILES_DIR), a forged runfiles
// manifest (RUNFILES_MANIFEST_FILE) or RULES_GO_PLUGIN_MANIFEST choose neither the plugins nor
// their bytes; a forged plugin file fails its pinned digest. Only a binary built with
// manifest_override lets RULES_GO_PLUGIN_MANIFEST win.
func TestNewPinned(t *testing.T) {
	h := newTestHost(t)
	pin, err := os.ReadFile(h.manifest)
	if err != nil {
		t.Fatal(err)
	}
	// The forged tree: the manifest at the linked runfiles path lists other bytes for a (with
	// their true digest), and a's runfiles path holds them.
	forged := t.TempDir()
	evil := []byte("plugin evil")
	writeFile(t, filepath.Join(forged, "_main/plugins/a/a.so"), evil)
	forgedEntries := []Entry{{Label: "@@//plugins/a:a", PluginPath: "example.com/plugins/a", RlocationPath: "_main/plugins/a/a.so", SHA256: sha(evil)}}
	b, err := json.Marshal(map[string]any{"plugins": forgedEntries})
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(forged, "_main/app/host.plugins.json"), b)
	rfManifest := filepath.Join(t.TempDir(), "MANIFEST")
	writeFile(t, rfManifest, []byte(fmt.Sprintf("_main/app/host.plugins.json %s\n_main/plugins/a/a.so %s\n",
		filepath.Join(forged, "_main/app/host.plugins.json"), filepath.Join(forged, "_main/plugins/a/a.so"))))

	for _, tc := range []struct {
		name     string
		env      map[string]string
		override string
		pin      string
		want     []Entry // Plugins()
		wantOpen error   // of example.com/plugins/a
		wantErr  string  // of New
	}{
		{name: "forged RUNFILES_DIR", env: map[string]string{"RUNFILES_DIR": forged}, pin: string(pin), want: h.entries, wantOpen: ErrDigestMismatch},
		{name: "forged RUNFILES_MANIFEST_FILE", env: map[string]string{"RUNFILES_MANIFEST_FILE": rfManifest}, pin: string(pin), want: h.entries, wantOpen: ErrDigestMismatch},
		{name: "RULES_GO_PLUGIN_MANIFEST ignored", env: map[string]string{"RUNFILES_DIR": forged, ManifestEnv: "_main/app/host.plugins.json"}, pin: string(pin), want: h.entries, wantOpen: ErrDigestMismatch},
		{name: "manifest_override: RULES_GO_PLUGIN_MANIFEST wins", env: map[string]string{"RUNFILES_DIR": forged, ManifestEnv: "_main/app/host.plugins.json"}, override: "1", pin: string(pin), want: forgedEntries},
		{name: "manifest_override without RULES_GO_PLUGIN_MANIFEST", env: map[string]string{"RUNFILES_DIR": forged}, override: "1", pin: string(pin), want: h.entries, wantOpen: ErrDigestMismatch},
		{name: "not pinned: the forged tree chooses (a binary not built by go_plugin_host)", env: map[string]string{"RUNFILES_DIR": forged}, want: forgedEntries},
		{name: "a bad pinned manifest", pin: `{"plugins":[{"pluginpath":"a"}]}`, wantErr: "loader: plugin manifest the manifest linked into this binary: plugin 1: no rlocation"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, k := range []string{"RUNFILES_DIR", "RUNFILES_MANIFEST_FILE", "RUNFILES_MANIFEST_ONLY", "TEST_SRCDIR", ManifestEnv} {
				t.Setenv(k, tc.env[k])
			}
			defer func(l, o string, p func() string) { manifestRlocationpath, manifestOverride, pinnedManifest = l, o, p }(manifestRlocationpath, manifestOverride, pinnedManifest)
			manifestRlocationpath, manifestOverride = "_main/app/host.plugins.json", tc.override
			pinnedManifest = func() string { return tc.pin }
			l, err := New()
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("New: %v, want an error containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := l.Plugins(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Plugins() = %+v, want %+v", got, tc.want)
			}
			f := &fakeOpener{errs: map[string]error{}, inits: map[string]func(){}}
			l.open, l.loaded = f.open, newPluginTable()
			_, err = l.Open("example.com/plugins/a")
			if tc.wantOpen == nil && err != nil || tc.wantOpen != nil && !errors.Is(err, tc.wantOpen) {
				t.Errorf("Open: %v, want %v", err, tc.wantOpen)
			}
			if tc.wantOpen != nil && len(f.calls) != 0 {
				t.Errorf("plugin.Open ran on %q", f.calls)
			}
		})
	}
}

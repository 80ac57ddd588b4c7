package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// config is the parsed and validated command line. After parseArgs returns,
// every path in it that names a file or directory is absolute (see
// absolutize); -o is passed to the linker relative to the working directory.
type config struct {
	link         string    // -link: the SDK's link tool
	goroot       string    // -goroot: the SDK root
	mainSrcs     []string  // -main_src: Go sources of the plugin's package
	mainArchive  string    // -main: archive of the compiled main package
	pluginPath   string    // -pluginpath: import path the main package was compiled with (-p)
	archives     []archive // -arc IMPORTPATH=PATH, repeated, in command line order
	stdlibPkgDir string    // -stdlib_pkg_dir: root of the -dynlink std archives
	out          string    // -o: the .so to produce
	extld        string    // -extld: C compiler/linker for -linkmode=external
	extldflags   []string  // -extldflag, repeated
	xdefs        []string  // -x NAME=VALUE, repeated
	linkopts     []string  // -linkopt, repeated
	packagesOut  string    // -packages_out: optional package/fingerprint list
	stamps       []string  // -stamp: workspace status files for {KEY} in -x values, repeated

	// Build info (buildinfo.go), from rules_go's per-package data as its link builder reads it.
	mainPackagePath    string   // -main_package_path: the build info's path
	mainImports        string   // -main_imports: file of the main package's imports
	imports            []string // -imports IMPORTMAP=FILE: each package's imports, repeated
	packageMetadata    []string // -package_metadata IMPORTMAP=FILE: each package's module metadata, repeated
	mainModuleMetadata string   // -main_module_metadata: the main package's module metadata
	buildinfoTags      []string // -buildinfo_tag: build tags, repeated
}

// archive is one -arc entry (or the main archive): an import path and the
// archive file the linker should read for it.
type archive struct {
	importPath string
	file       string
}

// multiFlag collects every value of a repeated string flag.
type multiFlag []string

func (m *multiFlag) String() string { return strings.Join(*m, " ") }

func (m *multiFlag) Set(v string) error {
	*m = append(*m, v)
	return nil
}

// archiveFlag collects repeated -arc IMPORTPATH=PATH values.
type archiveFlag []archive

func (a *archiveFlag) String() string { return fmt.Sprint(*a) }

func (a *archiveFlag) Set(v string) error {
	imp, file, ok := strings.Cut(v, "=")
	if !ok || imp == "" || file == "" {
		return fmt.Errorf("want IMPORTPATH=PATH, got %q", v)
	}
	*a = append(*a, archive{importPath: imp, file: file})
	return nil
}

// usageText is the synopsis; the flags are listed from their definitions (PrintDefaults).
const usageText = `usage: pluginlink [@PARAMSFILE] -link PATH -goroot PATH -main PATH -pluginpath IMPORTPATH -o OUT.so -extld CC [FLAG]...

Links a Go plugin (.so) from compiled archives, like the link step of
'go build -buildmode=plugin'. A first argument @FILE is replaced by the lines
of FILE, one argument per line (Bazel's "multiline" params file format).
Flags:
`

// parseArgs expands a leading @params-file argument, parses the flags,
// validates them and makes all paths absolute relative to the current
// working directory.
func parseArgs(args []string, stderr io.Writer) (*config, error) {
	args, err := expandParamsFile(args)
	if err != nil {
		return nil, err
	}

	var (
		cfg                                  config
		archives                             archiveFlag
		extldflags, xdefs, linkops, mainSrcs multiFlag
		stamps, imports, metadata, tags      multiFlag
	)
	fs := flag.NewFlagSet("pluginlink", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageText)
		fs.PrintDefaults()
	}
	fs.StringVar(&cfg.link, "link", "", "`path` of the SDK's link tool (default GOROOT/pkg/tool/GOOS_GOARCH/link)")
	fs.StringVar(&cfg.goroot, "goroot", "", "`path` of the Go SDK root")
	fs.StringVar(&cfg.mainArchive, "main", "", "`path` of the main package's archive")
	fs.StringVar(&cfg.pluginPath, "pluginpath", "", "plugin `importpath` (the -p the main package was compiled with)")
	fs.Var(&archives, "arc", "dependency archive as `importpath=path` (repeated)")
	fs.StringVar(&cfg.stdlibPkgDir, "stdlib_pkg_dir", "", "`dir`ectory of the -dynlink standard library archives (DIR/a/b.a for package a/b)")
	fs.StringVar(&cfg.out, "o", "", "output .so `path`")
	fs.StringVar(&cfg.extld, "extld", "", "C compiler/linker `path` for -linkmode=external")
	fs.Var(&extldflags, "extldflag", "`flag` for the external linker (repeated)")
	fs.Var(&xdefs, "x", "string variable definition `importpath.name=value` (repeated; main.name means the plugin's package)")
	fs.Var(&linkops, "linkopt", "extra raw `flag` for the Go linker (repeated)")
	fs.StringVar(&cfg.packagesOut, "packages_out", "", "write the linked packages and their fingerprints to `path`")
	fs.Var(&stamps, "stamp", "workspace status `file` whose values replace {KEY} in -x values (repeated)")
	fs.Var(&mainSrcs, "main_src", "Go source `file` of the plugin's package, checked to be package main before linking (repeated)")
	fs.StringVar(&cfg.mainPackagePath, "main_package_path", "", "the build info's main package `path` (default: -pluginpath)")
	fs.StringVar(&cfg.mainImports, "main_imports", "", "`file` listing the main package's imports, one importmap per line (rules_go's .imports)")
	fs.Var(&imports, "imports", "a package's imports file as `importmap=path` (repeated)")
	fs.Var(&metadata, "package_metadata", "a package's module metadata file (JSON with a purl) as `importmap=path` (repeated)")
	fs.StringVar(&cfg.mainModuleMetadata, "main_module_metadata", "", "module metadata `file` of the main package")
	fs.Var(&tags, "buildinfo_tag", "a build `tag` for the build info (repeated)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (all inputs are given by flags)", fs.Arg(0))
	}
	cfg.archives = archives
	cfg.extldflags = extldflags
	cfg.xdefs = xdefs
	cfg.linkopts = linkops
	cfg.mainSrcs = mainSrcs
	cfg.stamps = stamps
	cfg.imports = imports
	cfg.packageMetadata = metadata
	cfg.buildinfoTags = tags

	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if err := cfg.absolutize(); err != nil {
		return nil, err
	}
	return &cfg, nil
}

// validate checks that the required flags are present and well formed.
func (c *config) validate() error {
	var missing []string
	for _, f := range []struct {
		name, val string
	}{
		{"-main", c.mainArchive},
		{"-pluginpath", c.pluginPath},
		{"-o", c.out},
		{"-extld", c.extld},
	} {
		if f.val == "" {
			missing = append(missing, f.name)
		}
	}
	if c.link == "" && c.goroot == "" {
		missing = append(missing, "-link (or -goroot)")
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing required flag(s): %s", strings.Join(missing, ", "))
	}
	if err := checkImportPath(c.pluginPath); err != nil {
		return fmt.Errorf("-pluginpath: %v", err)
	}
	for _, a := range c.archives {
		if err := checkImportPath(a.importPath); err != nil {
			return fmt.Errorf("-arc %s=%s: %v", a.importPath, a.file, err)
		}
	}
	for _, x := range c.xdefs {
		if _, err := rewriteXDef(x, c.pluginPath); err != nil {
			return err
		}
	}
	if base := filepath.Base(c.out); base == "." || base == ".." || base == string(filepath.Separator) {
		return fmt.Errorf("-o %q: must name a file", c.out)
	}
	return nil
}

// checkImportPath rejects import paths that cannot be written to an
// importcfg line or a linker flag unambiguously.
func checkImportPath(p string) error {
	if p == "" {
		return errors.New("empty import path")
	}
	if strings.ContainsAny(p, "= \t\r\n") {
		return fmt.Errorf("import path %q contains '=' or whitespace", p)
	}
	return nil
}

// absolutize makes every file system path in c absolute, so that the values
// do not depend on the directory the tools run in (the linker runs in the
// execroot, linkcmd.go; the C linker wrapper wherever the linker starts it).
// Tool paths without a separator (like "gcc") are left alone for $PATH lookup.
func (c *config) absolutize() error {
	var err error
	abs := func(p *string) {
		if err != nil || *p == "" {
			return
		}
		var a string
		a, err = filepath.Abs(*p)
		*p = a
	}
	tool := func(p *string) {
		if strings.ContainsRune(*p, filepath.Separator) || strings.ContainsRune(*p, '/') {
			abs(p)
		}
	}
	abs(&c.goroot)
	if c.link == "" {
		c.link = defaultLinkTool(c.goroot)
	}
	tool(&c.link)
	tool(&c.extld)
	abs(&c.mainArchive)
	abs(&c.stdlibPkgDir)
	abs(&c.out)
	abs(&c.packagesOut)
	for i := range c.archives {
		abs(&c.archives[i].file)
	}
	for i := range c.stamps {
		abs(&c.stamps[i])
	}
	return err
}

// expandParamsFile replaces a first argument "@FILE" by the contents of
// FILE, one argument per line and no quoting or escaping, which is what
// Bazel's Args.use_param_file(..., format = "multiline") writes. A final
// newline terminates the last argument; empty lines are empty arguments.
// Only the first argument is expanded, so values starting with '@' later on
// the command line are passed through unchanged.
func expandParamsFile(args []string) ([]string, error) {
	if len(args) == 0 || !strings.HasPrefix(args[0], "@") {
		return args, nil
	}
	name := args[0][1:]
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("params file: %v", err)
	}
	var fileArgs []string
	if len(data) > 0 {
		fileArgs = strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	}
	return append(fileArgs, args[1:]...), nil
}

// defaultLinkTool returns GOROOT/pkg/tool/GOOS_GOARCH/link for the platform
// this helper runs on (the exec platform, which is where the linker runs).
func defaultLinkTool(goroot string) string {
	name := "link"
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	return filepath.Join(goroot, "pkg", "tool", runtime.GOOS+"_"+runtime.GOARCH, name)
}

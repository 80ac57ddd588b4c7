// Command allowlistgen generates a Starlark file listing the platforms on
// which the Go toolchain supports -buildmode=plugin.
//
// The list is extracted from the "plugin" case of
// internal/platform.BuildModeSupported in the Go SDK's
// src/internal/platform/supported.go, which is the source of truth the go
// command itself uses. The file is parsed with go/parser; if its structure is
// not the one this tool understands, generation fails instead of guessing.
//
// Usage:
//
//	go run ./tools/allowlistgen -supported "$(go env GOROOT)/src/internal/platform/supported.go" -out go/private/allowlist.bzl
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

const (
	// funcName is the function in supported.go whose "plugin" case is read.
	funcName = "BuildModeSupported"
	// pluginMode is the build mode whose platforms are extracted.
	pluginMode = "plugin"
	// supportedRel is the location of supported.go inside a GOROOT.
	supportedRel = "src/internal/platform/supported.go"
	// regenerateCmd is the command that regenerates the committed file.
	regenerateCmd = `go run ./tools/allowlistgen -supported "$(go env GOROOT)/src/internal/platform/supported.go" -out go/private/allowlist.bzl`
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(os.Stderr, "allowlistgen: %v\n", err)
		}
		os.Exit(2)
	}
}

// run implements the command line interface. It is separate from main so
// that it can be tested.
func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("allowlistgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	supported := fs.String("supported", "", "path to the Go SDK's "+supportedRel+" (required)")
	goVersion := fs.String("go_version", "", "Go version recorded in the header, e.g. go1.26.8 (default: first line of the VERSION file of the SDK containing -supported)")
	out := fs.String("out", "", "output .bzl file (default: standard output)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: allowlistgen -supported <supported.go> [-go_version <version>] [-out <file.bzl>]\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	if *supported == "" {
		return errors.New("-supported is required")
	}

	src, err := os.ReadFile(*supported)
	if err != nil {
		return err
	}
	platforms, err := parsePluginPlatforms(*supported, src)
	if err != nil {
		return err
	}

	version := *goVersion
	if version == "" {
		version, err = sdkGoVersion(*supported)
		if err != nil {
			return fmt.Errorf("%v (pass -go_version explicitly)", err)
		}
	}
	content, err := render(version, platforms)
	if err != nil {
		return err
	}

	if *out == "" {
		_, err := stdout.Write(content)
		return err
	}
	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		return err
	}
	return os.WriteFile(*out, content, 0o644)
}

// sdkGoVersion returns the Go version of the SDK that contains the given
// supported.go, read from the first line of the VERSION file next to the
// SDK's src/ directory. If supportedPath is a symlink (as in Bazel runfiles
// trees), the SDK containing its target is consulted as well.
func sdkGoVersion(supportedPath string) (string, error) {
	candidates := []string{supportedPath}
	if resolved, err := filepath.EvalSymlinks(supportedPath); err == nil && resolved != supportedPath {
		candidates = append(candidates, resolved)
	}
	var errs []error
	for _, p := range candidates {
		root, ok := sdkRoot(p)
		if !ok {
			errs = append(errs, fmt.Errorf("%s is not at %s inside a Go SDK, cannot locate its VERSION file", p, supportedRel))
			continue
		}
		versionFile := filepath.Join(root, "VERSION")
		data, err := os.ReadFile(versionFile)
		if err != nil {
			errs = append(errs, fmt.Errorf("cannot determine the Go version: %w", err))
			continue
		}
		line, _, _ := strings.Cut(string(data), "\n")
		line = strings.TrimSpace(line)
		if line == "" {
			errs = append(errs, fmt.Errorf("cannot determine the Go version: first line of %s is empty", versionFile))
			continue
		}
		return line, nil
	}
	return "", errors.Join(errs...)
}

// sdkRoot returns the GOROOT containing supportedPath, which must end in
// src/internal/platform/supported.go.
func sdkRoot(supportedPath string) (string, bool) {
	p := filepath.ToSlash(filepath.Clean(supportedPath))
	if p == supportedRel {
		return ".", true
	}
	root, ok := strings.CutSuffix(p, "/"+supportedRel)
	if !ok {
		return "", false
	}
	if root == "" { // supportedPath was "/src/internal/platform/supported.go"
		root = "/"
	}
	return filepath.FromSlash(root), true
}

// render returns the generated Starlark file. The output is deterministic
// and formatted as buildifier would format it.
func render(goVersion string, platforms []string) ([]byte, error) {
	if goVersion == "" || strings.ContainsAny(goVersion, "\r\n") {
		return nil, fmt.Errorf("invalid Go version %q", goVersion)
	}
	if len(platforms) == 0 {
		return nil, errors.New("no platforms to write")
	}
	sorted := append([]string(nil), platforms...)
	sort.Strings(sorted)

	var b bytes.Buffer
	fmt.Fprintf(&b, "# Code generated by tools/allowlistgen from %s of %s. DO NOT EDIT.\n", supportedRel, goVersion)
	fmt.Fprintf(&b, "# Regenerate: %s\n", regenerateCmd)
	fmt.Fprintf(&b, "\"\"\"Platforms on which Go supports -buildmode=plugin (internal/platform.%s).\"\"\"\n", funcName)
	b.WriteString("\nPLUGIN_PLATFORMS = [\n")
	for _, p := range sorted {
		// Platforms are validated to be plain goos/goarch identifiers,
		// so Go quoting coincides with Starlark quoting here.
		fmt.Fprintf(&b, "    %s,\n", strconv.Quote(p))
	}
	b.WriteString("]\n")
	return b.Bytes(), nil
}

// parsePluginPlatforms parses the contents of supported.go and returns the
// sorted "goos/goarch" platforms of the "plugin" case of BuildModeSupported.
//
// The expected structure (as of Go 1.26) is:
//
//	func BuildModeSupported(compiler, buildmode, goos, goarch string) bool {
//		...
//		platform := goos + "/" + goarch
//		switch buildmode {
//		...
//		case "plugin":
//			switch platform {
//			case "linux/amd64", ...,
//				"freebsd/amd64":
//				return true
//			}
//			return false
//		...
//		}
//	}
//
// Any deviation (missing function or case, non-literal platforms, additional
// statements, cases not returning true, ...) is reported as an error.
func parsePluginPlatforms(filename string, src []byte) ([]string, error) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, filename, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("parsing %s: %w", filename, err)
	}
	p := &extractor{fset: fset}
	platforms, err := p.extract(file)
	if err != nil {
		return nil, fmt.Errorf("%s: unexpected structure of %s (this tool needs updating for this Go version): %w", filename, funcName, err)
	}
	return platforms, nil
}

type extractor struct {
	fset *token.FileSet
	// Parameter names of BuildModeSupported.
	buildmode, goos, goarch string
	// Name of the local variable holding goos + "/" + goarch, if any.
	platformVar string
}

func (e *extractor) pos(n ast.Node) token.Position {
	return e.fset.Position(n.Pos())
}

func (e *extractor) extract(file *ast.File) ([]string, error) {
	var fn *ast.FuncDecl
	for _, decl := range file.Decls {
		if d, ok := decl.(*ast.FuncDecl); ok && d.Recv == nil && d.Name.Name == funcName {
			if fn != nil {
				return nil, fmt.Errorf("function %s declared more than once", funcName)
			}
			fn = d
		}
	}
	if fn == nil {
		return nil, fmt.Errorf("function %s not found", funcName)
	}
	if fn.Body == nil {
		return nil, fmt.Errorf("function %s has no body", funcName)
	}

	params := map[string]bool{}
	for _, field := range fn.Type.Params.List {
		for _, name := range field.Names {
			params[name.Name] = true
		}
	}
	for _, name := range []string{"buildmode", "goos", "goarch"} {
		if !params[name] {
			return nil, fmt.Errorf("%s: function %s has no parameter %q", e.pos(fn), funcName, name)
		}
	}
	e.buildmode, e.goos, e.goarch = "buildmode", "goos", "goarch"

	// Find the top-level "switch buildmode" and the platform variable.
	var modeSwitch *ast.SwitchStmt
	for _, stmt := range fn.Body.List {
		switch s := stmt.(type) {
		case *ast.AssignStmt:
			if len(s.Lhs) == 1 && len(s.Rhs) == 1 && e.isPlatformExpr(s.Rhs[0]) {
				if id, ok := s.Lhs[0].(*ast.Ident); ok {
					e.platformVar = id.Name
				}
			}
		case *ast.SwitchStmt:
			if s.Init == nil && isIdent(s.Tag, e.buildmode) {
				if modeSwitch != nil {
					return nil, fmt.Errorf("%s: more than one switch on %s", e.pos(s), e.buildmode)
				}
				modeSwitch = s
			}
		}
	}
	if modeSwitch == nil {
		return nil, fmt.Errorf("no top-level switch on %s found in %s", e.buildmode, funcName)
	}

	// Find the case clause listing "plugin".
	var pluginCase *ast.CaseClause
	for _, stmt := range modeSwitch.Body.List {
		cc := stmt.(*ast.CaseClause)
		for _, expr := range cc.List {
			lit, ok := expr.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return nil, fmt.Errorf("%s: non-literal build mode %s in switch on %s", e.pos(expr), types.ExprString(expr), e.buildmode)
			}
			mode, err := strconv.Unquote(lit.Value)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", e.pos(lit), err)
			}
			if mode == pluginMode {
				if pluginCase != nil {
					return nil, fmt.Errorf("%s: case %q listed more than once", e.pos(lit), pluginMode)
				}
				pluginCase = cc
			}
		}
	}
	if pluginCase == nil {
		return nil, fmt.Errorf("%s: no case %q in switch on %s", e.pos(modeSwitch), pluginMode, e.buildmode)
	}
	return e.pluginCase(pluginCase)
}

// pluginCase extracts the platforms from the body of the "plugin" case,
// which must consist of a switch on the platform followed by "return false".
func (e *extractor) pluginCase(cc *ast.CaseClause) ([]string, error) {
	body := cc.Body
	if len(body) != 2 {
		return nil, fmt.Errorf("%s: case %q has %d statements, want 2 (switch on the platform, then return false)", e.pos(cc), pluginMode, len(body))
	}
	sw, ok := body[0].(*ast.SwitchStmt)
	if !ok || sw.Init != nil || !e.isPlatformTag(sw.Tag) {
		return nil, fmt.Errorf("%s: case %q does not start with a switch on %s + \"/\" + %s", e.pos(body[0]), pluginMode, e.goos, e.goarch)
	}
	if !isReturnBool(body[1], false) {
		return nil, fmt.Errorf("%s: case %q does not end with return false", e.pos(body[1]), pluginMode)
	}

	seen := map[string]bool{}
	var platforms []string
	for _, stmt := range sw.Body.List {
		pc := stmt.(*ast.CaseClause)
		if pc.List == nil {
			return nil, fmt.Errorf("%s: unexpected default clause in the %q platform switch", e.pos(pc), pluginMode)
		}
		if len(pc.Body) != 1 || !isReturnBool(pc.Body[0], true) {
			return nil, fmt.Errorf("%s: platform case in the %q switch does not consist of just return true", e.pos(pc), pluginMode)
		}
		for _, expr := range pc.List {
			lit, ok := expr.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return nil, fmt.Errorf("%s: non-literal platform expression %s in case %q", e.pos(expr), types.ExprString(expr), pluginMode)
			}
			platform, err := strconv.Unquote(lit.Value)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", e.pos(lit), err)
			}
			if !validPlatform(platform) {
				return nil, fmt.Errorf("%s: platform %q in case %q is not of the form goos/goarch", e.pos(lit), platform, pluginMode)
			}
			if seen[platform] {
				return nil, fmt.Errorf("%s: duplicate platform %q in case %q", e.pos(lit), platform, pluginMode)
			}
			seen[platform] = true
			platforms = append(platforms, platform)
		}
	}
	if len(platforms) == 0 {
		return nil, fmt.Errorf("%s: case %q lists no platforms", e.pos(cc), pluginMode)
	}
	sort.Strings(platforms)
	return platforms, nil
}

// isPlatformTag reports whether expr is the platform variable or
// goos + "/" + goarch itself.
func (e *extractor) isPlatformTag(expr ast.Expr) bool {
	if e.platformVar != "" && isIdent(expr, e.platformVar) {
		return true
	}
	return e.isPlatformExpr(expr)
}

// isPlatformExpr reports whether expr is goos + "/" + goarch.
func (e *extractor) isPlatformExpr(expr ast.Expr) bool {
	outer, ok := unparen(expr).(*ast.BinaryExpr)
	if !ok || outer.Op != token.ADD || !isIdent(outer.Y, e.goarch) {
		return false
	}
	inner, ok := unparen(outer.X).(*ast.BinaryExpr)
	if !ok || inner.Op != token.ADD || !isIdent(inner.X, e.goos) {
		return false
	}
	lit, ok := unparen(inner.Y).(*ast.BasicLit)
	return ok && lit.Kind == token.STRING && (lit.Value == `"/"` || lit.Value == "`/`")
}

func unparen(expr ast.Expr) ast.Expr {
	for {
		p, ok := expr.(*ast.ParenExpr)
		if !ok {
			return expr
		}
		expr = p.X
	}
}

func isIdent(expr ast.Expr, name string) bool {
	id, ok := unparen(expr).(*ast.Ident)
	return ok && id.Name == name
}

func isReturnBool(stmt ast.Stmt, value bool) bool {
	ret, ok := stmt.(*ast.ReturnStmt)
	return ok && len(ret.Results) == 1 && isIdent(ret.Results[0], strconv.FormatBool(value))
}

// validPlatform reports whether s looks like "goos/goarch", with both parts
// non-empty and made of lower-case letters and digits.
func validPlatform(s string) bool {
	goos, goarch, ok := strings.Cut(s, "/")
	return ok && validPart(goos) && validPart(goarch)
}

func validPart(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// Command hostcompile stands in for the Go SDK's `compile` tool in a host SDK (go_plugin's
// `host_sdk`): it compiles each package that a released host links with the source file names
// that host's compiler recorded, so that the package's export data, and with it the
// fingerprint plugin.Open compares, are the host's.
//
// It runs as `$GOROOT/pkg/tool/<goos>_<goarch>/compile`, for rules_go's compile actions and
// for its standard library build (cmd/go) alike. Next to it are the real compiler,
// `compile.real`, and the host's ABI file, `compile.plugin_abi.json`, whose `source_dirs`
// maps each package to the directory the host recorded. For a compile of such a package
// (`-p <importpath>`) it prepends `<the package's source directory>=><the host's directory>`
// to `-trimpath` (the compiler applies the first rewrite that matches), then runs the real
// compiler with the same arguments. Every other invocation (`-V=full`, packages the host does
// not link) is passed through unchanged. The repository rule of go_plugin's host_sdk builds
// it with the SDK's own `go` (docs/go_build_hosts.md).
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "hostcompile: %v\n", err)
		os.Exit(2)
	}
}

func run(args []string) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	if resolved, err := filepath.EvalSymlinks(self); err == nil {
		self = resolved
	}
	dir := filepath.Dir(self)
	real := filepath.Join(dir, "compile.real")
	dirs, err := loadSourceDirs(filepath.Join(dir, "compile.plugin_abi.json"))
	if err != nil {
		return err
	}
	cwd, err := os.Getwd()
	if err != nil {
		return err
	}
	newArgs, err := rewriteArgs(args, dirs, cwd)
	if err != nil {
		return err
	}
	// argv[0] stays "compile": the compiler names itself after it in `-V=full`, which cmd/go
	// parses ("compile version go1.26.8").
	return syscall.Exec(real, append([]string{os.Args[0]}, newArgs...), os.Environ())
}

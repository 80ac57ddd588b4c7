package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
)

// The C linker wrapper. rules_go records the relative paths of a hermetic C
// toolchain (-I, -L, --sysroot, ...) in cgo flags with ccPlaceholder in
// front (go/tools/builders/env.go, absCCCompiler), because the flags end up
// in archives and absolute paths would make them machine-dependent. Its
// link builder expands them when the external linker runs, by running the
// linker through itself (absCCLinker, symlinkBuilderCC and the cc verb in
// cc.go). We do the same: the Go linker gets a symlink to this helper,
// named ccWrapperName, as -extld, and that invocation runs the real C
// linker (ccEnv) with the placeholders replaced by ccRootEnv, the
// execroot.
const (
	ccPlaceholder = "__GO_BAZEL_CC_PLACEHOLDER__"
	ccWrapperName = "pluginlink-cc"
	ccEnv         = "PLUGINLINK_CC"
	ccRootEnv     = "PLUGINLINK_CC_ROOT"
)

// ccPathFlags are the flags whose values are paths that rules_go may have
// prefixed with ccPlaceholder (rules_go's cgoAbsEnvFlags, v0.65.0).
var ccPathFlags = []string{"-I", "-L", "-isysroot", "-isystem", "-internal-isystem", "-internal-externc-isystem", "-stdlib++-isystem", "-iquote", "-include", "-imacros", "-gcc-toolchain", "--sysroot", "-resource-dir", "-fsanitize-blacklist", "-fsanitize-ignorelist", "--warning-suppression-mappings", "-idirafter", "-isystem-after", "--include-directory-after "}

// isCCWrapper reports whether the helper was invoked as the C linker wrapper.
func isCCWrapper(arg0 string) bool {
	return strings.TrimSuffix(filepath.Base(arg0), ".exe") == ccWrapperName
}

// runCCWrapper runs the real C linker with args, placeholders expanded. It
// mirrors rules_go's cc verb (go/tools/builders/cc.go): a placeholder path
// becomes absolute under the execroot if that exists, and is otherwise
// passed on without the placeholder.
func runCCWrapper(args []string) error {
	cc := os.Getenv(ccEnv)
	if cc == "" {
		return errors.New(ccEnv + " is not set (this program is run as the C linker by pluginlink only)")
	}
	root := os.Getenv(ccRootEnv)
	if root == "" {
		return errors.New(ccRootEnv + " is not set")
	}
	if !strings.ContainsRune(cc, filepath.Separator) {
		// A bare name (-extld gcc) is looked up in PATH, as the Go linker would.
		path, err := exec.LookPath(cc)
		if err != nil {
			return err
		}
		cc = path
	}
	argv := append([]string{cc}, args...)
	expandCCPlaceholders(argv, root)
	if runtime.GOOS == "windows" {
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
		return cmd.Run()
	}
	return syscall.Exec(argv[0], argv, os.Environ())
}

// expandCCPlaceholders rewrites, in place, the values of ccPathFlags that
// start with ccPlaceholder (rules_go's transformArgs with the function of
// its cc verb).
func expandCCPlaceholders(args []string, root string) {
	expand := func(s string) string {
		rel, ok := strings.CutPrefix(s, ccPlaceholder)
		if !ok {
			return s
		}
		if abs := filepath.Join(root, rel); exists(abs) {
			return abs
		}
		return rel
	}
	valueNext := false
	for i := range args {
		// A path argument may follow forwarding flags: -Xclang -isystem -Xclang PATH.
		if valueNext && (args[i] == "-Xclang" || args[i] == "-Xpreprocessor") {
			continue
		}
		if valueNext {
			args[i] = expand(args[i])
			valueNext = false
			continue
		}
		for _, f := range ccPathFlags {
			value, ok := strings.CutPrefix(args[i], f)
			if !ok {
				continue
			}
			if value == "" {
				valueNext = true
				break
			}
			sep := ""
			if value[0] == '=' {
				value, sep = value[1:], "="
			}
			args[i] = f + sep + expand(value)
			break
		}
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// installCCWrapper makes the Go linker run the C linker extld through this
// helper: it creates a symlink to the running executable named
// ccWrapperName in dir, sets the wrapper's environment, and returns the
// symlink's path, to pass as -extld.
func installCCWrapper(dir, extld, root string) (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("C linker wrapper: %v", err)
	}
	name := ccWrapperName
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	link := filepath.Join(dir, name)
	if err := os.Symlink(self, link); err != nil {
		return "", fmt.Errorf("C linker wrapper: %v", err)
	}
	if err := os.Setenv(ccEnv, extld); err != nil {
		return "", err
	}
	if err := os.Setenv(ccRootEnv, root); err != nil {
		return "", err
	}
	return link, nil
}

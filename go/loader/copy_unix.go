//go:build unix

package loader

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// openNonblock opens without waiting: a FIFO (or a device) named as a plugin would
// otherwise block the open itself, before newPrivateCopy can see it is no regular file.
const openNonblock = syscall.O_NONBLOCK

// checkCopyParent refuses a directory in which another user could rename or replace the
// private directory, or any of whose ancestors another user could rename or replace (which
// swaps the whole path between the hash and plugin.Open): a directory or ancestor owned by
// another user (root aside), or writable by group or others without the sticky bit (/tmp has
// it: there, only the owner may rename its entries). A symbolic link on the way must belong to
// this user or root, and the directories of its target are checked too.
func checkCopyParent(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return err
	}
	for _, p := range []string{abs, real} {
		for d := p; ; d = filepath.Dir(d) {
			if err := checkCopyAncestor(d); err != nil {
				if d == dir || d == abs {
					return err
				}
				return fmt.Errorf("%s: its ancestor %w", dir, err)
			}
			if d == filepath.Dir(d) {
				break
			}
		}
	}
	return nil
}

// checkCopyAncestor checks one directory of checkCopyParent's path (a symbolic link there: its
// owner only; its target's directories are checked with the real path).
func checkCopyAncestor(d string) error {
	fi, err := os.Lstat(d)
	if err != nil {
		return err
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && !trustedOwner(st.Uid) {
		return fmt.Errorf("%s is owned by uid %d, not by this process's user or root", d, st.Uid)
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		return nil
	}
	if fi.Mode().Perm()&0o022 != 0 && fi.Mode()&os.ModeSticky == 0 {
		return fmt.Errorf("%s is writable by other users and has no sticky bit (mode %v)", d, fi.Mode())
	}
	return nil
}

// trustedOwner reports whether a directory owned by uid may be on the copy's path: this
// process's user or root. In a user namespace that does not map root (Bazel's linux-sandbox
// for a user other than root), root's files show the overflow uid, which then stands for root.
func trustedOwner(uid uint32) bool {
	if uid == 0 || int(uid) == os.Geteuid() {
		return true
	}
	overflow.once.Do(func() {
		m, err := os.ReadFile("/proc/self/uid_map")
		if err != nil || mapsRealRoot(string(m)) {
			return // root's files show its own (mapped) uid, or this is not Linux
		}
		b, err := os.ReadFile("/proc/sys/kernel/overflowuid")
		if err != nil {
			return
		}
		if n, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 32); err == nil {
			overflow.uid, overflow.ok = uint32(n), true
		}
	})
	return overflow.ok && uid == overflow.uid
}

// mapsRealRoot reports whether a /proc/self/uid_map maps the real uid 0 ("inside outside
// count" lines).
func mapsRealRoot(uidMap string) bool {
	for _, line := range strings.Split(uidMap, "\n") {
		f := strings.Fields(line)
		if len(f) == 3 && f[1] == "0" {
			return true
		}
	}
	return false
}

var overflow struct {
	once sync.Once
	uid  uint32
	ok   bool
}

// removeStaleCopies removes the private directories in parent that processes of this user left
// behind when they died during a load (a directory's name holds its process's ID): each is
// this user's, and its process no longer exists. Errors are ignored; a directory whose ID was
// reused by a live process stays.
func removeStaleCopies(parent string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || !strings.HasPrefix(name, copyDirName) {
			continue
		}
		pidText, _, ok := strings.Cut(strings.TrimPrefix(name, copyDirName), "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || err != nil || pid <= 0 || pid == os.Getpid() {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue
		}
		if st, ok := fi.Sys().(*syscall.Stat_t); !ok || int(st.Uid) != os.Geteuid() {
			continue
		}
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			os.RemoveAll(filepath.Join(parent, name))
		}
	}
}

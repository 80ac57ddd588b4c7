//go:build unix

package loader

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCheckCopyParentAncestors: a safe directory below one that others could rename entries in
// is refused as well, and so is a path through a symbolic link of another user or into such a
// directory: renaming any ancestor would swap the private copy's whole path.
func TestCheckCopyParentAncestors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		setup    func(t *testing.T, base string) string // returns the directory to check
		root     bool                                   // needs root (chown)
		wantText string
	}{
		{name: "safe ancestors", setup: func(t *testing.T, base string) string {
			return mkdirs(t, base, "a/b", 0o755)
		}},
		{name: "ancestor writable by others", setup: func(t *testing.T, base string) string {
			d := mkdirs(t, base, "shared/mine", 0o700)
			chmod(t, filepath.Join(base, "shared"), 0o777)
			return d
		}, wantText: "its ancestor " /* + base/shared */},
		{name: "ancestor with the sticky bit, as /tmp", setup: func(t *testing.T, base string) string {
			d := mkdirs(t, base, "tmp/mine", 0o700)
			chmod(t, filepath.Join(base, "tmp"), 0o777|os.ModeSticky)
			return d
		}},
		{name: "symbolic link into a directory others can write", setup: func(t *testing.T, base string) string {
			mkdirs(t, base, "shared/mine", 0o700)
			chmod(t, filepath.Join(base, "shared"), 0o777)
			link := filepath.Join(base, "link")
			if err := os.Symlink(filepath.Join(base, "shared/mine"), link); err != nil {
				t.Fatal(err)
			}
			return link
		}, wantText: "is writable by other users"},
		{name: "ancestor owned by another user", root: true, setup: func(t *testing.T, base string) string {
			d := mkdirs(t, base, "theirs/mine", 0o700)
			chown(t, filepath.Join(base, "theirs"))
			return d
		}, wantText: "is owned by uid 65534"},
		{name: "symbolic link of another user", root: true, setup: func(t *testing.T, base string) string {
			d := mkdirs(t, base, "mine", 0o700)
			link := filepath.Join(base, "link")
			if err := os.Symlink(d, link); err != nil {
				t.Fatal(err)
			}
			if err := os.Lchown(link, 65534, 65534); err != nil {
				t.Skip(err)
			}
			return link
		}, wantText: "is owned by uid 65534"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.root && os.Geteuid() != 0 {
				t.Skip("changing an owner needs root")
			}
			dir := tc.setup(t, t.TempDir())
			err := checkCopyParent(dir)
			switch {
			case tc.wantText == "" && err != nil:
				t.Errorf("checkCopyParent: %v", err)
			case tc.wantText != "" && (err == nil || !strings.Contains(err.Error(), tc.wantText)):
				t.Errorf("checkCopyParent = %v, want an error containing %q", err, tc.wantText)
			}
		})
	}
}

func mkdirs(t *testing.T, base, rel string, mode os.FileMode) string {
	t.Helper()
	d := filepath.Join(base, rel)
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	chmod(t, d, mode)
	return d
}

func chmod(t *testing.T, p string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
}

func chown(t *testing.T, p string) {
	t.Helper()
	if err := os.Chown(p, 65534, 65534); errors.Is(err, syscall.EINVAL) {
		t.Skip("uid 65534 is not mapped in this user namespace (Bazel's sandbox)")
	} else if err != nil {
		t.Fatal(err)
	}
}

// TestCopyRefusesFIFO: a FIFO where the plugin should be is refused at once; a plain open of
// one blocks until a writer comes.
func TestCopyRefusesFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "plugin.so")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := newPrivateCopy(fifo, t.TempDir())
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "is not a regular file, not a plugin file") {
			t.Errorf("newPrivateCopy(FIFO) = %v, want it refused as not a regular file", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("newPrivateCopy blocked on a FIFO")
	}
}

// TestRemoveStaleCopies: a private directory of a process that died is removed; one of a live
// process, of this process, and anything else in the directory stay.
func TestRemoveStaleCopies(t *testing.T) {
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip(err)
	}
	dead := cmd.Process.Pid
	parent := t.TempDir()
	names := map[string]bool{ // name: stays
		fmt.Sprintf("%s%d-123", copyDirName, dead):         false,
		fmt.Sprintf("%s%d-456", copyDirName, os.Getppid()): true,
		fmt.Sprintf("%s%d-789", copyDirName, os.Getpid()):  true,
		copyDirName + "old-format":                         true,
		"unrelated":                                        true,
	}
	for name := range names {
		mkdirs(t, parent, name+"/x", 0o700)
	}
	removeStaleCopies(parent)
	for name, stays := range names {
		_, err := os.Stat(filepath.Join(parent, name))
		if stays != (err == nil) {
			t.Errorf("%s: stat %v, want it to stay: %v", name, err, stays)
		}
	}
}

func TestMapsRealRoot(t *testing.T) {
	for _, tc := range []struct {
		uidMap string
		want   bool
	}{
		{"         0          0 4294967295\n", true},
		{"0 1000 1\n", false},          // fake root: real root unmapped
		{"1000 1000 1\n", false},       // the user only (Bazel's sandbox for a user)
		{"1000 1000 1\n0 0 1\n", true}, // root mapped too
	} {
		if got := mapsRealRoot(tc.uidMap); got != tc.want {
			t.Errorf("mapsRealRoot(%q) = %v, want %v", tc.uidMap, got, tc.want)
		}
	}
}

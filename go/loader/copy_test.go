package loader

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

func TestOriginRelative(t *testing.T) {
	for _, tc := range []struct {
		name string
		dirs []string
		want []string
	}{
		{"origin itself", []string{"$ORIGIN", "${ORIGIN}/"}, []string{".", "."}},
		{"below and above", []string{"$ORIGIN/lib", "$ORIGIN/../../_solib_k8/x/"}, []string{"lib", "../../_solib_k8/x"}},
		{"absolute and other tokens ignored", []string{"/usr/lib", "$LIB/x", "$ORIGINAL/x", "lib"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := originRelative(tc.dirs, "$ORIGIN", "${ORIGIN}"); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("originRelative(%q) = %q, want %q", tc.dirs, got, tc.want)
			}
		})
	}
}

func TestCheckCopyParent(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no plugins on windows")
	}
	for _, tc := range []struct {
		name     string
		mode     os.FileMode
		otherUID bool
		wantText string // "" for no error
	}{
		{name: "private", mode: 0o700},
		{name: "world-readable", mode: 0o755},
		{name: "world-writable with the sticky bit, as /tmp", mode: 0o777 | os.ModeSticky},
		{name: "world-writable without the sticky bit", mode: 0o777, wantText: "is writable by other users and has no sticky bit"},
		{name: "group-writable", mode: 0o770, wantText: "is writable by other users"},
		{name: "owned by another user", mode: 0o755, otherUID: true, wantText: "is owned by uid 65534"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "parent")
			if err := os.Mkdir(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(dir, tc.mode); err != nil {
				t.Fatal(err)
			}
			if tc.otherUID {
				if os.Geteuid() != 0 {
					t.Skip("changing a directory's owner needs root")
				}
				if err := os.Chown(dir, 65534, 65534); errors.Is(err, syscall.EINVAL) {
					t.Skip("uid 65534 is not mapped in this user namespace (Bazel's sandbox)")
				} else if err != nil {
					t.Fatal(err)
				}
			}
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

// A parent directory others could rename the private directory in is refused before anything
// is copied, and the error names loader.WithCopyDir.
func TestOpenRefusesUnsafeCopyDir(t *testing.T) {
	h := newTestHost(t)
	unsafe := filepath.Join(t.TempDir(), "shared")
	if err := os.Mkdir(unsafe, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(unsafe, 0o777); err != nil {
		t.Fatal(err)
	}
	l, f := h.loader(t)
	WithCopyDir(unsafe).apply(l)
	_, err := l.Open("example.com/plugins/a")
	if err == nil || !strings.Contains(err.Error(), "writable by other users") || !strings.Contains(err.Error(), "loader.WithCopyDir") {
		t.Errorf("Open = %v, want the unsafe directory refused", err)
	}
	if len(f.calls) != 0 {
		t.Errorf("plugin.Open called: %q", f.calls)
	}
	if entries, _ := os.ReadDir(unsafe); len(entries) != 0 {
		t.Errorf("%s holds %v", unsafe, entries)
	}
}

// The private directory is gone once Open returns, whether the load worked or not.
func TestOpenRemovesPrivateCopy(t *testing.T) {
	h := newTestHost(t)
	dir := t.TempDir()
	l, _ := h.loader(t)
	WithCopyDir(dir).apply(l)
	if _, err := l.Open("example.com/plugins/a"); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(h.dir, "other+/plugins/b/b.so"), []byte("tampered"))
	if _, err := l.Open("example.com/plugins/b"); err == nil {
		t.Fatal("tampered plugin b opened")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("%s still holds %v", dir, entries)
	}
}

//go:build unix

package loader

import (
	"fmt"
	"os"
	"syscall"
)

// checkCopyParent refuses a parent directory in which another user could
// rename or replace the private directory: one owned by another user (root
// aside), or writable by group or others without the sticky bit (/tmp has
// it: there, only the owner may rename its entries).
func checkCopyParent(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Uid != 0 && int(st.Uid) != os.Geteuid() {
		return fmt.Errorf("%s is owned by uid %d, not by this process's user or root", dir, st.Uid)
	}
	if fi.Mode().Perm()&0o022 != 0 && fi.Mode()&os.ModeSticky == 0 {
		return fmt.Errorf("%s is writable by other users and has no sticky bit (mode %v)", dir, fi.Mode())
	}
	return nil
}

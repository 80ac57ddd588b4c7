package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Copy is one generated file to copy into the workspace.
type Copy struct {
	From string // the generated file, relative to the working directory (its runfiles path)
	To   string // the destination, relative to the workspace root
}

// parseCopy parses FROM=TO.
func parseCopy(s string) (Copy, error) {
	from, to, ok := strings.Cut(s, "=")
	if !ok || from == "" || to == "" {
		return Copy{}, fmt.Errorf("%q: want GENERATED=WORKSPACE_PATH", s)
	}
	if filepath.IsAbs(to) || !filepath.IsLocal(to) {
		return Copy{}, fmt.Errorf("%q: the destination must be a path inside the workspace", s)
	}
	return Copy{From: from, To: to}, nil
}

// update copies each generated file to the workspace at root, writing only files whose
// content differs, and reports what it did to w. With check, it writes nothing and returns
// an error naming the stale files.
func update(root string, copies []Copy, check bool, w io.Writer) error {
	var stale []string
	for _, c := range copies {
		want, err := os.ReadFile(c.From)
		if err != nil {
			return err
		}
		dst := filepath.Join(root, filepath.FromSlash(c.To))
		have, err := os.ReadFile(dst)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		if err == nil && bytes.Equal(have, want) {
			fmt.Fprintf(w, "%s: up to date\n", c.To)
			continue
		}
		if check {
			stale = append(stale, c.To)
			fmt.Fprintf(w, "%s: stale\n", c.To)
			continue
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dst, want, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(w, "%s: updated\n", c.To)
	}
	if len(stale) > 0 {
		return fmt.Errorf("stale: %s", strings.Join(stale, ", "))
	}
	return nil
}

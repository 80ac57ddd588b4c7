package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strings"
)

// readStampFiles reads Bazel's workspace status files (stable-status.txt,
// volatile-status.txt: one "KEY VALUE" per line) into one map. It mirrors
// the stamp file parsing of rules_go's link builder (go/tools/builders/
// link.go, function link, v0.65.0): a line without a space maps its key to
// the empty string, and a later file overrides an earlier one.
func readStampFiles(files []string) (map[string]string, error) {
	stamps := map[string]string{}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("reading stamp file %s: %v", name, err)
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() {
			key, value, _ := strings.Cut(sc.Text(), " ")
			stamps[key] = value
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("reading stamp file %s: %v", name, err)
		}
	}
	return stamps, nil
}

// stampKey matches a "{KEY}" reference in an -X value, reluctantly, as in
// rules_go's link builder.
var stampKey = regexp.MustCompile(`\{.+?\}`)

// stampXDef substitutes the "{KEY}" references in the value of the -X
// definition def ("importpath.name=value") from stamps. ok is false if a
// key has no value; then, like rules_go's link builder, the definition is
// dropped, so that an unstamped build (no status files) links the
// variable's default value rather than a literal "{STABLE_GIT_COMMIT}".
func stampXDef(def string, stamps map[string]string) (string, bool) {
	name, value, found := strings.Cut(def, "=")
	if !found {
		return def, true
	}
	missing := false
	value = stampKey.ReplaceAllStringFunc(value, func(ref string) string {
		if v, ok := stamps[ref[1:len(ref)-1]]; ok {
			return v
		}
		missing = true
		return ref
	})
	return name + "=" + value, !missing
}

package main

import (
	"fmt"
	"go/parser"
	"go/token"
	"sort"
	"strings"
)

// checkMainPackage reports an error unless the Go sources of the plugin's
// package (-main_src) declare package main. cmd/go's rule is "-buildmode=plugin
// requires exactly one main package"; the compiler accepts a library package
// compiled with -p <pluginpath>, and the linker's own error for it does not say
// what is wrong, so we check before linking.
func checkMainPackage(srcs []string) error {
	if len(srcs) == 0 {
		return nil
	}
	names := map[string][]string{}
	fset := token.NewFileSet()
	for _, src := range srcs {
		f, err := parser.ParseFile(fset, src, nil, parser.PackageClauseOnly)
		if err != nil {
			return fmt.Errorf("reading the package clause of %s: %v", src, err)
		}
		names[f.Name.Name] = append(names[f.Name.Name], src)
	}
	if _, ok := names["main"]; ok {
		return nil
	}
	var found []string
	for name, files := range names {
		found = append(found, fmt.Sprintf("package %s (%s)", name, strings.Join(files, ", ")))
	}
	sort.Strings(found)
	return fmt.Errorf("the plugin's sources are %s, not package main: -buildmode=plugin builds exactly "+
		"one main package. Declare `package main` in the go_plugin's srcs (or in the go_library it embeds); "+
		"to use a library from a plugin, put it in deps instead", strings.Join(found, "; "))
}

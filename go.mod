module github.com/rules-go-plugin/rules_go_plugin

go 1.26.0

require (
	github.com/bazel-contrib/bazel-gazelle/v2 v2.0.0-3
	github.com/bazelbuild/bazel-gazelle v0.54.0
	github.com/bazelbuild/rules_go v0.65.0
	github.com/rules-go-plugin/rules_go_plugin/go/loader v0.0.0-00010101000000-000000000000
	golang.org/x/sync v0.23.0
	gonum.org/v1/plot v0.17.0
	google.golang.org/protobuf v1.36.12
)

require (
	codeberg.org/go-fonts/liberation v0.5.0 // indirect
	codeberg.org/go-latex/latex v0.2.0 // indirect
	codeberg.org/go-pdf/fpdf v0.11.1 // indirect
	git.sr.ht/~sbinet/gg v0.7.0 // indirect
	github.com/ajstarks/svgo v0.0.0-20211024235047-1546f124cd8b // indirect
	github.com/bazelbuild/buildtools v0.0.0-20250930140053-2eb4fccefb52 // indirect
	github.com/bmatcuk/doublestar/v4 v4.9.1 // indirect
	github.com/golang/freetype v0.0.0-20170609003504-e2365dfdc4a0 // indirect
	github.com/pmezard/go-difflib v1.0.0 // indirect
	golang.org/x/image v0.30.0 // indirect
	golang.org/x/mod v0.41.0 // indirect
	golang.org/x/sys v0.48.0 // indirect
	golang.org/x/text v0.42.0 // indirect
	golang.org/x/tools/go/vcs v0.1.0-deprecated // indirect
)

// go/loader is a module of its own, so that plain go.mod consumers get its low go line and
// only rules_go's runfiles; this module builds it from its source here. This module (the
// rules, tools and tests) is not meant to be required by others: the loader module is.
replace github.com/rules-go-plugin/rules_go_plugin/go/loader => ./go/loader

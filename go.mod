module github.com/rules-go-plugin/rules_go_plugin

go 1.26.0

require (
	github.com/bazel-contrib/bazel-gazelle/v2 v2.0.0-3
	github.com/bazelbuild/bazel-gazelle v0.54.0
	github.com/bazelbuild/rules_go v0.65.0
	golang.org/x/sync v0.23.0
)

require (
	github.com/bazelbuild/buildtools v0.0.0-20250930140053-2eb4fccefb52 // indirect
	github.com/bmatcuk/doublestar/v4 v4.9.1 // indirect
	github.com/pmezard/go-difflib v1.0.0 // indirect
	golang.org/x/mod v0.41.0 // indirect
	golang.org/x/sys v0.48.0 // indirect
	golang.org/x/tools/go/vcs v0.1.0-deprecated // indirect
)

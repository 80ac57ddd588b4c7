// The go.mod of the Go helpers' build (go/tools/pluginlink, go/tools/pluginhost; see
// go/private/helpers.bzl): a module of their own, holding this repository's go/ directory,
// with this module's path, since the helpers import only the standard library, this module
// and go/loader/manifest. Its go version is the oldest the helpers compile with (the loader
// module's), so older SDKs build them too.
module github.com/rules-go-plugin/rules_go_plugin

go 1.21.1

// go/loader is a module of its own (go/loader/go.mod); pluginhost imports its manifest
// package. Its requirement (rules_go, for the runfiles package) is never loaded: no helper
// imports it, so the offline build (GOPROXY=off) needs no download.
require github.com/rules-go-plugin/rules_go_plugin/go/loader v0.0.0

replace github.com/rules-go-plugin/rules_go_plugin/go/loader => ./go/loader

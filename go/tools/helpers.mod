// The go.mod of the Go helpers' build (go/tools/pluginlink, go/tools/pluginhost; see
// go/private/helpers.bzl): a module of their own, holding this repository's go/ directory,
// with this module's path and no requirements, since the helpers import only the standard
// library and this module. Its go version is the oldest the helpers compile with, so older
// SDKs build them too.
module github.com/rules-go-plugin/rules_go_plugin

go 1.21

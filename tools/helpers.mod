// The go.mod of the Go helpers' build (tools/pluginlink, tools/pluginhost; see
// go/private/helpers.bzl): a module of their own whose tools/ is this directory (and go/ its
// sibling, for go/loader/manifest), with this module's path and no requirements, since the
// helpers import only the standard library and this module. Its go version is the oldest the helpers compile with, so older SDKs build
// them too.
module github.com/rules-go-plugin/rules_go_plugin

go 1.21

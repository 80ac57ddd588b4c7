"""Public API of rules_go_plugin. Everything else under go/private is an implementation detail.

```starlark
load("@rules_go_plugin//go:defs.bzl", "go_plugin")

go_plugin(
    name = "greeter",
    srcs = ["greeter.go"],
    importpath = "example.com/plugins/greeter",
    deps = ["//api"],
)
```
"""

load("//go/private:abi.bzl", _go_plugin_abi = "go_plugin_abi")
load("//go/private:host.bzl", _go_plugin_host = "go_plugin_host", _go_plugin_test = "go_plugin_test")
load("//go/private:plugin.bzl", _go_plugin = "go_plugin")
load("//go/private:providers.bzl", _GoPluginInfo = "GoPluginInfo")
load("//go/private:releases.bzl", _go_plugin_releases = "go_plugin_releases")

go_plugin = _go_plugin
go_plugin_abi = _go_plugin_abi
go_plugin_host = _go_plugin_host
go_plugin_releases = _go_plugin_releases
go_plugin_test = _go_plugin_test
GoPluginInfo = _GoPluginInfo

"""A go_plugin built with another Go SDK: rules_go's sdk_version or sdk_name, on an outgoing edge.

go_plugin_releases uses it for a release's SDK version (`sdk_versions`), go_plugin for a host SDK
(`host_sdk`): the flags rules_go's `go_cross_binary` transitions for its `sdk_version` and
`sdk_name` attributes (go/private/rules/cross.bzl in rules_go v0.65.0), set on the `plugin` edge
only, so the forwarded `.so` lands in bazel-bin next to the BUILD file (an incoming transition
would put it under a configuration-specific directory).
"""

load(":providers.bzl", "GoPluginInfo")

_SDK_VERSION = str(Label("@io_bazel_rules_go//go/toolchain:sdk_version"))
_SDK_NAME = str(Label("@io_bazel_rules_go//go/toolchain:sdk_name"))

def _sdk_transition_impl(settings, attr):
    # As go_cross_binary's transition: an empty value keeps the build's SDK.
    return {
        _SDK_VERSION: attr.sdk_version or settings[_SDK_VERSION],
        _SDK_NAME: attr.sdk_name or settings[_SDK_NAME],
    }

_sdk_transition = transition(
    implementation = _sdk_transition_impl,
    inputs = [_SDK_VERSION, _SDK_NAME],
    outputs = [_SDK_VERSION, _SDK_NAME],
)

def _go_plugin_with_sdk_impl(ctx):
    plugin = ctx.attr.plugin
    if type(plugin) == "list":  # an attribute with a transition is a list of one target
        plugin = plugin[0]
    info = plugin[GoPluginInfo]

    # Default: {name}_{GOOS}_{GOARCH}.so (a release target is <name>_<release>).
    out = ctx.actions.declare_file(ctx.attr.out or "%s_%s_%s.%s" % (ctx.label.name, info.goos, info.goarch, info.plugin.extension))
    ctx.actions.symlink(output = out, target_file = info.plugin)
    return [
        DefaultInfo(
            files = depset([out]),
            runfiles = ctx.runfiles(files = [out]).merge(plugin[DefaultInfo].default_runfiles),
        ),
        GoPluginInfo(
            plugin = out,
            pluginpath = info.pluginpath,
            importpath = info.importpath,
            goos = info.goos,
            goarch = info.goarch,
            packages = info.packages,
            label = ctx.label,
        ),
        OutputGroupInfo(
            go_plugin_packages = depset([info.packages]),
        ),
    ]

go_plugin_with_sdk = rule(
    implementation = _go_plugin_with_sdk_impl,
    doc = """A `go_plugin` built with another Go SDK, forwarded under this target's name.
Declared by the go_plugin (`host_sdk`) and go_plugin_releases macros; not meant to be used
directly.""",
    attrs = {
        "plugin": attr.label(
            mandatory = True,
            providers = [GoPluginInfo],
            cfg = _sdk_transition,
            doc = "The go_plugin target, built with the SDK below.",
        ),
        "sdk_version": attr.string(
            doc = "The Go SDK version, as rules_go's `go_cross_binary(sdk_version)`: `1.27.3`, `1.27`; empty: the build's.",
        ),
        "sdk_name": attr.string(
            doc = "rules_go's `sdk_name` flag value of the SDK (a host SDK's, host_sdk.bzl); empty: the build's.",
        ),
        "out": attr.string(
            doc = "The forwarded file's name. Default: `<name>_<goos>_<goarch>.so`.",
        ),
        "_allowlist_function_transition": attr.label(
            default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
        ),
    },
    provides = [GoPluginInfo],
)

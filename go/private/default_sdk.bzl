"""Tools built once, with the default Go SDK settings, whatever SDK the build around them selects.

Both go_plugin_releases (rules_go's `sdk_version`) and host SDKs (`sdk_name`) set a flag that
the exec configuration inherits, so any tool reached from them would be built again for each
SDK. The tools here do not depend on it: they run an SDK's tools by path.
"""

_SDK_VERSION = "@io_bazel_rules_go//go/toolchain:sdk_version"
_SDK_NAME = "@io_bazel_rules_go//go/toolchain:sdk_name"

def _default_go_sdk_impl(_settings, _attr):
    return {_SDK_VERSION: "", _SDK_NAME: ""}

# Resets rules_go's SDK selection to the default (no sdk_version, no sdk_name).
default_go_sdk_transition = transition(
    implementation = _default_go_sdk_impl,
    inputs = [],
    outputs = [_SDK_VERSION, _SDK_NAME],
)

def _default_sdk_tool_impl(ctx):
    # As rules_go's non_go_reset_target (go/private/rules/transition.bzl): an executable of
    # another target is forwarded as a symlink, since Bazel refuses a foreign executable.
    info = ctx.attr.tool[DefaultInfo]
    tool = info.files_to_run.executable
    out = ctx.actions.declare_file("%s/%s" % (ctx.label.name, tool.basename))
    ctx.actions.symlink(output = out, target_file = tool, is_executable = True)
    return [DefaultInfo(
        files = depset([out]),
        executable = out,
        runfiles = info.default_runfiles.merge(ctx.runfiles([out])),
    )]

default_sdk_tool = rule(
    implementation = _default_sdk_tool_impl,
    cfg = default_go_sdk_transition,
    doc = """Forwards an executable built with rules_go's SDK selection reset (`sdk_version` and `sdk_name` empty).

A host SDK's Go toolchain uses it for rules_go's `builder`, `pack` and `covdata` of the Go SDK
it wraps: the same binaries as that SDK's own toolchain, so each host SDK does not build
rules_go's builder again (one `go build` of it, about 45 s of CPU, per host SDK).""",
    attrs = {
        "tool": attr.label(
            mandatory = True,
            executable = True,
            cfg = "target",
            doc = "The executable, e.g. `@go_sdk//:builder_reset`. Built in this target's configuration (the exec configuration it is reached in, SDK selection reset).",
        ),
        "_allowlist_function_transition": attr.label(
            default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
        ),
    },
)

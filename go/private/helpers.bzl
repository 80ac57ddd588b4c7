"""The Go helpers go_plugin's actions run (go/tools/pluginlink, go/tools/pluginhost), built from the SDK.

Built like rules_go builds its own `builder` (go_tool_binary, go/private/rules/binary.bzl in
rules_go v0.65.0): one `go build` action straight from the Go SDK with a private, throw-away
GOCACHE, instead of rules_go `go_binary` targets in the exec configuration. A `go_binary` tool
makes rules_go compile a second standard library (`GoStdlib ... [for tool]`, the whole std in
the exec configuration, ~45 s of CPU here) for every build of a plugin; this action compiles
only the standard packages the helpers import, once for both, and needs no C toolchain
(CGO_ENABLED=0). The result is reproducible (-trimpath, empty build ID), so it is as cacheable
and remotable as any action.
"""

# rules_go's transition for tools that do not read its Go settings (rules_go_private.bzl): the
# helpers are the same whatever race, tags, linkmode... the plugin or host that runs them is
# built with, so they are built once, in one configuration, instead of once per combination.
load(":default_sdk.bzl", "default_go_sdk_transition")
load(":rules_go_private.bzl", "non_go_tool_transition")

_GO_TOOLCHAIN = "@io_bazel_rules_go//go:toolchain"

GoPluginHelpersInfo = provider(
    doc = "The Go helpers of rules_go_plugin, built for the platform their actions execute on.",
    fields = {
        "linker": "File: go/tools/pluginlink, go_plugin's link step.",
        "host_tool": "File: go/tools/pluginhost, go_plugin_host's build-time check and manifest.",
    },
)

def _go_plugin_helpers_impl(ctx):
    go_toolchain = ctx.toolchains[_GO_TOOLCHAIN]
    sdk = go_toolchain.sdk

    # This target is built in the exec configuration of the actions that run the helpers, so its
    # target platform, the go toolchain's default_goos/default_goarch, is where they execute.
    goos = go_toolchain.default_goos
    goarch = go_toolchain.default_goarch
    if goos == "windows":
        fail("rules_go_plugin: building Go plugins on a Windows execution platform is not supported (go build -buildmode=plugin has no Windows support); use a Linux or macOS execution platform.")

    # `go build -o DIR/ PKG...` names each binary after the last element of its package path.
    outs = {
        name: ctx.actions.declare_file("%s/%s" % (ctx.label.name, name))
        for name in ["pluginlink", "pluginhost"]
    }
    args = ctx.actions.args()
    args.add(sdk.go)
    args.add(sdk.root_file.dirname)
    args.add(ctx.file.modfile)

    # go/ (the parent of go/tools/, where helpers.mod is): the helper packages and
    # go/loader/manifest, which pluginhost imports.
    args.add(ctx.file.modfile.dirname.rpartition("/")[0])
    args.add(outs["pluginlink"].dirname)
    args.add_all(["./go/tools/" + name for name in outs])

    ctx.actions.run(
        executable = ctx.executable._build_script,
        arguments = [args],
        inputs = depset(
            ctx.files.srcs + ctx.files.module_files + [ctx.file.modfile],
            transitive = [sdk.headers, sdk.srcs, sdk.libs, sdk.tools],
        ),
        tools = [sdk.go],
        outputs = outs.values(),
        env = {
            # As go_tool_binary: a hermetic go command that neither reads the user's
            # configuration nor switches toolchains nor reaches the network.
            "GOMAXPROCS": "1",
            "GOTOOLCHAIN": "local",
            "GOTELEMETRY": "off",
            "GOENV": "off",
            "GOWORK": "off",
            "GOFLAGS": "-mod=mod",
            "GOPROXY": "off",
            "GOEXPERIMENT": sdk.experiments,
            "GOOS": goos,
            "GOARCH": goarch,
            "CGO_ENABLED": "0",
        },
        mnemonic = "GoPluginHelpersBuild",
        progress_message = "Building rules_go_plugin's Go helpers %{label}",
        toolchain = None,
    )
    return [
        DefaultInfo(files = depset(outs.values())),
        GoPluginHelpersInfo(linker = outs["pluginlink"], host_tool = outs["pluginhost"]),
    ]

go_plugin_helpers = rule(
    implementation = _go_plugin_helpers_impl,
    cfg = non_go_tool_transition,
    doc = "Builds go/tools/pluginlink and go/tools/pluginhost in one `go build` action from the Go SDK.",
    attrs = {
        "srcs": attr.label_list(
            allow_files = [".go"],
            mandatory = True,
            doc = "The non-test Go sources of the helpers and of the packages they import.",
        ),
        "module_files": attr.label_list(
            allow_files = [".mod"],
            doc = "The go.mod files of this repository's other Go modules that `modfile` replaces with their directory (`go/loader/go.mod`): without them in a sandboxed action's inputs, go finds their packages both in the helpers' module and in the replacement (\"ambiguous import\").",
        ),
        "modfile": attr.label(
            allow_single_file = [".mod"],
            mandatory = True,
            doc = "`go/tools/helpers.mod`, the go.mod of the helpers' build: this module's path, no requirements. Its directory holds the helper packages.",
        ),
        "_build_script": attr.label(
            default = "//go/private:build_helpers.sh",
            allow_single_file = True,
            executable = True,
            cfg = "exec",
        ),
    },
    toolchains = [_GO_TOOLCHAIN],
    provides = [GoPluginHelpersInfo],
)

def _go_plugin_helpers_default_sdk_impl(ctx):
    helpers = ctx.attr.helpers
    return [
        DefaultInfo(files = helpers[DefaultInfo].files),
        helpers[GoPluginHelpersInfo],
    ]

go_plugin_helpers_default_sdk = rule(
    implementation = _go_plugin_helpers_default_sdk_impl,
    # The helpers run the plugin's SDK tools by path and read any Go version's files, so they
    # are built with the default SDK, also for plugins that go_plugin_releases builds with
    # another (sdk_version) or go_plugin with a host SDK (sdk_name): one build, not one per SDK.
    cfg = default_go_sdk_transition,
    doc = "Forwards `helpers` (a `go_plugin_helpers`), built with the default Go SDK whatever `sdk_version` the build uses.",
    attrs = {
        "helpers": attr.label(
            mandatory = True,
            providers = [GoPluginHelpersInfo],
            doc = "The `go_plugin_helpers` target.",
        ),
        "_allowlist_function_transition": attr.label(
            default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
        ),
    },
    provides = [GoPluginHelpersInfo],
)

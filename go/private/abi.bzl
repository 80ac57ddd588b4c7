"""go_plugin_abi: the plugin ABI file of a host executable built elsewhere or earlier."""

load(":labels.bzl", "label_str")
load(":toolchain.bzl", "PLUGIN_TOOLCHAIN_TYPE")

def host_abi_action(ctx, tool, binary, name, out):
    """Registers the action that writes the plugin ABI file of a host executable.

    Args:
      ctx: the rule context.
      tool: the go_plugin toolchain's GoPluginToolchainInfo.
      binary: the host executable (File).
      name: what the ABI file calls the host (a label string).
      out: the ABI file to write (File).
    """
    args = ctx.actions.args()
    args.add("abi")
    args.add("-binary", binary)
    args.add("-name", name)
    args.add("-o", out)
    ctx.actions.run(
        executable = tool.host_tool,
        arguments = [args],
        inputs = [binary],
        outputs = [out],
        mnemonic = "GoPluginHostABI",
        progress_message = "Extracting the plugin ABI of %{label}",
        toolchain = PLUGIN_TOOLCHAIN_TYPE,
    )

def host_abi_check_action(ctx, tool, abi, plugin, packages, pluginpath, go, host_sdk = ""):
    """Registers the validation action that checks a plugin against a host ABI file.

    It runs go_plugin_host's comparison against the file instead of an executable of this build
    (go/tools/pluginhost check-abi), after comparing goos/goarch and the Go version.

    Args:
      ctx: the go_plugin rule context.
      tool: the go_plugin toolchain's GoPluginToolchainInfo.
      abi: the host ABI file (File), from host_abis.
      plugin: the plugin's .so (File).
      packages: the plugin's packages file (File, GoPluginInfo.packages).
      pluginpath: the plugin's pluginpath.
      go: the plugin's go_context.
      host_sdk: the host SDK the plugin is built with (go_plugin's host_sdk), or "".

    Returns:
      The stamp file the action writes when the check passes (a validation output).
    """
    stamp = ctx.actions.declare_file("%s.host_abi_check/%s" % (ctx.label.name, abi.short_path.replace("/", "_")))
    args = ctx.actions.args()
    args.add("check-abi")
    args.add("-abi", abi)
    args.add("-abi_label", label_str(abi.owner) if abi.owner else abi.short_path)
    args.add("-plugin_label", label_str(ctx.label))
    args.add("-goos", go.mode.goos)
    args.add("-goarch", go.mode.goarch)
    args.add("-go_version", go.sdk.version)
    if host_sdk:
        args.add("-host_sdk", host_sdk)
    args.add("-plugin", json.encode(dict(label = label_str(ctx.label), pluginpath = pluginpath, packages = packages.path, so = plugin.path)))
    args.add("-o", stamp)
    ctx.actions.run(
        executable = tool.host_tool,
        arguments = [args],
        inputs = [abi, plugin, packages],
        outputs = [stamp],
        mnemonic = "GoPluginHostABICheck",
        progress_message = "Checking %{label} against the host ABI " + abi.short_path,
        toolchain = PLUGIN_TOOLCHAIN_TYPE,
    )
    return stamp

def _go_plugin_abi_impl(ctx):
    target = ctx.attr.binary
    binary = target[DefaultInfo].files_to_run.executable
    if binary == None:
        files = target[DefaultInfo].files.to_list()  # one file, or an error: not transitive data
        if len(files) != 1:
            fail("%s: attribute binary: %s gives %d files; name the host executable itself (a go_binary, go_plugin_host or a single file such as an http_file)." % (
                label_str(ctx.label),
                label_str(target.label),
                len(files),
            ))
        binary = files[0]
    toolchain = ctx.toolchains[PLUGIN_TOOLCHAIN_TYPE]
    if toolchain == None:
        fail("%s: no go_plugin toolchain for the target platform; Go does not support plugins there." % label_str(ctx.label))
    out = ctx.actions.declare_file(ctx.label.name + ".json")
    host_abi_action(ctx, toolchain.go_plugin, binary, ctx.attr.host_name or label_str(target.label), out)
    return [DefaultInfo(files = depset([out]))]

go_plugin_abi = rule(
    implementation = _go_plugin_abi_impl,
    doc = """Extracts the plugin ABI file (`<name>.json`) of a host executable: what a plugin
must agree with to load into it (goos/goarch, Go version and settings from the build info,
the module versions, and every linked package's link-time fingerprint, the value
`plugin.Open` compares). Deterministic, without timestamps or machine paths: a release
publishes it next to its binary, and plugin repositories check it in and list it in
`go_plugin(host_abis = ...)`.

The host may be any Go executable that can load plugins (it imports package `plugin` and
is built with cgo), built by Bazel or by `go build`, ELF or Mach-O: a target, or a file such
as a released binary fetched with `http_file`. `go_plugin_host` and `go_plugin_test` write
the same file for themselves (output group `plugin_abi`).""",
    attrs = {
        "binary": attr.label(
            mandatory = True,
            allow_files = True,
            doc = "The host executable: a `go_binary`, a `go_plugin_host`, or a file.",
        ),
        "host_name": attr.string(
            doc = "What the ABI file calls the host (its `host` field, shown in messages); default: the label of `binary`.",
        ),
    },
    toolchains = [config_common.toolchain_type(PLUGIN_TOOLCHAIN_TYPE, mandatory = False)],
)

"""go_plugin_host and go_plugin_test: Go programs that load go_plugin plugins.

Each is a macro around a rules_go go_binary/go_test (the program, built with cgo and linked
dynamically, as plugin.Open requires) and a wrapper rule that:
  * puts the plugins and a manifest (pluginpath, runfiles path, sha256) in the runfiles, and
    points the loader library at it (RULES_GO_PLUGIN_MANIFEST);
  * checks at build time, as a validation action, that every package shared by the program
    and a plugin has the same link-time fingerprint, so the skew that makes plugin.Open fail
    with "plugin was built with a different version of package X" fails the build instead;
  * refuses two plugins with the same pluginpath ("plugin already loaded") at analysis time.
"""

load("@io_bazel_rules_go//go:def.bzl", "go_binary", "go_test")
load(":labels.bzl", "label_str")
load(":plugin.bzl", "plugin_platforms_only")
load(":providers.bzl", "GoPluginInfo")

_TOOLCHAIN_TYPE = "//go/toolchain:toolchain_type"
_RACE = "@io_bazel_rules_go//go/config:race"
_MANIFEST_ENV = "RULES_GO_PLUGIN_MANIFEST"

def _rlocation(ctx, f):
    """The runfiles path of f, as the runfiles libraries look it up."""
    if f.short_path.startswith("../"):
        return f.short_path[len("../"):]
    return ctx.workspace_name + "/" + f.short_path

def _race_transition_impl(settings, attr):
    if attr.race == "auto":
        return {_RACE: settings[_RACE]}
    return {_RACE: attr.race == "on"}

# Applied to the whole host (program and plugins), so that both sides are race-instrumented
# or neither is: a plugin and a host built differently cannot load together.
_race_transition = transition(
    implementation = _race_transition_impl,
    inputs = [_RACE],
    outputs = [_RACE],
)

def _plugin_spec(p, extra):
    return ",".join(["%s=%s" % kv for kv in [
        ("label", label_str(p.label)),
        ("pluginpath", p.pluginpath),
    ] + extra])

def _go_plugin_manifest_impl(ctx):
    plugins = [p[GoPluginInfo] for p in ctx.attr.plugins]
    tool = ctx.toolchains[_TOOLCHAIN_TYPE]
    if tool == None:
        fail("%s: no go_plugin toolchain for the target platform; Go does not support plugins there." % label_str(ctx.label))
    manifest = ctx.actions.declare_file(ctx.label.name + ".json")
    args = ctx.actions.args()
    args.add("manifest")
    for p in plugins:
        args.add("-plugin", _plugin_spec(p, [
            ("rlocation", _rlocation(ctx, p.plugin)),
            ("so", p.plugin.path),
        ]))
    args.add("-o", manifest)
    ctx.actions.run(
        executable = tool.go_plugin.host_tool,
        arguments = [args],
        inputs = [p.plugin for p in plugins],
        outputs = [manifest],
        mnemonic = "GoPluginManifest",
        progress_message = "Writing the plugin manifest %{label}",
        toolchain = _TOOLCHAIN_TYPE,
    )
    runfiles = ctx.runfiles(files = [manifest])
    for target in ctx.attr.plugins:
        runfiles = runfiles.merge(target[DefaultInfo].default_runfiles)
    return [DefaultInfo(files = depset([manifest]), runfiles = runfiles)]

# The manifest (label, pluginpath, runfiles path, sha256 per plugin) the loader library
# reads. Its own target, so that the program can carry its runfiles path (x_defs) and find
# it also when run directly, not only through bazel run/test (RULES_GO_PLUGIN_MANIFEST).
_go_plugin_manifest = rule(
    implementation = _go_plugin_manifest_impl,
    attrs = {
        "plugins": attr.label_list(providers = [GoPluginInfo]),
    },
    toolchains = [config_common.toolchain_type(_TOOLCHAIN_TYPE, mandatory = False)],
)

def _go_plugin_host_impl(ctx):
    binary = ctx.attr.binary[DefaultInfo]
    program = binary.files_to_run.executable
    plugins = [p[GoPluginInfo] for p in ctx.attr.plugins]

    seen = {}
    for p in plugins:
        if p.pluginpath in seen:
            fail((
                "%s: attribute plugins: %s and %s have the same pluginpath %r; plugin.Open " +
                "would refuse the second (\"plugin already loaded\"). Give one of them its own " +
                "importpath or pluginpath."
            ) % (label_str(ctx.label), label_str(seen[p.pluginpath]), label_str(p.label), p.pluginpath))
        seen[p.pluginpath] = p.label

    tool = ctx.toolchains[_TOOLCHAIN_TYPE]
    if tool == None:
        fail("%s: no go_plugin toolchain for the target platform; Go does not support plugins there." % ctx.label)
    helper = tool.go_plugin.host_tool

    manifest = ctx.file.manifest

    # The check reads fingerprints from ELF files (tools/internal/gofingerprint); Mach-O
    # (darwin) hosts are not checked yet.
    validations = []
    if tool.go_plugin.goos != "darwin":
        stamp = ctx.actions.declare_file(ctx.label.name + ".plugin_check")
        args = ctx.actions.args()
        args.add("check")
        args.add("-host", program)
        args.add("-host_label", label_str(ctx.label))
        for p in plugins:
            args.add("-plugin", _plugin_spec(p, [
                ("so", p.plugin.path),
                ("packages", p.packages.path),
            ]))
        args.add("-o", stamp)
        ctx.actions.run(
            executable = helper,
            arguments = [args],
            inputs = [program] + [p.plugin for p in plugins] + [p.packages for p in plugins],
            outputs = [stamp],
            mnemonic = "GoPluginHostCheck",
            progress_message = "Checking that the plugins of %{label} can load into it",
            toolchain = _TOOLCHAIN_TYPE,
        )
        validations.append(stamp)

    # Bazel forbids returning another target's file as this rule's executable: link to it.
    executable = ctx.actions.declare_file(ctx.label.name)
    ctx.actions.symlink(output = executable, target_file = program, is_executable = True)

    runfiles = ctx.runfiles(files = [executable, manifest]).merge(binary.default_runfiles)
    for target in ctx.attr.plugins + ctx.attr.data:
        runfiles = runfiles.merge(target[DefaultInfo].default_runfiles)

    env = {_MANIFEST_ENV: _rlocation(ctx, manifest)}
    for k, v in ctx.attr.env.items():
        env[k] = ctx.expand_location(v, ctx.attr.data + ctx.attr.plugins)
    return [
        DefaultInfo(executable = executable, files = depset([executable, manifest]), runfiles = runfiles),
        RunEnvironmentInfo(environment = env),
        OutputGroupInfo(_validation = depset(validations)),
    ]

_ATTRS = {
    "binary": attr.label(
        mandatory = True,
        executable = True,
        cfg = "target",
        doc = "The program: the `go_binary` or `go_test` the macro declares.",
    ),
    "plugins": attr.label_list(
        providers = [GoPluginInfo],
        doc = "The `go_plugin` targets the program loads. No two may have the same pluginpath.",
    ),
    "manifest": attr.label(
        mandatory = True,
        allow_single_file = True,
        doc = "The plugin manifest (label, pluginpath, runfiles path and sha256 of each plugin) the macro declares; also in the program's `data`.",
    ),
    "data": attr.label_list(allow_files = True, doc = "Files the program needs at run time; given to the program too."),
    "env": attr.string_dict(doc = "Environment variables for `bazel run`/`bazel test`, with `$(location)` expanded for `data` and `plugins`."),
    "race": attr.string(
        default = "auto",
        values = ["auto", "on", "off"],
        doc = "Race-instrument the program and all its plugins (`on`), neither (`off`), or follow `--@io_bazel_rules_go//go/config:race` (`auto`).",
    ),
    "_allowlist_function_transition": attr.label(
        default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
    ),
}

# Public names for the documentation (//docs); users load the go_plugin_host and go_plugin_test
# macros from //go:defs.bzl.
go_plugin_host_rule = rule(
    implementation = _go_plugin_host_impl,
    doc = """Runs a Go program with the plugins it loads: the executable of `binary`, with the
plugins and their manifest in its runfiles, and `RULES_GO_PLUGIN_MANIFEST` set to the
manifest's runfiles path for `bazel run`.

A validation action (so `bazel build` of the target fails) checks that every package the
program shares with a plugin has the same link-time fingerprint, the value `plugin.Open`
compares; analysis fails if two plugins have the same pluginpath. The program and its plugins
are built in one configuration, race-instrumented or not as `race` says.""",
    attrs = _ATTRS,
    cfg = _race_transition,
    executable = True,
    toolchains = [config_common.toolchain_type(_TOOLCHAIN_TYPE, mandatory = False)],
)

go_plugin_host_test = rule(
    implementation = _go_plugin_host_impl,
    doc = """The test form of `go_plugin_host_rule`: runs `binary` (a `go_test`) with the plugins
it loads, with the same manifest, environment and checks.""",
    attrs = _ATTRS,
    cfg = _race_transition,
    test = True,
    toolchains = [config_common.toolchain_type(_TOOLCHAIN_TYPE, mandatory = False)],
)

_WRAPPER_ARGS = ["visibility", "tags", "testonly", "args", "env", "data"]

def _split(kwargs):
    """Splits macro arguments between the wrapper rule and the Go program."""
    wrapper = {k: kwargs.pop(k) for k in _WRAPPER_ARGS if k in kwargs}

    # A host is useless where plugins are not supported: skip it there too.
    kwargs["target_compatible_with"] = plugin_platforms_only(kwargs.pop("target_compatible_with", []))
    wrapper["target_compatible_with"] = kwargs["target_compatible_with"]
    for k in ("pure", "static", "linkmode"):
        if k in kwargs:
            fail("attribute %s: go_plugin_host/go_plugin_test build the program with cgo, dynamically linked, in linkmode normal, as plugin.Open needs; remove it." % k)
    return wrapper

_MANIFEST_X_DEF = "github.com/rules-go-plugin/rules_go_plugin/go/loader.manifestRlocationpath"

def _program_kwargs(name, kwargs, data, plugins):
    """Attributes of the go_binary/go_test behind a host, and its plugin manifest target."""
    manifest = name + "_plugins"
    _go_plugin_manifest(
        name = manifest,
        plugins = plugins,
        tags = ["manual"],
        target_compatible_with = kwargs["target_compatible_with"],
        visibility = ["//visibility:private"],
    )

    # The program sees the same data (for $(rlocationpath) in its own code) plus the manifest,
    # whose runfiles path the loader library gets at link time.
    x_defs = dict(kwargs.pop("x_defs", {}))
    x_defs[_MANIFEST_X_DEF] = "$(rlocationpath :%s)" % manifest
    program = dict(
        kwargs,
        data = data + [":" + manifest],
        x_defs = x_defs,
        pure = "off",
        static = "off",
        visibility = ["//visibility:private"],
    )
    return program, ":" + manifest

def go_plugin_host(name, plugins = [], race = "auto", **kwargs):
    """A Go program that loads `plugins` with `plugin.Open`, checked against them at build time.

    The macro declares the program, a rules_go `go_binary` named `<name>_program` (built with
    cgo and dynamically linked, as `plugin.Open` requires), the plugin manifest `<name>_plugins`,
    and `<name>`, which `bazel run` runs with the plugins. The loader library
    `@rules_go_plugin//go/loader` opens the plugins by pluginpath or label and verifies their
    digests. The targets are incompatible with the platforms on which Go does not support
    plugins; `pure`, `static` and `linkmode` are errors.

    Args:
      name: the target name.
      plugins: the `go_plugin` targets the program loads.
      race: `"on"` or `"off"` race-instruments the program and its plugins together, or
        neither; `"auto"` follows `--@io_bazel_rules_go//go/config:race`.
      **kwargs: attributes of rules_go's `go_binary` for the program (`srcs`, `deps`, `embed`,
        `x_defs`, ...), and `visibility`, `tags`, `testonly`, `args`, `env` and `data`, which
        apply to `<name>` (`data` also to the program).
    """
    wrapper = _split(kwargs)
    program, manifest = _program_kwargs(name, kwargs, wrapper.get("data", []), plugins)
    go_binary(name = name + "_program", tags = ["manual"] + wrapper.get("tags", []), **program)
    go_plugin_host_rule(
        name = name,
        binary = ":" + name + "_program",
        manifest = manifest,
        plugins = plugins,
        race = race,
        **wrapper
    )

def go_plugin_test(name, plugins = [], race = "auto", **kwargs):
    """A Go test that loads `plugins` with `plugin.Open`, with the same checks as `go_plugin_host`.

    The macro declares a rules_go `go_test` named `<name>_program`, the plugin manifest
    `<name>_plugins`, and the test `<name>`, which `bazel test` runs with the plugins.

    Args:
      name: the target name.
      plugins: the `go_plugin` targets the test loads.
      race: `"on"` or `"off"` race-instruments the test and its plugins together, or neither;
        `"auto"` follows `--@io_bazel_rules_go//go/config:race`.
      **kwargs: attributes of rules_go's `go_test` for the test program (`srcs`, `deps`,
        `embed`, ...), and `visibility`, `tags`, `testonly`, `args`, `env`, `data`, `size`,
        `timeout`, `flaky`, `shard_count` and `local`, which apply to `<name>` (`data` also to
        the program).
    """
    wrapper = _split(kwargs)
    for k in ("size", "timeout", "flaky", "shard_count", "local"):
        if k in kwargs:
            wrapper[k] = kwargs.pop(k)
    program, manifest = _program_kwargs(name, kwargs, wrapper.get("data", []), plugins)
    go_test(name = name + "_program", tags = ["manual"] + wrapper.get("tags", []), **program)
    go_plugin_host_test(
        name = name,
        binary = ":" + name + "_program",
        manifest = manifest,
        plugins = plugins,
        race = race,
        **wrapper
    )

"""go_plugin_host and go_plugin_test: Go programs that load go_plugin plugins.

Each is a macro around a rules_go go_binary/go_test (the program, built with cgo and linked
dynamically, as plugin.Open requires) and a wrapper rule that:
  * puts the plugins and a manifest (pluginpath, runfiles path, sha256) in the runfiles, and
    points the loader library at it (RULES_GO_PLUGIN_MANIFEST);
  * checks at build time, as a validation action, that every package shared by the program
    and a plugin has the same link-time fingerprint, so the skew that makes plugin.Open fail
    with "plugin was built with a different version of package X" fails the build instead;
  * refuses two plugins with the same pluginpath ("plugin already loaded") at analysis time:
    the one place that decides it (pluginhost trusts its caller; the loader's manifest.Parse
    refuses a manifest file that breaks it, as input it reads at run time).
"""

load("@io_bazel_rules_go//go:def.bzl", "GoInfo", "go_binary", "go_library", "go_test")
load(":abi.bzl", "host_abi_action")
load(":labels.bzl", "label_str", "macro_label")
load(":plugin.bzl", "plugin_platforms_only")
load(":providers.bzl", "GoPluginInfo")
load(":toolchain.bzl", "PLUGIN_TOOLCHAIN_TYPE")

_RACE = "@io_bazel_rules_go//go/config:race"
_MSAN = "@io_bazel_rules_go//go/config:msan"
_TAGS = "@io_bazel_rules_go//go/config:tags"
_PGOPROFILE = "@io_bazel_rules_go//go/config:pgoprofile"
_PLATFORMS = "//command_line_option:platforms"
_EMPTY_PGOPROFILE = Label("@io_bazel_rules_go//go/config:empty")
_MANIFEST_ENV = "RULES_GO_PLUGIN_MANIFEST"

def _rlocation(ctx, f):
    """The runfiles path of f, as the runfiles libraries look it up."""
    if f.short_path.startswith("../"):
        return f.short_path[len("../"):]
    return ctx.workspace_name + "/" + f.short_path

def _ternary(settings, attr, name, setting):
    value = getattr(attr, name)
    if value == "auto":
        return settings[setting]
    return value == "on"

def _host_settings_transition_impl(settings, attr):
    # The settings plugin.Open requires to agree between a program and its plugins, applied to
    # the whole host (program and plugins) the way rules_go's go_transition applies the
    # attributes of the same names of a go_binary (go/private/rules/transition.bzl).
    out = {
        _RACE: _ternary(settings, attr, "race", _RACE),
        _MSAN: _ternary(settings, attr, "msan", _MSAN),
        _TAGS: sorted({t: None for t in attr.gotags}.keys()) if attr.gotags else settings[_TAGS],
        _PGOPROFILE: settings[_PGOPROFILE],
        _PLATFORMS: settings[_PLATFORMS],
    }
    if attr.pgoprofile and attr.pgoprofile != _EMPTY_PGOPROFILE:
        out[_PGOPROFILE] = attr.pgoprofile
    if attr.goos != "auto" and attr.goarch != "auto":
        # Plugins and their hosts are built with cgo: rules_go's cgo platform for the pair.
        out[_PLATFORMS] = [Label("@io_bazel_rules_go//go/toolchain:%s_%s_cgo" % (attr.goos, attr.goarch))]
    return out

# Applied to the whole host (program and plugins), so that both sides are built with the same
# race/msan instrumentation, build tags, PGO profile and platform: a plugin and a host built
# differently cannot load together.
_host_settings_transition = transition(
    implementation = _host_settings_transition_impl,
    inputs = [_RACE, _MSAN, _TAGS, _PGOPROFILE, _PLATFORMS],
    outputs = [_RACE, _MSAN, _TAGS, _PGOPROFILE, _PLATFORMS],
)

def _plugin_spec(p, **extra):
    # pluginhost's -plugin SPEC: a JSON object (go/tools/pluginhost/spec.go).
    return json.encode(dict(label = label_str(p.label), pluginpath = p.pluginpath, **extra))

def _go_plugin_manifest_impl(ctx):
    plugins = [p[GoPluginInfo] for p in ctx.attr.plugins]
    tool = ctx.toolchains[PLUGIN_TOOLCHAIN_TYPE]
    if tool == None:
        fail("%s: no go_plugin toolchain for the target platform; Go does not support plugins there." % label_str(ctx.label))
    manifest = ctx.actions.declare_file(ctx.label.name + ".json")
    pin_library = ctx.actions.declare_file(ctx.label.name + "_pin.go")
    pin_import = ctx.actions.declare_file(ctx.label.name + "_pin_import.go")

    # The program's Go sources (its own and its embedded library's), for its package name.
    program_srcs = [f for f in ctx.files.program_srcs if f.extension == "go"]
    for e in ctx.attr.program_embed:
        program_srcs.extend([f for f in e[GoInfo].srcs if f.extension == "go"])
    args = ctx.actions.args()
    args.add("manifest")
    for p in plugins:
        args.add("-plugin", _plugin_spec(p, rlocation = _rlocation(ctx, p.plugin), so = p.plugin.path))
    args.add("-o", manifest)
    args.add("-pin_library_out", pin_library)
    args.add("-pin_import_out", pin_import)
    args.add("-pin_importpath", ctx.attr.pin_importpath)
    args.add_all(program_srcs, before_each = "-program_src")
    ctx.actions.run(
        executable = tool.go_plugin.host_tool,
        arguments = [args],
        inputs = [p.plugin for p in plugins] + program_srcs,
        outputs = [manifest, pin_library, pin_import],
        mnemonic = "GoPluginManifest",
        progress_message = "Writing the plugin manifest %{label}",
        toolchain = PLUGIN_TOOLCHAIN_TYPE,
    )
    runfiles = ctx.runfiles(files = [manifest])
    for target in ctx.attr.plugins:
        runfiles = runfiles.merge(target[DefaultInfo].default_runfiles)
    return [
        DefaultInfo(files = depset([manifest]), runfiles = runfiles),
        OutputGroupInfo(
            go_pin_library = depset([pin_library]),
            go_pin_import = depset([pin_import]),
        ),
    ]

# The manifest (label, pluginpath, runfiles path, sha256 per plugin) the loader library
# reads, and the Go sources that link its content into the program (go/loader/pin): the
# pin package (output group go_pin_library) and the program's file that imports it
# (go_pin_import), so that no file or environment variable chooses other plugins.
_go_plugin_manifest = rule(
    implementation = _go_plugin_manifest_impl,
    attrs = {
        "plugins": attr.label_list(providers = [GoPluginInfo]),
        "program_srcs": attr.label_list(allow_files = True),
        "program_embed": attr.label_list(providers = [GoInfo]),
        "pin_importpath": attr.string(mandatory = True),
    },
    toolchains = [config_common.toolchain_type(PLUGIN_TOOLCHAIN_TYPE, mandatory = False)],
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

    if (ctx.attr.goos == "auto") != (ctx.attr.goarch == "auto"):
        # Reported here, not in the transition, whose errors do not stop the build.
        fail("%s: attributes goos and goarch: set both or neither (goos = %r, goarch = %r)." % (
            label_str(ctx.label),
            ctx.attr.goos,
            ctx.attr.goarch,
        ))
    tool = ctx.toolchains[PLUGIN_TOOLCHAIN_TYPE]
    if tool == None:
        fail("%s: no go_plugin toolchain for the target platform; Go does not support plugins there." % ctx.label)
    helper = tool.go_plugin.host_tool

    manifest = ctx.file.manifest

    # The check reads fingerprints from the ELF or Mach-O files (go/tools/internal/gofingerprint).
    validations = []
    stamp = ctx.actions.declare_file(ctx.label.name + ".plugin_check")
    args = ctx.actions.args()
    args.add("check")
    args.add("-host", program)
    args.add("-host_label", label_str(ctx.label))
    for p in plugins:
        args.add("-plugin", _plugin_spec(p, so = p.plugin.path, packages = p.packages.path))
    args.add("-o", stamp)
    ctx.actions.run(
        executable = helper,
        arguments = [args],
        inputs = [program] + [p.plugin for p in plugins] + [p.packages for p in plugins],
        outputs = [stamp],
        mnemonic = "GoPluginHostCheck",
        progress_message = "Checking that the plugins of %{label} can load into it",
        toolchain = PLUGIN_TOOLCHAIN_TYPE,
    )
    validations.append(stamp)

    # The host's plugin ABI, for plugins built later or elsewhere (go_plugin's host_abis).
    abi = ctx.actions.declare_file(ctx.label.name + ".plugin_abi.json")
    host_abi_action(ctx, tool.go_plugin, program, label_str(ctx.label), abi)

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
        RunEnvironmentInfo(environment = env, inherited_environment = getattr(ctx.attr, "env_inherit", [])),
        # `bazel coverage` collects coverage only from tests that have this provider.
        coverage_common.instrumented_files_info(
            ctx,
            dependency_attributes = ["binary", "plugins", "data"],
        ),
        OutputGroupInfo(
            _validation = depset(validations),
            plugin_abi = depset([abi]),
        ),
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
    "env_inherit": attr.string_list(doc = "Environment variables `bazel test` passes on from the environment it runs in (as go_test's)."),
    "race": attr.string(
        default = "auto",
        values = ["auto", "on", "off"],
        doc = "Race-instrument the program and all its plugins (`on`), neither (`off`), or follow `--@io_bazel_rules_go//go/config:race` (`auto`).",
    ),
    "msan": attr.string(
        default = "auto",
        values = ["auto", "on", "off"],
        doc = "Memory-sanitizer instrumentation for the program and all its plugins, as `race`.",
    ),
    "gotags": attr.string_list(
        doc = "Build tags for the program and all its plugins (go_binary's `gotags`, applied to both sides).",
    ),
    "pgoprofile": attr.label(
        allow_files = True,
        default = "@io_bazel_rules_go//go/config:empty",
        doc = "A pprof profile for profile-guided optimization of the program and all its plugins.",
    ),
    "goos": attr.string(
        default = "auto",
        doc = "Build the program and its plugins for this GOOS (with `goarch`), with cgo. Usually `--platforms` is better.",
    ),
    "goarch": attr.string(
        default = "auto",
        doc = "Build the program and its plugins for this GOARCH (with `goos`).",
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
are built in one configuration: `race`, `msan`, `gotags`, `pgoprofile` and `goos`/`goarch`
apply to both sides.""",
    attrs = _ATTRS,
    cfg = _host_settings_transition,
    executable = True,
    toolchains = [config_common.toolchain_type(PLUGIN_TOOLCHAIN_TYPE, mandatory = False)],
)

# What a Starlark test rule needs for `bazel coverage` (as rules_go's go_test has them): the
# merger of the LCOV files the test writes, and the C/C++ coverage collector.
_TEST_ATTRS = _ATTRS | {
    "_collect_cc_coverage": attr.label(
        default = "@bazel_tools//tools/test:collect_cc_coverage",
        cfg = "exec",
    ),
    "_lcov_merger": attr.label(
        default = configuration_field(fragment = "coverage", name = "output_generator"),
        cfg = "exec",
    ),
}

go_plugin_host_test = rule(
    implementation = _go_plugin_host_impl,
    doc = """The test form of `go_plugin_host_rule`: runs `binary` (a `go_test`) with the plugins
it loads, with the same manifest, environment and checks.""",
    attrs = _TEST_ATTRS,
    cfg = _host_settings_transition,
    test = True,
    toolchains = [config_common.toolchain_type(PLUGIN_TOOLCHAIN_TYPE, mandatory = False)],
)

# Macro arguments for the wrapper only, for every target the macros declare, and the
# settings that must agree between program and plugins (the wrapper's transition applies them
# to both; on the program alone they would make the plugins fail to load).
_WRAPPER_ARGS = ["visibility", "tags", "args", "env", "env_inherit", "data"]
_COMMON_ARGS = ["testonly", "exec_properties", "exec_compatible_with", "features", "compatible_with"]
_HOST_SETTINGS = ["race", "msan", "gotags", "pgoprofile", "goos", "goarch"]

def _split(kwargs):
    """Splits macro arguments between the wrapper rule, all targets, and the Go program.

    Returns:
      (wrapper kwargs, kwargs common to every target); kwargs keeps the program's own.
    """
    wrapper = {k: kwargs.pop(k) for k in _WRAPPER_ARGS + _HOST_SETTINGS if k in kwargs}
    common = {k: kwargs.pop(k) for k in _COMMON_ARGS if k in kwargs}

    # A host is useless where plugins are not supported: skip it there too.
    common["target_compatible_with"] = plugin_platforms_only(kwargs.pop("target_compatible_with", []))
    for k in ("pure", "static", "linkmode"):
        if k in kwargs:
            fail("attribute %s: go_plugin_host/go_plugin_test build the program with cgo, dynamically linked, in linkmode normal, as plugin.Open needs; remove it." % k)
    wrapper.update(common)
    return wrapper, common

_MANIFEST_X_DEF = "github.com/rules-go-plugin/rules_go_plugin/go/loader.manifestRlocationpath"
_MANIFEST_OVERRIDE_X_DEF = "github.com/rules-go-plugin/rules_go_plugin/go/loader.manifestOverride"

def _check_plugins(macro, name, plugins):
    """One error for a plugin listed twice (Bazel's own names the macro's internal targets)."""
    if type(plugins) != "list":
        return  # a select(): Bazel checks each branch
    seen = {}
    for p in plugins:
        key = str(native.package_relative_label(p))
        if key in seen:
            fail("%s %s: attribute plugins: %s is listed twice; list each plugin once." % (macro, macro_label(name), p))
        seen[key] = True

def _program_kwargs(name, kwargs, common, data, plugins, manifest_override):
    """Attributes of the go_binary/go_test behind a host, and its plugin manifest target."""
    manifest = name + "_plugins"
    pin_importpath = "/".join([p for p in ["rules_go_plugin_pin", native.package_name(), manifest] if p])
    _go_plugin_manifest(
        name = manifest,
        plugins = plugins,
        program_srcs = kwargs.get("srcs", []),
        program_embed = kwargs.get("embed", []),
        pin_importpath = pin_importpath,
        tags = ["manual"],
        visibility = ["//visibility:private"],
        **common
    )

    # The manifest's content, linked into the program: a package of its own, imported (blank)
    # by a generated file of the program's package, so it is initialized before the program.
    for group in ("go_pin_library", "go_pin_import"):
        native.filegroup(
            name = "%s_%s" % (manifest, group),
            srcs = [":" + manifest],
            output_group = group,
            tags = ["manual"],
            visibility = ["//visibility:private"],
            # A filegroup runs no action: exec_properties and the like do not apply.
            **{k: v for k, v in common.items() if k in ("testonly", "compatible_with", "target_compatible_with")}
        )
    go_library(
        name = manifest + "_pin",
        srcs = [":%s_go_pin_library" % manifest],
        importpath = pin_importpath,
        deps = [Label("//go/loader/pin")],
        tags = ["manual"],
        visibility = ["//visibility:private"],
        **common
    )

    # The program sees the same data (for $(rlocationpath) in its own code) plus the manifest,
    # whose runfiles path the loader library gets at link time.
    x_defs = dict(kwargs.pop("x_defs", {}))
    x_defs[_MANIFEST_X_DEF] = "$(rlocationpath :%s)" % manifest
    if manifest_override:
        x_defs[_MANIFEST_OVERRIDE_X_DEF] = "1"
    program = dict(
        kwargs,
        srcs = kwargs.get("srcs", []) + [":%s_go_pin_import" % manifest],
        deps = kwargs.get("deps", []) + [":%s_pin" % manifest],
        data = data + [":" + manifest],
        x_defs = x_defs,
        pure = "off",
        static = "off",
        visibility = ["//visibility:private"],
        **common
    )
    return program, ":" + manifest

def go_plugin_host(name, plugins = [], manifest_override = False, **kwargs):
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
      manifest_override: whether the environment variable `RULES_GO_PLUGIN_MANIFEST` (a
        runfiles path) may replace the plugin manifest linked into the program. Off by
        default: the loader then opens only the plugins this target lists, whatever the
        environment (or a parent host) says.
      **kwargs: attributes of rules_go's `go_binary` for the program (`srcs`, `deps`, `embed`,
        `x_defs`, ...); `visibility`, `tags`, `args`, `env` and `data`, which apply to `<name>`
        (`data` also to the program). `race`, `msan`, `gotags`, `pgoprofile` and
        `goos`/`goarch` (go_binary's attributes of those names) apply to the program and all
        its plugins alike, since `plugin.Open` refuses a plugin built with other settings.
        `testonly`, `exec_properties`, `exec_compatible_with`, `features` and
        `compatible_with` apply to every target the macro declares.
    """
    _check_plugins("go_plugin_host", name, plugins)
    wrapper, common = _split(kwargs)
    program, manifest = _program_kwargs(name, kwargs, common, wrapper.get("data", []), plugins, manifest_override)
    go_binary(name = name + "_program", tags = ["manual"] + wrapper.get("tags", []), **program)
    go_plugin_host_rule(
        name = name,
        binary = ":" + name + "_program",
        manifest = manifest,
        plugins = plugins,
        **wrapper
    )

def go_plugin_test(name, plugins = [], manifest_override = False, **kwargs):
    """A Go test that loads `plugins` with `plugin.Open`, with the same checks as `go_plugin_host`.

    The macro declares a rules_go `go_test` named `<name>_program`, the plugin manifest
    `<name>_plugins`, and the test `<name>`, which `bazel test` runs with the plugins.

    Args:
      name: the target name.
      plugins: the `go_plugin` targets the test loads.
      manifest_override: as for `go_plugin_host`.
      **kwargs: attributes of rules_go's `go_test` for the test program (`srcs`, `deps`,
        `embed`, ...); `visibility`, `tags`, `args`, `env`, `env_inherit`, `data`, `size`,
        `timeout`, `flaky`, `shard_count` and `local`, which apply to `<name>` (`data` also to
        the program). The settings (`race`, `msan`, `gotags`, `pgoprofile`, `goos`/`goarch`)
        and the attributes common to every target are as for `go_plugin_host`.
    """
    _check_plugins("go_plugin_test", name, plugins)
    wrapper, common = _split(kwargs)

    # Tests are testonly; so are the program and manifest behind one, so that a test may load
    # testonly plugins.
    if "testonly" not in common:
        common["testonly"] = True
        wrapper["testonly"] = True
    for k in ("size", "timeout", "flaky", "shard_count", "local"):
        if k in kwargs:
            wrapper[k] = kwargs.pop(k)
    program, manifest = _program_kwargs(name, kwargs, common, wrapper.get("data", []), plugins, manifest_override)
    go_test(name = name + "_program", tags = ["manual"] + wrapper.get("tags", []), **program)
    go_plugin_host_test(
        name = name,
        binary = ":" + name + "_program",
        manifest = manifest,
        plugins = plugins,
        **wrapper
    )

"""go_plugin: builds a Go main package and its dependencies into a plugin (.so).

rules_go's private API that it relies on is listed, and loaded, in rules_go_private.bzl.
The link mirrors rules_go's emit_link (go/private/actions/link.bzl) and link builder
(go/tools/builders/link.go) in actions/link.bzl; comments name the function each part mirrors.
"""

load("@bazel_skylib//rules:common_settings.bzl", "BuildSettingInfo")
load(
    "@io_bazel_rules_go//go:def.bzl",
    "GoArchive",
    "GoInfo",
    "go_context",
    "new_go_info",
)

# The host SDKs the go_plugin extension's host_sdk tags declared: name -> rules_go sdk_name value.
load("@rules_go_plugin_toolchains//:host_sdks.bzl", "HOST_SDKS")

# Loaded for its list and, above all, so that loading this file fetches the toolchains
# repository, whose repository rule fails with the one clear "rules_go_plugin needs rules_go
# v0.62.0 or newer" message before the loads of rules_go's private files (rules_go_private.bzl)
# fail on an older rules_go (tests/compat/run.sh --too-old), or a newer one that changed them.
load("@rules_go_plugin_toolchains//:platforms.bzl", "SUPPORTED_PLATFORMS")
load(":abi.bzl", "host_abi_check_action")
load(":actions/link.bzl", "emit_plugin_link", "is_shared_library")
load(":host_sdk.bzl", "host_sdk_name")
load(":labels.bzl", "label_pluginpath", "label_str", "macro_label")
load(":providers.bzl", "GoPluginInfo")
load(
    ":rules_go_private.bzl",
    "CGO_ATTRS",
    "CGO_FRAGMENTS",
    "CGO_TOOLCHAINS",
    "GO_TOOLCHAIN",
    "go_transition",
    "non_go_transition",
)
load(":sdk_select.bzl", "go_plugin_with_sdk")
load(":toolchain.bzl", "PLUGIN_TOOLCHAIN_TYPE")

def _fail(ctx, attr, message):
    fail("%s: %s%s" % (label_str(ctx.label), "attribute %s: " % attr if attr else "", message))

def _default_pluginpath(ctx, embedded_importpath):
    """cmd/go uses the main package's import path, and plugin/unnamed-<hash> for loose files."""
    if ctx.attr.importpath:
        return ctx.attr.importpath
    if embedded_importpath:
        return embedded_importpath
    return label_pluginpath(ctx.label)

def _validate_pluginpath(ctx, pluginpath):
    if ctx.attr.pluginpath and ctx.attr.importpath and ctx.attr.pluginpath != ctx.attr.importpath:
        _fail(ctx, "pluginpath", (
            "%r conflicts with importpath %r. The main package is compiled with -p set to the " +
            "pluginpath, which is its import path; set only one of the two."
        ) % (ctx.attr.pluginpath, ctx.attr.importpath))
    if pluginpath == "main" or not pluginpath or pluginpath != pluginpath.strip() or " " in pluginpath or "//" in pluginpath:
        _fail(ctx, "pluginpath" if ctx.attr.pluginpath else "importpath", (
            "%r is not a valid plugin path: it must be a Go package path other than \"main\", " +
            "such as \"example.com/plugins/greeter\"."
        ) % pluginpath)
    for dep in ctx.attr.deps:
        if dep[GoArchive].data.importmap == pluginpath:
            _fail(ctx, "pluginpath" if ctx.attr.pluginpath else "importpath", (
                "%r is also the package path of dependency %s. Two packages cannot share a " +
                "path in one link; give the plugin its own pluginpath."
            ) % (pluginpath, label_str(dep.label)))

def _validate_inputs(ctx):
    """The errors cmd/go would give (or that would otherwise surface as link errors) for bad attributes."""
    if not ctx.files.srcs and not ctx.attr.embed:
        _fail(ctx, "srcs", (
            "a plugin is built from the sources of a package main: set srcs, or embed a " +
            "go_library that holds them."
        ))
    out = ctx.attr.out
    if out and ("/" in out or not out.endswith(".so") or out == ".so"):
        _fail(ctx, "out", (
            "%r is not a plugin file name: give a name ending in .so, without a directory " +
            "(the plugin is declared in the target's package), e.g. %r."
        ) % (out, ctx.label.name + ".so"))

def _plugin_toolchain(ctx, go):
    tc = ctx.toolchains[PLUGIN_TOOLCHAIN_TYPE]
    if tc == None:
        fail((
            "%s: -buildmode=plugin is not supported on %s/%s, or no go_plugin toolchain is " +
            "registered for it. Go supports plugins on: %s. With bzlmod the toolchains come " +
            "with rules_go_plugin's MODULE.bazel; with WORKSPACE call " +
            "rules_go_plugin_register_toolchains()."
        ) % (label_str(ctx.label), go.mode.goos, go.mode.goarch, ", ".join(SUPPORTED_PLATFORMS)))
    return tc.go_plugin

def _go_plugin_impl(ctx):
    embedded_importpath = ""
    for e in ctx.attr.embed:
        if e[GoInfo].importpath:
            embedded_importpath = e[GoInfo].importpath
            break
    pluginpath = ctx.attr.pluginpath or _default_pluginpath(ctx, embedded_importpath)
    _validate_pluginpath(ctx, pluginpath)
    _validate_inputs(ctx)

    go = go_context(
        ctx,
        importpath = pluginpath,
        importmap = pluginpath,
        embed = ctx.attr.embed,
        go_context_data = ctx.attr._go_context_data,
        goos = ctx.attr.goos,
        goarch = ctx.attr.goarch,
    )
    toolchain = _plugin_toolchain(ctx, go)
    if go.mode.linkmode != "plugin":
        fail("%s: internal error: built in linkmode %r, not \"plugin\"" % (ctx.label, go.mode.linkmode))

    # is_main = False: cmd/go compiles a plugin's main package with -p <pluginpath>, not -p main.
    go_info = new_go_info(go, ctx.attr, importable = False, is_main = False)
    archive = go.archive(go, go_info)

    plugin = ctx.actions.declare_file(ctx.attr.out or ctx.label.name + toolchain.extension)

    packages = emit_plugin_link(ctx, go, archive, go_info, toolchain, pluginpath, plugin)

    # Shared C libraries the plugin links, where its rpath finds them. This mirrors rules_go's
    # emit_binary (go/private/actions/binary.bzl), which flattens cgo_deps the same way: it
    # holds the C libraries linked into this one file, not a transitive Go graph.
    shared_cdeps = [f for f in archive.cgo_deps.to_list() if is_shared_library(f)]
    runfiles = ctx.runfiles(files = [plugin] + shared_cdeps).merge(archive.runfiles)
    for d in ctx.attr.data:
        runfiles = runfiles.merge(d[DefaultInfo].default_runfiles)

    # nogo: rules_go's archive action runs it on the main package when nogo is configured;
    # as for go_binary, its result is a validation output, so a finding fails the build.
    validation_output = getattr(archive.data, "_validation_output", None)
    nogo_diagnostics = getattr(archive.data, "_nogo_diagnostics", None)
    validations = [validation_output] if validation_output else []

    # Released hosts this plugin must load into: one check per ABI file, failing the build.
    host_sdk = host_sdk_name(ctx.attr._sdk_name[BuildSettingInfo].value)
    for abi in ctx.files.host_abis:
        validations.append(host_abi_check_action(ctx, toolchain, abi, plugin, packages, pluginpath, go, host_sdk))
    return [
        DefaultInfo(files = depset([plugin]), runfiles = runfiles),
        GoPluginInfo(
            plugin = plugin,
            pluginpath = pluginpath,
            importpath = ctx.attr.importpath or embedded_importpath,
            goos = go.mode.goos,
            goarch = go.mode.goarch,
            packages = packages,
            label = ctx.label,
        ),
        OutputGroupInfo(
            go_plugin_packages = depset([packages]),
            compilation_outputs = depset([archive.data.file]),
            nogo_fix = depset([nogo_diagnostics] if nogo_diagnostics else []),
            _validation = depset(validations),
        ),
        # As go_binary: `bazel coverage` instruments the sources of the plugin and its deps.
        coverage_common.instrumented_files_info(
            ctx,
            source_attributes = ["srcs"],
            dependency_attributes = ["data", "deps", "embed", "embedsrcs"],
            extensions = ["go"],
        ),
    ]

# Public name for the documentation (//docs); users load the go_plugin macro from //go:defs.bzl.
go_plugin_rule = rule(
    implementation = _go_plugin_impl,
    cfg = go_transition,
    doc = """Links a `package main` and its dependencies with `-buildmode=plugin` into a shared
object that a Go host loads with `plugin.Open`.

Like `go build -buildmode=plugin`, the plugin, its dependencies and the standard library are
compiled with `-dynlink` (rules_go's `linkmode = "plugin"` configuration), C code with `-fPIC`,
the main package with `-p` set to the plugin path, and the link is external (cgo).

The target provides `GoPluginInfo`; its runfiles hold the plugin and the runfiles of its
dependencies and `data`. Output groups: `go_plugin_packages` (the packages linked into the
plugin and their fingerprints) and `compilation_outputs` (the main package's archive).""",
    attrs = CGO_ATTRS | {
        "srcs": attr.label_list(
            allow_files = [".go", ".s", ".S", ".h", ".c", ".cc", ".cpp", ".cxx", ".hh", ".hpp", ".hxx", ".inc", ".m", ".mm", ".syso"],
            cfg = non_go_transition,
            doc = "Source files of the plugin's `package main` (Go, and C/C++/assembly with `cgo = True`).",
        ),
        "deps": attr.label_list(
            providers = [GoInfo],
            doc = "Go libraries (`go_library`) the plugin imports. They are compiled in the plugin configuration (`-dynlink`).",
        ),
        "embed": attr.label_list(
            providers = [GoInfo],
            doc = "A `go_library` with the plugin's `package main` sources to build from, as in go_binary; its importpath becomes the default pluginpath.",
        ),
        "embedsrcs": attr.label_list(
            allow_files = True,
            cfg = non_go_transition,
            doc = "Files the sources may embed with `//go:embed`.",
        ),
        "importpath": attr.string(
            doc = "Import path of the plugin's main package. Default pluginpath. Optional.",
        ),
        "pluginpath": attr.string(
            doc = """The plugin path: the package path the main package is compiled with (`-p`) and
the linker's `-pluginpath`; `plugin.Open` refuses two plugins with the same one. Default: the
`importpath`, else the embedded library's importpath, else `plugin/<package>/<name>` from the label
(`plugin/<repository>/<package>/<name>` outside the main repository, with the module's name or the
repository's own name, never a canonical repository name), which is unique per target.""",
        ),
        "x_defs": attr.string_dict(
            doc = "`-X` definitions for the link, as in go_binary: `{\"main.Version\": \"1.2\"}` sets `Version` in the plugin's main package.",
        ),
        "gc_goopts": attr.string_list(
            doc = "Extra flags for `go tool compile` of the plugin's main package.",
        ),
        "gc_linkopts": attr.string_list(
            doc = "Extra flags for `go tool link` (Make variables are expanded).",
        ),
        "cgo": attr.bool(
            doc = "Whether `srcs` use cgo. C code is compiled with `-fPIC`, as in any plugin configuration.",
        ),
        "cdeps": attr.label_list(
            cfg = non_go_transition,
            doc = "C/C++ libraries (`cc_library`) the cgo code depends on. Only with `cgo = True`.",
        ),
        "cppopts": attr.string_list(doc = "C preprocessor flags for cgo code. Only with `cgo = True`."),
        "copts": attr.string_list(doc = "C compiler flags for cgo code. Only with `cgo = True`."),
        "cxxopts": attr.string_list(doc = "C++ compiler flags for cgo code. Only with `cgo = True`."),
        "clinkopts": attr.string_list(doc = "C linker flags for cgo code. Only with `cgo = True`."),
        "data": attr.label_list(
            allow_files = True,
            cfg = non_go_transition,
            doc = "Files the plugin needs at run time; they are added to its runfiles.",
        ),
        "out": attr.string(
            doc = "Name of the output file. Default: `<name>.so`.",
        ),
        "host_abis": attr.label_list(
            allow_files = [".json"],
            # Not Go code linked into the plugin: built in the configuration before go_plugin's
            # transition, so a go_plugin_host's plugin_abi output is built as that host is.
            cfg = non_go_transition,
            doc = """Plugin ABI files of hosts built elsewhere or earlier (a released host's
`plugin_abi` output, or `go_plugin_abi`'s), checked in or fetched. A validation action per file
fails `bazel build` of the plugin unless it would load into that host: the same goos/goarch and
Go version, and every package the plugin shares with the host with the host's fingerprint (the
message names the package, both fingerprints, and the host's and plugin's module versions when
their build info has them).""",
        ),
        "pure": attr.string(
            default = "off",
            values = ["off"],
            doc = """Always `"off"`: plugins require cgo. rules_go's transition reads it, so the
plugin, its deps and the standard library are built with cgo even under
`--@io_bazel_rules_go//go/config:pure=on` (the `go_plugin` macro rejects `pure = "on"`).""",
        ),
        "linkmode": attr.string(
            default = "plugin",
            values = ["plugin"],
            doc = "Read by rules_go's transition; always `\"plugin\"`.",
        ),
        # Read by rules_go's go_transition, as on go_binary. A host must agree with its plugins
        # on race, msan, gotags and pgoprofile: go_plugin_host sets them on both sides.
        "race": attr.string(
            default = "auto",
            values = ["auto", "on", "off"],
            doc = "Race-instrument the plugin, its deps and the standard library (`on`), or not (`off`); `auto` follows `--@io_bazel_rules_go//go/config:race`. Must match the host.",
        ),
        "msan": attr.string(
            default = "auto",
            values = ["auto", "on", "off"],
            doc = "Memory-sanitizer instrumentation, as `race`; `auto` follows `--@io_bazel_rules_go//go/config:msan`. Must match the host.",
        ),
        "gotags": attr.string_list(
            doc = "Build tags for the plugin and everything it is built from (as go_binary's `gotags`). Packages shared with the host must be built with the same tags.",
        ),
        "goos": attr.string(
            default = "auto",
            doc = "Build the plugin for this GOOS (with `goarch`), as go_binary's `goos`; cgo stays on. Usually `--platforms` is better.",
        ),
        "goarch": attr.string(
            default = "auto",
            doc = "Build the plugin for this GOARCH (with `goos`), as go_binary's `goarch`.",
        ),
        "pgoprofile": attr.label(
            allow_files = True,
            default = "@io_bazel_rules_go//go/config:empty",
            doc = "A pprof profile for profile-guided optimization, as go_binary's `pgoprofile`. Must match the host's.",
        ),
        "_nogo": attr.label(
            default = "@io_bazel_rules_nogo//:nogo",
            cfg = "exec",
        ),
        "_go_context_data": attr.label(default = "@io_bazel_rules_go//:go_context_data"),
        # rules_go's SDK selection: the host SDK a plugin is built with, for the check's messages.
        "_sdk_name": attr.label(default = "@io_bazel_rules_go//go/toolchain:sdk_name"),
        "_allowlist_function_transition": attr.label(
            default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
        ),
    },
    fragments = CGO_FRAGMENTS,
    toolchains = [GO_TOOLCHAIN] + CGO_TOOLCHAINS + [config_common.toolchain_type(PLUGIN_TOOLCHAIN_TYPE, mandatory = False)],
)

def plugin_platforms_only(target_compatible_with = []):
    """A target_compatible_with value for targets that build or load Go plugins.

    Such targets are incompatible (skipped by `bazel build //...`) on platforms outside the
    plugin allowlist.

    Args:
      target_compatible_with: the target's own constraints, kept.

    Returns:
      A select() for target_compatible_with.
    """
    return target_compatible_with + select({
        Label("@rules_go_plugin_toolchains//:supported"): [],
        "//conditions:default": [Label("//go/toolchain:go_buildmode_plugin_supported")],
    })

def host_sdk_flag(name, attr, host_sdk):
    """Returns rules_go's sdk_name value for a host SDK, or fails naming the declared ones.

    Args:
      name: the macro's target name, for the message.
      attr: the attribute that names the host SDK, for the message.
      host_sdk: the host SDK's name (a go_plugin.host_sdk tag's).

    Returns:
      The value of @io_bazel_rules_go//go/toolchain:sdk_name that selects it.
    """
    if host_sdk not in HOST_SDKS:
        fail((
            "%s: attribute %s: %r: no go_plugin.host_sdk tag declares it%s. Declare the host " +
            "in MODULE.bazel: go_plugin = use_extension(\"@rules_go_plugin//go:extensions.bzl\", " +
            "\"go_plugin\") and go_plugin.host_sdk(name = %r, abi = \"//path:host.plugin_abi.json\", " +
            "go_root_file = \"@go_sdk//:ROOT\")."
        ) % (
            macro_label(name),
            attr,
            host_sdk,
            " (declared: %s)" % ", ".join(sorted(HOST_SDKS)) if HOST_SDKS else "",
            host_sdk,
        ))
    return HOST_SDKS[host_sdk]

def go_plugin(name, host_sdk = None, **kwargs):
    """Builds a Go plugin: a `.so` file that a Go program loads with `plugin.Open`.

    The target is incompatible with the platforms on which Go does not support
    `-buildmode=plugin` (`bazel build //...` skips it there), and `pure = "on"` is an error:
    plugins need cgo.

    With `host_sdk`, the plugin is for a host built with `go build` or elsewhere: the plugin,
    its dependencies and the standard library are compiled with that host SDK (declared by a
    `go_plugin.host_sdk` tag in MODULE.bazel), which records the host's source file names, and
    the plugin is checked against the host's ABI file (docs/go_build_hosts.md). The target is
    then a forward of `<name>_host_sdk_<host_sdk>`, the go_plugin built that way.

    Args:
      name: the target name; the plugin is `<name>.so` unless `out` is set.
      host_sdk: the name of a `go_plugin.host_sdk` tag: build for that host.
      **kwargs: the attributes of the rule, and those common to all rules (`visibility`,
        `tags`, ...; `target_compatible_with` is combined with the plugin platforms).
    """
    pure = kwargs.pop("pure", "off")
    if pure not in ("auto", "off"):
        fail((
            "%s: attribute pure = %r: -buildmode=plugin requires external (cgo) linking, " +
            "so a plugin cannot be pure Go. Remove the attribute (go_plugin always builds " +
            "with cgo)."
        ) % (macro_label(name), pure))
    compatible = plugin_platforms_only(kwargs.pop("target_compatible_with", []))
    if not host_sdk:
        go_plugin_rule(name = name, pure = "off", target_compatible_with = compatible, **kwargs)
        return
    flag_value = host_sdk_flag(name, "host_sdk", host_sdk)
    out = kwargs.pop("out", None) or name + ".so"
    visibility = kwargs.pop("visibility", None)
    tags = kwargs.pop("tags", None) or []
    inner = "%s_host_sdk_%s" % (name, host_sdk)
    if not kwargs.get("importpath") and not kwargs.get("pluginpath") and not kwargs.get("embed"):
        # The default pluginpath of `name`, not of the inner target.
        kwargs["pluginpath"] = label_pluginpath(native.package_relative_label(":" + name))
    go_plugin_rule(
        name = inner,
        pure = "off",
        target_compatible_with = compatible,
        host_abis = kwargs.pop("host_abis", []) + [Label("@rules_go_plugin_toolchains//host_sdks:%s.plugin_abi.json" % host_sdk)],
        # Built only through `name`, with the host SDK: with the build's SDK its check would fail.
        tags = tags + ["manual"],
        visibility = ["//visibility:private"],
        **kwargs
    )
    go_plugin_with_sdk(
        name = name,
        plugin = ":" + inner,
        sdk_name = flag_value,
        out = out,
        testonly = kwargs.get("testonly"),
        visibility = visibility,
        tags = tags,
    )

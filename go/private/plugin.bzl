"""go_plugin: builds a Go main package and its dependencies into a plugin (.so)."""

load(
    "@io_bazel_rules_go//go:def.bzl",
    "GoArchive",
    "GoInfo",
    "go_context",
    "go_rule",
    "new_go_info",
)

# rules_go's own transitions (not exported by go/def.bzl, but loadable). go_transition reads
# this rule's `linkmode` attribute ("plugin") and records the original value, so that
# non_go_transition can restore it on edges to code that is not linked into the plugin.
load(
    "@io_bazel_rules_go//go/private/rules:transition.bzl",
    "go_transition",
    "non_go_transition",
)
load("@rules_go_plugin_toolchains//:platforms.bzl", "SUPPORTED_PLATFORMS")
load(":labels.bzl", "label_str")
load(":providers.bzl", "GoPluginInfo")

_TOOLCHAIN_TYPE = "//go/toolchain:toolchain_type"

# Flags in the C toolchain's shared-library link options that do not apply to a plugin link
# (rules_go drops the same ones).
_DROPPED_EXTLDFLAGS = ["-lstdc++", "-lc++", "-static"]

def _fail(ctx, attr, message):
    fail("%s: %s%s" % (label_str(ctx.label), "attribute %s: " % attr if attr else "", message))

def _default_pluginpath(ctx, embedded_importpath):
    """cmd/go uses the main package's import path, and plugin/unnamed-<hash> for loose files."""
    if ctx.attr.importpath:
        return ctx.attr.importpath
    if embedded_importpath:
        return embedded_importpath

    # Canonical repository names end in "~" (Bazel 7) or "+" (Bazel 8); drop the marker so the
    # default does not change with the Bazel version.
    repo = ctx.label.workspace_name.replace("~", "+").rstrip("+")
    return "plugin/" + "/".join([p for p in [repo, ctx.label.package, ctx.label.name] if p])

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

def _plugin_toolchain(ctx, go):
    tc = ctx.toolchains[_TOOLCHAIN_TYPE]
    if tc == None:
        fail((
            "%s: -buildmode=plugin is not supported on %s/%s, or no go_plugin toolchain is " +
            "registered for it. Go supports plugins on: %s. With bzlmod the toolchains come " +
            "with rules_go_plugin's MODULE.bazel; with WORKSPACE call " +
            "rules_go_plugin_register_toolchains()."
        ) % (label_str(ctx.label), go.mode.goos, go.mode.goarch, ", ".join(SUPPORTED_PLATFORMS)))
    return tc.go_plugin

def _std_pkg_dir(go):
    suffix = "%s_%s" % (go.mode.goos, go.mode.goarch)
    if go.mode.race:
        suffix += "_race"
    elif go.mode.msan:
        suffix += "_msan"
    return go.stdlib.root_file.path + "/" + suffix

def _link_tool(go):
    # A small, direct list (the SDK's pkg/tool directory), not transitive data.
    want = "/pkg/tool/%s_%s/link" % (go.sdk.goos, go.sdk.goarch)
    for f in go.sdk.tools.to_list():
        if f.path.endswith(want) or f.path.endswith(want + ".exe"):
            return f
    fail("rules_go_plugin: the Go SDK has no %s" % want)

def _archive_arg(d):
    return "%s=%s" % (d.importmap, d.file.path)

def _x_def_arg(item):
    return "%s=%s" % item

def _go_plugin_impl(ctx):
    embedded_importpath = ""
    for e in ctx.attr.embed:
        if e[GoInfo].importpath:
            embedded_importpath = e[GoInfo].importpath
            break
    pluginpath = ctx.attr.pluginpath or _default_pluginpath(ctx, embedded_importpath)
    _validate_pluginpath(ctx, pluginpath)

    go = go_context(
        ctx,
        importpath = pluginpath,
        importmap = pluginpath,
        embed = ctx.attr.embed,
        go_context_data = ctx.attr._go_context_data,
    )
    toolchain = _plugin_toolchain(ctx, go)
    if go.mode.linkmode != "plugin":
        fail("%s: internal error: built in linkmode %r, not \"plugin\"" % (ctx.label, go.mode.linkmode))

    # is_main = False: cmd/go compiles a plugin's main package with -p <pluginpath>, not -p main.
    go_info = new_go_info(go, ctx.attr, importable = False, is_main = False)
    archive = go.archive(go, go_info)

    plugin = ctx.actions.declare_file(ctx.attr.out or ctx.label.name + toolchain.extension)
    packages = ctx.actions.declare_file(ctx.label.name + ".packages.txt")

    args = ctx.actions.args()
    args.use_param_file("@%s", use_always = True)
    args.set_param_file_format("multiline")
    args.add("-link", _link_tool(go))
    args.add("-goroot", go.sdk.root_file.dirname)
    args.add("-main", archive.data.file)
    args.add("-pluginpath", pluginpath)
    deps = depset(transitive = [d.transitive for d in archive.direct])
    args.add_all(deps, before_each = "-arc", map_each = _archive_arg)
    args.add("-stdlib_pkg_dir", _std_pkg_dir(go))
    args.add("-extld", go.cgo_tools.ld_dynamic_lib_path)
    args.add_all(
        [f for f in go.cgo_tools.ld_dynamic_lib_options if f not in _DROPPED_EXTLDFLAGS],
        before_each = "-extldflag",
    )
    args.add_all(sorted(archive.x_defs.items()), before_each = "-x", map_each = _x_def_arg)
    linkopts = [ctx.expand_make_variables("gc_linkopts", f, {}) for f in ctx.attr.gc_linkopts]
    args.add_all(linkopts + go.mode.gc_linkopts, before_each = "-linkopt")
    args.add("-o", plugin)
    args.add("-packages_out", packages)
    main_srcs = [f for f in go_info.srcs if f.extension == "go"]
    args.add_all(main_srcs, before_each = "-main_src")

    ctx.actions.run(
        executable = toolchain.linker,
        arguments = [args],
        inputs = depset(
            [archive.data.file] + main_srcs,
            transitive = [
                archive.libs,
                archive.cgo_deps,
                archive.cgo_link_inputs,
                go.stdlib.libs,
                go.cc_toolchain_files,
                go.sdk.tools,
            ],
        ),
        outputs = [plugin, packages],
        env = go.env,
        mnemonic = "GoPluginLink",
        progress_message = "Linking Go plugin %{label}",
        toolchain = _TOOLCHAIN_TYPE,
    )

    runfiles = ctx.runfiles(files = [plugin]).merge(archive.runfiles)
    for d in ctx.attr.data:
        runfiles = runfiles.merge(d[DefaultInfo].default_runfiles)
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
        ),
    ]

# Public name for the documentation (//docs); users load the go_plugin macro from //go:defs.bzl.
go_plugin_rule = go_rule(
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
    attrs = {
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
`importpath`, else the embedded library's importpath, else `plugin/<package>/<name>` from the label,
which is unique per target.""",
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
        "_go_context_data": attr.label(default = "@io_bazel_rules_go//:go_context_data"),
        "_allowlist_function_transition": attr.label(
            default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
        ),
    },
    toolchains = [config_common.toolchain_type(_TOOLCHAIN_TYPE, mandatory = False)],
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

def go_plugin(name, **kwargs):
    """Builds a Go plugin: a `.so` file that a Go program loads with `plugin.Open`.

    The target is incompatible with the platforms on which Go does not support
    `-buildmode=plugin` (`bazel build //...` skips it there), and `pure = "on"` is an error:
    plugins need cgo.

    Args:
      name: the target name; the plugin is `<name>.so` unless `out` is set.
      **kwargs: the attributes of the rule, and those common to all rules (`visibility`,
        `tags`, ...; `target_compatible_with` is combined with the plugin platforms).
    """
    pure = kwargs.pop("pure", "off")
    if pure not in ("auto", "off"):
        fail((
            "%s: attribute pure = %r: -buildmode=plugin requires external (cgo) linking, " +
            "so a plugin cannot be pure Go. Remove the attribute (go_plugin always builds " +
            "with cgo)."
        ) % (_here(name), pure))
    compatible = plugin_platforms_only(kwargs.pop("target_compatible_with", []))
    go_plugin_rule(name = name, pure = "off", target_compatible_with = compatible, **kwargs)

def _here(name):
    return "//%s:%s" % (native.package_name(), name)

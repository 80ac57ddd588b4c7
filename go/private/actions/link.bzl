"""The link of a go_plugin: rules_go's emit_link (go/private/actions/link.bzl, v0.65.0) for a
go_binary in linkmode "plugin", mirrored here function by function so that the two can be read
side by side, and run by go/tools/pluginlink (rules_go's link builder, go/tools/builders/link.go).
"""

load("//go/private:toolchain.bzl", "PLUGIN_TOOLCHAIN_TYPE")

# Flags in the C toolchain's shared-library link options that do not apply to a plugin link
# (rules_go drops the same ones).
_DROPPED_EXTLDFLAGS = ["-lstdc++", "-lc++", "-static"]

# The link mirrors rules_go's emit_link (go/private/actions/link.bzl, v0.65.0) for a go_binary
# in linkmode "plugin"; the functions below are the parts of it that decide flags.

def _count_group_matches(v, prefix, suffix):
    """rules_go's count_group_matches (go/private/common.bzl): matches of "prefix.+?suffix"."""
    count = 0
    idx = 0
    for i in range(0, len(v)):
        if idx > i:
            continue
        idx = v.find(prefix, idx)
        if idx == -1:
            break
        idx = v.find(suffix, idx)
        if idx == -1:
            break
        count = count + 1
    return count

def _stamp_inputs(ctx, go, x_defs):
    """The workspace status files the -X values need, as emit_link decides them.

    Without --stamp there are none, and the link helper drops every -X whose value has a
    {KEY} (as rules_go's link builder does), so the variable keeps its default.
    """
    if not go.mode.stamp:
        return []
    stable = False
    volatile = False
    for v in x_defs.values():
        stable_count = (_count_group_matches(v, "{STABLE_", "}") +
                        v.count("{BUILD_EMBED_LABEL}") +
                        v.count("{BUILD_USER}") +
                        v.count("{BUILD_HOST}"))
        if stable_count > 0:
            stable = True
        if _count_group_matches(v, "{", "}") != stable_count:
            volatile = True
    return ([ctx.info_file] if stable else []) + ([ctx.version_file] if volatile else [])

def _extract_extldflags(gc_linkopts, extldflags):
    """rules_go's _extract_extldflags: moves `-extldflags X` out of gc_linkopts.

    The values are added to the C toolchain's flags instead of replacing them (the Go linker
    keeps only the last -extldflags).
    """
    filtered = []
    is_extldflags = False
    skip_next = False
    for i, opt in enumerate(gc_linkopts):
        if skip_next:
            skip_next = False
            continue
        if is_extldflags:
            if opt == "-Wl" and i + 1 < len(gc_linkopts):
                extldflags.append("-Wl," + gc_linkopts[i + 1])
                skip_next = True
            else:
                extldflags.append(opt)
            is_extldflags = False
        elif opt == "-extldflags":
            is_extldflags = True
        else:
            filtered.append(opt)
    return filtered, extldflags

def is_shared_library(f):
    """Whether f is a shared library: .so, .dylib, .dll, or versioned like libfoo.so.1.2.

    Args:
      f: a File.

    Returns:
      True for a shared library.
    """
    name = f.basename
    if name.endswith((".so", ".dylib", ".dll")):
        return True
    i = name.find(".so.")
    if i < 0:
        return False
    return all([part.isdigit() for part in name[i + len(".so."):].split(".")])

def _rpath_flags(ctx, go, plugin):
    """A map_each function: the -rpath flags that let the plugin find a shared C library.

    rules_go's rpath.flags (go/private/rpath.bzl) for a library of cgo_deps, relative to the
    plugin: from the plugin in a runfiles tree (a host's, or its own), and next to it in the
    output tree. Applied lazily to the cgo_deps depset.
    """
    origin = "@loader_path" if go.mode.goos == "darwin" else "$ORIGIN"
    depth = plugin.short_path.count("/")
    back_to_root = "/".join([".."] * depth)
    workspace = ctx.workspace_name
    from_other_repo = plugin.short_path.startswith("../")
    to_execroot = "/".join([".."] * (plugin.dirname.count("/") + 1))

    def flags(lib):
        if not is_shared_library(lib):
            return []
        lib_dir = lib.short_path.rpartition("/")[0]
        paths = [
            _join(origin, back_to_root, lib_dir),
            _join(origin, plugin.basename + ".runfiles", workspace, lib_dir),
        ]
        if from_other_repo:
            paths.append(_join(origin, "/".join([".."] * (depth - 1)), workspace, lib_dir))

        # Beyond rules_go: plugin.Open passes the realpath of the file to dlopen, so $ORIGIN is
        # where the plugin really is, which for a runfiles symlink is its place in the output
        # tree (bazel-out/<config>/bin/...); the library may be in another configuration's.
        paths.append(_join(origin, to_execroot, lib.dirname))
        return ["-Wl,-rpath," + p for p in paths]

    return flags

def _join(*parts):
    """skylib's paths.join for relative parts: joins the non-empty ones with "/"."""
    return "/".join([p for p in parts if p])

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

def _go_at_least(version, minimum):
    # "1.27.3", "1.27rc1", "go1.27": the (major, minor) pair, compared as rules_go's
    # parse_version does.
    parts = version.removeprefix("go").split(".")
    if len(parts) < 2 or not parts[0].isdigit():
        return False
    minor = ""
    for c in parts[1].elems():
        if not c.isdigit():
            break
        minor += c
    return bool(minor) and (int(parts[0]), int(minor)) >= minimum

def _x_def_arg(item):
    return "%s=%s" % item

# Build info (module dependencies), as emit_link passes it to rules_go's link builder
# (rules_go >= 0.63; its private fields are read with getattr, so older releases link without
# dependencies): each package's module metadata file and the file listing its imports.
def _package_metadata_arg(d):
    metadata = getattr(d, "_package_metadata", None)
    return "%s=%s" % (d.importmap, metadata.path) if metadata else None

def _imports_arg(main_file):
    def imports(d):
        return None if d.file == main_file or not getattr(d, "_imports", None) else "%s=%s" % (d.importmap, d._imports.path)

    return imports

def emit_plugin_link(ctx, go, archive, go_info, toolchain, pluginpath, plugin):
    """Registers the plugin's link action, as emit_link does for a go_binary.

    Args:
      ctx: the go_plugin rule's context.
      go: its go_context.
      archive: the main package's GoArchive.
      go_info: the main package's GoInfo (its sources go to pluginlink for messages).
      toolchain: the go_plugin toolchain's GoPluginToolchainInfo (its linker).
      pluginpath: the plugin path (-pluginpath, and -p of the main package).
      plugin: the .so File to write.

    Returns:
      The File listing the packages linked into the plugin and their fingerprints.
    """
    packages = ctx.actions.declare_file(ctx.label.name + ".packages.txt")

    # As in emit_link: the C toolchain's flags, then --coverage, then the -extldflags of
    # gc_linkopts, then the rpaths of shared C libraries.
    extldflags = [f for f in go.cgo_tools.ld_dynamic_lib_options if f not in _DROPPED_EXTLDFLAGS]
    if go.coverage_enabled:
        extldflags.append("--coverage")
    linkopts = [ctx.expand_make_variables("gc_linkopts", f, {}) for f in ctx.attr.gc_linkopts]
    linkopts, extldflags = _extract_extldflags(linkopts + go.mode.gc_linkopts, extldflags)

    # Flags emit_link gives the Go linker for the build settings (tool_args there).
    tool_flags = []
    if go.cgo_tools.ar_path and go.cgo_tools.ar_path.endswith("ar"):
        tool_flags.extend(["-extar", go.cgo_tools.ar_path])
    if go.mode.race:
        tool_flags.append("-race")
    if go.mode.msan:
        tool_flags.append("-msan")
    tool_flags.extend(linkopts)
    tool_flags.extend(go.toolchain.flags.link)

    # rules_go >= 0.64: the minimum macOS version (Xcode's, --macos_minimum_os) for Go >= 1.27
    # on darwin (go_context's macos_minimum_os, absent before).
    macos_minimum_os = getattr(go, "macos_minimum_os", None)
    if go.mode.goos == "darwin" and macos_minimum_os and _go_at_least(go.sdk.version, (1, 27)):
        tool_flags.extend(["-macos", macos_minimum_os])
    if go.mode.strip:
        tool_flags.extend(["-s", "-w"])

    # rules_go's link adds the coverage runtime's archive: instrumented packages import it.
    coverdata = [go.coverdata.data] if go.coverage_enabled and go.coverdata else []
    stamp_inputs = _stamp_inputs(ctx, go, archive.x_defs)

    args = ctx.actions.args()
    args.use_param_file("@%s", use_always = True)
    args.set_param_file_format("multiline")
    args.add("-link", _link_tool(go))
    args.add("-goroot", go.sdk.root_file.dirname)
    args.add("-main", archive.data.file)
    args.add("-pluginpath", pluginpath)
    deps = depset(coverdata, transitive = [d.transitive for d in archive.direct])
    args.add_all(deps, before_each = "-arc", map_each = _archive_arg)
    args.add("-stdlib_pkg_dir", _std_pkg_dir(go))
    args.add("-extld", go.cgo_tools.ld_dynamic_lib_path)
    args.add_all(extldflags, before_each = "-extldflag")
    args.add_all(
        archive.cgo_deps,
        before_each = "-extldflag",
        map_each = _rpath_flags(ctx, go, plugin),
        allow_closure = True,
        uniquify = True,
    )
    args.add_all(sorted(archive.x_defs.items()), before_each = "-x", map_each = _x_def_arg)
    args.add_all(stamp_inputs, before_each = "-stamp")
    args.add_all(tool_flags, before_each = "-linkopt")
    args.add("-o", plugin)
    args.add("-packages_out", packages)
    main_srcs = [f for f in go_info.srcs if f.extension == "go"]
    args.add_all(main_srcs, before_each = "-main_src")

    # Build info: cmd/go records a plugin's module dependencies (`go version -m plugin.so`);
    # rules_go records them for executables only, from the same data (emit_link).
    args.add("-main_package_path", pluginpath)
    main_imports = getattr(archive.data, "_imports", None)
    main_metadata = getattr(archive.data, "_package_metadata", None)
    buildinfo_inputs = []
    if main_imports:
        args.add("-main_imports", main_imports)
        buildinfo_inputs.append(main_imports)
        args.add_all(archive.transitive, before_each = "-package_metadata", map_each = _package_metadata_arg)
        args.add_all(archive.transitive, before_each = "-imports", map_each = _imports_arg(archive.data.file), allow_closure = True)
    if main_metadata:
        args.add("-main_module_metadata", main_metadata)
        buildinfo_inputs.append(main_metadata)
    args.add_all(go.mode.tags, before_each = "-buildinfo_tag")

    ctx.actions.run(
        executable = toolchain.linker,
        arguments = [args],
        inputs = depset(
            [archive.data.file] + main_srcs + stamp_inputs + buildinfo_inputs + [d.file for d in coverdata],
            transitive = [
                archive.libs,
                archive.cgo_deps,
                archive.cgo_link_inputs,
                go.stdlib.libs,
                getattr(go.stdlib, "cgo_link_inputs", depset()),
                go.cc_toolchain_files,
                go.sdk.tools,
                getattr(archive, "_buildinfo_link_inputs", depset()),
            ],
        ),
        outputs = [plugin, packages],
        env = go.env,
        mnemonic = "GoPluginLink",
        progress_message = "Linking Go plugin %{label}",
        toolchain = PLUGIN_TOOLCHAIN_TYPE,
    )
    return packages

"""Analysis tests of go_plugin: compile and link flags, outputs, GoPluginInfo, cross-compilation
(linux/arm64), --@io_bazel_rules_go//go/config:pure=on, and the
errors of invalid targets and configurations.

The tests read the command lines of the actions (`action.argv`). For actions whose arguments
are in a params file (the GoPluginLink action uses `use_param_file(..., use_always = True)`),
Bazel 7.7's `action.argv` returns the expanded arguments, params file contents included,
without the `@file` argument; the frozen `Args` objects of `action.args` have no readable
contents, so `argv` is the only way to read them.

The actions of the dependencies (the go_library deps and the standard library, built in the
plugin's configuration) are collected by `_collect_actions_aspect`, which analysistest applies
to the target under test and which follows the attributes along which they are reached.
"""

load("@bazel_skylib//lib:unittest.bzl", "analysistest", "asserts")
load("//go:defs.bzl", "GoPluginInfo")

_ARM64_CGO_PLATFORM = str(Label("@io_bazel_rules_go//go/toolchain:linux_arm64_cgo"))
_ARM64_PLATFORM = str(Label("@io_bazel_rules_go//go/toolchain:linux_arm64"))
_FAKE_AARCH64_CC_TOOLCHAIN = str(Label("//tests/analysis/fake_cc:linux_aarch64"))
_PURE_FLAG = str(Label("@io_bazel_rules_go//go/config:pure"))
_RACE_FLAG = str(Label("@io_bazel_rules_go//go/config:race"))
_MSAN_FLAG = str(Label("@io_bazel_rules_go//go/config:msan"))
_DARWIN_ARM64_CGO_PLATFORM = str(Label("@io_bazel_rules_go//go/toolchain:darwin_arm64_cgo"))
_FAKE_DARWIN_CC_TOOLCHAIN = str(Label("//tests/analysis/fake_cc:darwin_arm64"))

# ---- Collecting the actions of the dependencies ----

_CollectedActionsInfo = provider(
    doc = "The actions of a target and of the targets it reaches through `_ATTR_ASPECTS`.",
    fields = {
        "actions": "list of struct(label, action); may contain a target's actions twice.",
    },
)

# go_plugin/go_library -> deps, embed (Go libraries in the plugin configuration);
# -> _go_context_data -> stdlib (the standard library of that configuration).
_ATTR_ASPECTS = ["deps", "embed", "_go_context_data", "stdlib"]

def _collect_actions_aspect_impl(target, ctx):
    actions = [struct(label = target.label, action = a) for a in target.actions]
    for name in _ATTR_ASPECTS:
        value = getattr(ctx.rule.attr, name, None)
        if value == None:
            continue
        for dep in (value if type(value) == "list" else [value]):
            if _CollectedActionsInfo in dep:
                actions.extend(dep[_CollectedActionsInfo].actions)
    return [_CollectedActionsInfo(actions = actions)]

_collect_actions_aspect = aspect(
    implementation = _collect_actions_aspect_impl,
    attr_aspects = _ATTR_ASPECTS,
    doc = "Collects the actions of the target under test and of the Go targets it depends on.",
)

# ---- Helpers ----

def _flag_values(argv, flag):
    """Returns the arguments that follow each occurrence of `flag` in `argv`."""
    return [argv[i + 1] for i in range(len(argv) - 1) if argv[i] == flag]

def _flag_value(env, argv, flag, what):
    """Returns the single value of `flag` in `argv`, or None after reporting a failure."""
    values = _flag_values(argv, flag)
    asserts.equals(env, 1, len(values), "number of %s arguments of %s: %s" % (flag, what, argv))
    return values[0] if len(values) == 1 else None

def _actions_with_mnemonic(actions, mnemonic):
    return [a for a in actions if a.mnemonic == mnemonic]

def _assert_compiled_with_dynlink(env, action, what):
    """A GoCompilePkg action must pass -dynlink to the compiler (-gcflags) and assembler."""
    for flag in ["-gcflags", "-asmflags"]:
        values = _flag_values(action.argv, flag)
        asserts.true(
            env,
            len([v for v in values if "-dynlink" in v.split(" ")]) > 0,
            "%s: no %s argument has -dynlink: %s" % (what, flag, action.argv),
        )

def _single(env, items, what):
    asserts.equals(env, 1, len(items), "number of %s: %s" % (what, items))
    return items[0] if len(items) == 1 else None

def _assert_link_flags(env, ctx, link):
    """Checks the settings-dependent flags of the GoPluginLink action (see _LINK_FLAG_ATTRS)."""
    linkopts = _flag_values(link.argv, "-linkopt")
    extldflags = _flag_values(link.argv, "-extldflag")
    for want in ctx.attr.expected_linkopts:
        asserts.true(env, want in linkopts, "-linkopt %r missing: %s" % (want, linkopts))
    for unwanted in ctx.attr.unexpected_linkopts:
        asserts.false(env, unwanted in linkopts, "unexpected -linkopt %r: %s" % (unwanted, linkopts))
    for want in ctx.attr.expected_extldflags:
        asserts.true(env, want in extldflags, "-extldflag %r missing: %s" % (want, extldflags))
    if ctx.attr.expected_toolchain_extldflags:
        # The C toolchain's own flags stay (user -extldflags are merged, not substituted).
        asserts.true(env, len(extldflags) > len(ctx.attr.expected_extldflags), "the C toolchain's link flags were dropped: %s" % extldflags)
    for prefix in ctx.attr.expected_arc_prefixes:
        arcs = [a for a in _flag_values(link.argv, "-arc") if a.startswith(prefix)]
        asserts.true(env, len(arcs) == 1, "want one -arc starting with %r: %s" % (prefix, _flag_values(link.argv, "-arc")))
    stamps = _flag_values(link.argv, "-stamp")
    asserts.equals(env, ctx.attr.expected_stamp_files, [f.split("/")[-1] for f in stamps], "-stamp files of the link")
    inputs = [f.path for f in link.inputs.to_list()]
    for f in stamps:
        asserts.true(env, f in inputs, "stamp file %s is not an input of the link" % f)

# ---- Tests of a plugin that is built ----

def _plugin_test_impl(ctx):
    env = analysistest.begin(ctx)
    target = analysistest.target_under_test(env)
    name = target.label.name
    pluginpath = ctx.attr.expected_pluginpath
    out = ctx.attr.expected_out or name + ".so"

    # Outputs and GoPluginInfo.
    files = target[DefaultInfo].files.to_list()
    plugin = _single(env, files, "DefaultInfo files")
    if plugin == None:
        return analysistest.end(env)
    asserts.equals(env, out, plugin.basename, "basename of the plugin")

    # In another repository, short paths start with ../<canonical repository name>/.
    prefix = "../%s/" % target.label.repo_name if target.label.repo_name else ""
    asserts.equals(env, prefix + "/".join([p for p in [target.label.package, out] if p]), plugin.short_path, "plugin output")
    asserts.true(env, GoPluginInfo in target, "go_plugin provides GoPluginInfo")
    info = target[GoPluginInfo]
    asserts.equals(env, plugin, info.plugin, "GoPluginInfo.plugin")
    asserts.equals(env, pluginpath, info.pluginpath, "GoPluginInfo.pluginpath")
    asserts.equals(env, ctx.attr.expected_importpath, info.importpath, "GoPluginInfo.importpath")
    asserts.equals(env, ctx.attr.expected_goos, info.goos, "GoPluginInfo.goos")
    asserts.equals(env, ctx.attr.expected_goarch, info.goarch, "GoPluginInfo.goarch")
    asserts.equals(env, name + ".packages.txt", info.packages.basename, "GoPluginInfo.packages")
    asserts.equals(env, target.label, info.label, "GoPluginInfo.label")

    # The main package: compiled with -dynlink and -p <pluginpath> (not -p main).
    own_actions = target.actions
    compile = _single(env, _actions_with_mnemonic(own_actions, "GoCompilePkg"), "GoCompilePkg actions of the plugin")
    if compile:
        _assert_compiled_with_dynlink(env, compile, "the plugin's main package")
        asserts.equals(env, pluginpath, _flag_value(env, compile.argv, "-p", "the plugin compile"), "-p of the plugin compile")
        asserts.equals(env, pluginpath, _flag_value(env, compile.argv, "-importpath", "the plugin compile"), "-importpath of the plugin compile")
        asserts.equals(env, ctx.attr.expected_goarch, compile.env.get("GOARCH"), "GOARCH of the plugin compile")
        asserts.equals(env, ctx.attr.expected_goos, compile.env.get("GOOS"), "GOOS of the plugin compile")
        asserts.equals(env, "1", compile.env.get("CGO_ENABLED"), "CGO_ENABLED of the plugin compile")
        for flag in ctx.attr.expected_compile_flags:
            asserts.true(env, flag in compile.argv, "the plugin compile has no %s: %s" % (flag, compile.argv))

    # The link.
    link = _single(env, _actions_with_mnemonic(own_actions, "GoPluginLink"), "GoPluginLink actions")
    if link:
        link_outputs = link.outputs.to_list()
        asserts.true(env, plugin in link_outputs, "the link writes the plugin: %s" % link_outputs)
        asserts.true(env, info.packages in link_outputs, "the link writes the packages file: %s" % link_outputs)
        asserts.equals(env, pluginpath, _flag_value(env, link.argv, "-pluginpath", "the link"), "-pluginpath of the link")
        o = _flag_value(env, link.argv, "-o", "the link")
        asserts.true(env, o != None and o.endswith("/" + out), "-o %r does not end with /%s" % (o, out))
        asserts.equals(env, plugin.path, o, "-o of the link")
        asserts.equals(env, ctx.attr.expected_goarch, link.env.get("GOARCH"), "GOARCH of the link")
        asserts.equals(env, "1", link.env.get("CGO_ENABLED"), "CGO_ENABLED of the link")
        if compile:
            main = _flag_value(env, link.argv, "-main", "the link")
            asserts.true(
                env,
                main in [f.path for f in compile.outputs.to_list()],
                "-main %r is not an output of the plugin compile" % main,
            )
        if ctx.attr.expected_extld:
            asserts.equals(env, ctx.attr.expected_extld, _flag_value(env, link.argv, "-extld", "the link"), "-extld of the link")
        _assert_link_flags(env, ctx, link)

    # Dependencies, collected by _collect_actions_aspect: built in the plugin's configuration.
    collected = target[_CollectedActionsInfo].actions
    for dep_label in ctx.attr.expected_deps:
        dep_compiles = {}
        for c in collected:
            if c.label == dep_label.label and c.action.mnemonic == "GoCompilePkg":
                dep_compiles[c.action.outputs.to_list()[0].path] = c.action
        dep_compile = _single(env, dep_compiles.values(), "GoCompilePkg actions of %s" % dep_label.label)
        if not dep_compile:
            continue
        _assert_compiled_with_dynlink(env, dep_compile, str(dep_label.label))
        asserts.equals(env, "1", dep_compile.env.get("CGO_ENABLED"), "CGO_ENABLED of %s" % dep_label.label)
        asserts.equals(env, ctx.attr.expected_goarch, dep_compile.env.get("GOARCH"), "GOARCH of %s" % dep_label.label)
        dep_outputs = dep_compile.outputs.to_list()
        asserts.equals(
            env,
            plugin.root.path,
            dep_outputs[0].root.path,
            "%s is not built in the plugin's configuration" % dep_label.label,
        )
        if link:
            importmap = _flag_value(env, dep_compile.argv, "-p", str(dep_label.label))
            arcs = [a for a in _flag_values(link.argv, "-arc") if a.startswith("%s=" % importmap)]
            arc = _single(env, arcs, "-arc arguments of the link for %s" % importmap)
            if arc:
                asserts.true(
                    env,
                    arc.split("=", 1)[1] in [f.path for f in dep_outputs],
                    "-arc %r does not name an output of %s's compile" % (arc, dep_label.label),
                )

    # The standard library: one build, with -dynlink, used by the plugin and its deps alike.
    stdlibs = {}
    for c in collected:
        if c.action.mnemonic == "GoStdlib":
            stdlibs[c.action.outputs.to_list()[0].path] = c.action
    stdlib = _single(env, stdlibs.values(), "GoStdlib actions reachable from the plugin")
    if stdlib:
        # The stdlib builder takes -dynlink as a flag of its own, and passes it to
        # `go install` as -gcflags=all=-dynlink -asmflags=all=-dynlink -ldflags=all=-dynlink.
        asserts.true(env, "-dynlink" in stdlib.argv, "the standard library is not built with -dynlink: %s" % stdlib.argv)
        asserts.equals(env, "1", stdlib.env.get("CGO_ENABLED"), "CGO_ENABLED of the standard library")
        asserts.equals(env, ctx.attr.expected_goarch, stdlib.env.get("GOARCH"), "GOARCH of the standard library")
        if link:
            pkg_dir = _flag_value(env, link.argv, "-stdlib_pkg_dir", "the link")
            asserts.true(
                env,
                pkg_dir != None and pkg_dir.startswith(stdlibs.keys()[0] + "/"),
                "the link's -stdlib_pkg_dir %r is not in the -dynlink standard library %s" % (pkg_dir, stdlibs.keys()[0]),
            )

    return analysistest.end(env)

_LINK_FLAG_ATTRS = {
    "expected_arc_prefixes": attr.string_list(doc = "Each must start exactly one -arc value (importmap=)."),
    "expected_compile_flags": attr.string_list(doc = "Arguments the plugin's GoCompilePkg action must have."),
    "expected_extldflags": attr.string_list(doc = "Values that must be among the link's -extldflag values."),
    "expected_linkopts": attr.string_list(doc = "Values that must be among the link's -linkopt values."),
    "expected_stamp_files": attr.string_list(doc = "Basenames of the link's -stamp files, in order."),
    "expected_toolchain_extldflags": attr.bool(doc = "The C toolchain's flags must be there besides expected_extldflags."),
    "unexpected_linkopts": attr.string_list(doc = "Values that must not be among the link's -linkopt values."),
}

_PLUGIN_TEST_ATTRS = _LINK_FLAG_ATTRS | {
    "expected_deps": attr.label_list(doc = "go_library deps whose compile must have -dynlink and be linked in."),
    "expected_extld": attr.string(doc = "The link's -extld (the C toolchain's linker), if set."),
    "expected_goarch": attr.string(default = "amd64"),
    "expected_goos": attr.string(default = "linux"),
    "expected_importpath": attr.string(doc = "GoPluginInfo.importpath."),
    "expected_out": attr.string(doc = "Basename of the plugin file; default <name>.so."),
    "expected_pluginpath": attr.string(mandatory = True),
}

go_plugin_linux_amd64_test = analysistest.make(
    _plugin_test_impl,
    attrs = _PLUGIN_TEST_ATTRS,
    extra_target_under_test_aspects = [_collect_actions_aspect],
    doc = "Checks a go_plugin built for linux/amd64, the host platform (named apart from go_plugin_host and go_plugin_test).",
)

go_plugin_arm64_test = analysistest.make(
    _plugin_test_impl,
    attrs = _PLUGIN_TEST_ATTRS,
    config_settings = {
        "//command_line_option:extra_toolchains": [_FAKE_AARCH64_CC_TOOLCHAIN],
        "//command_line_option:platforms": _ARM64_CGO_PLATFORM,
    },
    extra_target_under_test_aspects = [_collect_actions_aspect],
    doc = "Checks a go_plugin cross-compiled to linux/arm64 with a fake C toolchain.",
)

go_plugin_pure_flag_test = analysistest.make(
    _plugin_test_impl,
    attrs = _PLUGIN_TEST_ATTRS,
    config_settings = {_PURE_FLAG: True},
    extra_target_under_test_aspects = [_collect_actions_aspect],
    doc = """Checks a go_plugin under --@io_bazel_rules_go//go/config:pure=on: the rule sets
pure = "off" for rules_go's transition, so the plugin, its deps and the standard library are
still built with cgo.""",
)

def _plugin_config_test(config_settings, doc):
    return analysistest.make(
        _plugin_test_impl,
        attrs = _PLUGIN_TEST_ATTRS,
        config_settings = config_settings,
        extra_target_under_test_aspects = [_collect_actions_aspect],
        doc = doc,
    )

go_plugin_strip_always_test = _plugin_config_test(
    {"//command_line_option:strip": "always", "//command_line_option:compilation_mode": "fastbuild"},
    "Checks a go_plugin under --strip=always.",
)

go_plugin_strip_never_test = _plugin_config_test(
    {"//command_line_option:strip": "never"},
    "Checks a go_plugin under --strip=never.",
)

go_plugin_dbg_test = _plugin_config_test(
    {"//command_line_option:compilation_mode": "dbg"},
    "Checks a go_plugin under -c dbg (--strip=sometimes keeps the symbols).",
)

go_plugin_race_test = _plugin_config_test(
    {_RACE_FLAG: True},
    "Checks a go_plugin under --@io_bazel_rules_go//go/config:race.",
)

go_plugin_msan_test = _plugin_config_test(
    {_MSAN_FLAG: True},
    "Checks a go_plugin under --@io_bazel_rules_go//go/config:msan.",
)

go_plugin_stamp_test = _plugin_config_test(
    {"//command_line_option:stamp": True},
    "Checks a go_plugin under --stamp.",
)

go_plugin_coverage_test = _plugin_config_test(
    {
        "//command_line_option:collect_code_coverage": True,
        "//command_line_option:instrumentation_filter": "//tests/analysis[/:]",
    },
    "Checks a go_plugin under `bazel coverage` (--collect_code_coverage).",
)

go_plugin_darwin_test = _plugin_config_test(
    {
        "//command_line_option:extra_toolchains": [_FAKE_DARWIN_CC_TOOLCHAIN],
        "//command_line_option:platforms": _DARWIN_ARM64_CGO_PLATFORM,
    },
    "Checks a go_plugin cross-compiled to darwin/arm64 with a fake C toolchain.",
)

# Go 1.27.3 (the root module's second SDK, from the Go module proxy) with a minimum macOS
# version: rules_go >= 0.64 passes it to the linker as -macos.
go_plugin_darwin_go127_test = _plugin_config_test(
    {
        "//command_line_option:extra_toolchains": [_FAKE_DARWIN_CC_TOOLCHAIN],
        "//command_line_option:platforms": _DARWIN_ARM64_CGO_PLATFORM,
        "//command_line_option:macos_minimum_os": "12.0",
        str(Label("@io_bazel_rules_go//go/toolchain:sdk_version")): "1.27.3",
    },
    "Checks a go_plugin cross-compiled to darwin/arm64 with Go 1.27.3 and --macos_minimum_os (fake C toolchain).",
)

go_plugin_goos_goarch_test = _plugin_config_test(
    {"//command_line_option:extra_toolchains": [_FAKE_AARCH64_CC_TOOLCHAIN]},
    "Checks a go_plugin whose goos/goarch attributes select linux/arm64 (fake C toolchain).",
)

# ---- Tests of targets or configurations that must fail ----

def _failure_test_impl(ctx):
    env = analysistest.begin(ctx)
    for message in ctx.attr.expected_messages:
        asserts.expect_failure(env, message)
    return analysistest.end(env)

_FAILURE_TEST_ATTRS = {
    "expected_messages": attr.string_list(
        mandatory = True,
        doc = "Substrings that the analysis error must contain (each is checked).",
    ),
}

go_plugin_failure_test = analysistest.make(
    _failure_test_impl,
    expect_failure = True,
    attrs = _FAILURE_TEST_ATTRS,
    doc = "Checks that a go_plugin target fails analysis on the host with the given messages.",
)

go_plugin_arm64_no_cc_failure_test = analysistest.make(
    _failure_test_impl,
    expect_failure = True,
    attrs = _FAILURE_TEST_ATTRS,
    config_settings = {"//command_line_option:platforms": _ARM64_CGO_PLATFORM},
    doc = "Checks the error for linux/arm64 (cgo) without a C toolchain for it.",
)

go_plugin_arm64_cgo_off_failure_test = analysistest.make(
    _failure_test_impl,
    expect_failure = True,
    attrs = _FAILURE_TEST_ATTRS,
    config_settings = {
        "//command_line_option:extra_toolchains": [_FAKE_AARCH64_CC_TOOLCHAIN],
        "//command_line_option:platforms": _ARM64_PLATFORM,
    },
    doc = "Checks the error for rules_go's linux_arm64 platform, which has the cgo_off constraint.",
)

# ---- Tests of the host macros ----

def _host_test_env_impl(ctx):
    env = analysistest.begin(ctx)
    target = analysistest.target_under_test(env)
    info = target[RunEnvironmentInfo]
    asserts.equals(env, ctx.attr.expected_inherited, info.inherited_environment, "RunEnvironmentInfo.inherited_environment")
    asserts.true(env, "RULES_GO_PLUGIN_MANIFEST" in info.environment, "RULES_GO_PLUGIN_MANIFEST is set: %s" % info.environment)
    asserts.true(env, InstrumentedFilesInfo in target, "the host test provides InstrumentedFilesInfo (bazel coverage)")
    return analysistest.end(env)

go_plugin_test_env_test = analysistest.make(
    _host_test_env_impl,
    attrs = {"expected_inherited": attr.string_list()},
    doc = "Checks go_plugin_test's environment: env_inherit, the manifest variable, coverage support.",
)

def _host_abis_test_impl(ctx):
    env = analysistest.begin(ctx)
    target = analysistest.target_under_test(env)
    checks = _actions_with_mnemonic(analysistest.target_actions(env), "GoPluginHostABICheck")
    asserts.equals(env, 2, len(checks), "one GoPluginHostABICheck action per host_abis file")
    validations = target[OutputGroupInfo]._validation.to_list()
    for check in checks:
        asserts.true(env, "check-abi" in check.argv, "the check-abi subcommand: %s" % check.argv)
        asserts.true(env, _flag_values(check.argv, "-abi")[0].endswith(".json"), "-abi names the ABI file: %s" % check.argv)
        asserts.true(env, _flag_values(check.argv, "-go_version")[0] != "", "-go_version is the plugin's SDK version")
        asserts.equals(env, ["linux"], _flag_values(check.argv, "-goos"), "-goos")
        for out in check.outputs.to_list():
            asserts.true(env, out in validations, "the check's stamp %s is a validation output" % out.short_path)
    return analysistest.end(env)

go_plugin_host_abis_test = analysistest.make(
    _host_abis_test_impl,
    doc = "Checks that go_plugin's host_abis add one validation action per ABI file.",
)

def _host_abi_output_test_impl(ctx):
    env = analysistest.begin(ctx)
    target = analysistest.target_under_test(env)
    abis = target[OutputGroupInfo].plugin_abi.to_list()
    asserts.equals(env, 1, len(abis), "output group plugin_abi holds one file")
    asserts.equals(env, target.label.name + ".plugin_abi.json", abis[0].basename, "the ABI file's name")
    asserts.equals(env, 1, len(_actions_with_mnemonic(analysistest.target_actions(env), "GoPluginHostABI")), "one GoPluginHostABI action")
    return analysistest.end(env)

go_plugin_host_abi_output_test = analysistest.make(
    _host_abi_output_test_impl,
    doc = "Checks that go_plugin_host writes its plugin ABI file (output group plugin_abi).",
)

def _release_test_impl(ctx):
    env = analysistest.begin(ctx)
    target = analysistest.target_under_test(env)
    info = target[GoPluginInfo]
    want = "%s_%s_%s.so" % (target.label.name, info.goos, info.goarch)
    files = target[DefaultInfo].files.to_list()
    asserts.equals(env, [want], [f.basename for f in files], "the release's file, named <name>_<goos>_<goarch>.so")
    asserts.equals(env, files[0], info.plugin, "GoPluginInfo.plugin is the release's file")
    asserts.equals(env, target.label, info.label, "GoPluginInfo.label is the release target")
    links = _actions_with_mnemonic(analysistest.target_actions(env), "Symlink")
    asserts.equals(env, 1, len(links), "one Symlink action")

    # The release's go_plugin (whose packages file GoPluginInfo forwards) is built in the
    # configuration of the release's Go SDK: with another sdk_version than the other release,
    # another output directory.
    other = ctx.attr.other_release[GoPluginInfo]
    asserts.equals(
        env,
        ctx.attr.expect_other_sdk,
        info.packages.root.path != other.packages.root.path,
        "go_plugin of %s in %s, of %s in %s" % (target.label.name, info.packages.root.path, ctx.attr.other_release.label.name, other.packages.root.path),
    )
    return analysistest.end(env)

go_plugin_release_test = analysistest.make(
    _release_test_impl,
    attrs = {
        "expect_other_sdk": attr.bool(doc = "Whether other_release is built with another Go SDK, so that the two go_plugins are in different configurations."),
        "other_release": attr.label(mandatory = True, providers = [GoPluginInfo], doc = "Another release target of the same go_plugin_releases."),
    },
    doc = "Checks a go_plugin_releases release target: its file, GoPluginInfo and the SDK transition.",
)

"""Every private rules_go API the rules use, in one place, with why.

rules_go's public surface (go/def.bzl: go_context, GoArchive, GoInfo, new_go_info, go_binary,
go_library, go_test) does not cover a rule of another rules set that compiles and links Go,
so the rules rely on the parts below. Tested with rules_go v0.62.0 to v0.65.0 (tests/compat);
an older release, or a newer one without these parts, fails with one message from
check_rules_go (toolchains_repo.bzl), whose markers are these symbols and files. The symbols
are loaded here and only here; the other parts are named where they are used.

Symbols (re-exported below):
  * go/private:common.bzl GO_TOOLCHAIN and go/private:context.bzl CGO_ATTRS, CGO_FRAGMENTS,
    CGO_TOOLCHAINS: what go_context() needs of the rule that calls it. rules_go >= 0.63 wraps
    them in go_rule(); 0.62's go_rule() is a stub that fails.
  * go/private/rules:transition.bzl go_transition (reads a rule's linkmode, pure, race, msan,
    gotags, goos, goarch, pgoprofile attributes, as on go_binary), non_go_transition (restores
    the settings go_transition changed, on edges to what is not linked into the plugin) and
    non_go_tool_transition (the helpers: one build whatever the Go settings).
Other private parts:
  * GoArchive.data._validation_output and _nogo_diagnostics (plugin.bzl: nogo, as go_binary).
  * Build info (actions/link.bzl, read with getattr: absent before rules_go 0.63, the plugin
    then records no dependencies): GoArchive._buildinfo_link_inputs, GoArchiveData._imports
    and _package_metadata, as emit_link passes them to rules_go's link builder.
  * go_context() fields beyond the documented ones (mode.*, cgo_tools.*, stdlib.*, sdk.*,
    toolchain.flags.link, cc_toolchain_files, coverdata) and the go toolchain's
    sdk.{go,root_file,headers,srcs,libs,tools,experiments}, default_goos, default_goarch
    (actions/link.bzl, helpers.bzl).
  * The standard library's output layout, <root>/<goos>_<goarch>[_race|_msan]/pkg.a
    (actions/link.bzl).
  * The link builder's protocol that pluginlink mirrors (go/tools/builders/link.go: the
    __GO_BAZEL_CC_PLACEHOLDER__ extld, stamping), and a copy of cmd/internal/buildid
    (go/tools/internal/buildid) for rules_go's content-derived build IDs.
  * Host SDKs (host_sdk.bzl): the SDK repository template go/private:BUILD.sdk.bazel, read
    and filled in as rules_go's go_wrap_sdk does (its placeholders are the same in v0.62 and
    v0.65), and its toolchain targets' names, go_<goos>_<goarch>-impl. The public go_wrap_sdk
    macro (go/deps.bzl) would do it, but loading deps.bzl loads rules_go's proto rules. The
    host SDK's own go_toolchain (public go_toolchain rule) takes builder_reset, pack_reset and,
    where sdk_build_defs.bzl declares it (v0.64+), covdata_reset from the wrapped SDK's
    repository, whose BUILD file calls define_sdk_repository_targets.
  * Labels: @io_bazel_rules_nogo//:nogo, //:go_context_data,
    //go/config:{race,msan,tags,pgoprofile,empty}, //go/toolchain:sdk_version, //go/toolchain:sdk_name,
    //go/toolchain:<goos>_<goarch>_cgo.
"""

load("@io_bazel_rules_go//go/private:common.bzl", _GO_TOOLCHAIN = "GO_TOOLCHAIN")
load(
    "@io_bazel_rules_go//go/private:context.bzl",
    _CGO_ATTRS = "CGO_ATTRS",
    _CGO_FRAGMENTS = "CGO_FRAGMENTS",
    _CGO_TOOLCHAINS = "CGO_TOOLCHAINS",
)
load(
    "@io_bazel_rules_go//go/private/rules:transition.bzl",
    _go_transition = "go_transition",
    _non_go_tool_transition = "non_go_tool_transition",
    _non_go_transition = "non_go_transition",
)

GO_TOOLCHAIN = _GO_TOOLCHAIN
CGO_ATTRS = _CGO_ATTRS
CGO_FRAGMENTS = _CGO_FRAGMENTS
CGO_TOOLCHAINS = _CGO_TOOLCHAINS
go_transition = _go_transition
non_go_transition = _non_go_transition
non_go_tool_transition = _non_go_tool_transition

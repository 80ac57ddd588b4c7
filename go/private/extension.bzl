"""The go_plugin module extension: generates and names the plugin toolchains repository."""

load(":host_sdk.bzl", "host_sdk_facts", "host_sdk_repo", "host_sdk_repo_name")
load(":toolchains_repo.bzl", "adjusted_platforms", "go_plugin_toolchains_repo")

TOOLCHAINS_REPO = "rules_go_plugin_toolchains"

_platforms_tag = tag_class(
    doc = """Adjusts Go's `-buildmode=plugin` platform allowlist (generated from the Go SDK's
`src/internal/platform/supported.go`), for example when a newer Go supports more platforms.
Only the root module's tags count.""",
    attrs = {
        "add": attr.string_list(doc = "`goos/goarch` pairs to allow in addition, e.g. `[\"linux/mips64le\"]`."),
        "remove": attr.string_list(doc = "`goos/goarch` pairs to disallow, e.g. `[\"linux/386\"]`."),
    },
)

_host_sdk_tag = tag_class(
    doc = """A Go SDK for plugins of a host built with `go build` (plain or `-trimpath`) or
elsewhere: it compiles every package the host links with the source file names the host's
compiler recorded (the ABI file's `source_dirs`), so those packages get the host's fingerprints.
`go_plugin(host_sdk = "<name>")` builds a plugin, its dependencies and the standard library
with it and checks the plugin against `abi`. The module versions must be the host's too (the
ABI file's `modules`; pin them in go.mod). See docs/go_build_hosts.md.""",
    attrs = {
        "name": attr.string(mandatory = True, doc = "The name go_plugin's `host_sdk` attribute uses."),
        "abi": attr.label(mandatory = True, allow_single_file = [".json"], doc = "The host's plugin ABI file (`go_plugin_abi` of the host binary), with `source_dirs`."),
        "go_root_file": attr.label(mandatory = True, doc = "A file in the root directory of a Go SDK of the host's Go version, e.g. `@go_sdk//:ROOT` of `go_sdk.download(name = \"go_sdk\", version = ...)`; its tools run the compiles."),
    },
)

def _go_plugin_impl(mctx):
    add, remove = [], []
    host_sdks, host_sdk_abis = {}, {}
    for mod in mctx.modules:
        for tag in mod.tags.host_sdk:
            if tag.name in host_sdks:
                fail("go_plugin.host_sdk: name %r is declared twice; give each host SDK its own name." % tag.name)
            if not tag.name.replace("_", "a").replace("-", "a").replace(".", "a").isalnum():
                fail("go_plugin.host_sdk: name %r: use letters, digits, '_', '-' and '.' only (it is part of target names)." % tag.name)
            facts = host_sdk_facts(mctx, tag)
            host_sdk_repo(
                name = host_sdk_repo_name(tag.name),
                abi = tag.abi,
                go_root_file = tag.go_root_file,
                version = facts.version,
                goos = facts.goos,
                goarch = facts.goarch,
            )
            host_sdks[tag.name] = json.encode(struct(
                abi = str(tag.abi),
                goos = facts.goos,
                goarch = facts.goarch,
                exec_goos = facts.exec_goos,
                exec_goarch = facts.exec_goarch,
            ))
            host_sdk_abis[tag.name] = tag.abi
        if not mod.is_root:
            continue
        for tag in mod.tags.platforms:
            add.extend(tag.add)
            remove.extend(tag.remove)
    go_plugin_toolchains_repo(
        name = TOOLCHAINS_REPO,
        platforms = adjusted_platforms(add, remove),
        host_sdks = host_sdks,
        host_sdk_abis = host_sdk_abis,
    )
    return mctx.extension_metadata(reproducible = True)

go_plugin_extension = module_extension(
    implementation = _go_plugin_impl,
    doc = """Registers the go_plugin toolchains: one per platform on which Go supports
`-buildmode=plugin`. rules_go_plugin's own MODULE.bazel uses it and registers the toolchains,
so users only add a `platforms` tag when they need a different allowlist.""",
    tag_classes = {"platforms": _platforms_tag, "host_sdk": _host_sdk_tag},
)

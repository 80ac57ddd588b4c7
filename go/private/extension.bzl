"""The go_plugin module extension: generates and names the plugin toolchains repository."""

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

def _go_plugin_impl(mctx):
    add, remove = [], []
    for mod in mctx.modules:
        if not mod.is_root:
            continue
        for tag in mod.tags.platforms:
            add.extend(tag.add)
            remove.extend(tag.remove)
    go_plugin_toolchains_repo(
        name = TOOLCHAINS_REPO,
        platforms = adjusted_platforms(add, remove),
    )
    return mctx.extension_metadata(reproducible = True)

go_plugin_extension = module_extension(
    implementation = _go_plugin_impl,
    doc = """Registers the go_plugin toolchains: one per platform on which Go supports
`-buildmode=plugin`. rules_go_plugin's own MODULE.bazel uses it and registers the toolchains,
so users only add a `platforms` tag when they need a different allowlist.""",
    tag_classes = {"platforms": _platforms_tag},
)

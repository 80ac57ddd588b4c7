"""A Go SDK from the Go module proxy: the module golang.org/toolchain, fetched by the go command.

The repository holds `sdk/`, the SDK's root (its `sdk/VERSION` is the root file for rules_go's
`go_sdk.wrap`). The machine's go command downloads it as GOTOOLCHAIN=go<version> does: through
GOPROXY (the repository environment's, else the go command's default), checked against the
checksum database, with the executable bits the go command sets on first use.
"""

def _go_toolchain_module_impl(rctx):
    goroot = rctx.os.environ.get("GOROOT", "")
    go = rctx.path(goroot + "/bin/go") if goroot else rctx.which("go")
    if not go or not go.exists:
        fail("go_toolchain_module: no go command to fetch Go %s with: set GOROOT (--repo_env=GOROOT=...) or put go on PATH." % rctx.attr.version)
    env = {
        "GOTOOLCHAIN": "go" + rctx.attr.version,
        "GOMODCACHE": str(rctx.path("modcache")),
        "GOPATH": str(rctx.path("gopath")),
        # Writable, so that Bazel can delete the repository when it refetches it.
        "GOFLAGS": "-modcacherw",
        "GOENV": "off",
        "GOTELEMETRY": "off",
        "GOROOT": "",
    }
    proxy = rctx.os.environ.get("GOPROXY", "")
    if proxy:
        env["GOPROXY"] = proxy
    rctx.report_progress("Fetching Go %s from the Go module proxy" % rctx.attr.version)
    result = rctx.execute([go, "env", "GOROOT"], environment = env, timeout = 600)
    if result.return_code != 0:
        fail("go_toolchain_module: fetching Go %s through the Go module proxy failed (GOTOOLCHAIN=go%s %s env GOROOT):\n%s" % (
            rctx.attr.version,
            rctx.attr.version,
            go,
            result.stderr,
        ))
    root = result.stdout.strip()
    if not rctx.path(root + "/VERSION").exists:
        fail("go_toolchain_module: GOTOOLCHAIN=go%s gave GOROOT %s, which has no VERSION file." % (rctx.attr.version, root))

    # The downloaded zip is not needed next to the extracted SDK.
    rctx.delete("modcache/cache")
    rctx.symlink(root, "sdk")
    rctx.file("BUILD.bazel", 'exports_files(["sdk/VERSION"])\n')

go_toolchain_module = repository_rule(
    implementation = _go_toolchain_module_impl,
    doc = "A Go SDK fetched from the Go module proxy as the module golang.org/toolchain.",
    attrs = {
        "version": attr.string(mandatory = True, doc = "The Go version, e.g. `1.27.3`."),
    },
    environ = ["GOROOT", "GOPROXY"],
)

_sdk = tag_class(
    doc = "A Go SDK from the Go module proxy.",
    attrs = {
        "name": attr.string(mandatory = True, doc = "The repository name."),
        "version": attr.string(mandatory = True, doc = "The Go version, e.g. `1.27.3`."),
    },
)

def _extension_impl(mctx):
    for mod in mctx.modules:
        for sdk in mod.tags.sdk:
            go_toolchain_module(name = sdk.name, version = sdk.version)

go_toolchain_module_extension = module_extension(
    implementation = _extension_impl,
    tag_classes = {"sdk": _sdk},
)

"""go_plugin_releases: one plugin built for several released hosts, each with its Go SDK.

A plugin repository builds the same plugin for every supported host release (hosts that load
plugins by release name them `{name}_{release}_{GOOS}_{GOARCH}.so`), and releases may be built
with different Go versions. Each release here is a `go_plugin` checked against that release's
ABI file (`host_abis`), built in a configuration whose Go SDK is the release's: rules_go's
`--@io_bazel_rules_go//go/toolchain:sdk_version`, the flag rules_go's `go_cross_binary`
transitions for its `sdk_version` attribute (go/private/rules/cross.bzl in rules_go v0.65.0).
"""

load(":labels.bzl", "macro_label")
load(":plugin.bzl", "go_plugin", "host_sdk_flag")
load(":sdk_select.bzl", "go_plugin_with_sdk")

def _is_version(v):
    parts = v.split(".")
    return len(parts) >= 2 and len(parts) <= 3 and all([p.isdigit() for p in parts])

def go_plugin_releases(name, releases, sdk_versions = {}, host_sdks = {}, visibility = None, tags = None, **kwargs):
    """Builds one plugin for several host releases: one `.so` per release, each checked against the release's ABI file and built with its Go SDK.

    For each `release` in `releases`, the target `<name>_<release>` is the plugin
    `<name>_<release>_<goos>_<goarch>.so`: a `go_plugin` with the other attributes given here,
    whose `host_abis` is the release's ABI file (the check fails the build when the plugin
    would not load into that release) and whose Go SDK is `sdk_versions[release]`. `<name>`
    is a filegroup of all of them.

    ```starlark
    go_plugin_releases(
        name = "greeter",
        embed = [":greeter_lib"],
        releases = {
            "v1": "//release:v1.plugin_abi.json",  # a host built with the default Go SDK
            "v2": "//release:v2.plugin_abi.json",  # a host built with Go 1.27.3
        },
        sdk_versions = {"v2": "1.27.3"},
    )
    ```

    Every version in `sdk_versions` needs a Go SDK of that version registered with rules_go
    (`go_sdk.download(version = "1.27.3")` in MODULE.bazel); without one, the build fails with
    Bazel's "While resolving toolchains for target //pkg:greeter_v2_go1.27.3: No matching
    toolchains found for types @rules_go//go:toolchain". The ABI file names the Go version of
    its release, and the check fails the build when `sdk_versions` does not match it.

    Args:
      name: the name of the filegroup of all releases' plugins, and the prefix of each
        release's target `<name>_<release>`.
      releases: dict from a release name (a string usable in a target name, such as `v5.3`)
        to the label of that release's host ABI file (from `go_plugin_host`'s `plugin_abi`
        output group or `go_plugin_abi`).
      sdk_versions: dict from a release name to the Go SDK version its host was built with
        (`1.27.3` or `1.27`, as rules_go's `go_cross_binary(sdk_version)`); releases not
        listed use the build's SDK.
      host_sdks: dict from a release name to a host SDK (a `go_plugin.host_sdk` tag's name)
        for a release built with `go build`: the release is built with it, as
        `go_plugin(host_sdk = ...)` (docs/go_build_hosts.md). Not with `sdk_versions` for the
        same release: the host SDK has the host's Go version.
      visibility: of the release targets and the filegroup.
      tags: of the release targets and the filegroup.
      **kwargs: the attributes of `go_plugin` (`srcs`, `embed`, `deps`, `importpath`,
        `x_defs`, ...), except `host_abis` and `out`, which each release sets.
    """
    here = macro_label(name)
    for attr in ("host_abis", "out"):
        if attr in kwargs:
            fail("%s: attribute %s: go_plugin_releases sets it for each release; remove it (list the releases' ABI files in releases)." % (here, attr))
    if type(releases) != "dict" or not releases:
        fail("%s: attribute releases must be a non-empty dict from a release name to its host ABI file, e.g. {\"v1\": \"//release:v1.plugin_abi.json\"}." % here)
    for release in host_sdks:
        if release not in releases:
            fail("%s: attribute host_sdks: %r is not a release (the keys of releases are %s)." % (here, release, ", ".join(sorted(releases))))
        if release in sdk_versions:
            fail("%s: release %r is in both sdk_versions and host_sdks; keep only host_sdks: the host SDK %r has the host's Go version." % (here, release, host_sdks[release]))
    for release in sdk_versions:
        if release not in releases:
            fail("%s: attribute sdk_versions: %r is not a release (the keys of releases are %s)." % (here, release, ", ".join(sorted(releases))))
        version = sdk_versions[release]
        if not _is_version(version):
            fail("%s: attribute sdk_versions: %r for release %r is not a Go version; write it as rules_go's sdk_version does, e.g. \"1.27.3\" or \"1.27\" (no \"go\" prefix)." % (here, version, release))
    tags = tags or []
    targets = []
    for release in sorted(releases):
        if not release or "/" in release or ":" in release:
            fail("%s: attribute releases: %r cannot be part of a target name; use names such as \"v5.3\"." % (here, release))
        target = "%s_%s" % (name, release)

        # Named after the SDK: when no SDK of that version is registered, Bazel's one error,
        # "While resolving toolchains for target //pkg:<name>_<release>_go1.99.0: No matching
        # toolchains found for types @rules_go//go:toolchain", names the version. (Which SDKs
        # rules_go registered is not visible to a macro, so it cannot say so sooner.)
        version = sdk_versions.get(release, "")
        host_sdk = host_sdks.get(release, "")
        sdk_name = host_sdk_flag(name, "host_sdks", host_sdk) if host_sdk else ""
        if host_sdk:
            plugin = "%s_host_sdk_%s" % (target, host_sdk)
        elif version:
            plugin = "%s_go%s" % (target, version)
        else:
            plugin = target + "_plugin"
        go_plugin(
            name = plugin,
            host_abis = [releases[release]],
            # Built only through the release target, in its SDK's configuration: in the
            # build's configuration its ABI check would compare the wrong Go version.
            tags = tags + ["manual"],
            visibility = ["//visibility:private"],
            **kwargs
        )
        go_plugin_with_sdk(
            name = target,
            plugin = ":" + plugin,
            sdk_version = version,
            sdk_name = sdk_name,
            testonly = kwargs.get("testonly"),
            visibility = visibility,
            tags = tags,
        )
        targets.append(":" + target)
    native.filegroup(
        name = name,
        srcs = targets,
        testonly = kwargs.get("testonly"),
        visibility = visibility,
        tags = tags,
    )

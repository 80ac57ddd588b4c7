"""Providers of rules_go_plugin."""

GoPluginInfo = provider(
    doc = "A Go plugin (`-buildmode=plugin` shared object) built by `go_plugin`.",
    fields = {
        "plugin": "File: the `.so` to load with `plugin.Open`.",
        "pluginpath": "string: the plugin's package path; the main package was compiled with `-p` set to it and linked with `-pluginpath` set to it. `plugin.Open` refuses a second plugin with the same pluginpath in one process.",
        "importpath": "string: the import path of the plugin's main package (empty if it has none); the default pluginpath.",
        "goos": "string: GOOS the plugin was built for.",
        "goarch": "string: GOARCH the plugin was built for.",
        "packages": "File: the Go packages linked into the plugin, one `<package path> <fingerprint>` line each, sorted, read back from the `.so` after linking. `plugin.Open` compares these fingerprints with the host's.",
        "label": "Label: the go_plugin target.",
    },
)

GoPluginToolchainInfo = provider(
    doc = "What `-buildmode=plugin` requires on one target platform (the policy cmd/go encodes), carried by the `go_plugin` toolchain.",
    fields = {
        "extension": "string: the plugin file extension (`.so` on every OS, as cmd/go).",
        "linker": "File: the link helper (go/tools/pluginlink), built for the execution platform.",
        "host_tool": "File: the host helper (go/tools/pluginhost: build-time check, manifest, host ABI files), built for the execution platform.",
    },
)

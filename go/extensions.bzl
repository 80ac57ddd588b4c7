"""Module extensions of rules_go_plugin (bzlmod).

```starlark
go_plugin = use_extension("@rules_go_plugin//go:extensions.bzl", "go_plugin")
go_plugin.platforms(add = ["linux/mips64le"])  # optional: adjust the allowlist
```
"""

load("//go/private:extension.bzl", _go_plugin = "go_plugin_extension")

go_plugin = _go_plugin

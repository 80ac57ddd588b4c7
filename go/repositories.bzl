"""WORKSPACE macros of rules_go_plugin (for builds without bzlmod).

```starlark
load("@rules_go_plugin//go:repositories.bzl", "rules_go_plugin_register_toolchains")

rules_go_plugin_register_toolchains()
```

rules_go (>= 0.65), its dependencies and bazel_skylib must be set up before, as rules_go's
README describes for WORKSPACE.
"""

load("//go/private:extension.bzl", "TOOLCHAINS_REPO")
load("//go/private:toolchains_repo.bzl", "adjusted_platforms", "go_plugin_toolchains_repo")

def rules_go_plugin_register_toolchains(add_platforms = [], remove_platforms = []):  # buildifier: disable=unnamed-macro
    """Creates and registers the go_plugin toolchains, one per platform of Go's allowlist.

    For WORKSPACE builds; with bzlmod, rules_go_plugin's MODULE.bazel does this, and the
    `go_plugin` module extension's `platforms` tag adjusts the platforms. The toolchains are
    generated into the repository `@rules_go_plugin_toolchains`.

    Args:
      add_platforms: `goos/goarch` pairs to allow in addition to Go's allowlist.
      remove_platforms: `goos/goarch` pairs to disallow.
    """
    go_plugin_toolchains_repo(
        name = TOOLCHAINS_REPO,
        platforms = adjusted_platforms(add_platforms, remove_platforms),
    )
    native.register_toolchains("@%s//:all" % TOOLCHAINS_REPO)

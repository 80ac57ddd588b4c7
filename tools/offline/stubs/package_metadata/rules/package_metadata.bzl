"""OFFLINE STAND-IN for supply-chain's package_metadata rule: go_repository-generated BUILD
files call it, and rules_go reads the JSON file it writes (its purl) for build info."""

load("//providers:package_metadata_info.bzl", "PackageMetadataInfo")

def _package_metadata_impl(ctx):
    # The real rule's file: <name>.package-metadata.json with the label, purl and attributes.
    out = ctx.actions.declare_file(ctx.label.name + ".package-metadata.json")
    ctx.actions.write(out, json.encode({
        "attributes": {},
        "label": str(ctx.label),
        "purl": ctx.attr.purl,
    }))
    return [
        DefaultInfo(files = depset([out])),
        PackageMetadataInfo(metadata = out, files_to_build = depset([out])),
    ]

_package_metadata = rule(
    implementation = _package_metadata_impl,
    attrs = {"purl": attr.string(doc = "The package URL, e.g. pkg:golang/example.com/m@v1.0.0.")},
)

def package_metadata(name, purl = None, attributes = None, visibility = None, **kwargs):  # buildifier: disable=unused-variable
    """Declares the metadata target (purl only; attributes are ignored).

    applicable_licenses = [] avoids a self-edge: the repo's REPO.bazel lists this very target
    in default_package_metadata.

    Args:
      name: target name.
      purl: the package URL.
      attributes: ignored.
      visibility: passed on.
      **kwargs: ignored.
    """
    _package_metadata(name = name, purl = purl or "", visibility = visibility, applicable_licenses = [])

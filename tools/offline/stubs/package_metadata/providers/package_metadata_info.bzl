"""OFFLINE STUB: the real provider lives in bazel-contrib/supply-chain."""

PackageMetadataInfo = provider(
    doc = "Stub of the supply-chain provider; rules_go only checks for its presence.",
    fields = ["metadata", "files_to_build"],
)

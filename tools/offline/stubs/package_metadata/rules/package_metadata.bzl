"""OFFLINE STUB: go_repository-generated BUILD files load this macro."""

def package_metadata(name, purl = None, attributes = None, visibility = None, **kwargs):  # buildifier: disable=unused-variable
    """Makes an empty filegroup in place of the real metadata target.

    applicable_licenses = [] avoids a self-edge: the repo's REPO.bazel lists this very target
    in default_package_metadata.

    Args:
      name: target name.
      purl: ignored.
      attributes: ignored.
      visibility: passed on.
      **kwargs: ignored.
    """
    native.filegroup(name = name, srcs = [], visibility = visibility, applicable_licenses = [])

"""Label formatting for messages."""

def label_str(label):
    """Returns label as users write it: `//pkg:name` in the main repository.

    Args:
      label: a Label.

    Returns:
      The label's string, without the canonical-name prefix of the main repository.
    """
    if label.repo_name == "":
        return "//%s:%s" % (label.package, label.name)
    return str(label)

def macro_label(name):
    """Returns the label of target `name` in the package being loaded, for a macro's messages.

    Must be called while a BUILD file is evaluated (from a macro). In the main repository it
    is `//pkg:name`; in another repository, its canonical label.

    Args:
      name: a target name of the package.

    Returns:
      The label's string, as label_str writes it.
    """
    return label_str(native.package_relative_label(":" + name))

def repo_short_name(label):
    """Returns a name for label's repository that holds no Bazel internals.

    Canonical repository names are not an API and differ between Bazel 7 (`rules_go~`,
    `gazelle~~go_deps~com_github_x`) and 8 (`rules_go+`, `gazelle+go_deps+com_github_x`). This
    is the module's name for a module's repository, and the name the extension or repository
    rule gave it for theirs (`com_github_x`); in WORKSPACE builds, the repository's name.

    Args:
      label: a Label.

    Returns:
      The name, or "" in the main repository.
    """
    parts = label.repo_name.replace("~", "+").split("+")
    return parts[-1] if len(parts) >= 3 else parts[0]

def label_pluginpath(label):
    """The default pluginpath of a go_plugin without an import path: `plugin/<repo>/<pkg>/<name>`.

    Unique per target; the repository part is repo_short_name's (empty in the main repository).

    Args:
      label: the go_plugin's Label.

    Returns:
      The pluginpath.
    """
    return "plugin/" + "/".join([p for p in [repo_short_name(label), label.package, label.name] if p])

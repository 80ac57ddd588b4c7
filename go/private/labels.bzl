"""Label formatting for messages."""

def label_str(label):
    """Returns label as users write it: `//pkg:name` in the main repository.

    Args:
      label: a Label.

    Returns:
      The label's string, without the canonical-name prefix of the main repository.
    """
    if label.workspace_name == "":
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

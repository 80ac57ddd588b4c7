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

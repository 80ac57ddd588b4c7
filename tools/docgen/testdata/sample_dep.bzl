"""Loaded by sample.bzl: symbols documented where they are re-exported."""

SampleInfo = provider(
    doc = """What a sample rule returns.

Second paragraph, with a `|` pipe.""",
    fields = {
        "files": "depset of File: the outputs.",
        "name": "string: a name,\nover two lines.",
    },
)

def _impl(ctx):
    return [SampleInfo(files = depset(), name = ctx.label.name)]

sample_rule = rule(
    implementation = _impl,
    doc = "The rule behind `sample_macro`.",
    attrs = {
        "srcs": attr.label_list(allow_files = True, doc = "Source files."),
        "deps": attr.label_list(providers = [SampleInfo], doc = "Other samples."),
        "internal": attr.label(doc = "Set by the macro."),
        "mode": attr.string(default = "fast", values = ["fast", "slow"], doc = "How:\n\n* fast\n* slow"),
    },
    provides = [SampleInfo],
)

def sample_macro(name, mode = "fast", **kwargs):
    """Declares a sample.

    More about the macro.

    Args:
      name: target name.
      mode: passed on.
      **kwargs: attributes of `sample_rule`.
    """
    sample_rule(name = name, mode = mode, internal = None, **kwargs)

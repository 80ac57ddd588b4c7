"""A sample module for docgen's tests.

```starlark
load("//:sample.bzl", "sample_macro")
```
"""

load(":testdata/sample_dep.bzl", _SampleInfo = "SampleInfo", _sample_macro = "sample_macro")

SampleInfo = _SampleInfo
sample_macro = _sample_macro

def _impl(ctx):
    out = ctx.actions.declare_file(ctx.label.name)
    ctx.actions.write(out, "")
    return [DefaultInfo(executable = out)]

every_attr_test = rule(
    implementation = _impl,
    test = True,
    doc = "A test rule with one attribute of each type.",
    attrs = {
        "b": attr.bool(default = True, doc = "A bool."),
        "i": attr.int(default = 3, doc = "An int."),
        "il": attr.int_list(doc = "Ints."),
        "l": attr.label(mandatory = True, doc = "A mandatory label."),
        "lsd": attr.label_keyed_string_dict(doc = "Labels to strings."),
        "o": attr.output(doc = "An output."),
        "ol": attr.output_list(doc = "Outputs."),
        "s": attr.string(doc = "A string."),
        "sd": attr.string_dict(doc = "Strings to strings."),
        "sld": attr.string_list_dict(doc = "Strings to lists."),
        "sl": attr.string_list(doc = "Strings."),
        "undocumented": attr.string(),
        "_private": attr.string(default = "hidden"),
    },
)

def sample_function(pos, opt = None, *args, kw_only, kw_default = {"a": 1}, **kwargs):
    """Does nothing, with every kind of parameter.

    Args:
      pos: positional.
      opt: optional,
        documented over two lines.
      *args: more positionals.
      kw_only: keyword-only.
      kw_default: keyword-only with a default.
      **kwargs: anything else.

    Returns:
      None, always.

    Deprecated:
      Use nothing instead.
    """
    _ = pos, opt, args, kw_only, kw_default, kwargs  # buildifier: disable=unused-variable

def undocumented_function(a, *, b):
    _ = a, b  # buildifier: disable=unused-variable

_tag = tag_class(
    doc = "A tag.",
    attrs = {"names": attr.string_list(doc = "Names.")},
)

def _ext_impl(mctx):
    _ = mctx  # buildifier: disable=unused-variable

sample_extension = module_extension(
    implementation = _ext_impl,
    doc = "An extension.",
    tag_classes = {"tag": _tag, "other": tag_class()},
)

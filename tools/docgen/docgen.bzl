"""docgen_page: one reference page of docs/, rendered by tools/docgen, with its staleness test.

The shape of skylib's `stardoc_with_diff_test`: the page is generated into `generated/`, and a
`diff_test` fails while the committed page differs from it.
"""

load("@bazel_skylib//rules:diff_test.bzl", "diff_test")

_DOCGEN = "//tools/docgen"

def docgen_page(name, doc, load_from, regenerate, rules = [], macros = {}, set_by_macro = {}):
    """Renders `<name>.md` from a `starlark_doc_extract` proto and tests the committed page.

    Declares `<name>_page`, a genrule writing `generated/<name>.md` and `generated/<name>.json`
    (the summary that `docgen index` reads), and `<name>_test`, a `diff_test` of the generated
    page against the committed `<name>.md`.

    Args:
      name: the page's name: the committed page is `<name>.md` in this package.
      doc: the `starlark_doc_extract` target of the public `.bzl` file.
      load_from: the label users load the symbols from, shown in each usage example.
      regenerate: the command that updates the committed pages, named in the page and in the
        test's failure message.
      rules: `starlark_doc_extract` targets of the rules behind the public macros.
      macros: dict from a public macro to the rule (in `rules`) whose attributes it takes.
      set_by_macro: dict from such a rule to the attributes its macro sets (not documented).
    """
    args = [
        "page",
        "-out $(execpath generated/%s.md)" % name,
        "-summary_out $(execpath generated/%s.json)" % name,
        "-load " + load_from,
        "-regenerate '%s'" % regenerate,
    ]
    args += ["-rules $(execpath %s)" % r for r in rules]
    args += ["-macro %s=%s" % (m, macros[m]) for m in macros]
    args += ["-set_by_macro %s=%s" % (r, ",".join(set_by_macro[r])) for r in set_by_macro]
    native.genrule(
        name = name + "_page",
        srcs = [doc] + rules,
        outs = [
            "generated/%s.md" % name,
            "generated/%s.json" % name,
        ],
        cmd = " ".join(["$(execpath %s)" % _DOCGEN] + args + ["$(execpath %s)" % doc]),
        tools = [_DOCGEN],
    )
    diff_test(
        name = name + "_test",
        failure_message = "%s/%s.md is stale: regenerate it with `%s`." % (native.package_name(), name, regenerate),
        file1 = "generated/%s.md" % name,
        file2 = name + ".md",
    )

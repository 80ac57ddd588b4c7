"""A fake C/C++ toolchain, to analyse go_plugin targets for other platforms.

-buildmode=plugin links externally, so a go_plugin needs a C toolchain for its target
platform. These toolchains name tools that need not exist: analysis never runs them.
"""

load("@bazel_tools//tools/cpp:unix_cc_toolchain_config.bzl", "cc_toolchain_config")

_TOOLS = ["ar", "cpp", "dwp", "gcc", "gcov", "ld", "nm", "objcopy", "objdump", "strip"]

def fake_cc_toolchain(name, cpu, target_system_name, target_libc, target_compatible_with):
    """Declares `name`, a toolchain() of a C/C++ toolchain whose tools are /usr/bin/<target_system_name>-<tool>.

    The targets are "manual": only tests that pass --extra_toolchains=<name> use them.

    Args:
      name: name of the toolchain() target.
      cpu: the C toolchain's target cpu ("aarch64", "k8", ...).
      target_system_name: the GNU triple of the target; the tool name prefix.
      target_libc: the C library of the target.
      target_compatible_with: constraint values of the target platform.
    """
    tool_paths = {tool: "/usr/bin/%s-%s" % (target_system_name, tool) for tool in _TOOLS}
    tool_paths["llvm-cov"] = "None"
    tool_paths["llvm-profdata"] = "None"
    native.filegroup(
        name = name + "_empty",
        srcs = [],
        tags = ["manual"],
    )
    cc_toolchain_config(
        name = name + "_config",
        abi_libc_version = target_libc,
        abi_version = "gcc",
        compiler = "gcc",
        cpu = cpu,
        host_system_name = "x86_64-unknown-linux-gnu",
        tags = ["manual"],
        target_libc = target_libc,
        target_system_name = target_system_name,
        tool_paths = tool_paths,
        toolchain_identifier = "fake_" + name,
    )
    empty = ":%s_empty" % name

    # rules_cc is not a (non-dev) dependency of this module; Bazel 7 has cc_toolchain natively.
    # buildifier: disable=native-cc-toolchain
    native.cc_toolchain(
        name = name + "_cc_toolchain",
        all_files = empty,
        ar_files = empty,
        as_files = empty,
        compiler_files = empty,
        dwp_files = empty,
        linker_files = empty,
        objcopy_files = empty,
        strip_files = empty,
        tags = ["manual"],
        toolchain_config = ":%s_config" % name,
    )
    native.toolchain(
        name = name,
        tags = ["manual"],
        target_compatible_with = target_compatible_with,
        toolchain = ":%s_cc_toolchain" % name,
        toolchain_type = "@bazel_tools//tools/cpp:toolchain_type",
    )

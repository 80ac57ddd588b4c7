"""A C/C++ toolchain from one of Debian's cross compilers (gcc-<triple>), for cross-built plugins."""

load("@bazel_tools//tools/cpp:unix_cc_toolchain_config.bzl", "cc_toolchain_config")

_TOOLS = ["ar", "cpp", "gcc", "gcov", "ld", "nm", "objcopy", "objdump", "strip"]

def cross_cc_toolchain(name, triple, cpu, constraint, gcc_version):
    """Declares `name`, a toolchain() of Debian's cross gcc for linux/`cpu`.

    Like Bazel's autoconfigured toolchain it names the tools by absolute path
    (/usr/bin/<triple>-gcc, ...), so executors need the same compiler at the same paths.

    Args:
      name: name of the toolchain() target (register it, or pass it to --extra_toolchains).
      triple: the GNU triple, the prefix of the tools, e.g. "aarch64-linux-gnu".
      cpu: the C toolchain's cpu, e.g. "aarch64".
      constraint: the target platform's @platforms//cpu constraint value.
      gcc_version: the major version in /usr/lib/gcc-cross/<triple>/<version> (its headers).
    """
    cc_toolchain_config(
        name = name + "_config",
        abi_libc_version = "glibc",
        abi_version = "gcc",
        compile_flags = [
            "-U_FORTIFY_SOURCE",
            "-fstack-protector",
            "-Wall",
            "-fno-omit-frame-pointer",
        ],
        compiler = "gcc",
        cpu = cpu,
        cxx_builtin_include_directories = [
            "/usr/%s/include" % triple,
            "/usr/lib/gcc-cross/%s/%s/include" % (triple, gcc_version),
            "/usr/lib/gcc-cross/%s/%s/../../../../%s/include" % (triple, gcc_version, triple),
            "/usr/include",
        ],
        cxx_flags = ["-std=c++17"],
        dbg_compile_flags = ["-g"],
        host_system_name = "x86_64-unknown-linux-gnu",
        link_flags = [
            "-Wl,-no-as-needed",
            "-Wl,-z,relro,-z,now",
            "-pass-exit-codes",
        ],
        link_libs = [
            "-lstdc++",
            "-lm",
        ],
        opt_compile_flags = [
            "-g0",
            "-O2",
            "-D_FORTIFY_SOURCE=1",
            "-DNDEBUG",
            "-ffunction-sections",
            "-fdata-sections",
        ],
        opt_link_flags = ["-Wl,--gc-sections"],
        target_libc = "glibc",
        target_system_name = triple,
        tool_paths = {tool: "/usr/bin/%s-%s" % (triple, tool) for tool in _TOOLS} | {
            "dwp": "/usr/bin/false",
            "llvm-cov": "None",
            "llvm-profdata": "None",
        },
        toolchain_identifier = name + "_gcc",
        # No machine paths or dates in objects: plugins stay byte-reproducible.
        unfiltered_compile_flags = [
            "-fno-canonical-system-headers",
            "-Wno-builtin-macro-redefined",
            "-D__DATE__=\"redacted\"",
            "-D__TIMESTAMP__=\"redacted\"",
            "-D__TIME__=\"redacted\"",
        ],
    )
    native.filegroup(name = name + "_empty")

    # Bazel 7 has cc_toolchain natively; rules_cc is not a (non-dev) dependency of this module.
    # buildifier: disable=native-cc-toolchain
    native.cc_toolchain(
        name = name + "_cc_toolchain",
        all_files = ":%s_empty" % name,
        ar_files = ":%s_empty" % name,
        as_files = ":%s_empty" % name,
        compiler_files = ":%s_empty" % name,
        dwp_files = ":%s_empty" % name,
        linker_files = ":%s_empty" % name,
        objcopy_files = ":%s_empty" % name,
        strip_files = ":%s_empty" % name,
        toolchain_config = ":%s_config" % name,
    )
    native.toolchain(
        name = name,
        exec_compatible_with = [
            "@platforms//os:linux",
            "@platforms//cpu:x86_64",
        ],
        target_compatible_with = [
            "@platforms//os:linux",
            constraint,
        ],
        toolchain = ":%s_cc_toolchain" % name,
        toolchain_type = "@bazel_tools//tools/cpp:toolchain_type",
    )

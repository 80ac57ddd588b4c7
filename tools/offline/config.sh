# Settings shared by tools/bazel and the scripts beside this file (sourced, not run).
# Bump PROVISION_VERSION when anything below or in provision.sh changes what is provisioned:
# the next tools/bazel run then re-runs the (idempotent) provisioning steps.
PROVISION_VERSION=4

# Where everything lives, outside the repository so clean clones share it.
CACHE=${RULES_GO_PLUGIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rules_go_plugin}
SID=$CACHE/sid         # the Debian sid root filesystem
DATA=$CACHE/data       # bind-mounted at the same path inside it: modules, output root, caches
STAMP=$CACHE/provisioned

# Debian's mirror for debootstrap: $DEBIAN_MIRROR, else the machine's own apt configuration
# (debian_mirror below), so a machine set up with another mirror works unchanged.

# Prints the first URI of a Debian archive (a path ending in /debian) in the apt sources under
# $1 (default /etc/apt): sources.list and sources.list.d/*.list one-line entries, and
# sources.list.d/*.sources deb822 "URIs:" fields. Prints nothing if there is none.
debian_mirror() {
  local root=${1:-/etc/apt} f
  for f in "$root"/sources.list "$root"/sources.list.d/*.list "$root"/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    case $f in
      *.sources) sed -n 's/^URIs:[[:space:]]*//p' "$f" | tr -s ' \t' '\n' ;;
      *) sed -n 's/^deb\(-src\)\{0,1\}[[:space:]]\{1,\}\(\[[^]]*\][[:space:]]\{1,\}\)\{0,1\}\([^[:space:]]*\).*/\3/p' "$f" ;;
    esac
  done | awk '!found && /^[a-z+]+:\/\/.*\/debian\/?$/ { sub(/\/$/, ""); print; found = 1 }'
}
# bazel-bootstrap is Bazel 7.7.1; gcc/g++ are the C toolchain cgo and plugin links need; the
# aarch64 and riscv64 cross gccs (examples/cross_cc) and qemu-user build and run linux/arm64
# and linux/riscv64 plugins in tests.
SID_PACKAGES="bazel-bootstrap gcc g++ ca-certificates gcc-aarch64-linux-gnu g++-aarch64-linux-gnu libc6-dev-arm64-cross gcc-riscv64-linux-gnu g++-riscv64-linux-gnu libc6-dev-riscv64-cross qemu-user"

# The machine's Go SDK, bind-mounted read-only at the same path and used via go_sdk.host().
HOST_GOROOT=${HOST_GOROOT:-$(go env GOROOT)}

RULES_GO_VERSION=v0.65.0
GAZELLE_VERSION=v0.54.0
GAZELLE_V2_VERSION=v2.0.0-3 # required by gazelle v0.54.0's go.mod

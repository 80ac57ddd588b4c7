#!/usr/bin/env bash
# Runs a command inside the offline sid root filesystem (see provision.sh).
#
#   enter.sh [--no-workspace | --workspace DIR] -- COMMAND [ARG...]
#
# Enters with pivot_root in a private mount namespace, not chroot: Bazel's linux-sandbox needs
# clone(CLONE_NEWUSER), which fails with EPERM inside a chroot. Nothing stays mounted on the host.
# Bound at the same paths inside: DIR (the workspace; default: the current directory's git
# top level), $DATA (modules, Bazel output root, caches) and the host Go SDK (read-only), so
# paths printed by Bazel and the bazel-* symlinks work on both sides.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tools/offline/config.sh
source "$here/config.sh"

workspace=$(git rev-parse --show-toplevel 2>/dev/null || pwd)
while [ $# -gt 0 ]; do
  case "$1" in
    --no-workspace) workspace= ; shift ;;
    --workspace) workspace=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "enter.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ $# -gt 0 ] || { echo "usage: enter.sh [--no-workspace | --workspace DIR] -- COMMAND [ARG...]" >&2; exit 2; }

# Only a small set of variables crosses into the rootfs; the host's PATH, GOPATH etc. would not fit.
keep=(PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "TERM=${TERM:-dumb}")
[ -n "${CI:-}" ] && keep+=("CI=$CI")

# Runs as root of a new mount namespace: set up the binds, pivot into the rootfs, exec the command.
# (Passed with bash -c, not on stdin, so the command keeps the caller's stdin.)
read -r -d '' inner <<'INNER' || true
set -euo pipefail
sid=$1 data=$2 goroot=$3 workspace=$4 cwd=$5 nkeep=$6
shift 6
keep=("${@:1:$nkeep}")
shift "$nkeep"
bind() { # bind SRC at the same path inside; $2 = ro for read-only
  mkdir -p "$sid$1"
  mount --bind "$1" "$sid$1"
  if [ "${2:-}" = ro ]; then mount -o remount,bind,ro "$sid$1"; fi
}
mount --bind "$sid" "$sid"
mount -t proc proc "$sid/proc"
mount --rbind /dev "$sid/dev"
mount --rbind /sys "$sid/sys"
mkdir -p "$data"
bind "$data"
[ -d "$goroot" ] && bind "$goroot" ro
[ -n "$workspace" ] && bind "$workspace"
mkdir -p "$sid/.oldroot"
cd "$sid"
pivot_root . .oldroot
umount -l /.oldroot
cd "$cwd" 2>/dev/null || cd /
exec /usr/bin/env -i "${keep[@]}" "$@"
INNER
exec unshare --mount --propagation private -- bash -c "$inner" enter-rootfs \
  "$SID" "$DATA" "$HOST_GOROOT" "$workspace" "$PWD" "${#keep[@]}" "${keep[@]}" "$@"

#!/usr/bin/env bash
# Stand-in for /usr/bin/bwrap under buildbox-run-bubblewrap (run.sh bind-mounts it over
# /usr/bin/bwrap in buildbox-casd's private mount namespace): mounts each action's input root
# at $BWRAP_WORKDIR (default /workdir) instead of at /, and runs the action there.
#
# Why: buildbox-run-bubblewrap 1.4.30 binds the input root at / and starts the action in
# / + Command.working_directory, i.e. in / for Bazel. rules_go derives every path rewrite from
# the action's working directory (-trimpath=<cwd> for compile, cgo and asm,
# -ffile-prefix-map=<cwd>=. for C), and Go never matches the prefix "/" (-trimpath needs a
# separator after the prefix). So sources stay absolute (/examples/p/p.go instead of
# examples/p/p.go), and archives and plugins differ from those built anywhere else. A non-root
# working directory, as Buildbarn, BuildBuddy, EngFlow and NativeLink give every action, fixes
# it; buildbox-run-bubblewrap has no option for that, so this wrapper rewrites two arguments:
#   --bind STAGED /   ->  --bind STAGED $BWRAP_WORKDIR
#   --chdir DIR       ->  --chdir $BWRAP_WORKDIR/DIR
# Everything else (read-only system binds, /proc, /dev, /tmp, namespaces) is unchanged.
#
# Environment: BWRAP_WORKDIR_REAL, the real bwrap (required); BWRAP_WORKDIR.
set -euo pipefail
real=${BWRAP_WORKDIR_REAL:?bwrap_workdir.sh: BWRAP_WORKDIR_REAL (the real bwrap) is not set}
workdir=${BWRAP_WORKDIR:-/workdir}

fail() { echo "bwrap_workdir.sh: $*" >&2; exit 1; }

args=()
moved=
while [ $# -gt 0 ]; do
  case $1 in
    --bind)
      [ $# -ge 3 ] || fail "$1 needs two arguments"
      if [ "$3" = / ] && [ -z "$moved" ]; then
        args+=(--bind "$2" "$workdir")
        moved=1
      else
        args+=("$1" "$2" "$3")
      fi
      shift 3 ;;
    --chdir)
      [ $# -ge 2 ] || fail "$1 needs an argument"
      case $2 in
        /) dir=$workdir ;;
        /*) dir=$workdir$2 ;;
        *) dir=$workdir/$2 ;;
      esac
      args+=(--chdir "$dir")
      shift 2 ;;
    # Options with two arguments.
    --ro-bind | --dev-bind | --bind-try | --ro-bind-try | --dev-bind-try | --setenv | --symlink \
      | --file | --bind-data | --ro-bind-data | --chmod)
      [ $# -ge 3 ] || fail "$1 needs two arguments"
      args+=("$1" "$2" "$3")
      shift 3 ;;
    # Options with one argument.
    --unsetenv | --hostname | --uid | --gid | --cap-add | --cap-drop | --proc | --dev | --tmpfs \
      | --mqueue | --dir | --remount-ro | --perms | --size | --seccomp | --add-seccomp-fd \
      | --info-fd | --json-status-fd | --block-fd | --userns-block-fd | --sync-fd | --lock-file \
      | --exec-label | --file-label | --userns | --userns2 | --pidns | --argv0 | --args)
      [ $# -ge 2 ] || fail "$1 needs an argument"
      args+=("$1" "$2")
      shift 2 ;;
    # Options without arguments.
    --unshare-all | --unshare-user | --unshare-user-try | --unshare-ipc | --unshare-pid \
      | --unshare-net | --unshare-uts | --unshare-cgroup | --unshare-cgroup-try | --share-net \
      | --die-with-parent | --new-session | --as-pid-1 | --clearenv | --disable-userns \
      | --assert-userns-disabled)
      args+=("$1")
      shift ;;
    --)
      shift
      break ;;
    -*) fail "unknown bwrap option $1 (add it to this script)" ;;
    *) break ;; # the command
  esac
done
[ -n "$moved" ] || fail "no '--bind DIR /' (the input root) in the arguments"
exec "$real" "${args[@]}" -- "$@"

#!/usr/bin/env bash
# Reproduces a new user's first run: a fresh clone of the committed HEAD, an empty cache
# directory (RULES_GO_PLUGIN_CACHE: the Bazel root filesystem, modules, output bases, disk and
# repository caches) and empty Go caches (GOMODCACHE, GOCACHE), then the commands of the
# README's "Quick start" block, each timed. Prints one line per command and a summary.
#
#   tests/fresh/run.sh [--keep] [--dir DIR]
#
# --dir DIR   work in DIR (created; must not exist), default a new directory under /var/tmp
# --keep      leave DIR behind (default: the Bazel servers it started are stopped and DIR removed)
#
# Needs the network a new user has (Debian's mirror, the Go module proxy); see README.md for its time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
keep= dir=
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) keep=1; shift ;;
    --dir) dir=$2; shift 2 ;;
    *) echo "usage: tests/fresh/run.sh [--keep] [--dir DIR]" >&2; exit 2 ;;
  esac
done
if [ -n "$dir" ]; then
  [ ! -e "$dir" ] || { echo "tests/fresh/run.sh: $dir exists; give a new directory" >&2; exit 2; }
  mkdir -p "$dir"
else
  dir=$(mktemp -d /var/tmp/rules_go_plugin_fresh.XXXXXX)
fi
dir=$(cd "$dir" && pwd)

# The README's quick start: the lines of the first ```sh block after "## Quick start",
# without their comments. Read from the clone, so the commands are the committed ones.
git clone -q "$repo" "$dir/clone"
mapfile -t commands < <(awk '/^## Quick start/{q=1} q && /^```sh/{b=1; next} b && /^```/{exit} b' \
  "$dir/clone/README.md" | sed 's/[[:space:]]*#.*$//' | sed '/^[[:space:]]*$/d')
[ ${#commands[@]} -gt 0 ] || { echo "tests/fresh/run.sh: no commands in README.md's Quick start" >&2; exit 1; }

export RULES_GO_PLUGIN_CACHE=$dir/cache GOMODCACHE=$dir/gomodcache GOCACHE=$dir/gocache

stop_servers() {
  # The Bazel servers of this run's output bases (the output user root is in its cache).
  local f pid
  for f in "$RULES_GO_PLUGIN_CACHE"/data/output_user_root/*/server/server.pid.txt; do
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  done
}
finish() {
  stop_servers
  if [ -z "$keep" ]; then
    chmod -R u+w "$dir" 2>/dev/null || true
    rm -rf "$dir"
  else
    echo "tests/fresh/run.sh: kept $dir"
  fi
}
trap finish EXIT

rc=0
summary=()
start=$(date +%s)
for c in "${commands[@]}"; do
  echo "=== tests/fresh: $(date +%T) $c"
  t0=$(date +%s)
  set +e
  (cd "$dir/clone" && bash -c "$c" </dev/null)
  crc=$?
  set -e
  summary+=("$(printf '%5ds  rc %d  %s' $(($(date +%s) - t0)) "$crc" "$c")")
  if [ "$crc" != 0 ]; then rc=$crc; break; fi
done
echo
echo "=== tests/fresh: a new user's run of $(git -C "$dir/clone" rev-parse --short HEAD), on $(nproc) cores"
printf '%s\n' "${summary[@]}"
echo "total $(($(date +%s) - start))s, rc $rc"
exit "$rc"

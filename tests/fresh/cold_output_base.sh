#!/usr/bin/env bash
# Runs a command in a fresh clone of the committed HEAD at a new path, so every Bazel workspace
# in it gets a new, empty output base (the cache directory, with its disk and repository caches,
# is the machine's): a check that the command depends on no warm output base and on no earlier
# command. Afterwards it stops the Bazel servers of those output bases and removes them and the
# clone.
#
#   tests/fresh/cold_output_base.sh COMMAND [ARG...]     e.g. go test ./tests/cli/
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
[ $# -gt 0 ] || { echo "usage: tests/fresh/cold_output_base.sh COMMAND [ARG...]" >&2; exit 2; }
# shellcheck source=tools/offline/config.sh
source "$repo/tools/offline/config.sh"

dir=$(mktemp -d /var/tmp/rules_go_plugin_cold.XXXXXX)
cleanup() {
  # Bazel names an output base after the MD5 of its workspace's path.
  local ws ob pid
  for ws in "$dir/clone" "$dir/clone/gazelle" "$dir"/clone/e2e/* "$dir"/clone/tests/cli/host_sdk_errors/*; do
    ob=$DATA/output_user_root/$(printf '%s' "$ws" | md5sum | cut -c1-32)
    [ -d "$ob" ] || continue
    if [ -f "$ob/server/server.pid.txt" ]; then
      pid=$(cat "$ob/server/server.pid.txt")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    fi
    chmod -R u+w "$ob" 2>/dev/null || true
    rm -rf "$ob"
  done
  rm -rf "$dir"
}
trap cleanup EXIT
git clone -q "$repo" "$dir/clone"
cd "$dir/clone"
"$@"

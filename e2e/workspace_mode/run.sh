#!/usr/bin/env bash
# Tests rules_go_plugin in WORKSPACE mode (--enable_workspace --noenable_bzlmod): writes
# WORKSPACE from WORKSPACE.template with the offline environment's module directories
# (tools/offline), then builds a plugin and runs a host test that loads it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tools/offline/config.sh
source "$here/../../tools/offline/config.sh"
sed -e "s#@RULES_GO@#$DATA/modules/rules_go#" -e "s#@BAZEL_FEATURES@#$DATA/modules/bazel_features#" \
  "$here/WORKSPACE.template" >"$here/WORKSPACE"
cd "$here"
exec ../../tools/bazel test //... "$@"

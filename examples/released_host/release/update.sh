#!/usr/bin/env bash
# Regenerates host.plugin_abi.json from //examples/released_host/host: what a release does
# once per host build, publishing the file next to the binary.
set -euo pipefail
cd "$(dirname "$0")/../../.."
./tools/bazel build //examples/released_host/host --output_groups=plugin_abi
cp -f bazel-bin/examples/released_host/host/host.plugin_abi.json examples/released_host/release/host.plugin_abi.json
chmod 644 examples/released_host/release/host.plugin_abi.json

#!/usr/bin/env bash
# Regenerates host.plugin_abi.json from //examples/released_host/host and host_v2.plugin_abi.json
# from its Go 1.27.3 build (:host_v2): what a release does once per host build, publishing the
# file next to the binary.
set -euo pipefail
cd "$(dirname "$0")/../../.."
./tools/bazel build //examples/released_host/host //examples/released_host/release:host_v2_abi --output_groups=+plugin_abi
cp -f bazel-bin/examples/released_host/host/host.plugin_abi.json examples/released_host/release/host.plugin_abi.json
cp -f bazel-bin/examples/released_host/release/host_v2_abi.json examples/released_host/release/host_v2.plugin_abi.json
chmod 644 examples/released_host/release/host.plugin_abi.json examples/released_host/release/host_v2.plugin_abi.json

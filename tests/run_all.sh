#!/usr/bin/env bash
# Runs every test of the repository: all Bazel tests, the gazelle extension's module
# (gazelle/, a separate Bazel module), the consumers e2e/smoke (bzlmod), e2e/nogo (nogo
# configured) and e2e/workspace_mode (WORKSPACE), then the tests that drive tools from outside
# Bazel: tests/cli (Bazel commands that must fail or skip) and tests/lint (buildifier).
set -euo pipefail
cd "$(dirname "$0")/.."
./tools/bazel test //... "$@"
(cd gazelle && ../tools/bazel test //... "$@")
# A consumer module that uses only the README's installation snippet.
(cd e2e/smoke && ../../tools/bazel test //... "$@")
# A consumer with nogo configured: go_plugin's sources are checked like go_binary's.
(cd e2e/nogo && ../../tools/bazel test //... "$@")
# The same through the WORKSPACE macros (legacy mode).
RULES_GO_PLUGIN_OFFLINE=1 e2e/workspace_mode/run.sh "$@"
go test -count=1 ./tests/cli/ ./tests/lint/

#!/usr/bin/env bash
# Runs every test of the repository: all Bazel tests, the gazelle extension's module
# (gazelle/, a separate Bazel module), then the tests that drive tools from outside Bazel:
# tests/cli (Bazel commands that must fail or skip) and tests/lint (buildifier).
set -euo pipefail
cd "$(dirname "$0")/.."
./tools/bazel test //... "$@"
(cd gazelle && ../tools/bazel test //... "$@")
go test -count=1 ./tests/cli/ ./tests/lint/

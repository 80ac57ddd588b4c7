#!/usr/bin/env bash
# Runs every test of the repository: all Bazel tests, the gazelle extension's module
# (gazelle/, a separate Bazel module), then the Bazel command-line tests (tests/cli: builds
# that must fail or skip, checked from outside Bazel).
set -euo pipefail
cd "$(dirname "$0")/.."
./tools/bazel test //... "$@"
(cd gazelle && ../tools/bazel test //... "$@")
go test -count=1 ./tests/cli/

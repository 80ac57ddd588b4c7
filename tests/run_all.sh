#!/usr/bin/env bash
# Runs every test of the repository: all Bazel tests, the gazelle extension's module
# (gazelle/, a separate Bazel module), the consumer module e2e/smoke, then the tests that
# drive tools from outside Bazel: tests/cli (Bazel commands that must fail or skip) and
# tests/lint (buildifier).
set -euo pipefail
cd "$(dirname "$0")/.."
./tools/bazel test //... "$@"
(cd gazelle && ../tools/bazel test //... "$@")
# A consumer module that uses only the README's installation snippet.
(cd e2e/smoke && ../../tools/bazel test //... "$@")
go test -count=1 ./tests/cli/ ./tests/lint/

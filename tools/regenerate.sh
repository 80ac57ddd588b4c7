#!/usr/bin/env bash
# Regenerates everything generated in this repository, in dependency order; review `git diff`
# afterwards. Each step is also a test that fails when its output is stale.
#
#   go/private/allowlist.bzl        from the Go SDK's src/internal/platform/supported.go
#                                   (test: //tools/allowlistgen:allowlistgen_test)
#   BUILD.bazel files               gazelle with the go_plugin extension
#                                   (test: tests/cli "gazelle has nothing to change")
#   gazelle/goplugin/testdata       the golden BUILD.out files of the gazelle extension
#                                   (test: go test ./gazelle/goplugin)
#   examples/released_host/release  the released hosts' ABI files
#                                   (tests: //examples/released_host/release:all)
#   docs/*.md                       the reference pages from the .bzl docstrings
#                                   (tests: //docs:all)
set -euo pipefail
cd "$(dirname "$0")/.."
step() { echo "=== $*" >&2; }

step "allowlist: go/private/allowlist.bzl"
go run ./tools/allowlistgen -supported "$(go env GOROOT)/src/internal/platform/supported.go" -out go/private/allowlist.bzl
step "BUILD files: gazelle"
./tools/bazel run //:gazelle
step "gazelle extension goldens"
UPDATE_SNAPSHOTS=1 go test -count=1 ./gazelle/goplugin -run TestGeneration
step "released hosts' ABI files"
examples/released_host/release/update.sh
step "reference docs"
./tools/bazel run //docs:update
git status --short

#!/usr/bin/env bash
# Runs every test of the repository: all Bazel tests, the gazelle extension's module
# (gazelle/, a separate Bazel module), the consumers e2e/smoke (bzlmod), e2e/nogo (nogo
# configured), e2e/released_hosts (host ABI files), e2e/go_build_hosts (go build hosts from the
# Go module proxy, with host SDKs) and e2e/workspace_mode (WORKSPACE), then the tests that drive tools from outside
# Bazel: tests/cli (Bazel commands that must fail or skip), tests/loader_module (go/loader from a
# plain go.mod consumer) and tests/lint (buildifier).
# Each phase prints a header "=== run_all [N/M] ..." with the time since the start.
set -euo pipefail
cd "$(dirname "$0")/.."
total=10 n=0
phase() {
  n=$((n + 1))
  echo
  echo "=== run_all [$n/$total] $(date +%T) (+${SECONDS}s) $*"
}
phase "bazel test //... (this module)"
./tools/bazel test //... "$@"
phase "bazel test //... in gazelle/ (the gazelle extension's module)"
(cd gazelle && ../tools/bazel test //... "$@")
# A consumer module that uses only the README's installation snippet.
phase "bazel test //... in e2e/smoke (a consumer module)"
(cd e2e/smoke && ../../tools/bazel test //... "$@")
# A consumer with nogo configured: go_plugin's sources are checked like go_binary's.
phase "bazel test //... in e2e/nogo (a consumer with nogo)"
(cd e2e/nogo && ../../tools/bazel test //... "$@")
# A consumer that builds plugins against host ABI files (host_abis, go_plugin_releases).
phase "bazel test //... in e2e/released_hosts (plugins against host ABI files)"
(cd e2e/released_hosts && ../../tools/bazel test //... "$@")
# Plugins for hosts built with go build (Kong's go-pluginserver, -trimpath and plain), through
# host SDKs; run.sh builds the hosts from the Go module proxy first.
phase "e2e/go_build_hosts/run.sh (go build hosts, host SDKs)"
e2e/go_build_hosts/run.sh "$@"
# The same through the WORKSPACE macros (legacy mode).
phase "bazel test //... in e2e/workspace_mode (a WORKSPACE consumer)"
RULES_GO_PLUGIN_OFFLINE=1 e2e/workspace_mode/run.sh "$@"
# -v: each test's name as it starts and its time as it ends. The timeout is the suite's own
# bound, above its cold time, not go test's default 10 minutes.
phase "go test ./tests/cli (Bazel commands run from outside Bazel)"
go test -count=1 -v -timeout=60m ./tests/cli/
# go/loader as a plain go.mod consumer gets it: its own module, its go line, go build hosts.
phase "go test ./tests/loader_module (the loader's Go module, from a plain go.mod consumer)"
go test -count=1 -v -timeout=20m ./tests/loader_module/
phase "go test ./tests/lint (buildifier)"
go test -count=1 ./tests/lint/
echo
echo "=== run_all: done in ${SECONDS}s"

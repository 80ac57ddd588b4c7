#!/usr/bin/env bash
# Runs the repository's test suites: first tests/cli (Bazel commands that must fail or skip,
# driven from outside Bazel), then all Bazel tests, the gazelle extension's module (gazelle/, a
# separate Bazel module), the consumers e2e/smoke (bzlmod), e2e/nogo (nogo configured),
# e2e/released_hosts (host ABI files), with --full e2e/go_build_hosts (go build hosts from the
# Go module proxy, with host SDKs) and e2e/workspace_mode (WORKSPACE), then tests/loader_module
# (go/loader from a plain go.mod consumer) and tests/lint (buildifier).
#
#   tests/run_all.sh [--full] [BAZEL_FLAG...]
#
# Without --full (the README's test command: 733 s on a new 2-core machine, measured), it leaves
# out what builds configurations of its own and costs most cold: e2e/go_build_hosts (three go
# build hosts from the Go module proxy and a standard library per host SDK), e2e/workspace_mode
# (every repository under its WORKSPACE name, so everything again) and tests/cli's cross, DWARF
# and coverage tests (run with -short; each says so as it skips). --full runs all of them; it
# is what .ci/run runs. Extra arguments go to the `bazel test` commands.
# Each phase prints a header "=== run_all [N/M] ..." with the time since the start.
set -euo pipefail
cd "$(dirname "$0")/.."
full=
if [ "${1:-}" = --full ]; then full=1; shift; fi
short=-short total=8 n=0
if [ -n "$full" ]; then short= total=10; fi
phase() {
  n=$((n + 1))
  echo
  echo "=== run_all [$n/$total] $(date +%T) (+${SECONDS}s) $*"
}
# First: every test there builds what it checks, and running them before anything else (in a
# new clone, from empty output bases, as .ci/run does) proves that none reads what an earlier
# command left. -v: each test's name as it starts and its time as it ends. The timeout is the
# suite's own bound, above its cold time, not go test's default 10 minutes.
phase "go test ./tests/cli (Bazel commands run from outside Bazel)"
go test -count=1 -v $short -timeout=60m ./tests/cli/
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
if [ -n "$full" ]; then
  # Plugins for hosts built with go build (Kong's go-pluginserver, -trimpath and plain),
  # through host SDKs; run.sh builds the hosts from the Go module proxy first.
  phase "e2e/go_build_hosts/run.sh (go build hosts, host SDKs)"
  e2e/go_build_hosts/run.sh "$@"
  # The same through the WORKSPACE macros (legacy mode).
  phase "bazel test //... in e2e/workspace_mode (a WORKSPACE consumer)"
  RULES_GO_PLUGIN_OFFLINE=1 e2e/workspace_mode/run.sh "$@"
fi
# go/loader as a plain go.mod consumer gets it: its own module, its go line, go build hosts.
phase "go test ./tests/loader_module (the loader's Go module, from a plain go.mod consumer)"
go test -count=1 -v -timeout=20m ./tests/loader_module/
phase "go test ./tests/lint (buildifier)"
go test -count=1 ./tests/lint/
echo
if [ -n "$full" ]; then
  echo "=== run_all --full: done in ${SECONDS}s"
else
  echo "=== run_all: done in ${SECONDS}s (tests/run_all.sh --full adds e2e/go_build_hosts, e2e/workspace_mode and tests/cli's cross, DWARF and coverage tests)"
fi

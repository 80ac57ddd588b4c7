#!/usr/bin/env bash
# Builds and tests the consumer modules e2e/smoke, e2e/nogo and e2e/released_hosts with the semantics of the Bazel releases
# users upgrade to (`--config=next`, e2e/bazel_next.bazelrc: the incompatible flags Bazel 8.0
# and 9.0 flip, automatic exec groups, and a few announced for later), on this machine's
# Bazel 7.7.1. Prints "bazel_next: N passed, M failed"; exit status 1 if any failed.
set -euo pipefail
cd "$(dirname "$0")/../.."
passed=0 failed=0
for m in smoke nogo released_hosts; do
  echo "=== bazel_next: e2e/$m, bazel test --config=next //..."
  if (cd "e2e/$m" && ../../tools/bazel test --config=next //...); then
    passed=$((passed + 1))
  else
    echo "bazel_next: e2e/$m FAILED"
    failed=$((failed + 1))
  fi
  (cd "e2e/$m" && ../../tools/bazel shutdown) || true
done
# e2e/go_build_hosts (host SDKs: a module extension, repository rules, toolchains) runs under
# --config=next in tests/remote/run.sh's hostsdk phase (remote execution, in .ci/run's --quick
# run too), so that CI builds its three host SDKs under `+` names once:
#   tests/remote/run.sh --quick     or, locally:   e2e/go_build_hosts/run.sh --config=next
echo "bazel_next: $passed passed, $failed failed"
[ "$failed" = 0 ]

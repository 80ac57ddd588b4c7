#!/usr/bin/env bash
# Runs every Go fuzz test of the repository (func FuzzXxx: the parsers of untrusted input:
# manifest, ELF/Mach-O fingerprints, packages file, the helpers' arguments) with the Go
# fuzzer for a while each, after their checked-in seed corpora (testdata/fuzz/FuzzXxx/),
# which `go test` and `bazel test` run as plain tests anyway.
#
#   tests/fuzz/run.sh            # 10000 inputs per target (CI; a few seconds each)
#   FUZZTIME=10m tests/fuzz/run.sh
#
# The default is a count, not a duration: with a duration, Go 1.26's fuzzer can fail a target
# with a bare "context deadline exceeded" when a worker is still busy at the deadline on a
# loaded machine (Go issue 75804, fixed in Go 1.27), with no failing input. A count has no
# deadline to race.
#
# Prints "fuzz: N passed, M failed". A failing input is written to the package's
# testdata/fuzz/FuzzXxx/ by the fuzzer: commit it with the fix, as a regression seed.
set -euo pipefail
cd "$(dirname "$0")/../.."
fuzztime=${FUZZTIME:-10000x}
passed=0 failed=0
for dir in $(git ls-files '*_test.go' | xargs grep -l '^func Fuzz' | xargs -n1 dirname | sort -u); do
  # Run from the package's directory: go/loader is a module of its own. A package whose
  # targets cannot be listed (it does not build) counts as a failure, not as no targets.
  if ! names=$(cd "$dir" && go test -list '^Fuzz' . 2>&1); then
    echo "$names"
    echo "FAIL $dir (go test -list)"
    failed=$((failed + 1))
    continue
  fi
  for name in $(grep '^Fuzz' <<<"$names"); do
    if (cd "$dir" && go test -run '^$' -fuzz "^$name\$" -fuzztime "$fuzztime" .) >/tmp/fuzz.$$ 2>&1; then
      echo "ok   $dir $name ($fuzztime)"
      passed=$((passed + 1))
    else
      cat /tmp/fuzz.$$
      echo "FAIL $dir $name"
      failed=$((failed + 1))
    fi
  done
done
rm -f /tmp/fuzz.$$
echo "fuzz: $passed passed, $failed failed"
[ "$failed" = 0 ]

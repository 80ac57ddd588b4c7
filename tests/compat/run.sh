#!/usr/bin/env bash
# Runs the analysis tests, examples/basic and the end-to-end plugin tests against other rules_go
# releases than the one MODULE.bazel names (which every other test uses):
#
#   tests/compat/run.sh v0.62.0 [v0.63.0 ...]
#   tests/compat/run.sh --too-old v0.55.0 [...]
#
# Each release comes from the Go module proxy into the offline cache (like rules_go itself, see
# tools/offline/provision.sh) and is tested in its own output base with --override_module, so
# the main output base keeps its cache. With --too-old, the releases are older than the oldest
# supported one, and the check passes if the build fails with go_plugin's one message for that
# (go/private/toolchains_repo.bzl, check_rules_go). Prints "compat: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=tools/offline/config.sh
source tools/offline/config.sh
too_old=
if [ "${1:-}" = --too-old ]; then too_old=1; shift; fi
[ $# -gt 0 ] || { echo "usage: $0 [--too-old] RULES_GO_VERSION..." >&2; exit 2; }

# The module directory of rules_go at version $1, fetched and fixed up once.
module_dir() {
  local dir=$DATA/modules/rules_go-$1 src
  if [ ! -f "$dir/MODULE.bazel" ]; then
    src=$(GOFLAGS=-mod=mod go mod download -json "github.com/bazelbuild/rules_go@$1" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
    [ -d "$src" ] || { echo "compat: cannot download rules_go $1" >&2; return 1; }
    rm -rf "$dir.tmp" && cp -r "$src" "$dir.tmp" && chmod -R u+w "$dir.tmp"
    # Module zips drop the executable bit (as in provision.sh's fix_module_zip).
    grep -rlI '^#!' "$dir.tmp" | grep -v '\.md$\|\.bzl$' | xargs -r chmod +x
    mv "$dir.tmp" "$dir"
  fi
  echo "$dir"
}

./tools/bazel --version >/dev/null # provisions the offline Bazel and $DATA if needed
passed=0 failed=0
for version in "$@"; do
  echo "=== rules_go $version"
  dir=$(module_dir "$version")
  ob=$DATA/compat-$version
  if [ -n "$too_old" ]; then
    set +e
    out=$(./tools/bazel --output_base="$ob" build --nobuild --override_module=rules_go="$dir" //examples/basic/... 2>&1)
    code=$?
    set -e
    if [ "$code" != 0 ] && grep -q "rules_go_plugin needs rules_go v0.62.0 or newer" <<<"$out"; then
      passed=$((passed + 1))
    else
      echo "$out"
      echo "compat: rules_go $version: want the build to fail with go_plugin's rules_go version message (exit code $code) FAILED"
      failed=$((failed + 1))
    fi
  else
    # Tests of what only newer releases do (tagged requires_rules_go_<version>) are left out.
    filters=()
    if [ "$(printf '%s\n' v0.64.0 "$version" | sort -V | head -1)" != v0.64.0 ]; then
      filters=(--test_tag_filters=-requires_rules_go_0_64)
    fi
    if ./tools/bazel --output_base="$ob" test --override_module=rules_go="$dir" "${filters[@]}" \
      //tests/analysis/... //examples/basic/... //tests/core/...; then
      passed=$((passed + 1))
    else
      echo "compat: rules_go $version FAILED"
      failed=$((failed + 1))
    fi
  fi
  ./tools/bazel --output_base="$ob" shutdown
done
echo "compat: $passed passed, $failed failed"
[ "$failed" = 0 ]

#!/bin/bash
# Stand-in for Bazel's LcovMerger (see README.md): concatenates the LCOV files (*.dat) of
# --coverage_dir into --output_file.
set -euo pipefail
dir= out=
for arg in "$@"; do
  case $arg in
    --coverage_dir=*) dir=${arg#*=} ;;
    --output_file=*) out=${arg#*=} ;;
  esac
done
[ -n "$dir" ] && [ -n "$out" ] || { echo "lcov_merger: --coverage_dir and --output_file are required" >&2; exit 2; }
: >"$out.tmp"
find "$dir" -name '*.dat' -type f ! -path "$out" -print0 | sort -z | while IFS= read -r -d '' f; do
  cat "$f" >>"$out.tmp"
done
mv "$out.tmp" "$out"

#!/bin/bash
# Stand-in for Bazel's coverage report generator (see README.md): concatenates the LCOV files
# listed in --reports_file into --output_file.
set -euo pipefail
reports= out=
for arg in "$@"; do
  case $arg in
    --reports_file=*) reports=${arg#*=} ;;
    --output_file=*) out=${arg#*=} ;;
  esac
done
[ -n "$reports" ] && [ -n "$out" ] || { echo "coverage_report_generator: --reports_file and --output_file are required" >&2; exit 2; }
: >"$out"
while IFS= read -r f; do
  [ -f "$f" ] && cat "$f" >>"$out"
done <"$reports"

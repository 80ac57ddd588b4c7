#!/usr/bin/env bash
# Provisions the offline Bazel environment used when no Bazel >= 7.7 is installed:
#   $CACHE/sid           Debian sid root filesystem with bazel-bootstrap 7.7.1, gcc, g++
#   $DATA/modules/*      rules_go and gazelle from the Go module proxy, with fix-ups
#   $DATA/modules/bazel_features   Debian's bazel_features plus one field rules_go reads
# Idempotent and locked: concurrent callers wait, then see a finished cache.
# Called by tools/bazel; run it directly only to pre-provision (e.g. in a CI image).
#
# Network: Debian's mirror (debootstrap, apt) and the Go module proxy (go mod download).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tools/offline/config.sh
source "$here/config.sh"

log() { echo "rules_go_plugin offline: $(date +%T) $*" >&2; }

provision_rootfs() {
  if [ ! -x "$SID/usr/bin/apt-get" ]; then
    if ! command -v debootstrap >/dev/null; then
      log "installing debootstrap (host)"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
    fi
    local mirror=${DEBIAN_MIRROR:-$(debian_mirror)}
    [ -n "$mirror" ] || {
      echo "rules_go_plugin offline: no Debian mirror in /etc/apt/sources.list{,.d} (a URI ending in /debian); set DEBIAN_MIRROR to one" >&2
      exit 1
    }
    log "debootstrap sid from $mirror into $SID (about 2 min)"
    rm -rf "$SID.partial"
    debootstrap --variant=minbase --include=ca-certificates sid "$SID.partial" "$mirror" >"$CACHE/debootstrap.log" 2>&1 \
      || { tail -20 "$CACHE/debootstrap.log" >&2; exit 1; }
    mv "$SID.partial" "$SID"
  fi
  # sid's Release file can look expired to apt; policy-rc.d keeps packages from starting services.
  echo 'Acquire::Check-Valid-Until "false";' >"$SID/etc/apt/apt.conf.d/99novaliduntil"
  printf '#!/bin/sh\nexit 101\n' >"$SID/usr/sbin/policy-rc.d"
  chmod +x "$SID/usr/sbin/policy-rc.d"
  cp /etc/resolv.conf "$SID/etc/resolv.conf"
  # Trust the host's locally added CA certificates inside too (go_deps fetches through the proxy).
  if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$SID/usr/local/share/ca-certificates/"
  fi
  if ! "$here/enter.sh" --no-workspace -- dpkg -s $SID_PACKAGES >/dev/null 2>&1; then
    log "apt-get install $SID_PACKAGES in the rootfs (about 2 min)"
    "$here/enter.sh" --no-workspace -- bash -c "update-ca-certificates >/dev/null 2>&1
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq && apt-get install -y -qq --no-install-recommends $SID_PACKAGES >/dev/null" \
      >"$CACHE/apt.log" 2>&1 || { tail -20 "$CACHE/apt.log" >&2; exit 1; }
  fi
  "$here/enter.sh" --no-workspace -- update-ca-certificates >/dev/null 2>&1
}

# Prints the directory of a module in the host's Go module cache, downloading it if needed.
go_module_dir() {
  GOFLAGS=-mod=mod go mod download -json "$1" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p'
}

provision_modules() {
  local m="$DATA/modules" d
  mkdir -p "$m"
  if [ ! -f "$m/rules_go/MODULE.bazel" ]; then
    log "rules_go $RULES_GO_VERSION from the Go module proxy"
    d=$(go_module_dir "github.com/bazelbuild/rules_go@$RULES_GO_VERSION")
    rm -rf "$m/rules_go.tmp" && cp -r "$d" "$m/rules_go.tmp" && chmod -R u+w "$m/rules_go.tmp"
    fix_module_zip "$m/rules_go.tmp"
    mv "$m/rules_go.tmp" "$m/rules_go"
  fi
  if [ ! -f "$m/gazelle/MODULE.bazel" ]; then
    log "gazelle $GAZELLE_VERSION (+ nested module v2 $GAZELLE_V2_VERSION) from the Go module proxy"
    d=$(go_module_dir "github.com/bazelbuild/bazel-gazelle@$GAZELLE_VERSION")
    rm -rf "$m/gazelle.tmp" && cp -r "$d" "$m/gazelle.tmp" && chmod -R u+w "$m/gazelle.tmp"
    # Go module zips omit nested modules; gazelle refers to //v2/... and lists v2/go.sum.
    d=$(go_module_dir "github.com/bazel-contrib/bazel-gazelle/v2@$GAZELLE_V2_VERSION")
    cp -r "$d" "$m/gazelle.tmp/v2" && chmod -R u+w "$m/gazelle.tmp/v2"
    touch "$m/gazelle.tmp/v2/go.sum"
    fix_module_zip "$m/gazelle.tmp"
    mv "$m/gazelle.tmp" "$m/gazelle"
  fi
  if ! grep -q 'PATCH (rules_go_plugin offline)' "$m/bazel_features/private/version_repo.bzl" 2>/dev/null; then
    log "bazel_features: Debian's copy plus the field rules_go $RULES_GO_VERSION reads"
    rm -rf "$m/bazel_features" "$m/bazel_features.tmp"
    cp -r "$SID/usr/share/bazel/tools/features" "$m/bazel_features.tmp"
    local f="$m/bazel_features.tmp/features.bzl"
    grep -q '^_rules = struct($' "$f" || { log "unexpected $f layout"; exit 1; }
    # The parameter exists only from Bazel 9 on, so the value is False for Bazel 7.7.1.
    sed -i 's/^_rules = struct($/&\n    # PATCH (rules_go_plugin offline): read by rules_go >= 0.60.\n    instrumented_files_info_has_baseline_coverage_files = ge("9.0.0"),/' "$f"
    # Debian's Bazel is built without a release label (`bazel info release`: "development
    # version"), so native.bazel_version is empty, which bazel_features takes for a newer
    # Bazel than any: every feature check says yes, and rules_go then calls APIs Bazel 7
    # lacks (instrumented_files_info(baseline_coverage_files), under `bazel coverage`).
    # Report the packaged version instead.
    local version
    version=$(awk '/^Package: /{p=$2} p=="bazel-bootstrap" && /^Version: /{print $2; exit}' "$SID/var/lib/dpkg/status" | sed 's/[+~-].*//')
    [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { log "cannot read the bazel-bootstrap version (got '$version')"; exit 1; }
    f="$m/bazel_features.tmp/private/version_repo.bzl"
    grep -q 'native\.bazel_version' "$f" || { log "unexpected $f layout"; exit 1; }
    sed -i "s/native\.bazel_version/(native.bazel_version or \"$version\")/" "$f"
    sed -i "1i # PATCH (rules_go_plugin offline): Debian's Bazel has no release label; $version is its package's." "$f"
    mv "$m/bazel_features.tmp" "$m/bazel_features"
  fi
}

# Module zips drop the executable bit; restore it on scripts (rules_go executes binary_wrapper.sh).
fix_module_zip() {
  grep -rlI '^#!' "$1" | grep -v '\.md$\|\.bzl$' | xargs -r chmod +x
}

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9
if [ "$(cat "$STAMP" 2>/dev/null)" != "$PROVISION_VERSION" ]; then
  provision_rootfs
  provision_modules
  echo "$PROVISION_VERSION" >"$STAMP"
  log "ready: $("$here/enter.sh" --no-workspace -- bazel --version 2>/dev/null)"
fi

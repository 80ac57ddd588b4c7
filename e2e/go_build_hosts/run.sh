#!/usr/bin/env bash
# Builds Kong's go-pluginserver v0.6.1 from the Go module proxy as its release does (`go build`
# with its ldflags; once with -trimpath, once without under /go/pkg/mod as KrakenD's and gotify's
# images build, once with -trimpath in a go workspace with go-pdk, as Tyk's plugin compiler
# does), writes each binary's plugin ABI file
# into abi/, then runs `bazel test //...` here (the plugins, built with the hosts' SDKs, are
# loaded by the hosts) and checks that a plugin built without a host SDK fails the check.
# Extra arguments go to Bazel's commands; BAZEL_OUTPUT_BASE (optional) is Bazel's output base
# (tests/remote gives a fresh one).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cache="${RULES_GO_PLUGIN_CACHE:-$HOME/.cache/rules_go_plugin}/go_build_hosts"
# In the workspace (not committed), so that the test takes them as data.
hosts="$here/bin"
mkdir -p "$hosts" "$cache"

# The host's own module cache: a build without -trimpath records its directory, as KrakenD's
# and gotify's images record /go/pkg/mod.
export GOMODCACHE="$cache/gomodcache" GOFLAGS=-modcacherw GOTOOLCHAIN=local
src="$cache/src/go-pluginserver"
if [[ ! -f "$src/go.mod" ]]; then
  dir="$(cd "$cache" && go mod download -json github.com/Kong/go-pluginserver@v0.6.1 | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  rm -rf "$src" && mkdir -p "$(dirname "$src")" && cp -r "$dir" "$src" && chmod -R u+w "$src"
fi
# Its Makefile's flags; -checklinkname=0 because v0.6.1 pulls runtime internals by
# go:linkname, which Go 1.23+ refuses by default.
ldflags="-s -w -X main.version=v0.6.1 -checklinkname=0"
(cd "$src" && go build -mod=mod -trimpath -ldflags "$ldflags" -o "$hosts/go-pluginserver-trimpath" .)
# Without -trimpath, as KrakenD's and gotify's images build: module cache /go/pkg/mod, which the
# binary records. Built inside the offline root filesystem (tools/offline/enter.sh, which
# tools/bazel provisions), where /go is ours to create; only $cache is bound into it.
# shellcheck source=tools/offline/config.sh
source "$root/tools/offline/config.sh"
if [ "$(cat "$STAMP" 2>/dev/null)" != "$PROVISION_VERSION" ]; then
  "$root/tools/offline/provision.sh"
fi
mkdir -p "$cache/out"
"$root/tools/offline/enter.sh" --workspace "$cache" -- /bin/sh -c "cd '$src' && mkdir -p /go/pkg/mod &&
  GOMODCACHE=/go/pkg/mod GOFLAGS=-modcacherw GOPROXY='$(go env GOPROXY)' GOTOOLCHAIN=local \
  '$HOST_GOROOT/bin/go' build -mod=mod -ldflags '$ldflags' -o '$cache/out/go-pluginserver-plain' ."
cp -f "$cache/out/go-pluginserver-plain" "$hosts/go-pluginserver-plain"
# As Tyk's plugin compiler builds: a go workspace holding the host and the module its plugins
# import (go-pdk here, Tyk itself there), with -trimpath, so go-pdk's files are recorded under
# its bare import path, without a version.
ws="$cache/src/workspace"
if [[ ! -f "$ws/go.work" ]]; then
  pdk="$(cd "$cache" && go mod download -json github.com/Kong/go-pdk@v0.6.0 | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  rm -rf "$ws" && mkdir -p "$ws" && cp -r "$src" "$ws/go-pluginserver" && cp -r "$pdk" "$ws/go-pdk" && chmod -R u+w "$ws"
  printf 'go 1.21\n\nuse (\n\t./go-pluginserver\n\t./go-pdk\n)\n' > "$ws/go.work"
fi
(cd "$ws/go-pluginserver" && go build -trimpath -ldflags "$ldflags" -o "$hosts/go-pluginserver-workspace" .)
for kind in trimpath plain workspace; do
  (cd "$root" && go run ./go/tools/pluginhost abi -binary "$hosts/go-pluginserver-$kind" \
    -name "go-pluginserver-$kind" -o "$here/abi/kong_$kind.plugin_abi.json")
done

cd "$here"
bazel=("$root/tools/bazel")
if [ -n "${BAZEL_OUTPUT_BASE:-}" ]; then bazel+=("--output_base=$BAZEL_OUTPUT_BASE"); fi
"${bazel[@]}" test //... "$@"

# Without the host SDK the check must refuse the plugin, naming the cause and the fix.
if out="$("${bazel[@]}" build //kong:hello_skewed "$@" 2>&1)"; then
  echo "FAIL: //kong:hello_skewed built, but it cannot load into the -trimpath host" >&2
  exit 1
fi
for want in "different version of package" "host_sdk"; do
  if ! grep -q -- "$want" <<<"$out"; then
    echo "FAIL: the check's message for //kong:hello_skewed lacks \"$want\":" >&2
    echo "$out" >&2
    exit 1
  fi
done
# A host SDK's toolchain takes rules_go's builder of the SDK it wraps (default_sdk.bzl): one
# builder for the test (default SDK) and the three host SDKs' plugins, not one per SDK.
builders="$("${bazel[@]}" aquery --output=text 'mnemonic("GoToolchainBinaryBuild", deps(//kong:kong_test))' "$@" 2>/dev/null |
  grep -c '^action ' || true)"
if [ "$builders" != 1 ]; then
  echo "FAIL: //kong:kong_test needs $builders builds of rules_go's builder, want 1 (host SDKs share the default SDK's)" >&2
  exit 1
fi
echo "go_build_hosts: ok"

#!/bin/sh
# The action of go_plugin_helpers (go/private/helpers.bzl): one `go build` of the Go helpers.
# Usage: build_helpers.sh GO GOROOT MODFILE GO_DIR OUT_DIR PACKAGE...
# Paths are relative to the execroot; GO_DIR is the repository's go/ directory, PACKAGE is
# ./go/tools/NAME.
set -eu
go=$PWD/$1
export GOROOT="$PWD/$2"
modfile=$PWD/$3
go_dir=$PWD/$4
out_dir=$PWD/$5
shift 5

# As rules_go's go_tool_binary (binary_wrapper.sh): GOCACHE and GOPATH under a HOME in the
# execroot, named after this action's output so that no two actions share it even unsandboxed,
# and removed afterwards (the cache only serves the packages both helpers import).
export HOME="$out_dir.home"
export GOCACHE="$HOME/gocache" GOPATH="$HOME/gopath"
trap 'rm -rf "$HOME"' EXIT

# A module of its own (MODFILE as its go.mod) holding this repository's go/ directory (the
# helpers in go/tools/, and go/loader/manifest, the manifest format pluginhost writes and the
# loader library reads, from the go/loader module that MODFILE replaces with its directory):
# the repository's go.mod, with its requirements and go version, is not needed, nor is its root
# package (which a consumer of the module cannot load).
mkdir -p "$HOME/module"
cp "$modfile" "$HOME/module/go.mod"
ln -s "$go_dir" "$HOME/module/go"

"$go" -C "$HOME/module" build -trimpath -buildvcs=false -ldflags=-buildid= -o "$out_dir/" "$@"

"""OFFLINE STUB: forwards to the native rule."""

sh_binary = native.sh_binary

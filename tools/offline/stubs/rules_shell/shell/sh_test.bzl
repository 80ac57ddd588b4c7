"""OFFLINE STUB: forwards to the native rule."""

sh_test = native.sh_test

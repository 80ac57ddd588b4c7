"""OFFLINE STUB: forwards to the native rule."""

sh_library = native.sh_library

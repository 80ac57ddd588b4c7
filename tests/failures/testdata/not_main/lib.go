// Package lib is not a main package: go_plugin must refuse to link it.
package lib

// Hello would be a plugin symbol if this were package main.
func Hello() string { return "hello" }

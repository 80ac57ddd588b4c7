// Command plugin links version 2 of the shared package.
package main

import "example.com/skew/shared"

// Version reports the shared package's version.
func Version() string { return shared.Version() }

func main() {}

// Command plugin passes nogo's vet analyzers.
package main

import "fmt"

// Describe formats n.
func Describe(n int) string { return fmt.Sprintf("n = %d", n) }

func main() {}

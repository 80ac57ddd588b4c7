// Command bad has a vet finding in the plugin's own sources: nogo must fail its build.
package main

import "fmt"

// Describe formats n with the wrong verb (printf: %d with a string argument).
func Describe(n string) string { return fmt.Sprintf("n = %d", n) }

func main() {}

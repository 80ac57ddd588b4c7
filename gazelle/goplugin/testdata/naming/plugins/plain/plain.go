package main

import "fmt"

// Hello is looked up by the host with plugin.Lookup.
func Hello(name string) string { return fmt.Sprintf("hello, %s", name) }

func main() {}

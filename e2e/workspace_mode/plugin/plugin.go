// Command plugin is the smoke test's plugin.
package main

// Answer is looked up by the host.
func Answer() int { return 42 }

func main() {}

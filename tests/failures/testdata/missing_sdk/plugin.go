package main

// Answer is looked up by no host: the plugin is never built.
func Answer() int { return 42 }

package main

import "example.com/repo/api"

type greeter struct{}

func (greeter) Greet(name string) string { return "hello, " + name }

var Greeter api.Greeter = greeter{}

func main() {}

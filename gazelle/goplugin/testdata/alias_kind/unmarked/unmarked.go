package main

import "example.com/repo/lib"

var V = lib.V

func main() {}

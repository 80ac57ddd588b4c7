package main

import "example.com/repo/plugins/internal/shared"

var Name = shared.Prefix + "auth"

func main() {}

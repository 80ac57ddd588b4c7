package main

import "example.com/repo/plugins/internal/shared"

var Name = shared.Prefix + "s3"

func main() {}

package main

import "example.com/repo/plugins/hello/api"

var V = api.V

func main() {}

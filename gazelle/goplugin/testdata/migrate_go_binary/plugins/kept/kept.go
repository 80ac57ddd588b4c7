package main

import "C"

//export Kept
func Kept() {}

func main() {}

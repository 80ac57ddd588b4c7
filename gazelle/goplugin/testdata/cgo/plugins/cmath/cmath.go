package main

// #cgo CFLAGS: -DPLUGIN=1
// #cgo LDFLAGS: -lm
// #include "cmath.h"
import "C"

// Hypot is computed in C.
func Hypot(x, y float64) float64 { return float64(C.hypot2(C.double(x), C.double(y))) }

func main() {}

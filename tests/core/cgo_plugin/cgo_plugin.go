// Command cgo_plugin is a plugin with C code in it (compiled -fPIC by go_plugin's
// configuration) and a cc_library dependency.
package main

/*
#cgo CFLAGS: -I${SRCDIR}/scale
#include "scale.h"

static int add(int a, int b) { return a + b; }
*/
import "C"

// Add adds in C.
func Add(a, b int) int { return int(C.add(C.int(a), C.int(b))) }

// Scale multiplies in the cc_library dependency.
func Scale(a int) int { return int(C.scale(C.int(a))) }

func main() {}

// Command shared_cdep_plugin calls a C function of a shared library (a cc_import of a .so),
// which the dynamic loader finds through the rpath go_plugin gives the plugin.
package main

// #include "tests/core/shared_cdep_plugin/answer/answer.h"
import "C"

// AnswerTimes returns answer_times(x) from libanswer.so.
func AnswerTimes(x int) int { return int(C.answer_times(C.int(x))) }

func main() {}

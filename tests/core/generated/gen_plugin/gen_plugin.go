// Command gen_plugin uses a generated package that its host links too.
package main

import "github.com/rules-go-plugin/rules_go_plugin/tests/core/generated/gen"

// Answer returns the generated package's answer.
func Answer() int { return gen.Answer() }

func main() {}

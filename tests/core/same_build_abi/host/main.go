// Command host links package shared; plugins are built against its plugin ABI file.
package main

import (
	"fmt"
	"os"
	"plugin"

	"github.com/rules-go-plugin/rules_go_plugin/tests/core/same_build_abi/shared"
)

func main() {
	for _, path := range os.Args[1:] {
		p, err := plugin.Open(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		greet, err := p.Lookup("Greet")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println(greet.(func(string) string)("host"))
	}
	_ = shared.Greeting
}

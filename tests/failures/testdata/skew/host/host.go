// Command host links version 1 of the shared package and the loader library.
package main

import (
	"fmt"

	"example.com/skew/shared"
	"github.com/rules-go-plugin/rules_go_plugin/go/loader"
)

func main() {
	_, err := loader.New()
	fmt.Println(shared.Version(), err)
}

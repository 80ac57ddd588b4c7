// Command host is the host whose ABI file the plugins of this module are checked against.
package main

import (
	"fmt"

	"github.com/rules-go-plugin/rules_go_plugin/e2e/released_hosts/shared"
	_ "github.com/rules-go-plugin/rules_go_plugin/go/loader"
)

func main() { fmt.Println(shared.Greeting("host")) }

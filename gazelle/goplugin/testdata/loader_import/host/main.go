package main

import (
	"fmt"

	"github.com/rules-go-plugin/rules_go_plugin/go/loader"
	"github.com/rules-go-plugin/rules_go_plugin/go/loader/manifest"
)

func main() {
	l, err := loader.New()
	fmt.Println(l, err, manifest.Entry{})
}

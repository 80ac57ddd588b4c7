package main

import (
	"fmt"
	"plugin"

	"example.com/repo/api"
)

func main() {
	p, err := plugin.Open("greeter.so")
	if err != nil {
		panic(err)
	}
	sym, err := p.Lookup("Greeter")
	if err != nil {
		panic(err)
	}
	fmt.Println((*sym.(*api.Greeter)).Greet("host"))
}

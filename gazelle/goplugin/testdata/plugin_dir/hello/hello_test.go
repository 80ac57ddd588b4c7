package main

import "testing"

func TestHello(t *testing.T) {
	if got := Hello("x"); got != "hello, x" {
		t.Fatal(got)
	}
}

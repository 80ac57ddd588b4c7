// Command initpanic is a plugin whose init function panics: plugin.Open runs it on the
// goroutine that opens the plugin, and Go cannot undo what it did.
package main

func init() {
	panic("initpanic: init failed on purpose")
}

// Hello is never reachable: the plugin's init does not finish.
func Hello() string { return "hello" }

func main() {}

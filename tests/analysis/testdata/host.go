// Command host is a minimal plugin host for analysis tests.
package main

import _ "plugin"

func main() {}

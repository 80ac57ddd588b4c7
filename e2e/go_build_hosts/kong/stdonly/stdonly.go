// Command stdonly is a Kong plugin that imports only the standard library: go-pluginserver
// loads it and calls New, but it shares no module with the host.
package main

import "strings"

// Config is the plugin's configuration.
type Config struct {
	Greeting string
}

// New returns the configuration, built with a standard package the host links too.
func New() interface{} {
	return &Config{Greeting: strings.ToUpper("std-only")}
}

// Version is read by go-pluginserver.
var Version = "0.1.0-stdonly"

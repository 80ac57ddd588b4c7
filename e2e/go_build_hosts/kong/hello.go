// Command hello is a Kong Go plugin (the go-pdk v0.6.0 interface): go-pluginserver loads it
// with plugin.Open, calls New for its configuration and finds its Access handler.
package main

import "github.com/Kong/go-pdk"

// Config is the plugin's configuration; go-pluginserver dumps its fields as the schema.
type Config struct {
	Message string
}

// New returns an empty configuration (go-pluginserver looks this symbol up).
func New() interface{} {
	return &Config{}
}

// Access runs in Kong's access phase.
func (c Config) Access(kong *pdk.PDK) {
	kong.Response.SetHeader("x-hello-from-bazel", c.Message)
}

// Version and Priority are read by go-pluginserver too.
var (
	Version  = "0.1.0-bazel"
	Priority = 1
)

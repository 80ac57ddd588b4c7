// Package filter is the interface between the example host and its plugins: each plugin
// exports NewFilter returning a Filter. Host and plugins link this package, and
// go_plugin_host checks at build time that both sides link the same version of it.
package filter

// Filter transforms text.
type Filter interface {
	// Name says what the filter does.
	Name() string
	// Apply transforms s.
	Apply(s string) string
}

module example.com/go_build_hosts

go 1.21

// The versions Kong's go-pluginserver v0.6.1 links (its go.sum): a plugin shares go-pdk with
// the host, so it must be built from exactly these.
require github.com/Kong/go-pdk v0.6.0

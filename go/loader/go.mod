module github.com/rules-go-plugin/rules_go_plugin/go/loader

go 1.21.1

require github.com/bazelbuild/rules_go v0.44.2

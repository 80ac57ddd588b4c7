module github.com/rules-go-plugin/rules_go_plugin

go 1.26.0

require github.com/bazelbuild/rules_go v0.65.0

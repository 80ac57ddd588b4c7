module example.com/repo

go 1.22

require github.com/rules-go-plugin/rules_go_plugin/go/loader v0.1.0

module github.com/rules-go-plugin/rules_go_plugin/tests/remote/remotecheck

go 1.24.0

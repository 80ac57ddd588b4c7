package version

var String = "dev"

package main

import "example.com/repo/version"

var Version = version.String

// Command p is a plugin in another repository than the main one.
package main

// Name is looked up by no one; the plugin only has to build.
var Name = "p"

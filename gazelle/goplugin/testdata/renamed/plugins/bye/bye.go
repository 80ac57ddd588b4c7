package main

func Bye() string { return "bye" }

func main() {}

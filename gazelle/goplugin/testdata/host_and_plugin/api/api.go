package api

// Greeter is what plugins provide.
type Greeter interface{ Greet(name string) string }

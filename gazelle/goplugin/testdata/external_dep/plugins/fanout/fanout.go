package main

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// Run runs fs concurrently.
func Run(ctx context.Context, fs ...func(context.Context) error) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, f := range fs {
		g.Go(func() error { return f(ctx) })
	}
	return g.Wait()
}

func main() {}

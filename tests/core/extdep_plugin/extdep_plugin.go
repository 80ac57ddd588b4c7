// Command extdep_plugin imports an external module (golang.org/x/sync) that gazelle's
// go_deps fetches from the module proxy.
package main

import "golang.org/x/sync/errgroup"

// SumSquares computes the squares of 1..n concurrently and adds them.
func SumSquares(n int) (int, error) {
	squares := make([]int, n)
	var g errgroup.Group
	for i := range n {
		g.Go(func() error {
			squares[i] = (i + 1) * (i + 1)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return 0, err
	}
	sum := 0
	for _, s := range squares {
		sum += s
	}
	return sum, nil
}

func main() {}

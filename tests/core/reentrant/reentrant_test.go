// Package reentrant loads real plugins whose init functions open plugins through the loader
// (themselves, or each other in a cycle), from many goroutines at once: every open returns,
// none hangs, and the loads that can never finish fail with loader.ErrReentrantOpen.
package reentrant

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rules-go-plugin/rules_go_plugin/go/loader"
)

var labels = []string{
	"//tests/core/reentrant/self",
	"//tests/core/reentrant/cycle_a",
	"//tests/core/reentrant/cycle_b",
}

const (
	goroutines = 16
	rounds     = 25
)

// withTimeout fails the test if f does not return in time (a hang is the bug under test).
func withTimeout(t *testing.T, d time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("still running after %s: an open hangs", d)
	}
}

// initErr opens the plugin and returns the error its init function's open returned.
func initErr(l *loader.Loader, label string) (*loader.Plugin, error, error) {
	p, err := l.Open(label)
	if err != nil {
		return nil, nil, err
	}
	f, err := loader.Lookup[func() error](p, "InitErr")
	if err != nil {
		return nil, nil, err
	}
	return p, f(), nil
}

// TestConcurrentOpens runs first: nothing is loaded yet, so the goroutines race to load the
// plugins, and the cycle may close across two goroutines (one loading cycle_a, one cycle_b).
func TestConcurrentOpens(t *testing.T) {
	l, err := loader.New()
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu       sync.Mutex
		first    = map[string]*loader.Plugin{}
		failures []string
		opens    int
	)
	start := time.Now()
	withTimeout(t, 60*time.Second, func() {
		var wg sync.WaitGroup
		for g := 0; g < goroutines; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				for r := 0; r < rounds; r++ {
					label := labels[(g+r)%len(labels)]
					p, ierr, err := initErr(l, label)
					mu.Lock()
					opens++
					switch {
					case err != nil:
						failures = append(failures, fmt.Sprintf("%s: %v", label, err))
					case ierr != nil && !errors.Is(ierr, loader.ErrReentrantOpen):
						failures = append(failures, fmt.Sprintf("%s: its init's open: %v", label, ierr))
					case first[label] == nil:
						first[label] = p
					case first[label] != p:
						failures = append(failures, fmt.Sprintf("%s: a second *Plugin", label))
					}
					mu.Unlock()
				}
			}(g)
		}
		wg.Wait()
	})
	t.Logf("%d goroutines, %d opens and lookups in %s, %d failures", goroutines, opens, time.Since(start).Round(time.Millisecond), len(failures))
	for _, f := range failures {
		t.Error(f)
	}
}

func TestReentrantOpenFromInit(t *testing.T) {
	l, err := loader.New()
	if err != nil {
		t.Fatal(err)
	}
	errs := map[string]error{}
	withTimeout(t, 60*time.Second, func() {
		for _, label := range labels {
			_, ierr, err := initErr(l, label)
			if err != nil {
				t.Errorf("Open(%s): %v", label, err)
			}
			errs[label] = ierr
		}
	})
	self := errs[labels[0]]
	if !errors.Is(self, loader.ErrReentrantOpen) || !strings.Contains(self.Error(), "(github.com/rules-go-plugin/rules_go_plugin/tests/core/reentrant/self → github.com/rules-go-plugin/rules_go_plugin/tests/core/reentrant/self)") {
		t.Errorf("self's init opening self: %v, want ErrReentrantOpen naming the cycle", self)
	}
	// The open that closes the cycle fails, the other succeeds; which one depends on which
	// plugin was loaded first (and, in TestConcurrentOpens, by which goroutine).
	a, b := errs[labels[1]], errs[labels[2]]
	if errors.Is(a, loader.ErrReentrantOpen) == errors.Is(b, loader.ErrReentrantOpen) || a != nil && b != nil {
		t.Errorf("the inits of the cycle: cycle_a's open %v, cycle_b's open %v; want exactly one ErrReentrantOpen", a, b)
	}
}

package main

import (
	"fmt"
	"math"
	"sort"
	"time"
)

// sample is one timed build.
type sample struct {
	Wall time.Duration `json:"wall_ns"`
	// CPU is user+system time: for go build, of the go command and the processes it waited
	// for (compilers, linkers); for Bazel, of the server and the processes it waited for
	// (sandboxed actions), read from /proc; 0 when unknown.
	CPU time.Duration `json:"cpu_ns"`
	// PeakRSS in bytes: for go build, the largest resident set of any one process of the
	// build (getrusage ru_maxrss); for Bazel, the server's peak resident set since it started
	// (VmHWM), without the actions' processes; 0 when unknown.
	PeakRSS int64 `json:"peak_rss_bytes"`
}

// median returns the median of xs (the mean of the two middle values for an even count),
// and 0 for no values. xs is not modified.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}

// ratio returns a/b, or NaN when either is unknown (<= 0).
func ratio(a, b float64) float64 {
	if a <= 0 || b <= 0 {
		return math.NaN()
	}
	return a / b
}

// wallSeconds returns the wall times of samples in seconds.
func wallSeconds(ss []sample) []float64 {
	out := make([]float64, len(ss))
	for i, s := range ss {
		out[i] = s.Wall.Seconds()
	}
	return out
}

// cpuSeconds returns the CPU times of samples in seconds, skipping unknown ones.
func cpuSeconds(ss []sample) []float64 {
	var out []float64
	for _, s := range ss {
		if s.CPU > 0 {
			out = append(out, s.CPU.Seconds())
		}
	}
	return out
}

// maxRSS returns the largest known PeakRSS of samples, 0 if none.
func maxRSS(ss []sample) int64 {
	var m int64
	for _, s := range ss {
		if s.PeakRSS > m {
			m = s.PeakRSS
		}
	}
	return m
}

// formatSeconds renders a duration in seconds with three significant digits ("0.412 s",
// "12.3 s", "298 s"), and "–" for unknown (<= 0 or NaN).
func formatSeconds(s float64) string {
	switch {
	case math.IsNaN(s) || s <= 0:
		return "–"
	case s < 1:
		return fmt.Sprintf("%.3f s", s)
	case s < 10:
		return fmt.Sprintf("%.2f s", s)
	case s < 100:
		return fmt.Sprintf("%.1f s", s)
	default:
		return fmt.Sprintf("%.0f s", s)
	}
}

// formatRatio renders a ratio as "1.23×", and "–" for NaN.
func formatRatio(r float64) string {
	if math.IsNaN(r) || math.IsInf(r, 0) {
		return "–"
	}
	if r >= 100 {
		return fmt.Sprintf("%.0f×", r)
	}
	return fmt.Sprintf("%.2f×", r)
}

// formatMiB renders bytes as MiB, and "–" for unknown.
func formatMiB(b int64) string {
	if b <= 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20))
}

// formatPercent renders a fraction as a signed percentage ("+2.1 %").
func formatPercent(f float64) string {
	if math.IsNaN(f) {
		return "–"
	}
	return fmt.Sprintf("%+.1f %%", 100*f)
}

package pin

import "testing"

func TestSet(t *testing.T) {
	for _, tc := range []struct {
		name      string
		sets      []string
		want      string
		wantPanic bool
	}{
		{name: "none", want: ""},
		{name: "once", sets: []string{"a"}, want: "a"},
		{name: "the same twice", sets: []string{"a", "a"}, want: "a"},
		{name: "another", sets: []string{"a", "b"}, want: "a", wantPanic: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			manifest.Store(nil)
			defer manifest.Store(nil)
			panicked := func() (p bool) {
				defer func() { p = recover() != nil }()
				for _, s := range tc.sets {
					Set(s)
				}
				return false
			}()
			if panicked != tc.wantPanic || Manifest() != tc.want {
				t.Errorf("panicked %v, Manifest() = %q; want %v, %q", panicked, Manifest(), tc.wantPanic, tc.want)
			}
		})
	}
}

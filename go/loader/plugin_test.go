package loader

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// greeter stands for an API type shared by host and plugins.
type greeter interface{ Greet(string) string }

type english struct{}

func (english) Greet(who string) string { return "hello, " + who }

// otherT returns a value of a type named loader.T, and lookupT looks a
// symbol up as another type named loader.T.
func otherT() any {
	type T int
	return T(1)
}

func lookupT(p *Plugin, symbol string) (any, error) {
	type T int
	return Lookup[T](p, symbol)
}

func testPlugin(syms map[string]any) *Plugin {
	return &Plugin{
		entry: Entry{Label: "//p:p", PluginPath: "example.com/p"},
		path:  "/r/p.so",
		syms:  fakeSymbols{pluginPath: "example.com/p", syms: syms},
	}
}

func TestLookup(t *testing.T) {
	name := "plugin p"
	var g greeter = english{}
	hello := func() string { return "hello" }
	p := testPlugin(map[string]any{
		"Hello":   hello,
		"Name":    &name,
		"Greeter": &g,
		"English": english{},
		"OtherT":  otherT(),
	})

	for _, tc := range []struct {
		name     string
		lookup   func() (any, error)
		want     string // fmt.Sprint of the value, if no error
		wantErr  error
		wantText []string
	}{
		{
			name:   "function",
			lookup: func() (any, error) { f, err := Lookup[func() string](p, "Hello"); return call(f), err },
			want:   "hello",
		},
		{
			name:   "variable as pointer",
			lookup: func() (any, error) { v, err := Lookup[*string](p, "Name"); return deref(v), err },
			want:   "plugin p",
		},
		{
			name:   "interface variable as pointer",
			lookup: func() (any, error) { v, err := Lookup[*greeter](p, "Greeter"); return greet(v), err },
			want:   "hello, x",
		},
		{
			name:   "value as an interface it implements",
			lookup: func() (any, error) { v, err := Lookup[greeter](p, "English"); return greetV(v), err },
			want:   "hello, x",
		},
		{
			name:   "any",
			lookup: func() (any, error) { v, err := Lookup[any](p, "Name"); return fmt.Sprintf("%T", v), err },
			want:   "*string",
		},
		{
			name:    "variable without pointer",
			lookup:  func() (any, error) { return Lookup[string](p, "Name") },
			wantErr: ErrSymbolType,
			wantText: []string{
				"loader: plugin //p:p: symbol has another type than requested: Name has type *string, not string",
				"(Name is a variable, and plugin lookups return a pointer to a variable: use Lookup[*string] and dereference)",
			},
		},
		{
			name:     "interface variable without pointer",
			lookup:   func() (any, error) { return Lookup[greeter](p, "Greeter") },
			wantErr:  ErrSymbolType,
			wantText: []string{"Greeter has type *loader.greeter, not loader.greeter (Greeter is a variable", "use Lookup[*loader.greeter]"},
		},
		{
			name:     "wrong function type",
			lookup:   func() (any, error) { return Lookup[func() int](p, "Hello") },
			wantErr:  ErrSymbolType,
			wantText: []string{"Hello has type func() string, not func() int"},
		},
		{
			name:     "wrong pointer type",
			lookup:   func() (any, error) { return Lookup[*int](p, "Name") },
			wantErr:  ErrSymbolType,
			wantText: []string{"Name has type *string, not *int"},
		},
		{
			name:     "different types with one name",
			lookup:   func() (any, error) { return lookupT(p, "OtherT") },
			wantErr:  ErrSymbolType,
			wantText: []string{"OtherT has type loader.T, not loader.T (two different types named loader.T"},
		},
		{
			name:     "missing",
			lookup:   func() (any, error) { return Lookup[func()](p, "Missing") },
			wantErr:  ErrSymbolNotFound,
			wantText: []string{"loader: plugin //p:p: symbol not found: plugin: symbol Missing not found in plugin example.com/p"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := tc.lookup()
			if tc.wantErr == nil {
				if err != nil {
					t.Fatal(err)
				}
				if got := fmt.Sprint(v); got != tc.want {
					t.Errorf("got %s, want %s", got, tc.want)
				}
				return
			}
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("error %v does not wrap %v", err, tc.wantErr)
			}
			for _, s := range tc.wantText {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
		})
	}
}

func call(f func() string) string {
	if f == nil {
		return ""
	}
	return f()
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func greet(g *greeter) string {
	if g == nil {
		return ""
	}
	return (*g).Greet("x")
}

func greetV(g greeter) string {
	if g == nil {
		return ""
	}
	return g.Greet("x")
}

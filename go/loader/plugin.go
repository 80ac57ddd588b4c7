package loader

import (
	"fmt"
	"plugin"
	"reflect"
)

// Plugin is a loaded plugin.
type Plugin struct {
	entry Entry
	path  string
	syms  symbols
}

// Entry returns the plugin's manifest entry.
func (p *Plugin) Entry() Entry { return p.entry }

// Path returns the file the plugin was loaded from.
func (p *Plugin) Path() string { return p.path }

// Lookup returns the exported symbol of the plugin's main package named
// symbol, as plugin.Plugin.Lookup does: a function value for a function, a
// pointer for a variable. A missing symbol is an error wrapping
// ErrSymbolNotFound. Lookup (the function) checks the type too.
func (p *Plugin) Lookup(symbol string) (plugin.Symbol, error) {
	s, err := p.syms.Lookup(symbol)
	if err != nil {
		return nil, fmt.Errorf("loader: plugin %s: %w: %w", entryName(p.entry), ErrSymbolNotFound, err)
	}
	return s, nil
}

// Lookup returns the plugin's exported symbol named symbol as a T.
//
// For a function, T is its type: Lookup[func() string](p, "Hello"). For a
// variable, plugin.Lookup returns a pointer to it, so T must be *V for a
// variable of type V: Lookup[*string](p, "Name"), and Lookup[*api.Greeter]
// for a variable of interface type api.Greeter. T may also be an interface
// the symbol's value implements (any matches everything).
//
// A missing symbol is an error wrapping ErrSymbolNotFound; a symbol of
// another type is an error wrapping ErrSymbolType that names both types
// (and says when the symbol is a variable that needs *V).
func Lookup[T any](p *Plugin, symbol string) (T, error) {
	var zero T
	s, err := p.Lookup(symbol)
	if err != nil {
		return zero, err
	}
	if v, ok := s.(T); ok {
		return v, nil
	}
	// Not reflect.TypeFor[T](): that needs go 1.22, and this module's go line is 1.21.
	return zero, typeError(p, symbol, s, reflect.TypeOf((*T)(nil)).Elem())
}

// typeError explains why symbol s is not a want.
func typeError(p *Plugin, symbol string, s plugin.Symbol, want reflect.Type) error {
	got := reflect.TypeOf(s)
	var hint string
	switch {
	case got == nil:
		// A nil interface value; plugin lookups do not return these.
	case got.Kind() == reflect.Pointer && (got.Elem() == want || got.Elem().AssignableTo(want)):
		hint = fmt.Sprintf(" (%s is a variable, and plugin lookups return a pointer to a variable: use Lookup[%v] and dereference)", symbol, got)
	case got.String() == want.String():
		hint = fmt.Sprintf(" (two different types named %v: the host and the plugin define it differently)", want)
	}
	return fmt.Errorf("loader: plugin %s: %w: %s has type %v, not %v%s", entryName(p.entry), ErrSymbolType, symbol, got, want, hint)
}

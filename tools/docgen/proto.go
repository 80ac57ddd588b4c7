package main

import (
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"
)

// The stardoc_output.ModuleInfo message that Bazel's starlark_doc_extract rule writes to
// <name>.binaryproto, decoded with protowire so that the tool needs no generated code. Field
// numbers are those of Bazel's src/main/protobuf/stardoc_output.proto (Bazel 7.7.1). Only what
// the pages render is decoded; other fields, such as the origin_key of every symbol, are
// skipped, as protobuf parsers skip unknown fields. The kinds of symbol that the project's
// public files do not export (aspects, repository rules, symbolic macros) are rejected rather
// than skipped, so that one added to a public file cannot go missing from its page.

// ModuleInfo documents one .bzl file.
type ModuleInfo struct {
	Rules      []RuleInfo      // 1
	Providers  []ProviderInfo  // 2
	Funcs      []FunctionInfo  // 3
	Doc        string          // 5: the module docstring
	File       string          // 6: display form of the file's label
	Extensions []ExtensionInfo // 7
	// Not rendered, rejected: 4 aspect_info, 8 repository_rule_info, 9 macro_info (symbolic
	// macros, Bazel 8).
}

// AttributeType is stardoc_output.AttributeType.
type AttributeType int

// Values of AttributeType.
const (
	AttrUnknown AttributeType = iota
	AttrName
	AttrInt
	AttrLabel
	AttrString
	AttrStringList
	AttrIntList
	AttrLabelList
	AttrBool
	AttrLabelStringDict
	AttrStringDict
	AttrStringListDict
	AttrOutput
	AttrOutputList
)

// RuleInfo documents a rule.
type RuleInfo struct {
	Name       string            // 1
	Doc        string            // 2
	Attrs      []AttributeInfo   // 3
	Provides   ProviderNameGroup // 5: advertised providers
	Test       bool              // 6
	Executable bool              // 7
	// Skipped: 4 origin_key.
}

// AttributeInfo documents an attribute of a rule or a tag class.
type AttributeInfo struct {
	Name            string              // 1
	Doc             string              // 2
	Type            AttributeType       // 3
	Mandatory       bool                // 4
	Providers       []ProviderNameGroup // 5: the dependencies must provide one group
	Default         string              // 6
	Nonconfigurable bool                // 7
}

// ProviderNameGroup is a set of providers.
type ProviderNameGroup struct {
	Names []string // 1
	// Skipped: 2 origin_key.
}

// FunctionParamRole is stardoc_output.FunctionParamRole. Bazel 7 leaves it unset.
type FunctionParamRole int

// Values of FunctionParamRole.
const (
	RoleUnspecified FunctionParamRole = iota
	RoleOrdinary
	RolePositionalOnly
	RoleKeywordOnly
	RoleVarargs
	RoleKwargs
)

// FunctionInfo documents a function (a macro, in BUILD-file terms): StarlarkFunctionInfo.
type FunctionInfo struct {
	Name       string      // 1
	Params     []ParamInfo // 2: ordinary, keyword-only, *args, **kwargs, in that order
	Doc        string      // 3
	Return     string      // 4 (FunctionReturnInfo.doc_string)
	Deprecated string      // 5 (FunctionDeprecationInfo.doc_string)
	// Skipped: 6 origin_key.
}

// ParamInfo documents a function parameter: FunctionParamInfo.
type ParamInfo struct {
	Name      string            // 1, without * or **
	Doc       string            // 2
	Default   string            // 3
	Mandatory bool              // 4
	Role      FunctionParamRole // 5
}

// ProviderInfo documents a provider.
type ProviderInfo struct {
	Name   string        // 1
	Doc    string        // 2
	Fields []FieldInfo   // 3
	Init   *FunctionInfo // 5
	// Skipped: 4 origin_key.
}

// FieldInfo documents a provider field: ProviderFieldInfo.
type FieldInfo struct {
	Name string // 1
	Doc  string // 2
}

// ExtensionInfo documents a module extension: ModuleExtensionInfo.
type ExtensionInfo struct {
	Name string         // 1
	Doc  string         // 2
	Tags []TagClassInfo // 3
	// Skipped: 4 origin_key.
}

// TagClassInfo documents a tag class of a module extension: ModuleExtensionTagClassInfo.
type TagClassInfo struct {
	Name  string          // 1
	Doc   string          // 2
	Attrs []AttributeInfo // 3
}

// field says how to decode a field of a message: the wire type it must have (named by kind in
// errors), and what to do with its value, which protowire.ConsumeFieldValue has validated.
type field struct {
	kind string
	wire protowire.Type
	set  func(v []byte) error
}

// decoder decodes one message type: its known fields by number.
type decoder map[protowire.Number]field

func (d decoder) decode(msg string, b []byte) error {
	for len(b) > 0 {
		num, wire, n := protowire.ConsumeTag(b)
		if n < 0 {
			return fmt.Errorf("%s: field tag: %w", msg, protowire.ParseError(n))
		}
		b = b[n:]
		n = protowire.ConsumeFieldValue(num, wire, b)
		if n < 0 {
			return fmt.Errorf("%s: field %d: %w", msg, num, protowire.ParseError(n))
		}
		v := b[:n]
		b = b[n:]
		f, ok := d[num]
		if !ok {
			continue // unknown or skipped field
		}
		if wire != f.wire {
			return fmt.Errorf("%s.%d: wire type %d, want %d (%s)", msg, num, wire, f.wire, f.kind)
		}
		if err := f.set(v); err != nil {
			return fmt.Errorf("%s.%d: %w", msg, num, err)
		}
	}
	return nil
}

// bytesValue returns the contents of a length-delimited value.
func bytesValue(v []byte) []byte {
	b, _ := protowire.ConsumeBytes(v)
	return b
}

// varintValue returns the integer of a varint value.
func varintValue(v []byte) uint64 {
	x, _ := protowire.ConsumeVarint(v)
	return x
}

func str(dst *string) field {
	return field{"string", protowire.BytesType, func(v []byte) error {
		*dst = string(bytesValue(v))
		return nil
	}}
}

func strs(dst *[]string) field {
	return field{"string", protowire.BytesType, func(v []byte) error {
		*dst = append(*dst, string(bytesValue(v)))
		return nil
	}}
}

func boolean(dst *bool) field {
	return field{"bool", protowire.VarintType, func(v []byte) error {
		*dst = protowire.DecodeBool(varintValue(v))
		return nil
	}}
}

// enum decodes an enum, an int32 on the wire.
func enum[T ~int](dst *T) field {
	return field{"enum", protowire.VarintType, func(v []byte) error {
		*dst = T(int32(varintValue(v)))
		return nil
	}}
}

// message decodes a singular message field with decode.
func message[T any](dst *T, decode func(*T, []byte) error) field {
	return field{"message", protowire.BytesType, func(v []byte) error {
		return decode(dst, bytesValue(v))
	}}
}

// repeated decodes a repeated message field with decode.
func repeated[T any](dst *[]T, decode func(*T, []byte) error) field {
	return field{"message", protowire.BytesType, func(v []byte) error {
		var x T
		if err := decode(&x, bytesValue(v)); err != nil {
			return err
		}
		*dst = append(*dst, x)
		return nil
	}}
}

// unsupported rejects a repeated message field documenting a kind of symbol that no page
// renders; its name is field 1 of the message.
func unsupported(kind, msg string) field {
	return field{"message", protowire.BytesType, func(v []byte) error {
		var name string
		if err := (decoder{1: str(&name)}).decode(msg, bytesValue(v)); err != nil {
			return err
		}
		return fmt.Errorf("%s %s: docgen renders only rules, functions, providers and module extensions", kind, name)
	}}
}

// DecodeModuleInfo decodes a serialized stardoc_output.ModuleInfo.
func DecodeModuleInfo(b []byte) (*ModuleInfo, error) {
	m := &ModuleInfo{}
	if err := decodeModuleInfo(m, b); err != nil {
		return nil, err
	}
	return m, nil
}

func decodeModuleInfo(m *ModuleInfo, b []byte) error {
	return decoder{
		1: repeated(&m.Rules, decodeRuleInfo),
		2: repeated(&m.Providers, decodeProviderInfo),
		3: repeated(&m.Funcs, decodeFunctionInfo),
		4: unsupported("aspect", "AspectInfo"),
		5: str(&m.Doc),
		6: str(&m.File),
		7: repeated(&m.Extensions, decodeExtensionInfo),
		8: unsupported("repository rule", "RepositoryRuleInfo"),
		9: unsupported("symbolic macro", "MacroInfo"),
	}.decode("ModuleInfo", b)
}

func decodeRuleInfo(r *RuleInfo, b []byte) error {
	return decoder{
		1: str(&r.Name),
		2: str(&r.Doc),
		3: repeated(&r.Attrs, decodeAttributeInfo),
		5: message(&r.Provides, decodeProviderNameGroup),
		6: boolean(&r.Test),
		7: boolean(&r.Executable),
	}.decode("RuleInfo", b)
}

func decodeAttributeInfo(a *AttributeInfo, b []byte) error {
	return decoder{
		1: str(&a.Name),
		2: str(&a.Doc),
		3: enum(&a.Type),
		4: boolean(&a.Mandatory),
		5: repeated(&a.Providers, decodeProviderNameGroup),
		6: str(&a.Default),
		7: boolean(&a.Nonconfigurable),
	}.decode("AttributeInfo", b)
}

func decodeProviderNameGroup(g *ProviderNameGroup, b []byte) error {
	return decoder{
		1: strs(&g.Names),
	}.decode("ProviderNameGroup", b)
}

func decodeFunctionInfo(fn *FunctionInfo, b []byte) error {
	return decoder{
		1: str(&fn.Name),
		2: repeated(&fn.Params, decodeParamInfo),
		3: str(&fn.Doc),
		4: message(&fn.Return, decodeDocOnly("FunctionReturnInfo")),
		5: message(&fn.Deprecated, decodeDocOnly("FunctionDeprecationInfo")),
	}.decode("StarlarkFunctionInfo", b)
}

// decodeDocOnly decodes a message whose only field is doc_string = 1.
func decodeDocOnly(msg string) func(*string, []byte) error {
	return func(s *string, b []byte) error {
		return decoder{1: str(s)}.decode(msg, b)
	}
}

func decodeParamInfo(p *ParamInfo, b []byte) error {
	return decoder{
		1: str(&p.Name),
		2: str(&p.Doc),
		3: str(&p.Default),
		4: boolean(&p.Mandatory),
		5: enum(&p.Role),
	}.decode("FunctionParamInfo", b)
}

func decodeProviderInfo(p *ProviderInfo, b []byte) error {
	return decoder{
		1: str(&p.Name),
		2: str(&p.Doc),
		3: repeated(&p.Fields, decodeFieldInfo),
		5: message(&p.Init, func(init **FunctionInfo, b []byte) error {
			if *init == nil {
				*init = &FunctionInfo{}
			}
			return decodeFunctionInfo(*init, b)
		}),
	}.decode("ProviderInfo", b)
}

func decodeFieldInfo(fi *FieldInfo, b []byte) error {
	return decoder{
		1: str(&fi.Name),
		2: str(&fi.Doc),
	}.decode("ProviderFieldInfo", b)
}

func decodeExtensionInfo(e *ExtensionInfo, b []byte) error {
	return decoder{
		1: str(&e.Name),
		2: str(&e.Doc),
		3: repeated(&e.Tags, decodeTagClassInfo),
	}.decode("ModuleExtensionInfo", b)
}

func decodeTagClassInfo(t *TagClassInfo, b []byte) error {
	return decoder{
		1: str(&t.Name),
		2: str(&t.Doc),
		3: repeated(&t.Attrs, decodeAttributeInfo),
	}.decode("ModuleExtensionTagClassInfo", b)
}

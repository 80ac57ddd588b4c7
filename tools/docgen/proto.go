package main

import (
	"errors"
	"fmt"
)

// The stardoc_output.ModuleInfo message that Bazel's starlark_doc_extract rule writes to
// <name>.binaryproto, decoded by hand from the protobuf wire format so that the tool needs no
// generated code. Field numbers are those of Bazel's src/main/protobuf/stardoc_output.proto;
// fields this tool does not know are skipped, as protobuf parsers do.

// ModuleInfo documents one .bzl file.
type ModuleInfo struct {
	Rules      []RuleInfo           // 1
	Providers  []ProviderInfo       // 2
	Funcs      []FunctionInfo       // 3
	Aspects    []AspectInfo         // 4
	Doc        string               // 5: the module docstring
	File       string               // 6: display form of the file's label
	Extensions []ExtensionInfo      // 7
	RepoRules  []RepositoryRuleInfo // 8
	Macros     []MacroInfo          // 9: symbolic macros (Bazel 8)
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
	Origin     OriginKey         // 4
	Provides   ProviderNameGroup // 5: advertised providers
	Test       bool              // 6
	Executable bool              // 7
}

// MacroInfo documents a symbolic macro.
type MacroInfo struct {
	Name   string          // 1
	Doc    string          // 2
	Attrs  []AttributeInfo // 3
	Origin OriginKey       // 4
}

// AttributeInfo documents an attribute of a rule, tag class, repository rule or aspect.
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
	Names   []string    // 1
	Origins []OriginKey // 2
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

// FunctionInfo documents a function (a macro, in BUILD-file terms).
type FunctionInfo struct {
	Name       string      // 1
	Params     []ParamInfo // 2: ordinary, keyword-only, *args, **kwargs, in that order
	Doc        string      // 3
	Return     string      // 4 (FunctionReturnInfo.doc_string)
	Deprecated string      // 5 (FunctionDeprecationInfo.doc_string)
	Origin     OriginKey   // 6
}

// ParamInfo documents a function parameter.
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
	Origin OriginKey     // 4
	Init   *FunctionInfo // 5
}

// FieldInfo documents a provider field.
type FieldInfo struct {
	Name string // 1
	Doc  string // 2
}

// AspectInfo documents an aspect.
type AspectInfo struct {
	Name             string          // 1
	Doc              string          // 2
	AspectAttributes []string        // 3: the attributes it propagates along
	Attrs            []AttributeInfo // 4
	Origin           OriginKey       // 5
}

// ExtensionInfo documents a module extension.
type ExtensionInfo struct {
	Name   string         // 1
	Doc    string         // 2
	Tags   []TagClassInfo // 3
	Origin OriginKey      // 4
}

// TagClassInfo documents a tag class of a module extension.
type TagClassInfo struct {
	Name  string          // 1
	Doc   string          // 2
	Attrs []AttributeInfo // 3
}

// RepositoryRuleInfo documents a repository rule.
type RepositoryRuleInfo struct {
	Name    string          // 1
	Doc     string          // 2
	Attrs   []AttributeInfo // 3
	Environ []string        // 4
	Origin  OriginKey       // 5
}

// OriginKey names where an entity was declared.
type OriginKey struct {
	Name string // 1
	File string // 2
}

// Wire types of the protobuf encoding.
const (
	wireVarint = 0
	wireI64    = 1
	wireLen    = 2
	wireSGroup = 3
	wireEGroup = 4
	wireI32    = 5
)

// field is one decoded field of a message: num, its wire type, and its value (the integer of a
// varint, or the bytes of a length-delimited field).
type field struct {
	num   int
	wire  int
	value uint64
	bytes []byte
}

var errTruncated = errors.New("truncated message")

func readVarint(b []byte) (uint64, int, error) {
	var v uint64
	for i := 0; i < len(b) && i < 10; i++ {
		v |= uint64(b[i]&0x7f) << (7 * i)
		if b[i] < 0x80 {
			if i == 9 && b[i] > 1 {
				return 0, 0, errors.New("varint overflows 64 bits")
			}
			return v, i + 1, nil
		}
	}
	if len(b) >= 10 {
		return 0, 0, errors.New("varint longer than 10 bytes")
	}
	return 0, 0, errTruncated
}

// fields splits an encoded message into its fields, in order.
func fields(b []byte) ([]field, error) {
	var out []field
	for len(b) > 0 {
		key, n, err := readVarint(b)
		if err != nil {
			return nil, fmt.Errorf("field key: %w", err)
		}
		b = b[n:]
		f := field{num: int(key >> 3), wire: int(key & 7)}
		if f.num <= 0 || key>>3 > 1<<29-1 {
			return nil, fmt.Errorf("invalid field number %d", key>>3)
		}
		switch f.wire {
		case wireVarint:
			f.value, n, err = readVarint(b)
			if err != nil {
				return nil, fmt.Errorf("field %d: %w", f.num, err)
			}
			b = b[n:]
		case wireI64, wireI32:
			size := 8
			if f.wire == wireI32 {
				size = 4
			}
			if len(b) < size {
				return nil, fmt.Errorf("field %d: %w", f.num, errTruncated)
			}
			for i := size - 1; i >= 0; i-- {
				f.value = f.value<<8 | uint64(b[i])
			}
			b = b[size:]
		case wireLen:
			size, n, err := readVarint(b)
			if err != nil {
				return nil, fmt.Errorf("field %d: length: %w", f.num, err)
			}
			b = b[n:]
			if size > uint64(len(b)) {
				return nil, fmt.Errorf("field %d: %w", f.num, errTruncated)
			}
			f.bytes = b[:size]
			b = b[size:]
		default:
			// Groups are deprecated and absent from stardoc_output.proto.
			return nil, fmt.Errorf("field %d: unsupported wire type %d", f.num, f.wire)
		}
		out = append(out, f)
	}
	return out, nil
}

// decoder decodes the fields of one message type; each field's handler receives the field.
type decoder map[int]func(field) error

func (d decoder) decode(msg string, b []byte) error {
	fs, err := fields(b)
	if err != nil {
		return fmt.Errorf("%s: %w", msg, err)
	}
	for _, f := range fs {
		h, ok := d[f.num]
		if !ok {
			continue // unknown field
		}
		if err := h(f); err != nil {
			return fmt.Errorf("%s.%d: %w", msg, f.num, err)
		}
	}
	return nil
}

func str(dst *string) func(field) error {
	return func(f field) error {
		if f.wire != wireLen {
			return fmt.Errorf("wire type %d, want %d (string)", f.wire, wireLen)
		}
		*dst = string(f.bytes)
		return nil
	}
}

func strs(dst *[]string) func(field) error {
	return func(f field) error {
		var s string
		if err := str(&s)(f); err != nil {
			return err
		}
		*dst = append(*dst, s)
		return nil
	}
}

func boolean(dst *bool) func(field) error {
	return func(f field) error {
		if f.wire != wireVarint {
			return fmt.Errorf("wire type %d, want %d (bool)", f.wire, wireVarint)
		}
		*dst = f.value != 0
		return nil
	}
}

func enum[T ~int](dst *T) func(field) error {
	return func(f field) error {
		if f.wire != wireVarint {
			return fmt.Errorf("wire type %d, want %d (enum)", f.wire, wireVarint)
		}
		*dst = T(int32(f.value))
		return nil
	}
}

// message decodes a singular message field with decode.
func message[T any](dst *T, decode func(*T, []byte) error) func(field) error {
	return func(f field) error {
		if f.wire != wireLen {
			return fmt.Errorf("wire type %d, want %d (message)", f.wire, wireLen)
		}
		return decode(dst, f.bytes)
	}
}

// repeated decodes a repeated message field with decode.
func repeated[T any](dst *[]T, decode func(*T, []byte) error) func(field) error {
	return func(f field) error {
		var v T
		if err := message(&v, decode)(f); err != nil {
			return err
		}
		*dst = append(*dst, v)
		return nil
	}
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
		4: repeated(&m.Aspects, decodeAspectInfo),
		5: str(&m.Doc),
		6: str(&m.File),
		7: repeated(&m.Extensions, decodeExtensionInfo),
		8: repeated(&m.RepoRules, decodeRepositoryRuleInfo),
		9: repeated(&m.Macros, decodeMacroInfo),
	}.decode("ModuleInfo", b)
}

func decodeRuleInfo(r *RuleInfo, b []byte) error {
	return decoder{
		1: str(&r.Name),
		2: str(&r.Doc),
		3: repeated(&r.Attrs, decodeAttributeInfo),
		4: message(&r.Origin, decodeOriginKey),
		5: message(&r.Provides, decodeProviderNameGroup),
		6: boolean(&r.Test),
		7: boolean(&r.Executable),
	}.decode("RuleInfo", b)
}

func decodeMacroInfo(m *MacroInfo, b []byte) error {
	return decoder{
		1: str(&m.Name),
		2: str(&m.Doc),
		3: repeated(&m.Attrs, decodeAttributeInfo),
		4: message(&m.Origin, decodeOriginKey),
	}.decode("MacroInfo", b)
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
		2: repeated(&g.Origins, decodeOriginKey),
	}.decode("ProviderNameGroup", b)
}

func decodeFunctionInfo(fn *FunctionInfo, b []byte) error {
	return decoder{
		1: str(&fn.Name),
		2: repeated(&fn.Params, decodeParamInfo),
		3: str(&fn.Doc),
		4: message(&fn.Return, decodeDocOnly("FunctionReturnInfo")),
		5: message(&fn.Deprecated, decodeDocOnly("FunctionDeprecationInfo")),
		6: message(&fn.Origin, decodeOriginKey),
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
		4: message(&p.Origin, decodeOriginKey),
		5: func(f field) error {
			p.Init = &FunctionInfo{}
			return message(p.Init, decodeFunctionInfo)(f)
		},
	}.decode("ProviderInfo", b)
}

func decodeFieldInfo(fi *FieldInfo, b []byte) error {
	return decoder{
		1: str(&fi.Name),
		2: str(&fi.Doc),
	}.decode("ProviderFieldInfo", b)
}

func decodeAspectInfo(a *AspectInfo, b []byte) error {
	return decoder{
		1: str(&a.Name),
		2: str(&a.Doc),
		3: strs(&a.AspectAttributes),
		4: repeated(&a.Attrs, decodeAttributeInfo),
		5: message(&a.Origin, decodeOriginKey),
	}.decode("AspectInfo", b)
}

func decodeExtensionInfo(e *ExtensionInfo, b []byte) error {
	return decoder{
		1: str(&e.Name),
		2: str(&e.Doc),
		3: repeated(&e.Tags, decodeTagClassInfo),
		4: message(&e.Origin, decodeOriginKey),
	}.decode("ModuleExtensionInfo", b)
}

func decodeTagClassInfo(t *TagClassInfo, b []byte) error {
	return decoder{
		1: str(&t.Name),
		2: str(&t.Doc),
		3: repeated(&t.Attrs, decodeAttributeInfo),
	}.decode("ModuleExtensionTagClassInfo", b)
}

func decodeRepositoryRuleInfo(r *RepositoryRuleInfo, b []byte) error {
	return decoder{
		1: str(&r.Name),
		2: str(&r.Doc),
		3: repeated(&r.Attrs, decodeAttributeInfo),
		4: strs(&r.Environ),
		5: message(&r.Origin, decodeOriginKey),
	}.decode("RepositoryRuleInfo", b)
}

func decodeOriginKey(o *OriginKey, b []byte) error {
	return decoder{
		1: str(&o.Name),
		2: str(&o.File),
	}.decode("OriginKey", b)
}

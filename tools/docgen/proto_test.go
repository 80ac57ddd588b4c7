package main

import (
	"reflect"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

// Test inputs, encoded with protowire.

// pbString encodes a length-delimited field (a string, bytes or message).
func pbString(num protowire.Number, s string) []byte {
	return protowire.AppendString(protowire.AppendTag(nil, num, protowire.BytesType), s)
}

func pbMsg(num protowire.Number, parts ...[]byte) []byte {
	return protowire.AppendBytes(protowire.AppendTag(nil, num, protowire.BytesType), concat(parts...))
}

func pbVarint(num protowire.Number, v uint64) []byte {
	return protowire.AppendVarint(protowire.AppendTag(nil, num, protowire.VarintType), v)
}

func tag(num protowire.Number, wire protowire.Type) []byte {
	return protowire.AppendTag(nil, num, wire)
}

func concat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func TestDecodeModuleInfo(t *testing.T) {
	origin := func(name, file string) []byte { return concat(pbString(1, name), pbString(2, file)) }
	tests := []struct {
		name string
		in   []byte
		want *ModuleInfo
		// wantErr is part of the error. protowire's errors start with "proto:" and a space
		// that is sometimes a non-breaking one, so only the text after it is compared.
		wantErr string
	}{
		{name: "empty", in: nil, want: &ModuleInfo{}},
		{
			name: "module fields",
			in:   concat(pbString(5, "Module doc."), pbString(6, "//go:defs.bzl")),
			want: &ModuleInfo{Doc: "Module doc.", File: "//go:defs.bzl"},
		},
		{
			name: "rule with attributes",
			in: pbMsg(1,
				pbString(1, "my_rule"),
				pbString(2, "Rule doc."),
				pbMsg(3, pbString(1, "name"), pbVarint(3, uint64(AttrName)), pbVarint(4, 1)),
				pbMsg(3,
					pbString(1, "deps"),
					pbString(2, "Deps."),
					pbVarint(3, uint64(AttrLabelList)),
					pbMsg(5, pbString(1, "FooInfo"), pbMsg(2, origin("FooInfo", "//:foo.bzl"))),
					pbString(6, "[]"),
					pbVarint(7, 1),
				),
				pbMsg(4, origin("my_rule", "//:rule.bzl")),
				pbMsg(5, pbString(1, "BarInfo")),
				pbVarint(6, 1),
				pbVarint(7, 1),
			),
			want: &ModuleInfo{Rules: []RuleInfo{{
				Name: "my_rule",
				Doc:  "Rule doc.",
				Attrs: []AttributeInfo{
					{Name: "name", Type: AttrName, Mandatory: true},
					{
						Name:            "deps",
						Doc:             "Deps.",
						Type:            AttrLabelList,
						Providers:       []ProviderNameGroup{{Names: []string{"FooInfo"}}},
						Default:         "[]",
						Nonconfigurable: true,
					},
				},
				Provides:   ProviderNameGroup{Names: []string{"BarInfo"}},
				Test:       true,
				Executable: true,
			}}},
		},
		{
			name: "function",
			in: pbMsg(3,
				pbString(1, "my_macro"),
				pbMsg(2, pbString(1, "name"), pbString(2, "The name."), pbVarint(4, 1), pbVarint(5, uint64(RoleOrdinary))),
				pbMsg(2, pbString(1, "opt"), pbString(3, "None")),
				pbString(3, "Macro doc."),
				pbMsg(4, pbString(1, "Nothing.")),
				pbMsg(5, pbString(1, "Do not use.")),
				pbMsg(6, origin("my_macro", "//:m.bzl")),
			),
			want: &ModuleInfo{Funcs: []FunctionInfo{{
				Name: "my_macro",
				Params: []ParamInfo{
					{Name: "name", Doc: "The name.", Mandatory: true, Role: RoleOrdinary},
					{Name: "opt", Default: "None"},
				},
				Doc:        "Macro doc.",
				Return:     "Nothing.",
				Deprecated: "Do not use.",
			}}},
		},
		{
			name: "provider with init",
			in: pbMsg(2,
				pbString(1, "FooInfo"),
				pbString(2, "Foo."),
				pbMsg(3, pbString(1, "a"), pbString(2, "Field a.")),
				pbMsg(3, pbString(1, "b")),
				pbMsg(4, origin("FooInfo", "//:foo.bzl")),
				pbMsg(5, pbString(1, "FooInfo"), pbMsg(2, pbString(1, "a"), pbVarint(4, 1))),
			),
			want: &ModuleInfo{Providers: []ProviderInfo{{
				Name:   "FooInfo",
				Doc:    "Foo.",
				Fields: []FieldInfo{{Name: "a", Doc: "Field a."}, {Name: "b"}},
				Init:   &FunctionInfo{Name: "FooInfo", Params: []ParamInfo{{Name: "a", Mandatory: true}}},
			}}},
		},
		{
			name: "module extension",
			in: pbMsg(7, pbString(1, "my_ext"), pbString(2, "Ext."),
				pbMsg(3, pbString(1, "tag"), pbString(2, "Tag."), pbMsg(3, pbString(1, "x"), pbVarint(3, uint64(AttrStringList)))),
				pbMsg(3, pbString(1, "empty")),
				pbMsg(4, pbString(2, "//:e.bzl"))),
			want: &ModuleInfo{Extensions: []ExtensionInfo{{
				Name: "my_ext", Doc: "Ext.",
				Tags: []TagClassInfo{
					{Name: "tag", Doc: "Tag.", Attrs: []AttributeInfo{{Name: "x", Type: AttrStringList}}},
					{Name: "empty"},
				},
			}}},
		},
		{
			name: "a singular message given twice is merged",
			in:   pbMsg(1, pbMsg(5, pbString(1, "AInfo")), pbMsg(5, pbString(1, "BInfo"))),
			want: &ModuleInfo{Rules: []RuleInfo{{Provides: ProviderNameGroup{Names: []string{"AInfo", "BInfo"}}}}},
		},
		{
			name: "unknown fields of every wire type are skipped",
			in: concat(
				pbVarint(100, 7),
				pbString(101, "future"),
				protowire.AppendFixed32(tag(102, protowire.Fixed32Type), 1),
				protowire.AppendFixed64(tag(103, protowire.Fixed64Type), 1),
				tag(104, protowire.StartGroupType), pbVarint(1, 1), tag(104, protowire.EndGroupType),
				pbMsg(1, pbString(1, "r"), pbVarint(99, 1), pbMsg(3, pbString(1, "a"), pbString(50, "x"))),
			),
			want: &ModuleInfo{Rules: []RuleInfo{{Name: "r", Attrs: []AttributeInfo{{Name: "a"}}}}},
		},
		{
			name: "negative enum",
			in:   pbMsg(1, pbMsg(3, pbVarint(3, 1<<64-1))),
			want: &ModuleInfo{Rules: []RuleInfo{{Attrs: []AttributeInfo{{Type: -1}}}}},
		},
		{
			name:    "aspects are not rendered",
			in:      pbMsg(4, pbString(1, "my_aspect"), pbString(3, "deps")),
			wantErr: "ModuleInfo.4: aspect my_aspect: docgen renders only",
		},
		{
			name:    "repository rules are not rendered",
			in:      concat(pbString(5, "Doc."), pbMsg(8, pbString(1, "my_repo"), pbString(4, "HOME"))),
			wantErr: "ModuleInfo.8: repository rule my_repo: docgen renders only",
		},
		{
			name:    "symbolic macros are not rendered",
			in:      pbMsg(9, pbString(1, "my_symbolic")),
			wantErr: "ModuleInfo.9: symbolic macro my_symbolic: docgen renders only",
		},
		{
			name:    "string with varint wire type",
			in:      pbVarint(5, 1),
			wantErr: "ModuleInfo.5: wire type 0, want 2 (string)",
		},
		{
			name:    "message with varint wire type",
			in:      pbVarint(1, 1),
			wantErr: "ModuleInfo.1: wire type 0, want 2 (message)",
		},
		{
			name:    "bool with string wire type",
			in:      pbMsg(1, pbString(6, "yes")),
			wantErr: "RuleInfo.6: wire type 2, want 0 (bool)",
		},
		{
			name:    "enum with string wire type",
			in:      pbMsg(1, pbMsg(3, pbString(3, "LABEL"))),
			wantErr: "AttributeInfo.3: wire type 2, want 0 (enum)",
		},
		{
			name:    "field number 0",
			in:      pbVarint(0, 1),
			wantErr: "invalid field number",
		},
		{
			name:    "truncated tag",
			in:      []byte{0x80},
			wantErr: "ModuleInfo: field tag: unexpected EOF",
		},
		{
			name:    "truncated string",
			in:      append(tag(5, protowire.BytesType), 5, 'a'),
			wantErr: "ModuleInfo: field 5: unexpected EOF",
		},
		{
			name:    "truncated varint",
			in:      append(tag(100, protowire.VarintType), 0x80),
			wantErr: "ModuleInfo: field 100: unexpected EOF",
		},
		{
			name:    "truncated fixed64",
			in:      append(tag(100, protowire.Fixed64Type), 1, 2),
			wantErr: "ModuleInfo: field 100: unexpected EOF",
		},
		{
			name:    "varint overflow",
			in:      append(tag(100, protowire.VarintType), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02),
			wantErr: "variable length integer overflow",
		},
		{
			name:    "unterminated group",
			in:      concat(tag(100, protowire.StartGroupType), pbVarint(1, 1)),
			wantErr: "ModuleInfo: field 100: unexpected EOF",
		},
		{
			name:    "mismatched end of group",
			in:      concat(tag(100, protowire.StartGroupType), tag(101, protowire.EndGroupType)),
			wantErr: "mismatching end group marker",
		},
		{
			name:    "reserved wire type",
			in:      tag(100, 6),
			wantErr: "cannot parse reserved wire type",
		},
		{
			name:    "truncated nested message",
			in:      pbMsg(1, append(tag(1, protowire.BytesType), 9)),
			wantErr: "ModuleInfo.1: RuleInfo: field 1: unexpected EOF",
		},
		{
			name:    "text instead of a binary proto",
			in:      []byte("module_docstring: \"x\"\n"),
			wantErr: "ModuleInfo",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeModuleInfo(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("DecodeModuleInfo() error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("DecodeModuleInfo() =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

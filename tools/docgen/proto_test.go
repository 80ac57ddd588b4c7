package main

import (
	"reflect"
	"strings"
	"testing"
)

// A minimal protobuf encoder for building test inputs.

func appendVarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

func tag(num, wire int) []byte { return appendVarint(nil, uint64(num)<<3|uint64(wire)) }

// pbString encodes a length-delimited field (a string, bytes or message).
func pbString(num int, s string) []byte {
	b := tag(num, wireLen)
	b = appendVarint(b, uint64(len(s)))
	return append(b, s...)
}

func pbMsg(num int, parts ...[]byte) []byte { return pbString(num, string(concat(parts...))) }

func pbVarint(num int, v uint64) []byte { return appendVarint(tag(num, wireVarint), v) }

func concat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func TestReadVarint(t *testing.T) {
	tests := []struct {
		name    string
		in      []byte
		want    uint64
		wantN   int
		wantErr string
	}{
		{name: "zero", in: []byte{0}, want: 0, wantN: 1},
		{name: "one byte", in: []byte{0x7f, 0xff}, want: 127, wantN: 1},
		{name: "two bytes", in: []byte{0xac, 0x02}, want: 300, wantN: 2},
		{name: "max uint64", in: []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, want: 1<<64 - 1, wantN: 10},
		{name: "empty", in: nil, wantErr: "truncated"},
		{name: "truncated", in: []byte{0x80, 0x80}, wantErr: "truncated"},
		{name: "overflow", in: []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02}, wantErr: "overflows"},
		{name: "too long", in: []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}, wantErr: "longer than 10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, n, err := readVarint(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("readVarint(%x) error = %v, want one containing %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want || n != tt.wantN {
				t.Fatalf("readVarint(%x) = %d, %d, %v; want %d, %d, nil", tt.in, got, n, err, tt.want, tt.wantN)
			}
		})
	}
}

func TestFields(t *testing.T) {
	tests := []struct {
		name    string
		in      []byte
		want    []field
		wantErr string
	}{
		{name: "empty", in: nil, want: nil},
		{
			name: "every wire type",
			in: concat(
				pbVarint(1, 150),
				tag(2, wireI64), []byte{1, 2, 3, 4, 5, 6, 7, 8},
				pbString(3, "hi"),
				tag(4, wireI32), []byte{1, 0, 0, 0},
			),
			want: []field{
				{num: 1, wire: wireVarint, value: 150},
				{num: 2, wire: wireI64, value: 0x0807060504030201},
				{num: 3, wire: wireLen, bytes: []byte("hi")},
				{num: 4, wire: wireI32, value: 1},
			},
		},
		{name: "field number 0", in: pbVarint(0, 1), wantErr: "invalid field number 0"},
		{name: "group", in: tag(1, wireSGroup), wantErr: "unsupported wire type 3"},
		{name: "truncated string", in: append(tag(1, wireLen), 5, 'a'), wantErr: "truncated"},
		{name: "truncated fixed64", in: append(tag(1, wireI64), 1, 2), wantErr: "truncated"},
		{name: "truncated varint value", in: append(tag(1, wireVarint), 0x80), wantErr: "truncated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := fields(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("fields() error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("fields() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestDecodeModuleInfo(t *testing.T) {
	origin := func(name, file string) []byte { return concat(pbString(1, name), pbString(2, file)) }
	tests := []struct {
		name    string
		in      []byte
		want    *ModuleInfo
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
						Providers:       []ProviderNameGroup{{Names: []string{"FooInfo"}, Origins: []OriginKey{{Name: "FooInfo", File: "//:foo.bzl"}}}},
						Default:         "[]",
						Nonconfigurable: true,
					},
				},
				Origin:     OriginKey{Name: "my_rule", File: "//:rule.bzl"},
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
				Origin:     OriginKey{Name: "my_macro", File: "//:m.bzl"},
			}}},
		},
		{
			name: "provider with init",
			in: pbMsg(2,
				pbString(1, "FooInfo"),
				pbString(2, "Foo."),
				pbMsg(3, pbString(1, "a"), pbString(2, "Field a.")),
				pbMsg(3, pbString(1, "b")),
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
			name: "aspect, extension, repository rule, symbolic macro",
			in: concat(
				pbMsg(4, pbString(1, "my_aspect"), pbString(2, "Aspect."), pbString(3, "deps"), pbString(3, "srcs"),
					pbMsg(4, pbString(1, "name")), pbMsg(5, origin("my_aspect", "//:a.bzl"))),
				pbMsg(7, pbString(1, "my_ext"), pbString(2, "Ext."),
					pbMsg(3, pbString(1, "tag"), pbString(2, "Tag."), pbMsg(3, pbString(1, "x"), pbVarint(3, uint64(AttrStringList)))),
					pbMsg(4, pbString(2, "//:e.bzl"))),
				pbMsg(8, pbString(1, "my_repo"), pbString(2, "Repo."), pbMsg(3, pbString(1, "name")),
					pbString(4, "HOME"), pbString(4, "PATH"), pbMsg(5, origin("my_repo", "//:r.bzl"))),
				pbMsg(9, pbString(1, "my_symbolic"), pbString(2, "Symbolic."), pbMsg(3, pbString(1, "name")), pbMsg(4, origin("my_symbolic", "//:s.bzl"))),
			),
			want: &ModuleInfo{
				Aspects: []AspectInfo{{
					Name: "my_aspect", Doc: "Aspect.", AspectAttributes: []string{"deps", "srcs"},
					Attrs: []AttributeInfo{{Name: "name"}}, Origin: OriginKey{Name: "my_aspect", File: "//:a.bzl"},
				}},
				Extensions: []ExtensionInfo{{
					Name: "my_ext", Doc: "Ext.",
					Tags:   []TagClassInfo{{Name: "tag", Doc: "Tag.", Attrs: []AttributeInfo{{Name: "x", Type: AttrStringList}}}},
					Origin: OriginKey{File: "//:e.bzl"},
				}},
				RepoRules: []RepositoryRuleInfo{{
					Name: "my_repo", Doc: "Repo.", Attrs: []AttributeInfo{{Name: "name"}},
					Environ: []string{"HOME", "PATH"}, Origin: OriginKey{Name: "my_repo", File: "//:r.bzl"},
				}},
				Macros: []MacroInfo{{
					Name: "my_symbolic", Doc: "Symbolic.", Attrs: []AttributeInfo{{Name: "name"}},
					Origin: OriginKey{Name: "my_symbolic", File: "//:s.bzl"},
				}},
			},
		},
		{
			name: "unknown fields are skipped",
			in: concat(
				pbVarint(100, 7),
				pbString(101, "future"),
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
			name:    "truncated nested message",
			in:      pbMsg(1, append(tag(1, wireLen), 9)),
			wantErr: "RuleInfo: field 1: truncated",
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

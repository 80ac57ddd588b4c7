package main

import "testing"

func TestNormalizeDoc(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "empty", in: "", want: ""},
		{name: "blank", in: " \n\t\n", want: ""},
		{name: "one line", in: "Does it.", want: "Does it."},
		{
			name: "function docstring indentation",
			in:   "Summary.\n\n    Details,\n      indented more.\n    ",
			want: "Summary.\n\nDetails,\n  indented more.",
		},
		{name: "leading and trailing blank lines", in: "\n\n  Text.  \n\n", want: "Text."},
		{name: "tabs", in: "A\n\tb", want: "A\nb"},
		{name: "CRLF", in: "A\r\n  b\r\n", want: "A\nb"},
		{name: "no indentation", in: "A\nb\n  c", want: "A\nb\n  c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := normalizeDoc(tt.in); got != tt.want {
				t.Errorf("normalizeDoc(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCell(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "empty", in: "", want: ""},
		{name: "one line", in: "A label.", want: "A label."},
		{name: "lines of a paragraph", in: "One\ntwo\n  three", want: "One two three"},
		{name: "paragraphs", in: "One.\n\nTwo.\n\n\nThree.", want: "One.<br><br>Two.<br><br>Three."},
		{name: "pipes", in: "a | b, `x|y`", want: `a \| b, ` + "`x\\|y`"},
		{name: "list", in: "Modes:\n* fast\n* slow", want: "Modes:<br>* fast<br>* slow"},
		{name: "numbered list after a blank line", in: "Steps:\n\n1. one\n2. two", want: "Steps:<br><br>1. one<br>2. two"},
		{
			name: "fenced code",
			in:   "Example:\n```starlark\nfoo(a = \"<b>\")\nbar()\n```\nAfter.",
			want: "Example:<br><pre><code>foo(a = &#34;&lt;b&gt;&#34;)<br>bar()</code></pre><br>After.",
		},
		{name: "unterminated fence", in: "Code:\n```\nx | y", want: `Code: <pre><code>x \| y</code></pre>`},
		{name: "indented docstring", in: "First.\n    Second\n    line.", want: "First. Second line."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cell(tt.in); got != tt.want {
				t.Errorf("cell(%q) =\n%q\nwant\n%q", tt.in, got, tt.want)
			}
		})
	}
}

func TestIsListItem(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"* a", true},
		{"  - a", true},
		{"+ a", true},
		{"12. a", true},
		{"*emphasis*", false},
		{"1.5 is a number", false},
		{"text", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := isListItem(tt.in); got != tt.want {
			t.Errorf("isListItem(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestSummary(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "empty", in: "", want: ""},
		{name: "one sentence", in: "Builds a plugin.", want: "Builds a plugin."},
		{name: "first of two sentences", in: "Builds a plugin. Then more.", want: "Builds a plugin."},
		{name: "first paragraph only", in: "Builds a\nplugin\n\nMore.", want: "Builds a plugin"},
		{name: "period in a code span", in: "Loads it with `plugin. Open`. More.", want: "Loads it with `plugin. Open`."},
		{name: "period inside a word", in: "Uses plugin.Open here. More.", want: "Uses plugin.Open here."},
		{name: "stops at a fence", in: "Example:\n```\ncode\n```", want: "Example:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := summary(tt.in); got != tt.want {
				t.Errorf("summary(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"name", "`name`"},
		{`"off"`, "`\"off\"`"},
		{"a`b", "``a`b``"},
		{"`a`", "`` `a` ``"},
	}
	for _, tt := range tests {
		if got := code(tt.in); got != tt.want {
			t.Errorf("code(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWrapCall(t *testing.T) {
	tests := []struct {
		name  string
		fn    string
		args  []string
		width int
		want  string
	}{
		{name: "no arguments", fn: "f", width: 80, want: "f()"},
		{name: "fits", fn: "f", args: []string{"a", "b = 1"}, width: 80, want: "f(a, b = 1)"},
		{
			name:  "wraps aligned after the parenthesis",
			fn:    "rule",
			args:  []string{"name", "srcs", "deps", "embed"},
			width: 18,
			want:  "rule(name, srcs,\n     deps, embed)",
		},
		{
			name:  "an argument longer than the width goes alone on its line",
			fn:    "f",
			args:  []string{"a", "very_long_argument", "b"},
			width: 10,
			want:  "f(a,\n  very_long_argument,\n  b)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := wrapCall(tt.fn, tt.args, tt.width); got != tt.want {
				t.Errorf("wrapCall() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

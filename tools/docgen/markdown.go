package main

import (
	"html"
	"strings"
	"unicode"
)

// normalizeDoc cleans up a docstring as written in Starlark: trailing spaces are dropped, the
// common indentation of the lines after the first is removed (the first line follows the
// opening quotes), and leading and trailing blank lines are dropped.
func normalizeDoc(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRightFunc(strings.ReplaceAll(l, "\t", "    "), unicode.IsSpace)
	}
	indent := -1
	for _, l := range lines[1:] {
		if l == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " "))
		if indent < 0 || n < indent {
			indent = n
		}
	}
	if indent > 0 {
		for i := 1; i < len(lines); i++ {
			if len(lines[i]) >= indent {
				lines[i] = lines[i][indent:]
			}
		}
	}
	lines[0] = strings.TrimLeft(lines[0], " ")
	for len(lines) > 0 && lines[0] == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n")
}

// isFence reports whether a line opens or closes a fenced code block.
func isFence(line string) bool {
	t := strings.TrimLeft(line, " ")
	return strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~")
}

// isListItem reports whether a line starts a Markdown list item ("* ", "- ", "+ ", "1. ").
func isListItem(line string) bool {
	t := strings.TrimLeft(line, " ")
	if strings.HasPrefix(t, "* ") || strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "+ ") {
		return true
	}
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	return i > 0 && strings.HasPrefix(t[i:], ". ")
}

// cell turns a Markdown docstring into the content of one table cell: a single line, with
// paragraphs separated by <br><br>, list items by <br>, fenced code as <pre>, and pipes escaped.
// An empty docstring gives an empty cell.
func cell(doc string) string {
	doc = normalizeDoc(doc)
	if doc == "" {
		return ""
	}
	var b strings.Builder
	// sep is what goes before the next piece of text: nothing at the start, a space between
	// the lines of a paragraph, <br><br> after a blank line.
	sep := ""
	inCode := false
	var code []string
	for _, line := range strings.Split(doc, "\n") {
		switch {
		case isFence(line) && !inCode:
			inCode, code = true, nil
		case isFence(line) && inCode:
			inCode = false
			if b.Len() > 0 {
				b.WriteString("<br>")
			}
			b.WriteString("<pre><code>" + strings.Join(code, "<br>") + "</code></pre>")
			sep = "<br>"
		case inCode:
			code = append(code, html.EscapeString(line))
		case line == "":
			if b.Len() > 0 {
				sep = "<br><br>"
			}
		default:
			text := strings.TrimSpace(line)
			if isListItem(line) && sep == " " {
				sep = "<br>"
			}
			b.WriteString(sep + text)
			sep = " "
		}
	}
	if inCode { // unterminated fence: keep the text
		b.WriteString(sep + "<pre><code>" + strings.Join(code, "<br>") + "</code></pre>")
	}
	return strings.ReplaceAll(b.String(), "|", `\|`)
}

// firstParagraph returns the first paragraph of a docstring on one line.
func firstParagraph(doc string) string {
	doc = normalizeDoc(doc)
	var words []string
	for _, line := range strings.Split(doc, "\n") {
		if line == "" || isFence(line) {
			break
		}
		words = append(words, strings.TrimSpace(line))
	}
	return strings.Join(words, " ")
}

// summary returns the first sentence of a docstring's first paragraph: up to the first ". "
// (or final ".") outside a code span. It ends with a period unless the paragraph has none.
func summary(doc string) string {
	p := firstParagraph(doc)
	inCode := false
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '`':
			inCode = !inCode
		case '.':
			if !inCode && (i+1 == len(p) || p[i+1] == ' ') {
				return p[:i+1]
			}
		}
	}
	return p
}

// inline makes a single-line text safe inside a table cell.
func inline(s string) string {
	return strings.ReplaceAll(s, "|", `\|`)
}

// code formats s as a Markdown code span, with enough backticks around it if s has some.
func code(s string) string {
	if s == "" {
		return ""
	}
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// wrapCall formats a call: name(args...), wrapped at width columns with the continuation
// lines aligned after the opening parenthesis.
func wrapCall(name string, args []string, width int) string {
	var b strings.Builder
	b.WriteString(name + "(")
	col := len(name) + 1
	indent := strings.Repeat(" ", len(name)+1)
	for i, a := range args {
		piece := a
		if i < len(args)-1 {
			piece += ","
		} else {
			piece += ")"
		}
		if i > 0 {
			if col+1+len(piece) > width {
				b.WriteString("\n" + indent)
				col = len(indent)
			} else {
				b.WriteString(" ")
				col++
			}
		}
		b.WriteString(piece)
		col += len(piece)
	}
	if len(args) == 0 {
		b.WriteString(")")
	}
	return b.String()
}

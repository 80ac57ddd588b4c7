package main

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"strings"
	"unicode"
)

// Colors of the three tools, in tools order, and of the chart's furniture.
var (
	toolColors = []color.RGBA{
		{0x4c, 0x72, 0xb0, 0xff}, // go build: blue
		{0xdd, 0x84, 0x52, 0xff}, // rules_go: orange
		{0x55, 0xa8, 0x68, 0xff}, // go_plugin: green
	}
	colorBG   = color.RGBA{0xff, 0xff, 0xff, 0xff}
	colorInk  = color.RGBA{0x22, 0x22, 0x22, 0xff}
	colorGrid = color.RGBA{0xdd, 0xdd, 0xdd, 0xff}
)

// chartLabel returns the two label lines under a row's bars.
func chartLabel(k rowKey) (string, string) {
	short := map[string]string{scCold: "cold", scFirst: "first", scNoop: "no-op", scEditPlugin: "plugin", scEditLib: "lib"}[k.Scenario]
	if short == "" {
		short = k.Scenario
	}
	if k.Host {
		return short, fmt.Sprintf("h+%d", k.N)
	}
	return short, fmt.Sprintf("n=%d", k.N)
}

// logRange returns the decades [lo, hi] (powers of ten) that contain all positive values.
func logRange(values []float64) (float64, float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range values {
		if v > 0 && !math.IsNaN(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if math.IsInf(lo, 1) {
		return 0.1, 10
	}
	l, h := math.Floor(math.Log10(lo)), math.Ceil(math.Log10(hi))
	if h <= l {
		h = l + 1
	}
	return math.Pow(10, l), math.Pow(10, h)
}

// decadeLabel renders a power of ten in seconds: "0.01 s", "1 s", "100 s".
func decadeLabel(v float64) string {
	s := strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.3f", v), "0"), ".")
	return s + " s"
}

type canvas struct{ img *image.RGBA }

func (c canvas) rect(x0, y0, x1, y1 int, col color.Color) {
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			c.img.Set(x, y, col)
		}
	}
}

func (c canvas) text(x, y int, s string, scale int, col color.Color) {
	for _, r := range s {
		g := glyph(r)
		dy := 0
		if strings.ContainsRune(descends, unicode.ToLower(r)) {
			dy = descent * scale
		}
		for row := 0; row < glyphH; row++ {
			for colI := 0; colI < glyphW; colI++ {
				if g[row][colI] == '#' {
					c.rect(x+colI*scale, y+dy+row*scale, x+(colI+1)*scale, y+dy+(row+1)*scale, col)
				}
			}
		}
		x += (glyphW + 1) * scale
	}
}

// writeChart draws the median wall times of every row and tool as grouped bars on a
// logarithmic axis, with a legend, as a PNG.
func writeChart(w io.Writer, t table, title string) error {
	rows := t.rows()
	const (
		scale  = 2
		barW   = 22
		gap    = 26
		left   = 110
		top    = 80
		plotH  = 380
		bottom = 70
		right  = 30
	)
	groupW := len(tools)*barW + gap
	width := left + max(1, len(rows))*groupW + right
	width = max(width, left+textWidth(title, scale)+right, 760)
	height := top + plotH + bottom
	c := canvas{image.NewRGBA(image.Rect(0, 0, width, height))}
	c.rect(0, 0, width, height, colorBG)

	var values []float64
	for _, k := range rows {
		for _, tool := range tools {
			values = append(values, t.medianWall(k, tool))
		}
	}
	lo, hi := logRange(values)
	yOf := func(v float64) int {
		f := (math.Log10(v) - math.Log10(lo)) / (math.Log10(hi) - math.Log10(lo))
		return top + plotH - int(math.Round(f*plotH))
	}

	c.text(left, 14, title, scale, colorInk)
	// Legend.
	x := left
	for i, tool := range tools {
		c.rect(x, 44, x+14, 58, toolColors[i])
		c.text(x+20, 45, tool, scale, colorInk)
		x += 20 + textWidth(tool, scale) + 40
	}
	// Decade grid lines and labels.
	for v := lo; v <= hi*1.0001; v *= 10 {
		y := yOf(v)
		c.rect(left, y, width-right, y+1, colorGrid)
		lbl := decadeLabel(v)
		c.text(left-10-textWidth(lbl, scale), y-glyphH*scale/2, lbl, scale, colorInk)
	}
	// Axes.
	c.rect(left, top, left+1, top+plotH+1, colorInk)
	c.rect(left, top+plotH, width-right, top+plotH+1, colorInk)
	// Bars.
	for gi, k := range rows {
		gx := left + gap/2 + gi*groupW
		for ti, tool := range tools {
			v := t.medianWall(k, tool)
			if !(v > 0) {
				continue
			}
			y := yOf(v)
			bx := gx + ti*barW
			c.rect(bx+1, y, bx+barW-1, top+plotH, toolColors[ti])
		}
		l1, l2 := chartLabel(k)
		mid := gx + len(tools)*barW/2
		c.text(mid-textWidth(l1, scale)/2, top+plotH+10, l1, scale, colorInk)
		c.text(mid-textWidth(l2, scale)/2, top+plotH+10+(glyphH+descent+2)*scale, l2, scale, colorInk)
	}
	return png.Encode(w, c.img)
}

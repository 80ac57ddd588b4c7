package main

import (
	"fmt"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Colors of the three tools, in tools order, and of the chart's furniture.
var (
	toolColors = []color.RGBA{
		{0x4c, 0x72, 0xb0, 0xff}, // go build: blue
		{0xdd, 0x84, 0x52, 0xff}, // rules_go: orange
		{0x55, 0xa8, 0x68, 0xff}, // go_plugin: green
	}
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
	return math.Pow10(int(l)), math.Pow10(int(h))
}

// decadeTicks are plot.LogTicks between min and max, with the lowest decade's label.
// LogTicks starts at 10^int(log10(min)), and math.Log10(0.1) is -0.9999999999999999, so
// for min = 0.1 it would start at 1, leaving the bottom of the axis without a label.
type decadeTicks struct{ plot.LogTicks }

func (d decadeTicks) Ticks(min, max float64) []plot.Tick {
	const eps = 1e-9
	var ticks []plot.Tick
	for _, t := range d.LogTicks.Ticks(min*(1-eps), max) {
		if t.Value >= min*(1-eps) && t.Value <= max*(1+eps) {
			ticks = append(ticks, t)
		}
	}
	return ticks
}

// baseline is the X axis line, drawn as the last plotter: the grid line of the lowest
// decade would cover the axis' own line.
type baseline draw.LineStyle

func (l baseline) Plot(c draw.Canvas, _ *plot.Plot) {
	c.StrokeLine2(draw.LineStyle(l), c.Min.X, c.Min.Y, c.Max.X, c.Min.Y)
}

// The chart's geometry, in pixels at chartDPI: its width grows with the rows like the bars'.
const (
	chartDPI    = 96
	chartBarPx  = 22 // one bar, the pitch of the bars in a group
	chartGapPx  = 26 // between groups
	chartSidePx = 140
	chartMinPx  = 760
	chartHPx    = 530
)

// px is a length of n pixels.
func px(n float64) vg.Length { return vg.Length(n * 72 / chartDPI) }

// textStyle is the chart's text in Liberation Sans of a size in points.
func textStyle(size vg.Length) text.Style {
	return text.Style{
		Color:   colorInk,
		Font:    font.From(font.Font{Typeface: "Liberation", Variant: "Sans"}, size),
		Handler: plot.DefaultTextHandler,
	}
}

// writeChart draws the median wall times of every row and tool as grouped bars on a
// logarithmic axis, with a legend, as a PNG.
func writeChart(w io.Writer, t table, title string) error {
	rows := t.rows()
	var values []float64
	for _, k := range rows {
		for _, tool := range tools {
			values = append(values, t.medianWall(k, tool))
		}
	}
	lo, hi := logRange(values)

	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle = textStyle(14)
	p.Title.TextStyle.XAlign, p.Title.TextStyle.YAlign = draw.XCenter, draw.YTop

	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = decadeTicks{plot.LogTicks{Prec: -1}}
	p.Y.Min, p.Y.Max = lo, hi
	p.Y.Label.Text = "seconds"
	p.Y.Label.TextStyle = textStyle(12)
	p.Y.Label.TextStyle.XAlign, p.Y.Label.TextStyle.YAlign = draw.XCenter, draw.YBottom
	p.Y.Tick.Label = textStyle(11)
	p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
	p.Y.LineStyle = draw.LineStyle{Color: colorInk, Width: px(1)}
	p.Y.Tick.LineStyle = p.Y.LineStyle
	p.Y.Padding = 0

	// Row labels: one per group of bars, centered at x = 0, 1, …
	ticks := make([]plot.Tick, len(rows))
	for i, k := range rows {
		l1, l2 := chartLabel(k)
		ticks[i] = plot.Tick{Value: float64(i), Label: l1 + "\n" + l2}
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Tick.Label = textStyle(11)
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XCenter, draw.YTop
	p.X.Tick.Length = px(5)
	p.X.Tick.LineStyle = p.Y.LineStyle
	p.X.Width = 0 // see baseline
	p.X.Padding = 0

	grid := plotter.NewGrid()
	grid.Vertical.Color = nil
	grid.Horizontal = draw.LineStyle{Color: colorGrid, Width: px(1)}
	p.Add(grid)

	// Bars stand on the bottom of the axis: a log axis has no 0 to start them from. Each
	// tool's bars are stacked on an invisible one of height lo, so bar i ends at its value.
	// An empty table still gets (empty) bars, for the legend: a BarChart needs a value.
	n := max(1, len(rows))
	base := make(plotter.Values, n)
	for i := range base {
		base[i] = lo
	}
	width := px(chartBarPx - 2)
	baseBars, err := plotter.NewBarChart(base, width)
	if err != nil {
		return err
	}
	var toolBars []*plotter.BarChart
	for ti, tool := range tools {
		vs := make(plotter.Values, n)
		for i, k := range rows {
			// No sample (NaN) or no time: an empty bar.
			if v := t.medianWall(k, tool); v > lo {
				vs[i] = v - lo
			}
		}
		bars, err := plotter.NewBarChart(vs, width)
		if err != nil {
			return err
		}
		bars.StackOn(baseBars)
		bars.Offset = px(chartBarPx * (float64(ti) - float64(len(tools)-1)/2))
		bars.Color = toolColors[ti%len(toolColors)]
		bars.LineStyle.Width = 0
		p.Add(bars)
		toolBars = append(toolBars, bars)
	}
	p.Add(baseline(p.Y.LineStyle))
	// Plot.Add widened the axes to the data; keep the decades and the groups.
	p.Y.Min, p.Y.Max = lo, hi
	p.X.Min, p.X.Max = -0.5, float64(n)-0.5

	// The legend is one row between the title and the plot: plot.Legend stacks its
	// entries, so each tool gets one.
	legendSty := textStyle(12)
	rowH := legendSty.Height("M") * 1.3
	p.Title.Padding = rowH + px(14)

	groupPx := float64(len(tools)*chartBarPx + chartGapPx)
	wPx := max(chartSidePx+float64(n)*groupPx, chartMinPx,
		float64(p.Title.TextStyle.Width(title)*chartDPI/72)+40)
	img := vgimg.NewWith(vgimg.UseWH(px(wPx), px(chartHPx)), vgimg.UseDPI(chartDPI))
	c := draw.Crop(draw.New(img), px(8), -px(12), px(6), -px(10))
	p.Draw(c)

	entries := make([]plot.Legend, len(toolBars))
	var total vg.Length
	for i := range entries {
		entries[i] = plot.NewLegend()
		entries[i].TextStyle = legendSty
		entries[i].Top, entries[i].Left = true, true
		entries[i].ThumbnailWidth = px(16)
		entries[i].Add(tools[i], toolBars[i])
		total += entries[i].Rectangle(c).Size().X
	}
	gap := px(36)
	total += gap * vg.Length(len(entries)-1)
	x := c.Center().X - total/2
	top := c.Max.Y - p.Title.TextStyle.Height(title) - px(8)
	for i := range entries {
		lc := c
		lc.Min.X, lc.Max.Y = x, top
		entries[i].Draw(lc)
		x += entries[i].Rectangle(c).Size().X + gap
	}

	_, err = vgimg.PngCanvas{Canvas: img}.WriteTo(w)
	return err
}

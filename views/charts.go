package views

import (
	"strconv"
)

// Bar is one bar of a chart: its value, how the value reads ("12",
// "85 %"), its axis label, and the filtered list behind it.
type Bar struct {
	Label  string // axis label ("07/12")
	Value  float64
	Text   string // the value as shown ("1.234", "85 %")
	Href   string // the list of exactly the rows the bar counts
	Detail string // the tooltip and accessible name ("07/12/2026: 12 pedidos")
}

// BarChart is a server-rendered SVG bar chart, readable without JavaScript:
// a <title> and <desc> for screen readers, every bar a link.
type BarChart struct {
	ID    string // unique on the page (ids of its title and desc)
	Title string
	Desc  string
	Bars  []Bar
	Max   float64 // the value axis' top; 0: the largest bar
}

// Chart geometry, in the SVG's own units (it scales to the page width).
const (
	chartW      = 720
	chartH      = 220
	chartLeft   = 40
	chartBottom = 36
	chartTop    = 14
)

func (c BarChart) top() float64 {
	m := c.Max
	for _, b := range c.Bars {
		if b.Value > m {
			m = b.Value
		}
	}
	if m <= 0 {
		m = 1
	}
	return m
}

func (c BarChart) slot() float64 {
	if len(c.Bars) == 0 {
		return 1
	}
	return float64(chartW-chartLeft) / float64(len(c.Bars))
}

func (c BarChart) barX(i int) string {
	return fnum(chartLeft + float64(i)*c.slot() + c.slot()*0.15)
}

func (c BarChart) barW() string { return fnum(c.slot() * 0.7) }

func (c BarChart) plotH() float64 { return chartH - chartBottom - chartTop }

func (c BarChart) barH(b Bar) float64 {
	h := b.Value / c.top() * c.plotH()
	if b.Value > 0 && h < 1 {
		h = 1
	}
	return h
}

func (c BarChart) barY(b Bar) string { return fnum(chartTop + c.plotH() - c.barH(b)) }

func (c BarChart) barHS(b Bar) string { return fnum(c.barH(b)) }

func (c BarChart) labelX(i int) string { return fnum(chartLeft + float64(i)*c.slot() + c.slot()/2) }

// showLabel thins the axis labels of long charts to about 10.
func (c BarChart) showLabel(i int) bool {
	step := (len(c.Bars) + 9) / 10
	if step < 1 {
		step = 1
	}
	return (len(c.Bars)-1-i)%step == 0
}

// showValues writes each bar's value above it when the bars are wide enough.
func (c BarChart) showValues() bool { return len(c.Bars) <= 16 }

func (c BarChart) valueY(b Bar) string { return fnum(chartTop + c.plotH() - c.barH(b) - 3) }

func (c BarChart) axisY() string { return fnum(chartTop + c.plotH()) }

func (c BarChart) labelY() string { return fnum(chartTop + c.plotH() + 16) }

func (c BarChart) viewBox() string { return "0 0 " + strconv.Itoa(chartW) + " " + strconv.Itoa(chartH) }

func fnum(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

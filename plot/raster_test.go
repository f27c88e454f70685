package plot

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// markerCentres reads back, from an SVG Timeline wrote, the centre (in SVG
// units, lane translation added) and colour of every filled point marker.
func markerCentres(t *testing.T, svg string) (xs, ys []float64, cols []string) {
	t.Helper()
	laneRe := regexp.MustCompile(`<g class="lane" id="[^"]*" transform="translate\(0 ([0-9.]+)\)">`)
	ptRe := regexp.MustCompile(`<g class="point"[^>]*><circle cx="([0-9.]+)" cy="([0-9.]+)" r="3.5" fill="(#[0-9A-Fa-f]{6})">`)
	lanes := laneRe.FindAllStringSubmatchIndex(svg, -1)
	for i, l := range lanes {
		end := len(svg)
		if i+1 < len(lanes) {
			end = lanes[i+1][0]
		}
		dy, _ := strconv.ParseFloat(svg[l[2]:l[3]], 64)
		for _, m := range ptRe.FindAllStringSubmatch(svg[l[1]:end], -1) {
			x, _ := strconv.ParseFloat(m[1], 64)
			y, _ := strconv.ParseFloat(m[2], 64)
			xs, ys, cols = append(xs, x), append(ys, y+dy), append(cols, m[3])
		}
	}
	return xs, ys, cols
}

func near(c color.Color, hex string, tol int) bool {
	p, _ := paint(hex, "")
	r, g, b, _ := c.RGBA()
	d := func(a uint32, b uint8) int {
		v := int(a>>8) - int(b)
		if v < 0 {
			return -v
		}
		return v
	}
	return d(r, p.R) <= tol && d(g, p.G) <= tol && d(b, p.B) <= tol
}

// The PNG of the demo timeline has the SVG's size times the scale, and a
// pixel of each filled marker's colour where the SVG puts its centre
// (read back from the SVG), while a pixel 20 units to the right of the
// plotting area is background.
func TestTimelinePNG(t *testing.T) {
	lanes, spans, marks := demoTimeline()
	svg := Timeline(lanes, spans, marks, TimelineOptions{XLabel: "days from diagnosis"})
	var b bytes.Buffer
	if err := PNG(&b, svg, 2); err != nil {
		t.Fatal(err)
	}
	if p := os.Getenv("LSC_WRITE_FIGURES"); p != "" {
		os.WriteFile(p+"/timeline.png", b.Bytes(), 0o644)
	}
	img, err := png.Decode(&b)
	if err != nil {
		t.Fatal(err)
	}
	wh := regexp.MustCompile(`width="([0-9.]+)" height="([0-9.]+)"`).FindStringSubmatch(svg)
	w, _ := strconv.ParseFloat(wh[1], 64)
	h, _ := strconv.ParseFloat(wh[2], 64)
	if img.Bounds() != image.Rect(0, 0, int(2*w+0.999), int(2*h+0.999)) {
		t.Errorf("size %v, SVG %gx%g at scale 2", img.Bounds(), w, h)
	}
	xs, ys, cols := markerCentres(t, svg)
	if len(xs) != 10 { // demoTimeline: 4 blood (the fifth is below the limit: a triangle), 3 stem-cell, 3 FISH
		t.Fatalf("%d filled markers read back from the SVG, want 10", len(xs))
	}
	checked := 0
	for i := range xs {
		covered := false // a marker drawn later within 8 units covers this one, in the SVG too
		for j := i + 1; j < len(xs); j++ {
			covered = covered || (xs[j]-xs[i])*(xs[j]-xs[i])+(ys[j]-ys[i])*(ys[j]-ys[i]) < 64
		}
		if covered {
			continue
		}
		checked++
		if c := img.At(int(2*xs[i]), int(2*ys[i])); !near(c, cols[i], 40) {
			t.Errorf("marker %d at (%g, %g): pixel %v, SVG colour %s", i, xs[i], ys[i], c, cols[i])
		}
	}
	if checked < 8 {
		t.Errorf("only %d markers checked", checked)
	}
	if c := img.At(int(2*(w-5)), int(2*ys[0])); !near(c, "#ffffff", 8) {
		t.Errorf("background at the right edge: %v", c)
	}
}

// Every element and attribute the package writes is understood; bad
// input is an error, not a panic.
func TestRasterErrors(t *testing.T) {
	for _, bad := range []string{"", "<svg>", `<svg width="0" height="10"></svg>`, `<rect/>`, `<svg width="10" height="10"><svg width="1" height="1"></svg></svg>`} {
		if _, err := Raster(bad, 1); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	if _, err := Raster(`<svg width="10" height="10"></svg>`, 0); err == nil || !strings.Contains(err.Error(), "scale") {
		t.Errorf("scale 0: %v", err)
	}
	img, err := Raster(`<svg width="10" height="10"><rect x="2" y="2" width="6" height="6" fill="#0072B2"/><path d="M0 0H10" stroke="#D55E00" stroke-width="2"/></svg>`, 1)
	if err != nil {
		t.Fatal(err)
	}
	hidden, _ := Raster(`<svg width="10" height="10"><text x="0" y="9" font-size="12" visibility="hidden">WWW</text></svg>`, 1)
	for x := 0; x < 10; x++ {
		if !near(hidden.At(x, 6), "#ffffff", 2) {
			t.Errorf("hidden text drawn at (%d, 6): %v", x, hidden.At(x, 6))
		}
	}
	if !near(img.At(5, 5), "#0072B2", 2) || !near(img.At(5, 0), "#D55E00", 2) || !near(img.At(0, 9), "#ffffff", 2) {
		t.Errorf("rect/path pixels %v %v %v", img.At(5, 5), img.At(5, 0), img.At(0, 9))
	}
}

// BenchmarkTimelinePNG: the demo timeline (2 lanes, 960 units wide) as a
// PNG at scale 2 (bench/README.md lists the measured time).
func BenchmarkTimelinePNG(b *testing.B) {
	lanes, spans, marks := demoTimeline()
	svg := Timeline(lanes, spans, marks, TimelineOptions{XLabel: "days from diagnosis"})
	var buf bytes.Buffer
	for i := 0; i < b.N; i++ {
		buf.Reset()
		if err := PNG(&buf, svg, 2); err != nil {
			b.Fatal(err)
		}
	}
}

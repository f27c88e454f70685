package stats

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// LineFit is an ordinary least-squares fit y = Intercept + Slope*x.
type LineFit struct {
	N         int
	Intercept float64
	Slope     float64
	SlopeSE   float64  // NaN when N < 3
	SlopeCI   Interval // Student-t interval with N-2 df; NaN bounds when N < 3
	Residual  float64  // residual standard error; NaN when N < 3
}

// ErrFit reports a line that cannot be fitted.
var ErrFit = errors.New("stats: a line needs at least two distinct x values")

// FitLine fits y on x by least squares, as R's lm(y ~ x), with confint()'s
// interval for the slope at the given level.
func FitLine(x, y []float64, level float64) (LineFit, error) {
	n := len(x)
	if n != len(y) || n < 2 {
		return LineFit{}, ErrFit
	}
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= float64(n)
	my /= float64(n)
	var sxx, sxy float64
	for i := range x {
		dx := x[i] - mx
		sxx += dx * dx
		sxy += dx * (y[i] - my)
	}
	if sxx == 0 {
		return LineFit{}, ErrFit
	}
	f := LineFit{N: n, Slope: sxy / sxx}
	f.Intercept = my - f.Slope*mx
	f.SlopeSE, f.Residual = math.NaN(), math.NaN()
	f.SlopeCI = Interval{math.NaN(), math.NaN()}
	if n >= 3 {
		var sse float64
		for i := range x {
			r := y[i] - f.Intercept - f.Slope*x[i]
			sse += r * r
		}
		df := float64(n - 2)
		f.Residual = math.Sqrt(sse / df)
		f.SlopeSE = f.Residual / math.Sqrt(sxx)
		t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(1 - (1-level)/2)
		f.SlopeCI = Interval{f.Slope - t*f.SlopeSE, f.Slope + t*f.SlopeSE}
	}
	return f, nil
}

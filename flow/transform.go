// Package flow compensates, transforms and gates flow cytometry events.
//
// Transforms follow the Gating-ML 2.0 specification (Spidlen et al.,
// Cytometry A 2015;87:683), section 5:
//   - flin(x; T, A) = (x + A) / (T + A)
//   - flog(x; T, M) = log10(x / T) / M + 1
//   - fasinh(x; T, M, A) = (asinh(x sinh(M ln10) / T) + A ln10) / ((M + A) ln10)
//   - logicle(x; T, W, M, A): the y with B(y) = x for the biexponential
//     B(y) = a e^(b y) - c e^(-d y) - f (Parks, Roederer & Moore, Cytometry A
//     2006;69:541), solved as in the reference implementation of Moore &
//     Parks (Cytometry A 2012;81:273): Taylor series near zero, Halley's
//     method elsewhere, d from 2(ln d - ln b) + w(b + d) = 0 by safeguarded
//     Newton steps.
//   - hyperlog(x; T, W, M, A): the y with a e^(b y) + c y - f = x (Bagwell,
//     Cytometry A 2005;64:34), solved the same way.
//   - fratio(x1, x2; A, B, C) = A (x1 - B) / (x2 - C).
package flow

import (
	"fmt"
	"math"
)

// Transform maps a value onto a display scale.
type Transform interface {
	Apply(x float64) float64
	Inverse(y float64) float64
	String() string
}

// Linear is Gating-ML flin.
type Linear struct{ T, A float64 }

func (t Linear) Apply(x float64) float64   { return (x + t.A) / (t.T + t.A) }
func (t Linear) Inverse(y float64) float64 { return y*(t.T+t.A) - t.A }
func (t Linear) String() string            { return fmt.Sprintf("linear:T=%g,A=%g", t.T, t.A) }

// Log is Gating-ML flog.
type Log struct{ T, M float64 }

func (t Log) Apply(x float64) float64   { return math.Log10(x/t.T)/t.M + 1 }
func (t Log) Inverse(y float64) float64 { return t.T * math.Pow(10, (y-1)*t.M) }
func (t Log) String() string            { return fmt.Sprintf("log:T=%g,M=%g", t.T, t.M) }

// Asinh is Gating-ML fasinh.
type Asinh struct{ T, M, A float64 }

func (t Asinh) Apply(x float64) float64 {
	return (math.Asinh(x*math.Sinh(t.M*math.Ln10)/t.T) + t.A*math.Ln10) / ((t.M + t.A) * math.Ln10)
}
func (t Asinh) Inverse(y float64) float64 {
	return t.T * math.Sinh(y*(t.M+t.A)*math.Ln10-t.A*math.Ln10) / math.Sinh(t.M*math.Ln10)
}
func (t Asinh) String() string { return fmt.Sprintf("asinh:T=%g,M=%g,A=%g", t.T, t.M, t.A) }

const taylorLen = 16

// Logicle is the Gating-ML logicle transform with its constants precomputed.
type Logicle struct {
	T, W, M, A    float64
	a, b, c, d, f float64
	w, x0, x1, x2 float64
	xTaylor       float64
	taylor        [taylorLen]float64
}

// NewLogicle checks the parameters and precomputes the biexponential.
func NewLogicle(T, W, M, A float64) (*Logicle, error) {
	switch {
	case !(T > 0):
		return nil, fmt.Errorf("logicle: T must be positive (got %g)", T)
	case !(W >= 0):
		return nil, fmt.Errorf("logicle: W must not be negative (got %g)", W)
	case !(M > 0):
		return nil, fmt.Errorf("logicle: M must be positive (got %g)", M)
	case 2*W > M:
		return nil, fmt.Errorf("logicle: W (%g) is too large for M (%g)", W, M)
	case -A > W || A+W > M-W:
		return nil, fmt.Errorf("logicle: A (%g) is out of range for W %g, M %g", A, W, M)
	}
	l := &Logicle{T: T, W: W, M: M, A: A}
	l.w = W / (M + A)
	l.x2 = A / (M + A)
	l.x1 = l.x2 + l.w
	l.x0 = l.x2 + 2*l.w
	l.b = (M + A) * math.Ln10
	l.d = solveD(l.b, l.w)
	ca := math.Exp(l.x0 * (l.b + l.d))
	mfa := math.Exp(l.b*l.x1) - ca/math.Exp(l.d*l.x1)
	l.a = T / ((math.Exp(l.b) - mfa) - ca/math.Exp(l.d))
	l.c = ca * l.a
	l.f = -mfa * l.a
	l.xTaylor = l.x1 + l.w/4
	pos := l.a * math.Exp(l.b*l.x1)
	neg := -l.c / math.Exp(l.d*l.x1)
	for i := 0; i < taylorLen; i++ {
		pos *= l.b / float64(i+1)
		neg *= -l.d / float64(i+1)
		l.taylor[i] = pos + neg
	}
	l.taylor[1] = 0 // exactly zero by the logicle condition
	return l, nil
}

// solveD finds d > 0 with 2(ln d - ln b) + w(b + d) = 0 (d = b when w = 0).
func solveD(b, w float64) float64 {
	if w == 0 {
		return b
	}
	tol := 2 * b * 2.220446049250313e-16
	lo, hi := 0.0, b
	d := (lo + hi) / 2
	lastDelta := hi - lo
	fb := -2*math.Log(b) + w*b
	f := 2*math.Log(d) + w*d + fb
	lastF := math.NaN()
	for i := 1; i < 40; i++ {
		df := 2/d + w
		var delta float64
		if ((d-hi)*df-f)*((d-lo)*df-f) >= 0 || math.Abs(1.9*f) > math.Abs(lastDelta*df) {
			delta = (hi - lo) / 2
			d = lo + delta
			if d == lo {
				return d
			}
		} else {
			delta = f / df
			prev := d
			d -= delta
			if d == prev {
				return d
			}
		}
		if math.Abs(delta) < tol {
			return d
		}
		lastDelta = delta
		f = 2*math.Log(d) + w*d + fb
		if f == 0 || f == lastF {
			return d
		}
		lastF = f
		if f < 0 {
			lo = d
		} else {
			hi = d
		}
	}
	return d
}

func (l *Logicle) series(scale float64) float64 {
	x := scale - l.x1
	sum := l.taylor[taylorLen-1] * x
	for i := taylorLen - 2; i >= 2; i-- {
		sum = (sum + l.taylor[i]) * x
	}
	return (sum*x + l.taylor[0]) * x
}

// Apply maps a data value to the logicle scale.
func (l *Logicle) Apply(value float64) float64 {
	if value == 0 {
		return l.x1
	}
	neg := value < 0
	if neg {
		value = -value
	}
	var x float64
	if value < l.f {
		x = l.x1 + value/l.taylor[0]
	} else {
		x = math.Log(value/l.a) / l.b
	}
	tol := 3 * 2.220446049250313e-16
	if x > 1 {
		tol = 3 * x * 2.220446049250313e-16
	}
	for i := 0; i < 40; i++ {
		ae := l.a * math.Exp(l.b*x)
		ce := l.c / math.Exp(l.d*x)
		var y float64
		if x < l.xTaylor {
			y = l.series(x) - value
		} else {
			y = (ae + l.f) - (ce + value)
		}
		dy := l.b*ae + l.d*ce
		ddy := l.b*l.b*ae - l.d*l.d*ce
		delta := y / (dy * (1 - y*ddy/(2*dy*dy)))
		x -= delta
		if math.Abs(delta) < tol {
			break
		}
	}
	if neg {
		return 2*l.x1 - x
	}
	return x
}

// Inverse maps a logicle-scale value back to data.
func (l *Logicle) Inverse(scale float64) float64 {
	neg := scale < l.x1
	if neg {
		scale = 2*l.x1 - scale
	}
	var v float64
	if scale < l.xTaylor {
		v = l.series(scale)
	} else {
		v = (l.a*math.Exp(l.b*scale) + l.f) - l.c/math.Exp(l.d*scale)
	}
	if neg {
		return -v
	}
	return v
}

func (l *Logicle) String() string {
	return fmt.Sprintf("logicle:T=%g,W=%g,M=%g,A=%g", l.T, l.W, l.M, l.A)
}

// Hyperlog is the Gating-ML hyperlog transform.
type Hyperlog struct {
	T, W, M, A    float64
	a, b, c, f    float64
	w, x0, x1, x2 float64
	xTaylor       float64
	guess         float64
	taylor        [taylorLen]float64
}

// NewHyperlog checks the parameters and precomputes the transform.
func NewHyperlog(T, W, M, A float64) (*Hyperlog, error) {
	if !(T > 0) || !(W > 0) || !(M > 0) || 2*W > M || -A > W || A+W > M-W {
		return nil, fmt.Errorf("hyperlog: invalid parameters T=%g W=%g M=%g A=%g", T, W, M, A)
	}
	h := &Hyperlog{T: T, W: W, M: M, A: A}
	h.w = W / (M + A)
	h.x2 = A / (M + A)
	h.x1 = h.x2 + h.w
	h.x0 = h.x2 + 2*h.w
	h.b = (M + A) * math.Ln10
	e0 := math.Exp(h.b * h.x0)
	ca := e0 / h.w
	fa := math.Exp(h.b*h.x1) + ca*h.x1
	h.a = T / (math.Exp(h.b) + ca - fa)
	h.c = ca * h.a
	h.f = fa * h.a
	h.xTaylor = h.x1 + h.w/4
	coef := h.a * math.Exp(h.b*h.x1)
	for i := 0; i < taylorLen; i++ {
		coef *= h.b / float64(i+1)
		h.taylor[i] = coef
	}
	h.taylor[0] += h.c
	h.guess = h.Inverse(h.x0) // data value at x0: where the log guess becomes good
	return h, nil
}

func (h *Hyperlog) series(scale float64) float64 {
	x := scale - h.x1
	sum := h.taylor[taylorLen-1] * x
	for i := taylorLen - 2; i >= 0; i-- {
		sum = (sum + h.taylor[i]) * x
	}
	return sum
}

// Apply maps a data value to the hyperlog scale.
func (h *Hyperlog) Apply(value float64) float64 {
	if value == 0 {
		return h.x1
	}
	neg := value < 0
	if neg {
		value = -value
	}
	var x float64
	if value < h.guess {
		x = h.x1 + value*h.w/h.guess
	} else {
		x = math.Log(value/h.a) / h.b
	}
	tol := 3 * 2.220446049250313e-16
	if x > 1 {
		tol = 3 * x * 2.220446049250313e-16
	}
	for i := 0; i < 40; i++ {
		ae := h.a * math.Exp(h.b*x)
		var y float64
		if x < h.xTaylor {
			y = h.series(x) - value
		} else {
			y = (ae + h.c*x) - (h.f + value)
		}
		dy := h.b*ae + h.c
		ddy := h.b * h.b * ae
		delta := y / (dy * (1 - y*ddy/(2*dy*dy)))
		x -= delta
		if math.Abs(delta) < tol {
			break
		}
	}
	if neg {
		return 2*h.x1 - x
	}
	return x
}

// Inverse maps a hyperlog-scale value back to data.
func (h *Hyperlog) Inverse(scale float64) float64 {
	neg := scale < h.x1
	if neg {
		scale = 2*h.x1 - scale
	}
	var v float64
	if scale < h.xTaylor {
		v = h.series(scale)
	} else {
		v = (h.a*math.Exp(h.b*scale) + h.c*scale) - h.f
	}
	if neg {
		return -v
	}
	return v
}

func (h *Hyperlog) String() string {
	return fmt.Sprintf("hyperlog:T=%g,W=%g,M=%g,A=%g", h.T, h.W, h.M, h.A)
}

// Ratio is Gating-ML fratio on two dimensions.
type Ratio struct {
	A, B, C float64
	X, Y    string // numerator and denominator dimension names
}

// Of returns A (x - B) / (y - C).
func (r Ratio) Of(x, y float64) float64 { return r.A * (x - r.B) / (y - r.C) }

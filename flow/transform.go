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

// biex is what logicle and hyperlog share (Moore & Parks 2012 solve both
// the same way): the scale constants, a Taylor series about x1 for values
// near zero, and Halley's method on the closed form elsewhere. The closed
// forms differ: logicle B(x) = a e^(bx) - c e^(-dx) - f, hyperlog
// H(x) = a e^(bx) + c x - f.
type biex struct {
	T, W, M, A    float64
	a, b, c, d, f float64
	w, x0, x1, x2 float64
	xTaylor       float64
	taylor        [taylorLen]float64
	hyper         bool    // hyperlog (else logicle)
	guess         float64 // below this data value the first guess is linear
}

// scale sets w, x0, x1, x2, b and xTaylor from T, W, M, A.
func (p *biex) scale() {
	p.w = p.W / (p.M + p.A)
	p.x2 = p.A / (p.M + p.A)
	p.x1 = p.x2 + p.w
	p.x0 = p.x2 + 2*p.w
	p.b = (p.M + p.A) * math.Ln10
	p.xTaylor = p.x1 + p.w/4
}

// series is the Taylor series of the data value about x1.
func (p *biex) series(scale float64) float64 {
	x := scale - p.x1
	sum := p.taylor[taylorLen-1] * x
	for i := taylorLen - 2; i >= 0; i-- {
		sum = (sum + p.taylor[i]) * x
	}
	return sum
}

// closed returns the data value at scale x as pos - neg, with the first
// and second derivatives.
func (p *biex) closed(x float64) (pos, neg, dy, ddy float64) {
	ae := p.a * math.Exp(p.b*x)
	if p.hyper {
		return ae + p.c*x, p.f, p.b*ae + p.c, p.b * p.b * ae
	}
	ce := p.c / math.Exp(p.d*x)
	return ae + p.f, ce, p.b*ae + p.d*ce, p.b*p.b*ae - p.d*p.d*ce
}

// apply maps a data value to the scale by Halley's method.
func (p *biex) apply(value float64) float64 {
	if value == 0 {
		return p.x1
	}
	neg := value < 0
	if neg {
		value = -value
	}
	var x float64
	switch {
	case value < p.guess && p.hyper:
		x = p.x1 + value*p.w/p.guess
	case value < p.guess:
		x = p.x1 + value/p.taylor[0]
	default:
		x = math.Log(value/p.a) / p.b
	}
	tol := 3 * 2.220446049250313e-16
	if x > 1 {
		tol = 3 * x * 2.220446049250313e-16
	}
	for i := 0; i < 40; i++ {
		pos, ng, dy, ddy := p.closed(x)
		var y float64
		if x < p.xTaylor {
			y = p.series(x) - value
		} else {
			y = pos - (ng + value)
		}
		delta := y / (dy * (1 - y*ddy/(2*dy*dy)))
		x -= delta
		if math.Abs(delta) < tol {
			break
		}
	}
	if neg {
		return 2*p.x1 - x
	}
	return x
}

// inverse maps a scale value back to data.
func (p *biex) inverse(scale float64) float64 {
	neg := scale < p.x1
	if neg {
		scale = 2*p.x1 - scale
	}
	var v float64
	if scale < p.xTaylor {
		v = p.series(scale)
	} else {
		pos, ng, _, _ := p.closed(scale)
		v = pos - ng
	}
	if neg {
		return -v
	}
	return v
}

// Logicle is the Gating-ML logicle transform with its constants precomputed.
type Logicle struct{ biex }

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
	l := &Logicle{biex{T: T, W: W, M: M, A: A}}
	l.scale()
	l.d = solveD(l.b, l.w)
	ca := math.Exp(l.x0 * (l.b + l.d))
	mfa := math.Exp(l.b*l.x1) - ca/math.Exp(l.d*l.x1)
	l.a = T / ((math.Exp(l.b) - mfa) - ca/math.Exp(l.d))
	l.c = ca * l.a
	l.f = -mfa * l.a
	pos := l.a * math.Exp(l.b*l.x1)
	neg := -l.c / math.Exp(l.d*l.x1)
	for i := 0; i < taylorLen; i++ {
		pos *= l.b / float64(i+1)
		neg *= -l.d / float64(i+1)
		l.taylor[i] = pos + neg
	}
	l.taylor[1] = 0 // exactly zero by the logicle condition
	l.guess = l.f
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

// Apply maps a data value to the logicle scale.
func (l *Logicle) Apply(value float64) float64 { return l.apply(value) }

// Inverse maps a logicle-scale value back to data.
func (l *Logicle) Inverse(scale float64) float64 { return l.inverse(scale) }

func (l *Logicle) String() string {
	return fmt.Sprintf("logicle:T=%g,W=%g,M=%g,A=%g", l.T, l.W, l.M, l.A)
}

// Hyperlog is the Gating-ML hyperlog transform.
type Hyperlog struct{ biex }

// NewHyperlog checks the parameters and precomputes the transform.
func NewHyperlog(T, W, M, A float64) (*Hyperlog, error) {
	if !(T > 0) || !(W > 0) || !(M > 0) || 2*W > M || -A > W || A+W > M-W {
		return nil, fmt.Errorf("hyperlog: invalid parameters T=%g W=%g M=%g A=%g", T, W, M, A)
	}
	h := &Hyperlog{biex{T: T, W: W, M: M, A: A, hyper: true}}
	h.scale()
	e0 := math.Exp(h.b * h.x0)
	ca := e0 / h.w
	fa := math.Exp(h.b*h.x1) + ca*h.x1
	h.a = T / (math.Exp(h.b) + ca - fa)
	h.c = ca * h.a
	h.f = fa * h.a
	coef := h.a * math.Exp(h.b*h.x1)
	for i := 0; i < taylorLen; i++ {
		coef *= h.b / float64(i+1)
		h.taylor[i] = coef
	}
	h.taylor[0] += h.c
	h.guess = h.inverse(h.x0) // data value at x0: where the log guess becomes good
	return h, nil
}

// Apply maps a data value to the hyperlog scale.
func (h *Hyperlog) Apply(value float64) float64 { return h.apply(value) }

// Inverse maps a hyperlog-scale value back to data.
func (h *Hyperlog) Inverse(scale float64) float64 { return h.inverse(scale) }

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

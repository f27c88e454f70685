package twin

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/lsc-bio/lsc/formats"
	"github.com/lsc-bio/lsc/formats/sheet"
)

// CARTSample is one CAR-T measurement: transgene copies per microgram DNA
// (qPCR) or CAR+ cells per microlitre (flow), on a day from infusion.
type CARTSample struct {
	Line  int
	Day   float64
	Value float64 // NaN when below the limit of quantification
	BLQ   bool
	LLOQ  float64 // NaN when not given
}

// CARTPatient is one patient's CAR-T course, in day order.
type CARTPatient struct {
	ID       string
	Unit     string
	Response string // as given; empty when not given
	Samples  []CARTSample
}

// ReadCART reads a CAR-T kinetics sheet (CSV or TSV): patient, day (days
// from infusion), value and optional lloq, unit and response. A value
// written BLQ, <LLOQ or "<x", or a number below the row's lloq, is below
// the limit of quantification; such rows need an lloq (the censoring limit).
func ReadCART(path string) ([]CARTPatient, error) {
	sh, err := sheet.Read(path)
	if err != nil {
		return nil, err
	}
	return ParseCART(sh)
}

// ParseCART checks a sheet already read.
func ParseCART(sh *sheet.Sheet) ([]CARTPatient, error) {
	req, err := sh.Require("a CAR-T kinetics sheet", "patient", "day", "value")
	if err != nil {
		return nil, err
	}
	cL, cU, cR := sh.Col("lloq"), sh.Col("unit"), sh.Col("response")
	idx := map[string]int{}
	var out []CARTPatient
	for _, r := range sh.Rows {
		bad := func(col, hint, format string, args ...any) error {
			return formats.Errorf(sh.Path, r.Line, col, hint, format, args...)
		}
		id := r.Get(req[0])
		if id == "" {
			return nil, bad("column patient", "give every row a patient identifier", "empty patient")
		}
		day, err := strconv.ParseFloat(r.Get(req[1]), 64)
		if err != nil || math.IsNaN(day) || math.IsInf(day, 0) {
			return nil, bad("column day", "write days from infusion as a number (negative before infusion)", "day %q is not a number", r.Get(req[1]))
		}
		s := CARTSample{Line: r.Line, Day: day, Value: math.NaN(), LLOQ: math.NaN()}
		if v := r.Get(cL); v != "" {
			s.LLOQ, err = strconv.ParseFloat(v, 64)
			if err != nil || !(s.LLOQ > 0) || math.IsInf(s.LLOQ, 0) {
				return nil, bad("column lloq", "give the lower limit of quantification as a positive number", "lloq %q is not a positive number", v)
			}
		}
		raw := strings.TrimSpace(r.Get(req[2]))
		switch low := strings.ToLower(raw); {
		case low == "blq" || low == "<lloq" || low == "bloq" || low == "nd" || low == "undetectable":
			s.BLQ = true
		case strings.HasPrefix(low, "<"):
			v, err := strconv.ParseFloat(strings.TrimSpace(low[1:]), 64)
			if err != nil || !(v > 0) {
				return nil, bad("column value", "write a below-limit value as BLQ (with the lloq column) or <LIMIT", "value %q is not understood", raw)
			}
			s.BLQ = true
			if math.IsNaN(s.LLOQ) {
				s.LLOQ = v
			}
		default:
			v, err := strconv.ParseFloat(raw, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				return nil, bad("column value", "write the level as a non-negative number, or BLQ when below the limit of quantification", "value %q is not a non-negative number", raw)
			}
			if v == 0 || (!math.IsNaN(s.LLOQ) && v < s.LLOQ) {
				s.BLQ = true
			} else {
				s.Value = v
			}
		}
		if s.BLQ && math.IsNaN(s.LLOQ) {
			return nil, bad("column lloq", "give the assay's lower limit of quantification for below-limit rows", "below-limit value without an lloq")
		}
		i, ok := idx[id]
		if !ok {
			i = len(out)
			idx[id] = i
			out = append(out, CARTPatient{ID: id})
		}
		p := &out[i]
		if n := len(p.Samples); n > 0 && day <= p.Samples[n-1].Day {
			return nil, bad("column day", "sort each patient's rows by day and give each day once", "day %s of patient %s is not after day %s on line %d", r.Get(req[1]), id, strconv.FormatFloat(p.Samples[n-1].Day, 'g', -1, 64), p.Samples[n-1].Line)
		}
		if u := r.Get(cU); u != "" {
			if p.Unit != "" && p.Unit != u {
				return nil, bad("column unit", "use one unit per patient", "unit %q differs from %q earlier", u, p.Unit)
			}
			p.Unit = u
		}
		if v := r.Get(cR); v != "" {
			if p.Response != "" && p.Response != v {
				return nil, bad("column response", "give one response per patient", "response %q differs from %q earlier", v, p.Response)
			}
			p.Response = v
		}
		p.Samples = append(p.Samples, s)
	}
	if len(out) == 0 {
		return nil, formats.Errorf(sh.Path, 0, "", "add one row per measurement", "no measurement rows")
	}
	return out, nil
}

func (p CARTPatient) String() string { return fmt.Sprintf("%s (%d samples)", p.ID, len(p.Samples)) }

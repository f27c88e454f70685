package flow

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/lsc-bio/lsc/flow/fcs"
	"github.com/lsc-bio/lsc/formats"
)

// Spillover is a spillover (spectrum) matrix: row i is how fluorochrome i
// appears in each detector. Compensation solves observed = true x M for
// the true values: true = observed x M^-1 (the FCS $SPILLOVER convention;
// Bagwell & Adams 1993). With more detectors than fluorochromes (spectral
// cytometry) the least-squares solution observed x M^T (M M^T)^-1 is used.
type Spillover struct {
	Fluorochromes []string // names of the compensated dimensions
	Detectors     []string // channel names the matrix reads
	M             [][]float64
	Source        string // keyword or file it came from
	inv           *mat.Dense
}

func (s *Spillover) prepare() error {
	nf, nd := len(s.Fluorochromes), len(s.Detectors)
	if nf == 0 || nd < nf || len(s.M) != nf {
		return fmt.Errorf("spillover matrix %s: %d fluorochromes x %d detectors", s.Source, nf, nd)
	}
	m := mat.NewDense(nf, nd, nil)
	for i, row := range s.M {
		if len(row) != nd {
			return fmt.Errorf("spillover matrix %s: row %d has %d values, want %d", s.Source, i+1, len(row), nd)
		}
		m.SetRow(i, row)
	}
	var inv mat.Dense
	if nf == nd {
		if err := inv.Inverse(m); err != nil {
			return fmt.Errorf("spillover matrix %s is singular: %w", s.Source, err)
		}
	} else {
		var mmt, mmti mat.Dense
		mmt.Mul(m, m.T())
		if err := mmti.Inverse(&mmt); err != nil {
			return fmt.Errorf("spectral matrix %s cannot be unmixed: %w", s.Source, err)
		}
		inv.Mul(m.T(), &mmti)
	}
	s.inv = &inv
	return nil
}

// Apply compensates the detector columns of events (row-major, nPar
// columns, detector column indices given) and returns the compensated
// values, one column per fluorochrome, row-major.
func (s *Spillover) Apply(events []float64, nPar int, detCols []int) ([]float64, error) {
	if s.inv == nil {
		if err := s.prepare(); err != nil {
			return nil, err
		}
	}
	nf, nd := len(s.Fluorochromes), len(s.Detectors)
	if len(detCols) != nd {
		return nil, errors.New("flow: detector columns do not match the matrix")
	}
	n := len(events) / nPar
	out := make([]float64, n*nf)
	inv := s.inv.RawMatrix()
	row := make([]float64, nd)
	for e := 0; e < n; e++ {
		for j, c := range detCols {
			row[j] = events[e*nPar+c]
		}
		for k := 0; k < nf; k++ {
			var v float64
			for j := 0; j < nd; j++ {
				v += row[j] * inv.Data[j*inv.Stride+k]
			}
			out[e*nf+k] = v
		}
	}
	return out, nil
}

// SpilloverFromFCS reads the matrix an FCS file carries: $SPILLOVER (FCS
// 3.1), SPILL or $SPILL (BD), $COMP (in the same n,names,values layout), or
// Beckman Coulter $DFCiTOj percentages. It returns nil when there is none.
func SpilloverFromFCS(d *fcs.Dataset) (*Spillover, error) {
	for _, k := range []string{"$SPILLOVER", "SPILL", "$SPILL", "SPILLOVER", "$COMP"} {
		v, ok := d.Keyword(k)
		if !ok || strings.TrimSpace(v) == "" {
			continue
		}
		s, err := parseSpillString(v, d)
		if err != nil {
			return nil, fmt.Errorf("%s keyword %s: %w", d.Path, k, err)
		}
		s.Source = k
		return s, nil
	}
	return dfc(d)
}

func parseSpillString(v string, d *fcs.Dataset) (*Spillover, error) {
	f := strings.Split(v, ",")
	for i := range f {
		f[i] = strings.TrimSpace(f[i])
	}
	n, err := strconv.Atoi(f[0])
	if err != nil || n < 1 || n > 1000 {
		return nil, fmt.Errorf("does not start with the number of channels (%q)", f[0])
	}
	if len(f) != 1+n+n*n {
		return nil, fmt.Errorf("has %d fields; %d channels need %d", len(f), n, 1+n+n*n)
	}
	s := &Spillover{}
	for i := 0; i < n; i++ {
		name := f[1+i]
		// Some writers name channels by number: map to $PnN.
		if k, err := strconv.Atoi(name); err == nil && k >= 1 && k <= len(d.Params) {
			name = d.Params[k-1].N
		}
		s.Fluorochromes = append(s.Fluorochromes, name)
	}
	s.Detectors = append([]string(nil), s.Fluorochromes...)
	for i := 0; i < n; i++ {
		row := make([]float64, n)
		for j := 0; j < n; j++ {
			x, err := strconv.ParseFloat(f[1+n+i*n+j], 64)
			if err != nil {
				return nil, fmt.Errorf("value %q is not a number", f[1+n+i*n+j])
			}
			row[j] = x
		}
		s.M = append(s.M, row)
	}
	return s, nil
}

var dfcKey = regexp.MustCompile(`^\$DFC(\d+)TO(\d+)$`)

func dfc(d *fcs.Dataset) (*Spillover, error) {
	type entry struct {
		i, j int
		v    float64
	}
	var es []entry
	maxCh := 0
	for _, k := range d.Keywords {
		m := dfcKey.FindStringSubmatch(strings.ToUpper(k.Key))
		if m == nil {
			continue
		}
		i, _ := strconv.Atoi(m[1])
		j, _ := strconv.Atoi(m[2])
		v, err := strconv.ParseFloat(strings.TrimSpace(k.Value), 64)
		if err != nil {
			return nil, fmt.Errorf("%s keyword %s: %q is not a number", d.Path, k.Key, k.Value)
		}
		es = append(es, entry{i, j, v})
		maxCh = max(maxCh, i, j)
	}
	if len(es) == 0 {
		return nil, nil
	}
	// $DFCiTOj: percent of fluorochrome i seen in detector j; the channels
	// are the fluorescence parameters in order (FL1, FL2, ...).
	var fl []string
	for _, p := range d.Params {
		u := strings.ToUpper(p.N)
		if strings.HasPrefix(u, "FL") {
			fl = append(fl, p.N)
		}
	}
	if len(fl) < maxCh {
		return nil, fmt.Errorf("%s: $DFC keywords name %d channels but the file has %d FL parameters", d.Path, maxCh, len(fl))
	}
	s := &Spillover{Source: "$DFC", Fluorochromes: fl[:maxCh], Detectors: fl[:maxCh]}
	s.M = make([][]float64, maxCh)
	for i := range s.M {
		s.M[i] = make([]float64, maxCh)
		s.M[i][i] = 1
	}
	for _, e := range es {
		if e.i != e.j {
			s.M[e.i-1][e.j-1] = e.v / 100
		}
	}
	return s, nil
}

// ReadSpillover reads a spillover matrix file: a header line of channel
// names, then one row of numbers per channel (an optional leading row name
// is skipped). Comma, tab or space separated, quoted or not, any line
// endings (FlowJo, flowCore write.table and FlowKit CSV exports).
func ReadSpillover(path string) (*Spillover, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	lines := strings.FieldsFunc(string(b), func(r rune) bool { return r == '\n' || r == '\r' })
	var names []string
	var rows [][]float64
	for ln, line := range lines {
		f := splitFields(line)
		if len(f) == 0 {
			continue
		}
		if names == nil {
			if len(f) >= 2 && !anyNumber(f) && nextIsRow(lines[ln+1:], len(f)) {
				names = f
			}
			continue
		}
		if len(f) == len(names)+1 && !isNumber(f[0]) {
			f = f[1:]
		}
		if len(f) != len(names) {
			return nil, formats.Errorf(path, ln+1, "", "write one row of numbers per channel named in the header", "%d values, the header names %d channels", len(f), len(names))
		}
		row := make([]float64, len(f))
		for i, s := range f {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return nil, formats.Errorf(path, ln+1, "", "matrix values must be numbers", "%q is not a number", s)
			}
			row[i] = v
		}
		rows = append(rows, row)
		if len(rows) == len(names) {
			break
		}
	}
	if names == nil || len(rows) != len(names) {
		return nil, formats.Errorf(path, 0, "", "the file needs a header line of channel names and one row per channel", "found %d names and %d rows", len(names), len(rows))
	}
	s := &Spillover{Fluorochromes: names, Detectors: append([]string(nil), names...), M: rows, Source: path}
	if err := s.prepare(); err != nil {
		return nil, err
	}
	return s, nil
}

func splitFields(line string) []string {
	var f []string
	if strings.ContainsAny(line, ",\t") {
		f = strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == '\t' })
	} else {
		f = strings.Fields(line)
	}
	out := f[:0]
	for _, s := range f {
		s = strings.Trim(strings.TrimSpace(s), `"'`)
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func isNumber(s string) bool { _, err := strconv.ParseFloat(s, 64); return err == nil }

func anyNumber(f []string) bool {
	for _, s := range f {
		if isNumber(s) {
			return true
		}
	}
	return false
}

// nextIsRow reports whether the next non-empty line is a row of n numbers
// (optionally after a row name).
func nextIsRow(lines []string, n int) bool {
	for _, l := range lines {
		f := splitFields(l)
		if len(f) == 0 {
			continue
		}
		if len(f) == n+1 && !isNumber(f[0]) {
			f = f[1:]
		}
		if len(f) != n {
			return false
		}
		for _, s := range f {
			if !isNumber(s) {
				return false
			}
		}
		return true
	}
	return false
}

// Compensate applies sp to scaled (row-major values of d, one column per
// parameter) and returns the compensated values (row-major, one column per
// fluorochrome) with the column of d each detector is read from. It is the
// one place events are compensated: lsc flow events and the gate evaluator
// both call it.
func Compensate(d *fcs.Dataset, scaled []float64, sp *Spillover) ([]float64, []int, error) {
	cols := make([]int, len(sp.Detectors))
	for i, det := range sp.Detectors {
		c, err := d.Channel(det)
		if err != nil {
			return nil, nil, fmt.Errorf("spillover %s: %w", sp.Source, err)
		}
		cols[i] = c
	}
	v, err := sp.Apply(scaled, len(d.Params), cols)
	return v, cols, err
}

// SpilloverFor resolves a compensation choice for d: "none" (nil), "spill"
// or "" (the file's own matrix; nil with a note when it carries none), or
// the path of a matrix file.
func SpilloverFor(d *fcs.Dataset, choice string) (*Spillover, []string, error) {
	switch choice {
	case "none":
		return nil, nil, nil
	case "spill", "":
		sp, err := SpilloverFromFCS(d)
		if err != nil {
			return nil, nil, err
		}
		if sp == nil {
			return nil, []string{"no spillover keyword in the file: values left uncompensated"}, nil
		}
		return sp, nil, nil
	}
	sp, err := ReadSpillover(choice)
	return sp, nil, err
}

package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/lsc-bio/lsc/flow/compartment"
)

// CompartmentPart is one sample of lsc flow compartments as a per-sample job
// (--only) leaves it for the run that gathers the study: the summary row
// without its plots, the sample's page as rendered, the template on its
// panel as Gating-ML (gates.xml when it is the first sample), the notes
// and warnings the measurement printed, and the input's SHA-256.
type CompartmentPart struct {
	Row    CompartmentSample
	Page   []byte
	Gates  []byte
	Notes  []string
	SHA256 string
}

// partFormat names the file format; a part of another format is not read.
const partFormat = "lsc compartment part 1"

type partJSON struct {
	Format   string            `json:"format"`
	Sample   string            `json:"sample"`
	Patient  string            `json:"patient"`
	Time     string            `json:"timepoint"`
	Path     string            `json:"path"`
	SHA256   string            `json:"sha256"`
	Events   int               `json:"events"`
	Counts   []partCount       `json:"counts"`
	Missing  []string          `json:"missing"`
	Warnings []string          `json:"warnings"`
	Channels map[string]string `json:"channels"`
	Notes    []string          `json:"notes"`
	Gates    string            `json:"gates_xml"`
	Page     string            `json:"page_html"`
}

type partCount struct {
	ID       string              `json:"id"`
	Path     string              `json:"path"`
	Count    int                 `json:"count"`
	Of       map[string]partFreq `json:"of"`
	Measured bool                `json:"measured"`
	Reason   string              `json:"reason"`
}

// partFreq holds the floats as the shortest text that reads back to the
// same float64 (NaN and infinities included), so a gathered table is the
// same bytes as one written from the measurement itself.
type partFreq struct {
	Denominator int    `json:"n"`
	Percent     string `json:"percent"`
	Lower       string `json:"lower"`
	Upper       string `json:"upper"`
}

func ftoa(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func atof(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil && !math.IsInf(v, 0) {
		return 0, err
	}
	return v, nil
}

// WriteCompartmentPart writes p as JSON (its Row's plots are not kept).
func WriteCompartmentPart(w io.Writer, p CompartmentPart) error {
	r := p.Row
	j := partJSON{Format: partFormat, Sample: r.Sample, Patient: r.Patient, Time: r.Timepoint, Path: r.Path, SHA256: p.SHA256, Events: r.Events,
		Missing: r.Missing, Warnings: r.Warnings, Channels: r.Channels, Notes: p.Notes, Gates: string(p.Gates), Page: string(p.Page)}
	for _, c := range r.Counts {
		pc := partCount{ID: c.ID, Path: c.Path, Count: c.Count, Measured: c.Measured, Reason: c.Reason}
		if c.Of != nil {
			pc.Of = map[string]partFreq{}
			for k, f := range c.Of {
				pc.Of[k] = partFreq{f.Denominator, ftoa(f.Percent), ftoa(f.Lower), ftoa(f.Upper)}
			}
		}
		j.Counts = append(j.Counts, pc)
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(j); err != nil {
		return err
	}
	return bw.Flush()
}

// ReadCompartmentPart reads a part WriteCompartmentPart wrote; ok is false
// (and err nil) when the file does not exist.
func ReadCompartmentPart(path string) (p CompartmentPart, ok bool, err error) {
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return p, false, nil
	}
	if err != nil {
		return p, false, err
	}
	var j partJSON
	bad := func(err error) (CompartmentPart, bool, error) {
		return p, false, fmt.Errorf("%s: not a part written by lsc flow compartments --only (%v): delete it and run the sample again", path, err)
	}
	if err := json.Unmarshal(b, &j); err != nil {
		return bad(err)
	}
	if j.Format != partFormat {
		return bad(fmt.Errorf("format %q, want %q", j.Format, partFormat))
	}
	r := CompartmentSample{Sample: j.Sample, Patient: j.Patient, Timepoint: j.Time, Path: j.Path, Events: j.Events,
		Missing: j.Missing, Warnings: j.Warnings, Channels: j.Channels}
	for _, c := range j.Counts {
		cc := compartment.Count{ID: c.ID, Path: c.Path, Count: c.Count, Measured: c.Measured, Reason: c.Reason}
		if c.Of != nil {
			cc.Of = map[string]compartment.Freq{}
			for k, f := range c.Of {
				var v [3]float64
				for i, s := range []string{f.Percent, f.Lower, f.Upper} {
					if v[i], err = atof(s); err != nil {
						return bad(fmt.Errorf("count %s of %s: %w", c.ID, k, err))
					}
				}
				cc.Of[k] = compartment.Freq{Denominator: f.Denominator, Percent: v[0], Lower: v[1], Upper: v[2]}
			}
		}
		r.Counts = append(r.Counts, cc)
	}
	return CompartmentPart{Row: r, Page: []byte(j.Page), Gates: []byte(j.Gates), Notes: j.Notes, SHA256: j.SHA256}, true, nil
}

// PartName is the base of a per-sample (or per-patient) job's file: the
// identifier as its page is named when alone (safe characters, a short hash
// when it had to change) and the first 16 hex digits of key, which holds
// the identifier, the inputs' checksums and every parameter.
func PartName(id, key, ext string) string {
	base := strings.TrimSuffix(pageFiles("", []string{id})[0], ".html")
	if len(key) > 16 {
		key = key[:16]
	}
	return base + "." + key + ext
}

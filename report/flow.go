package report

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/lsc-bio/lsc/flow"
	"github.com/lsc-bio/lsc/flow/fcs"
)

// NumExact32 formats a value read from a 32-bit float as the shortest
// decimal that round-trips the float32 (0.002, not 0.0020000000298023225);
// a value no float32 holds exactly (computed in float64) is formatted by
// Num, so no digit of a float64 result is dropped (unlike Num32).
func NumExact32(v float64) string {
	if f := float32(v); float64(f) == v && !math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'g', -1, 32)
	}
	return Num(v)
}

// GateCountsTSV writes lsc flow gate's counts: population (path from the
// root), gate_id, count, parent_count, percent_parent, percent_total (NA
// for an empty denominator); with reference (a FlowJo workspace) also
// flowjo_count and difference, empty where FlowJo stored none.
func GateCountsTSV(w io.Writer, counts []flow.PopulationCount, reference bool) error {
	bw := bufio.NewWriter(w)
	head := "population\tgate_id\tcount\tparent_count\tpercent_parent\tpercent_total"
	if reference {
		head += "\tflowjo_count\tdifference"
	}
	fmt.Fprintln(bw, head)
	na := func(v float64) string {
		if math.IsNaN(v) {
			return "NA"
		}
		return Num(v)
	}
	for _, c := range counts {
		fmt.Fprintf(bw, "%s\t%s\t%d\t%d\t%s\t%s", c.Path, c.ID, c.Count, c.ParentCount, na(c.PercentParent), na(c.PercentTotal))
		if reference {
			if c.Reference >= 0 {
				fmt.Fprintf(bw, "\t%d\t%d", c.Reference, c.Difference)
			} else {
				bw.WriteString("\t\t")
			}
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// MembershipTSV writes one row per event (1-based number) and one 0/1
// column per population.
func MembershipTSV(w io.Writer, pops []flow.Population, events int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	ids := make([]string, len(pops))
	for i, p := range pops {
		ids[i] = p.ID
	}
	bw.WriteString("event\t" + strings.Join(ids, "\t") + "\n")
	for e := 0; e < events; e++ {
		bw.WriteString(strconv.Itoa(e + 1))
		for _, p := range pops {
			if p.In[e] {
				bw.WriteString("\t1")
			} else {
				bw.WriteString("\t0")
			}
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// EventsTSV writes events: a header of channel names, one row per event;
// values from a 32-bit float source print as float32 (NumExact32).
func EventsTSV(w io.Writer, t *flow.EventTable) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString(strings.Join(t.Names, "\t") + "\n")
	format := Num
	if t.Float32 {
		format = NumExact32
	}
	np := len(t.Names)
	for e := 0; e < t.Rows; e++ {
		for i := 0; i < np; i++ {
			if i > 0 {
				bw.WriteByte('\t')
			}
			bw.WriteString(format(t.Values[e*np+i]))
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// SpilloverCSV writes a spillover matrix: a header of channel names, one
// row per fluorochrome (read by lsc, FlowJo, FlowKit and flowCore).
func SpilloverCSV(w io.Writer, sp *flow.Spillover) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, strings.Join(sp.Fluorochromes, ","))
	for _, row := range sp.M {
		s := make([]string, len(row))
		for i, v := range row {
			s[i] = Num(v)
		}
		fmt.Fprintln(bw, strings.Join(s, ","))
	}
	return bw.Flush()
}

// FCSInfo is what lsc flow info --json prints about one data set.
type FCSInfo struct {
	File      string        `json:"file"`
	Version   string        `json:"version"`
	Dataset   int           `json:"dataset"`
	Datasets  int           `json:"datasets"`
	Events    int           `json:"events"`
	DataType  string        `json:"datatype"`
	ByteOrder string        `json:"byteord"`
	Params    []FCSParam    `json:"parameters"`
	Keywords  [][2]string   `json:"keywords"`
	Spillover *FCSSpillover `json:"spillover"`
	Warnings  []string      `json:"warnings"`
}

// FCSParam is one parameter in FCSInfo.
type FCSParam struct {
	Index int     `json:"index"`
	Name  string  `json:"name"`
	Label string  `json:"label"`
	Bits  int     `json:"bits"`
	Range float64 `json:"range"`
}

// FCSSpillover is the file's spillover matrix in FCSInfo.
type FCSSpillover struct {
	Source   string      `json:"source"`
	Channels []string    `json:"channels"`
	Matrix   [][]float64 `json:"matrix"`
}

// NewFCSInfo describes data set d (one of nsets) with its spillover (nil
// when none).
func NewFCSInfo(d *fcs.Dataset, nsets int, sp *flow.Spillover) FCSInfo {
	in := FCSInfo{File: d.Path, Version: d.Version, Dataset: d.Index + 1, Datasets: nsets, Events: d.Events, DataType: d.DataType,
		ByteOrder: d.ByteOrder, Params: []FCSParam{}, Keywords: make([][2]string, 0, len(d.Keywords)), Warnings: d.Warnings}
	if in.Warnings == nil {
		in.Warnings = []string{}
	}
	if sp != nil {
		in.Spillover = &FCSSpillover{sp.Source, sp.Fluorochromes, sp.M}
	}
	for _, k := range d.Keywords {
		in.Keywords = append(in.Keywords, [2]string{k.Key, k.Value})
	}
	for _, p := range d.Params {
		in.Params = append(in.Params, FCSParam{p.Index, p.N, p.S, p.Bits, p.Range})
	}
	return in
}

// FCSInfoJSON writes the description as indented JSON.
func FCSInfoJSON(w io.Writer, in FCSInfo) error { return JSON(w, in) }

// FCSInfoText writes the description for a terminal: a summary line, the
// parameter table and the spillover channels.
func FCSInfoText(w io.Writer, d *fcs.Dataset, nsets int, sp *flow.Spillover) error {
	bw := bufio.NewWriter(w)
	cyt, _ := d.Keyword("$CYT")
	fmt.Fprintf(bw, "%s: FCS%s, data set %d of %d, %d events, %d parameters, $DATATYPE %s, $BYTEORD %s, $CYT %s\n",
		d.Path, d.Version, d.Index+1, nsets, d.Events, len(d.Params), d.DataType, d.ByteOrder, cyt)
	fmt.Fprintln(bw, "#\tPnN\tPnS\tPnB\tPnR\tPnE\tPnG")
	for _, p := range d.Params {
		fmt.Fprintf(bw, "%d\t%s\t%s\t%d\t%g\t%g,%g\t%g\n", p.Index, p.N, p.S, p.Bits, p.Range, p.Decades, p.Log0, p.Gain)
	}
	if sp != nil {
		fmt.Fprintf(bw, "spillover (%s): %s\n", sp.Source, strings.Join(sp.Fluorochromes, ", "))
	} else {
		fmt.Fprintln(bw, "spillover: none")
	}
	fmt.Fprintf(bw, "%d keywords (--json lists them all)\n", len(d.Keywords))
	return bw.Flush()
}

package main

import (
	"bufio"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lsc-bio/lsc/flow"
	"github.com/lsc-bio/lsc/flow/fcs"
	"github.com/lsc-bio/lsc/flow/gatingml"
	"github.com/lsc-bio/lsc/flow/wsp"
	"github.com/lsc-bio/lsc/report"
)

func flowCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "flow",
		Short: "flow cytometry: read FCS files, compensate, transform and gate (Gating-ML 2.0)",
		Long: `Flow cytometry in the field's standards: FCS 2.0-3.2 files (all data types; recoveries from common
writer errors are reported as warnings), compensation from the file's $SPILLOVER/SPILL/$DFC keywords or
a matrix file, Gating-ML 2.0 transforms (linear, log, asinh, logicle, hyperlog) and gates (rectangle,
polygon, ellipsoid, quadrant, boolean, in a hierarchy). The gate engine reproduces the ISAC Gating-ML
2.0 compliance suite event for event.

  lsc flow info FILE.fcs [--json] [--dataset N]
  lsc flow events FILE.fcs --out EVENTS.tsv [--stage raw|scaled|compensated|transformed] [--comp spill|none|FILE]
                 [--transform logicle:T=262144,W=0.5,M=4.5,A=0]
  lsc flow gate FILE.fcs --gating GATES.xml|WORKSPACE.wsp --out COUNTS.tsv [--membership EVENTS.tsv]
  lsc flow compartments FILE.fcs ... | --samples SHEET --out DIR [--template T.json] [--control FMO.fcs]
  lsc flow template > my_template.json`,
	}
	c.AddCommand(flowInfoCmd(), flowEventsCmd(), flowGateCmd(), withStudy(flowCompartmentsCmd()), flowTemplateCmd(), flowSpilloverCmd())
	return c
}

func readDataset(path string, n int) (*fcs.Dataset, error) {
	ds, err := fcs.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if n < 1 || n > len(ds) {
		return nil, usageError{fmt.Errorf("--dataset %d: %s has %d data set(s)", n, path, len(ds))}
	}
	return ds[n-1], nil
}

func warnAll(w io.Writer, d *fcs.Dataset, extra []string) {
	for _, s := range append(append([]string{}, d.Warnings...), extra...) {
		fmt.Fprintf(w, "lsc: warning: %s: %s\n", filepath.Base(d.Path), s)
	}
}

func flowInfoCmd() *cobra.Command {
	var asJSON bool
	var dataset int
	c := &cobra.Command{
		Use:   "info FILE.fcs",
		Short: "version, events, parameters, keywords and spillover of an FCS file",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ds, err := fcs.ReadFile(args[0])
			var d *fcs.Dataset
			nsets := 0
			if err != nil {
				// Without DATA (header-only files) the keywords still describe it.
				meta, merr := fcs.ReadMeta(args[0])
				if merr != nil {
					return err
				}
				meta.Warnings = append(meta.Warnings, "events not readable: "+err.Error())
				d, nsets = meta, 1
			} else {
				if dataset < 1 || dataset > len(ds) {
					return usageError{fmt.Errorf("--dataset %d: %s has %d data set(s)", dataset, args[0], len(ds))}
				}
				d, nsets = ds[dataset-1], len(ds)
			}
			sp, spErr := flow.SpilloverFromFCS(d)
			if spErr != nil {
				d.Warnings = append(d.Warnings, spErr.Error())
			}
			warnAll(cmd.ErrOrStderr(), d, nil)
			out := cmd.OutOrStdout()
			if asJSON {
				type param struct {
					Index int     `json:"index"`
					Name  string  `json:"name"`
					Label string  `json:"label"`
					Bits  int     `json:"bits"`
					Range float64 `json:"range"`
				}
				type spill struct {
					Source   string      `json:"source"`
					Channels []string    `json:"channels"`
					Matrix   [][]float64 `json:"matrix"`
				}
				var sj *spill
				if sp != nil {
					sj = &spill{sp.Source, sp.Fluorochromes, sp.M}
				}
				kw := make([][2]string, 0, len(d.Keywords))
				for _, k := range d.Keywords {
					kw = append(kw, [2]string{k.Key, k.Value})
				}
				doc := struct {
					File      string      `json:"file"`
					Version   string      `json:"version"`
					Dataset   int         `json:"dataset"`
					Datasets  int         `json:"datasets"`
					Events    int         `json:"events"`
					DataType  string      `json:"datatype"`
					ByteOrder string      `json:"byteord"`
					Params    []param     `json:"parameters"`
					Keywords  [][2]string `json:"keywords"`
					Spillover *spill      `json:"spillover"`
					Warnings  []string    `json:"warnings"`
				}{d.Path, d.Version, d.Index + 1, nsets, d.Events, d.DataType, d.ByteOrder, []param{}, kw, sj, nonNilS(d.Warnings)}
				for _, p := range d.Params {
					doc.Params = append(doc.Params, param{p.Index, p.N, p.S, p.Bits, p.Range})
				}
				return writeJSON(out, doc)
			}
			cyt, _ := d.Keyword("$CYT")
			fmt.Fprintf(out, "%s: FCS%s, data set %d of %d, %d events, %d parameters, $DATATYPE %s, $BYTEORD %s, $CYT %s\n",
				d.Path, d.Version, d.Index+1, nsets, d.Events, len(d.Params), d.DataType, d.ByteOrder, cyt)
			fmt.Fprintln(out, "#\tPnN\tPnS\tPnB\tPnR\tPnE\tPnG")
			for _, p := range d.Params {
				fmt.Fprintf(out, "%d\t%s\t%s\t%d\t%g\t%g,%g\t%g\n", p.Index, p.N, p.S, p.Bits, p.Range, p.Decades, p.Log0, p.Gain)
			}
			if sp != nil {
				fmt.Fprintf(out, "spillover (%s): %s\n", sp.Source, strings.Join(sp.Fluorochromes, ", "))
			} else {
				fmt.Fprintln(out, "spillover: none")
			}
			fmt.Fprintf(out, "%d keywords (--json lists them all)\n", len(d.Keywords))
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	c.Flags().IntVar(&dataset, "dataset", 1, "data set number for files with several ($NEXTDATA)")
	return c
}

func flowEventsCmd() *cobra.Command {
	var out, stage, comp, transform, gating, population string
	var dataset int
	var force bool
	c := &cobra.Command{
		Use:   "events FILE.fcs --out EVENTS.tsv",
		Short: "write the events as TSV, raw or scaled, compensated, transformed",
		Long: `Writes one column per channel (header = $PnN names; duplicate names get .2, .3 suffixes), or an
FCS 3.1 file (32-bit float) when --out ends in .fcs; --gating and --population keep one population.
Stages: raw (values as stored, integers masked), scaled ($PnE/$PnG applied, time x $TIMESTEP),
compensated (scaled, then the spillover applied to the channels it names), transformed (compensated,
then --transform applied to the fluorescence channels: those the spillover names, or without
compensation every channel except FSC/SSC/Time).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := readDataset(args[0], dataset)
			if err != nil {
				return err
			}
			switch stage {
			case "raw", "scaled", "compensated", "transformed":
			default:
				return usageError{fmt.Errorf("--stage must be raw, scaled, compensated or transformed")}
			}
			var tr flow.Transform
			if stage == "transformed" {
				if tr, err = flow.ParseTransform(transform); err != nil {
					return usageError{err}
				}
			}
			if err := refuseOverwrite(out, force); err != nil {
				return err
			}
			np := len(d.Params)
			vals := d.Data
			var notes []string
			if stage != "raw" {
				vals = d.Scaled()
			}
			fluor := map[int]bool{}
			if stage == "compensated" || stage == "transformed" {
				var sp *flow.Spillover
				switch comp {
				case "none":
				case "spill", "":
					if sp, err = flow.SpilloverFromFCS(d); err != nil {
						return err
					}
					if sp == nil {
						notes = append(notes, "no spillover keyword in the file: values left uncompensated")
					}
				default:
					if sp, err = flow.ReadSpillover(comp); err != nil {
						return err
					}
				}
				if sp != nil {
					cols := make([]int, len(sp.Detectors))
					for i, det := range sp.Detectors {
						if cols[i], err = d.Channel(det); err != nil {
							return fmt.Errorf("spillover %s: %w", sp.Source, err)
						}
					}
					cv, err := sp.Apply(vals, np, cols)
					if err != nil {
						return err
					}
					vals = append([]float64(nil), vals...)
					nf := len(sp.Fluorochromes)
					for e := 0; e < d.Events; e++ {
						for k := 0; k < nf; k++ {
							vals[e*np+cols[k]] = cv[e*nf+k]
						}
					}
					for _, c := range cols {
						fluor[c] = true
					}
				}
			}
			if tr != nil {
				if len(fluor) == 0 {
					for i, p := range d.Params {
						u := strings.ToUpper(p.N)
						if !p.IsTime && !strings.HasPrefix(u, "FSC") && !strings.HasPrefix(u, "SSC") {
							fluor[i] = true
						}
					}
				}
				for e := 0; e < d.Events; e++ {
					for c := range fluor {
						vals[e*np+c] = tr.Apply(vals[e*np+c])
					}
				}
			}
			keep := make([]bool, d.Events)
			for i := range keep {
				keep[i] = true
			}
			if population != "" {
				if gating == "" {
					return usageError{fmt.Errorf("--population needs --gating")}
				}
				s, err := gatingml.ReadFile(gating)
				if err != nil {
					return err
				}
				ev := flow.NewEvaluator(s, d)
				pops, err := ev.Apply()
				if err != nil {
					return err
				}
				found := false
				for _, p := range pops {
					if p.ID == population {
						keep, found = p.In, true
					}
				}
				if !found {
					return fmt.Errorf("%s defines no population %q", gating, population)
				}
				notes = append(notes, ev.Warnings...)
			}
			warnAll(cmd.ErrOrStderr(), d, notes)
			names := uniqueNames(d)
			if strings.HasSuffix(strings.ToLower(out), ".fcs") {
				var chans []fcs.Channel
				for i, p := range d.Params {
					chans = append(chans, fcs.Channel{N: names[i], S: p.S, Range: p.Range})
				}
				var sub []float64
				for e := 0; e < d.Events; e++ {
					if keep[e] {
						sub = append(sub, vals[e*np:(e+1)*np]...)
					}
				}
				extra := map[string]string{"$SRC": filepath.Base(d.Path), "LSC_STAGE": stage, "LSC_POPULATION": population}
				if v, ok := d.Keyword("$CYT"); ok {
					extra["$CYT"] = v
				}
				return writeAtomic(out, nil, func(w io.Writer) error { return fcs.Write(w, chans, sub, extra) })
			}
			return writeAtomic(out, cmd.OutOrStdout(), func(w io.Writer) error {
				bw := bufio.NewWriterSize(w, 1<<20)
				bw.WriteString(strings.Join(names, "\t") + "\n")
				buf := make([]byte, 0, 32)
				for e := 0; e < d.Events; e++ {
					if !keep[e] {
						continue
					}
					for i := 0; i < np; i++ {
						if i > 0 {
							bw.WriteByte('\t')
						}
						buf = appendNum(buf[:0], vals[e*np+i])
						bw.Write(buf)
					}
					bw.WriteByte('\n')
				}
				return bw.Flush()
			})
		},
	}
	fl := c.Flags()
	fl.StringVarP(&out, "out", "o", "-", "output TSV (- for stdout), or FILE.fcs to write FCS 3.1 (float)")
	fl.StringVar(&gating, "gating", "", "Gating-ML file, with --population")
	fl.StringVar(&population, "population", "", "write only the events of this gate id")
	fl.StringVar(&stage, "stage", "scaled", "raw, scaled, compensated or transformed")
	fl.StringVar(&comp, "comp", "spill", "spill (the file's keywords), none, or a matrix file")
	fl.StringVar(&transform, "transform", "logicle:T=262144,W=0.5,M=4.5,A=0", "transform for --stage transformed")
	fl.IntVar(&dataset, "dataset", 1, "data set number")
	fl.BoolVar(&force, "force", false, "replace an existing --out")
	return c
}

func uniqueNames(d *fcs.Dataset) []string {
	seen := map[string]int{}
	var out []string
	for _, p := range d.Params {
		seen[p.N]++
		n := p.N
		if seen[p.N] > 1 {
			n = fmt.Sprintf("%s.%d", p.N, seen[p.N])
		}
		out = append(out, n)
	}
	return out
}

func appendNum(b []byte, v float64) []byte {
	return append(b, report.Num(v)...)
}

func flowGateCmd() *cobra.Command {
	var gating, out, membership, sample string
	var dataset int
	var force bool
	c := &cobra.Command{
		Use:   "gate FILE.fcs --gating GATES.xml --out COUNTS.tsv",
		Short: "apply Gating-ML 2.0 gates and count each population",
		Long: `Applies a Gating-ML 2.0 file or a FlowJo 10 workspace to the events and writes population (path
from the root), gate_id, count, parent_count, percent_parent, percent_total; for a workspace also
flowjo_count (the count FlowJo stored) and the difference. FlowJo bins events on its display grid
before testing polygon and ellipse gates, so events on a gate boundary can make counts differ by a
few events. --membership writes one 0/1 column per population and one row per event.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := readDataset(args[0], dataset)
			if err != nil {
				return err
			}
			var s *flow.Strategy
			flowjo := map[string]int{} // counts FlowJo stored, for workspaces
			var notes []string
			if strings.HasSuffix(strings.ToLower(gating), ".wsp") || strings.HasSuffix(strings.ToLower(gating), ".jo") {
				w, err := wsp.ReadFile(gating)
				if err != nil {
					return err
				}
				fil, _ := d.Keyword("$FIL")
				smp, err := w.Find(args[0], fil, sample)
				if err != nil {
					return err
				}
				s, notes = smp.Strategy, smp.Notes
				for _, p := range smp.Populations {
					flowjo[p.ID] = p.FlowJoCount
				}
				if smp.Count != d.Events {
					notes = append(notes, fmt.Sprintf("FlowJo counted %d events in sample %s, the file has %d: is it the same file?", smp.Count, smp.Name, d.Events))
				}
			} else if s, err = gatingml.ReadFile(gating); err != nil {
				return err
			}
			for _, p := range []string{out, membership} {
				if p != "" && p != "-" {
					if err := refuseOverwrite(p, force); err != nil {
						return err
					}
				}
			}
			ev := flow.NewEvaluator(s, d)
			pops, err := ev.Apply()
			if err != nil {
				return err
			}
			warnAll(cmd.ErrOrStderr(), d, append(notes, ev.Warnings...))
			counts := map[string]int{}
			for _, p := range pops {
				counts[p.ID] = p.Count
			}
			if err := writeAtomic(out, cmd.OutOrStdout(), func(w io.Writer) error {
				bw := bufio.NewWriter(w)
				head := "population\tgate_id\tcount\tparent_count\tpercent_parent\tpercent_total"
				if len(flowjo) > 0 {
					head += "\tflowjo_count\tdifference"
				}
				fmt.Fprintln(bw, head)
				for _, p := range pops {
					pc := d.Events
					if p.Parent != "" {
						pc = counts[p.Parent]
					}
					pp := "NA"
					if pc > 0 {
						pp = report.Num(100 * float64(p.Count) / float64(pc))
					}
					pt := "NA"
					if d.Events > 0 {
						pt = report.Num(100 * float64(p.Count) / float64(d.Events))
					}
					fmt.Fprintf(bw, "%s\t%s\t%d\t%d\t%s\t%s", p.Path, p.ID, p.Count, pc, pp, pt)
					if len(flowjo) > 0 {
						if fj, ok := flowjo[p.ID]; ok && fj >= 0 {
							fmt.Fprintf(bw, "\t%d\t%d", fj, p.Count-fj)
						} else {
							bw.WriteString("\t\t")
						}
					}
					bw.WriteByte('\n')
				}
				return bw.Flush()
			}); err != nil {
				return err
			}
			if membership != "" {
				return writeAtomic(membership, nil, func(w io.Writer) error {
					bw := bufio.NewWriterSize(w, 1<<20)
					ids := make([]string, len(pops))
					for i, p := range pops {
						ids[i] = p.ID
					}
					bw.WriteString("event\t" + strings.Join(ids, "\t") + "\n")
					for e := 0; e < d.Events; e++ {
						fmt.Fprintf(bw, "%d", e+1)
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
				})
			}
			return nil
		},
	}
	fl := c.Flags()
	fl.StringVar(&gating, "gating", "", "Gating-ML 2.0 file or FlowJo 10 workspace (.wsp)")
	fl.StringVar(&sample, "sample", "", "workspace sample name (default: matched by file name or $FIL)")
	fl.StringVarP(&out, "out", "o", "-", "counts TSV (- for stdout)")
	fl.StringVar(&membership, "membership", "", "per-event membership TSV")
	fl.IntVar(&dataset, "dataset", 1, "data set number")
	fl.BoolVar(&force, "force", false, "replace existing outputs")
	c.MarkFlagRequired("gating")
	return c
}

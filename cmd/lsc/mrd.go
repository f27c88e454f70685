package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lsc-bio/lsc/atomicfile"
	"github.com/lsc-bio/lsc/mrd"
	"github.com/lsc-bio/lsc/report"
	"github.com/lsc-bio/lsc/study"
)

func mrdCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "mrd",
		Short: "molecular residual disease: BCR::ABL1 IS, ELN 2020 milestones, kinetics per sorted fraction",
		Long: `Molecular residual disease monitoring.

  lsc mrd assess --data MEASUREMENTS.csv [--patients PATIENTS.csv] --out DIR [--json]

MEASUREMENTS (CSV or TSV, one row per measurement): patient, date (YYYY-MM-DD), fraction (free text:
PB, BM-MNC, CD34+CD38+, CD34+CD38- ...), assay (qpcr or fish); for qPCR target (BCR::ABL1 ...),
target_copies (0 = undetectable), control_gene (ABL1, GUSB or BCR), control_copies, optional
conversion_factor (lab IS factor, default 1), replicate and transcript (e13a2/e14a2); for FISH
abnormal_nuclei, scored_nuclei and probe. Dates may have one-digit month and day (2020-4-1). Rows
out of date order within a patient are assessed in date order, with a note on the row.

PATIENTS: patient, therapy_start and optional diagnosis, therapy, therapy_stop, reason (why a later
line replaced the previous one; "intolerance" keeps TFR eligibility) and transcript. Several rows
for one patient are successive lines of therapy.

Rules: ratio % = target/control x 100; IS % = ratio x factor for BCR::ABL1 with ABL1 or GUSB;
MMR <= 0.1 %, MR4 <= 0.01 %, MR4.5 <= 0.0032 %, MR5 <= 0.001 % IS; undetectable samples score by
control copies (ABL1 10,000 / 32,000 / 100,000, GUSB 24,000 / 77,000 / 240,000 for MR4 / MR4.5 /
MR5; fewer = "not assessable"); replicates of one sample are summed (Cross et al. 2012, 2015).
Milestones at 3, 6 and 12 months and any time after (ELN 2020) use blood samples nearest the
milestone within --window-days. TFR eligibility follows ELN 2020 Table 7. Kinetics: log-linear fit
per fraction with slope, halving time and 95% interval; persistence is flagged when a stem-cell
fraction does not fall by --decline-log while another fraction does.

Patients without BCR::ABL1 qPCR (FISH only, other targets) get no CML milestones, MMR or TFR:
"not applicable".

Writes DIR/measurements.tsv (every input row, in order, with ratio_percent, is_percent,
log_reduction, response, detectable, sample_percent and detection_limit of the row's sample
with replicates summed, notes), DIR/patients.tsv, DIR/kinetics.tsv, DIR/report.html
(the cohort: counts and one row per patient), DIR/patients/ID.html (one page per patient:
time courses, rules, kinetics) and DIR/run.json (lsc version, inputs with SHA-256, parameters;
lsc study import records it as the run's provenance). DIR is checked before any work.
--only PATIENT assesses that patient's rows alone and writes the patient's page into DIR/cache/,
then stops: a per-patient job of lsc workflow. A later run with the same --out copies each page
found there (keyed by the inputs' checksums, the patient and every parameter) instead of drawing it
again; the files it writes are the same bytes.
In patients.tsv a milestone met by an undetectable sample (detectable = no) reports the sample's
sensitivity (the IS one target copy would give) as its is_percent.`,
	}
	c.AddCommand(withStudy(mrdAssessCmd()))
	return c
}

type mrdFlags struct {
	data, patients, out, asOf string
	only                      string // one patient's page into DIR/cache (a per-patient job of lsc workflow)
	json, force, quiet        bool
	window                    int
	decline                   float64
	blood, stem               []string
}

func mrdAssessCmd() *cobra.Command {
	var f mrdFlags
	c := &cobra.Command{
		Use:   "assess --data MEASUREMENTS.csv [--patients PATIENTS.csv] --out DIR",
		Short: "score every measurement and assess every patient",
		Args:  cobra.NoArgs,
		Example: `  lsc mrd assess --data bcr_abl1.csv --patients patients.csv --out mrd/
  lsc mrd assess --data bcr_abl1.csv --json | jq '.patients[] | {patient, tfr}'`,
		RunE: func(cmd *cobra.Command, args []string) error { return runMRD(cmd, f) },
	}
	fl := c.Flags()
	fl.StringVar(&f.data, "data", "", "measurement sheet (CSV/TSV)")
	fl.StringVar(&f.patients, "patients", "", "patient sheet with therapy start (needed for milestones and TFR)")
	fl.StringVarP(&f.out, "out", "o", "", "output directory")
	fl.BoolVar(&f.json, "json", false, "print the assessment as JSON on stdout")
	fl.BoolVar(&f.force, "force", false, "replace existing files in --out")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no per-patient summary on stderr")
	fl.IntVar(&f.window, "window-days", 42, "a milestone uses the blood sample nearest to it within this many days")
	fl.Float64Var(&f.decline, "decline-log", 0.5, "fitted log10 fall that counts as a decline (kinetics, persistence)")
	fl.StringSliceVar(&f.blood, "blood", nil, "fraction names that are blood for milestones (default PB, blood, peripheral blood, PB-MNC, WBC)")
	fl.StringSliceVar(&f.stem, "stem-fractions", nil, "fraction names that are stem cells (default names containing CD38-, CD38low, CD90+, LSC or HSC)")
	fl.StringVar(&f.asOf, "as-of", "", "date (YYYY-MM-DD) for TKI duration and TFR; default each patient's last measurement")
	fl.StringVar(&f.only, "only", "", "assess this one patient into DIR/cache and stop (a per-patient job of lsc workflow)")
	c.MarkFlagRequired("data")
	return c
}

// mrdFixed are the files of an MRD output directory besides the patient
// pages (in the folder patients/).
var mrdFixed = []string{"measurements.tsv", "patients.tsv", "kinetics.tsv", "report.html", "run.json", "patients"}

func runMRD(cmd *cobra.Command, f mrdFlags) error {
	p, err := f.params()
	if err != nil {
		return err
	}
	if f.only != "" {
		return mrdOnly(cmd, f, p)
	}
	if f.out != "" {
		if err := asUsage(atomicfile.CheckDir(f.out, f.force, mrdFixed...)); err != nil {
			return err
		}
	}
	d, err := mrd.ReadMeasurements(f.data)
	if err != nil {
		return err
	}
	var pts map[string]*mrd.Patient
	if f.patients != "" {
		if pts, err = mrd.ReadPatients(f.patients); err != nil {
			return err
		}
	}
	a, err := mrd.Assess(d, pts, p)
	if err != nil {
		return err
	}
	header := d.Header
	d = nil // the assessment holds every row: let the parsed copy go
	if f.out != "" {
		meta := report.MRDMeta{Version: version, Measurements: f.data, Patients: f.patients}
		sums := mrdInputSums(f) // once: for run.json and the cached pages' names
		files := append(mrdFiles(header, a, meta, mrdCached(f, p, sums)), outFile{Name: "run.json",
			Fill: func(w io.Writer) error { return writeJSON(w, mrdRunJSON(f, p, a, sums)) }})
		if err := writeDir(f.out, f.force, files); err != nil {
			return err
		}
	}
	if f.json {
		return report.MRDJSON(cmd.OutOrStdout(), header, a)
	}
	if !f.quiet {
		summary(cmd.ErrOrStderr(), a)
	}
	return nil
}

func (f mrdFlags) params() (mrd.Params, error) {
	p := mrd.DefaultParams()
	if f.out == "" && !f.json {
		return p, usageError{fmt.Errorf("give --out DIR, --json, or both")}
	}
	if f.window <= 0 || !(f.decline > 0) {
		return p, usageError{fmt.Errorf("--window-days and --decline-log must be positive")}
	}
	p.WindowDays, p.DeclineLog, p.BloodFractions, p.StemFractions = f.window, f.decline, f.blood, f.stem
	if f.asOf != "" {
		t, err := mrd.ParseDate(f.asOf)
		if err != nil {
			return p, usageError{fmt.Errorf("--as-of: %w", err)}
		}
		p.AsOf = t
	}
	return p, nil
}

// mrdFiles lists the output files: the tables, the cohort page and one
// page per patient, each written when its turn comes.
// part, when not nil, names each patient's page in DIR/cache, copied when
// there instead of drawn again.
func mrdFiles(header []string, a *mrd.Assessment, meta report.MRDMeta, part func(id string) string) []outFile {
	files := []outFile{
		{Name: "measurements.tsv", Fill: func(w io.Writer) error { return report.MRDMeasurements(w, header, a) }},
		{Name: "patients.tsv", Fill: func(w io.Writer) error { return report.MRDPatients(w, a) }},
		{Name: "kinetics.tsv", Fill: func(w io.Writer) error { return report.MRDKinetics(w, a) }},
		{Name: "report.html", Fill: func(w io.Writer) error { return report.MRDHTML(w, a, meta) }},
	}
	for i, name := range report.MRDPatientFiles(a) {
		files = append(files, outFile{Name: filepath.FromSlash(name), Fill: func(w io.Writer) error {
			if part != nil {
				if b, err := os.ReadFile(part(a.Patients[i].ID)); err == nil {
					_, err = w.Write(b)
					return err
				}
			}
			return report.MRDPatientHTML(w, a, i, meta)
		}})
	}
	return files
}

// mrdRunJSON is the run's provenance, as every lsc output folder carries
// it: version, inputs with SHA-256, parameters, and what was assessed.
// It holds no clock time, so the same inputs give the same bytes.
func mrdRunJSON(f mrdFlags, p mrd.Params, a *mrd.Assessment, sums mrdSums) map[string]any {
	inputs := []map[string]any{{"role": "measurements", "path": f.data, "sha256": sums.data}}
	if f.patients != "" {
		inputs = append(inputs, map[string]any{"role": "patients", "path": f.patients, "sha256": sums.patients})
	}
	asOf := ""
	if !p.AsOf.IsZero() {
		asOf = p.AsOf.Format("2006-01-02")
	}
	return map[string]any{
		"lsc_version": version, "command": "mrd assess", "inputs": inputs,
		"parameters": map[string]any{"window_days": p.WindowDays, "decline_log": p.DeclineLog,
			"blood_fractions": report.NonNil(p.BloodFractions), "stem_fractions": report.NonNil(p.StemFractions), "as_of": asOf},
		"patients": len(a.Patients), "rows": len(a.Rows), "qpcr_samples": len(a.Samples),
	}
}

// mrdParts names each patient's page in DIR/cache (nil without --out).
// The key holds the lsc version, the inputs as given and their checksums,
// every parameter and the patient, so a change to any gives another file.
func mrdParts(f mrdFlags, p mrd.Params, sums mrdSums) func(id string) string {
	if f.out == "" {
		return nil
	}
	params, _ := json.Marshal(p)
	base := map[string]any{"lsc_version": version, "data": f.data, "data_sha256": sums.data, "patients": f.patients,
		"patients_sha256": sums.patients, "params": string(params)}
	return func(id string) string {
		base["patient"] = id
		key, _ := json.Marshal(base)
		h := sha256.Sum256(key)
		return filepath.Join(f.out, "cache", report.PartName(id, hex.EncodeToString(h[:]), ".html"))
	}
}

// mrdCached is mrdParts when DIR/cache exists (a workflow's per-patient
// jobs wrote it), else nil.
func mrdCached(f mrdFlags, p mrd.Params, sums mrdSums) func(id string) string {
	if st, err := os.Stat(filepath.Join(f.out, "cache")); err != nil || !st.IsDir() {
		return nil
	}
	return mrdParts(f, p, sums)
}

// mrdSums are the SHA-256 of the measurement and patient sheets ("" for
// none), read once per run.
type mrdSums struct{ data, patients string }

func mrdInputSums(f mrdFlags) mrdSums {
	return mrdSums{study.Checksum(f.data), study.Checksum(f.patients)}
}

// mrdOnly assesses the patient --only names from that patient's rows (and
// record) alone and writes the patient's page into DIR/cache: every rule
// lsc applies is per patient, so the page is the one the whole cohort's
// run draws.
func mrdOnly(cmd *cobra.Command, f mrdFlags, p mrd.Params) error {
	if f.out == "" {
		return usageError{fmt.Errorf("--only needs --out DIR")}
	}
	d, err := mrd.ReadMeasurements(f.data)
	if err != nil {
		return err
	}
	var pts map[string]*mrd.Patient
	if f.patients != "" {
		if pts, err = mrd.ReadPatients(f.patients); err != nil {
			return err
		}
	}
	rows := d.Rows[:0:0]
	for _, r := range d.Rows {
		if r.Patient == f.only {
			rows = append(rows, r)
		}
	}
	rec, ok := pts[f.only]
	if len(rows) == 0 && !ok {
		return usageError{fmt.Errorf("--only %q: no such patient in %s%s", f.only, f.data, map[bool]string{true: " or " + f.patients}[f.patients != ""])}
	}
	d.Rows = rows
	one := map[string]*mrd.Patient{}
	if ok {
		one[f.only] = rec
	}
	a, err := mrd.Assess(d, one, p)
	if err != nil {
		return err
	}
	path := mrdParts(f, p, mrdInputSums(f))(f.only)
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return err
	}
	meta := report.MRDMeta{Version: version, Measurements: f.data, Patients: f.patients}
	if err := atomicfile.Write(path, func(w io.Writer) error { return report.MRDPatientHTML(w, a, 0, meta) }); err != nil {
		return err
	}
	if !f.quiet {
		fmt.Fprintf(cmd.ErrOrStderr(), "lsc: %s: %d rows assessed, page in %s\n", f.only, len(rows), path)
	}
	return nil
}

func summary(w io.Writer, a *mrd.Assessment) {
	for _, p := range a.Patients {
		var st []string
		for _, m := range p.Milestones {
			st = append(st, m.Name+" "+m.Status)
		}
		flags := ""
		if len(p.Persistence) > 0 {
			flags += " PERSISTENCE in " + strings.Join(p.Persistence, ", ")
		}
		if len(p.Expansions) > 0 {
			flags += " FISH EXPANSION"
		}
		if !p.LossOfMMR.IsZero() {
			flags += " LOSS OF MMR " + p.LossOfMMR.Format("2006-01-02")
		}
		switch {
		case !p.CML:
			fmt.Fprintf(w, "%s: no BCR::ABL1 qPCR, CML milestones and TFR not applicable%s\n", p.ID, flags)
			continue
		case len(st) == 0:
			st = []string{"milestones not assessable"}
		}
		fmt.Fprintf(w, "%s: %s; TFR %s%s\n", p.ID, strings.Join(st, ", "), p.TFR, flags)
	}
}

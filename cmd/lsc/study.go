package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lsc-bio/lsc/report"
	"github.com/lsc-bio/lsc/store"
)

func studyCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "study",
		Short: "the study store: every patient's results across assays and time, in one database",
		Long: `A study database joins the outputs of lsc stemcells, mrd assess, flow compartments, cohort,
twin and score per patient and over time. An lsc score TSV names no sample: import it with
--kind score --patient P --sample S (or run lsc score ... --study DB --patient P --sample S);
the timeline gets a score series per signature (the mean over the cells).

--db is a SQLite file (created when missing; WAL mode) or a PostgreSQL 15+ URL
(postgres://user@host/db). Files of each run (cells.tsv, report.html ...) are kept once by
checksum beside a SQLite database (DB.files/), or in --files for PostgreSQL.

  lsc study init --db study.db
  lsc study import --db study.db --patients patients.csv
  lsc study import --db study.db stem/ mrd-out/ flow-out/
  lsc study import --db study.db --kind score --patient P7 --sample P7-D0 --date 2020-01-02 scores.tsv
  lsc study timeline --db study.db --patient P7 --json
  lsc study table --db study.db --metric stem_like_fraction --at diagnosis --out cohort.tsv
  lsc study export --db study.db --out archive/ [--redact]
  lsc study migrate --db study.db`,
	}
	c.AddCommand(studyInitCmd(false), studyInitCmd(true), studyImportCmd(), studyTimelineCmd(), studyTableCmd(), studyExportCmd(), studyAuditCmd())
	return c
}

// studyFlags are the flags every study command shares.
type studyFlags struct {
	db, study, files string
	quiet            bool
}

func (f *studyFlags) add(c *cobra.Command) {
	c.Flags().StringVar(&f.db, "db", "", "database: a SQLite file or a postgres:// URL")
	c.Flags().StringVar(&f.study, "study", store.DefaultStudy, "study name within the database")
	c.Flags().StringVar(&f.files, "files", "", "folder that keeps run files by checksum (default DB.files for SQLite)")
	c.Flags().BoolVarP(&f.quiet, "quiet", "q", false, "no progress messages")
	c.MarkFlagRequired("db")
}

func (f *studyFlags) open(ctx context.Context) (store.Store, error) {
	return store.Open(ctx, f.db, store.Options{Files: f.files})
}

func (f *studyFlags) logf(cmd *cobra.Command, format string, a ...any) {
	if !f.quiet {
		fmt.Fprintf(cmd.ErrOrStderr(), "lsc: "+format+"\n", a...)
	}
}

// studyInitCmd builds "init" (create or upgrade the schema) and "migrate"
// (the same, listing every migration).
func studyInitCmd(list bool) *cobra.Command {
	var f studyFlags
	use, short := "init --db DB", "create the study database (or bring its schema up to date)"
	if list {
		use, short = "migrate --db DB", "apply pending schema migrations (one transaction) and list them"
	}
	c := &cobra.Command{Use: use, Short: short, Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := f.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			before, err := st.Migrations(cmd.Context())
			if err != nil {
				return err
			}
			ms, err := st.Migrate(cmd.Context())
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			for i, m := range ms {
				state := "applied " + m.AppliedAt
				if before[i].AppliedAt == "" {
					state = "applied now (" + m.AppliedAt + ")"
				}
				if list || before[i].AppliedAt == "" {
					fmt.Fprintf(w, "%04d %-24s %s\n", m.Version, m.Name, state)
				}
			}
			fmt.Fprintf(w, "%s study store at schema version %d\n", st.Backend(), len(ms))
			return nil
		}}
	f.add(c)
	return c
}

type importFlags struct {
	studyFlags
	patients string
	popt     store.PatientOptions
	json     bool
	kind     string
	sopt     store.ScoreOptions
}

func studyImportCmd() *cobra.Command {
	var f importFlags
	c := &cobra.Command{
		Use:   "import --db DB [--patients SHEET] [DIR ...] | --kind score --patient P --sample S TSV ...",
		Short: "import a patient sheet and lsc output folders (or an export archive), each in one transaction",
		Long: `Imports lsc output folders: stemcells (samples.tsv), mrd assess (measurements.tsv), flow compartments
(compartments.tsv), cohort (scores.tsv), twin fit (projections.tsv, fits.tsv), or an archive written
by lsc study export. Columns are read by name; extra columns are kept. Each folder is one
transaction: a killed import leaves the database as before, importing the same folder twice
changes nothing, and two runs that disagree on a sample and metric are both kept (reported here).

The patient sheet (--patients, CSV/TSV) has a row per patient or per therapy line/event:
patient, optional sex, birth_year, diagnosis, diagnosis_date, therapy, therapy_start,
therapy_stop, line, reason, event + date/day + detail, day0; other columns are kept as patient
attributes. Columns that look like names or dates of birth are refused with a warning.
--time and --event add death or last follow-up at a survival time in days from diagnosis.

--kind score imports the per-cell TSV of lsc score (column cell, then one column per signature),
which names no sample: give --patient and --sample (and optionally --date YYYY-MM-DD, --timepoint,
--tissue, --sorted-fraction). Per signature the store keeps the cells' mean (the value of the
timeline's score series), the number of cells, median, sd, quartiles and range; the TSV itself is
kept by checksum with the run. Cells scored NaN are counted as missing.`,
		Example: `  lsc study import --db study.db --patients patients.csv
  lsc study import --db study.db --patients zeng2022.csv --id Patient --subtype Cluster --time os --event osi
  lsc study import --db study.db stem/ mrd-out/ flow-out/
  lsc study import --db study.db --kind score --patient P7 --sample P7-D0 --date 2020-01-02 --timepoint diagnosis scores.tsv`,
		RunE: func(cmd *cobra.Command, args []string) error { return runStudyImport(cmd, f, args) },
	}
	f.add(c)
	c.Flags().StringVar(&f.patients, "patients", "", "patient sheet (CSV/TSV)")
	c.Flags().StringVar(&f.popt.ID, "id", "patient", "patient sheet: the pseudonym column")
	c.Flags().StringVar(&f.popt.Subtype, "subtype", "diagnosis", "patient sheet: the diagnosis subtype column")
	c.Flags().StringVar(&f.popt.Time, "time", "", "patient sheet: follow-up time column (days from diagnosis)")
	c.Flags().StringVar(&f.popt.Event, "event", "", "patient sheet: death indicator column (1/yes/dead; R's 2/1 too)")
	c.Flags().StringVar(&f.popt.Day0, "day0", "diagnosis", "event kind counted as day 0 (e.g. car_t_infusion)")
	c.Flags().BoolVar(&f.json, "json", false, "print what each import added as JSON")
	c.Flags().StringVar(&f.kind, "kind", "", "what the arguments are: empty (lsc output folders or archives) or score (lsc score TSVs)")
	addScoreSampleFlags(c, &f.sopt)
	return c
}

// addScoreSampleFlags adds the flags that name the sample of an lsc score
// TSV (lsc study import --kind score, lsc score --study).
func addScoreSampleFlags(c *cobra.Command, o *store.ScoreOptions) {
	c.Flags().StringVar(&o.Patient, "patient", "", "score TSV: the patient pseudonym its cells come from")
	c.Flags().StringVar(&o.Sample, "sample", "", "score TSV: the sample its cells come from")
	c.Flags().StringVar(&o.Date, "date", "", "score TSV: the sample's date (YYYY-MM-DD)")
	c.Flags().StringVar(&o.Timepoint, "timepoint", "", "score TSV: the sample's timepoint label (e.g. diagnosis)")
	c.Flags().StringVar(&o.Tissue, "tissue", "", "score TSV: the sample's tissue (PB, BM ...)")
	c.Flags().StringVar(&o.Fraction, "sorted-fraction", "", "score TSV: the sample's sorted fraction (e.g. CD34+CD38-)")
}

// scoreSampleGiven says which score-sample flag was given, for refusing them
// where they do not apply.
func scoreSampleGiven(o store.ScoreOptions) string {
	for _, p := range [][2]string{{"--patient", o.Patient}, {"--sample", o.Sample}, {"--date", o.Date}, {"--timepoint", o.Timepoint}, {"--tissue", o.Tissue}, {"--sorted-fraction", o.Fraction}} {
		if p[1] != "" {
			return p[0]
		}
	}
	return ""
}

func checkScoreSample(o store.ScoreOptions) error {
	switch {
	case o.Patient == "" && o.Sample == "":
		return usageError{fmt.Errorf("an lsc score TSV names no patient or sample: give --patient and --sample")}
	case o.Patient == "":
		return usageError{fmt.Errorf("give --patient: the pseudonym of the patient the scored cells come from")}
	case o.Sample == "":
		return usageError{fmt.Errorf("give --sample: the sample the scored cells come from (e.g. --sample %s-D0)", o.Patient)}
	}
	return nil
}

func runStudyImport(cmd *cobra.Command, f importFlags, dirs []string) error {
	switch f.kind {
	case "":
		if fl := scoreSampleGiven(f.sopt); fl != "" {
			return usageError{fmt.Errorf("%s applies to --kind score only (output folders name their samples)", fl)}
		}
	case "score":
		if len(dirs) == 0 {
			return usageError{fmt.Errorf("--kind score: give the TSV lsc score wrote")}
		}
		if f.patients != "" {
			return usageError{fmt.Errorf("--kind score imports score TSVs only: import --patients in its own call")}
		}
		if err := checkScoreSample(f.sopt); err != nil {
			return err
		}
	default:
		return usageError{fmt.Errorf("--kind %q: the kinds are score (lsc score TSVs) or none (output folders)", f.kind)}
	}
	if f.patients == "" && len(dirs) == 0 {
		return usageError{fmt.Errorf("give --patients SHEET, output folders, or both")}
	}
	ctx := cmd.Context()
	st, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	var all []*store.ImportResult
	if f.patients != "" {
		r, err := st.ImportPatients(ctx, f.study, f.patients, f.popt)
		if err != nil {
			return err
		}
		all = append(all, r)
		f.logImport(cmd, f.patients, r)
	}
	for _, d := range dirs {
		var r *store.ImportResult
		if f.kind == "score" {
			r, err = st.ImportScores(ctx, f.study, d, f.sopt)
		} else if store.IsArchive(d) {
			r, err = st.ImportArchive(ctx, d)
		} else {
			r, err = st.ImportRun(ctx, f.study, d, store.ImportOptions{})
		}
		if err != nil {
			return err
		}
		all = append(all, r)
		f.logImport(cmd, d, r)
	}
	if f.json {
		return writeJSON(cmd.OutOrStdout(), all)
	}
	return nil
}

// logImport prints counts and run ids (never patient ids).
func (f importFlags) logImport(cmd *cobra.Command, src string, r *store.ImportResult) {
	for _, w := range r.Warnings {
		fmt.Fprintln(cmd.ErrOrStderr(), "lsc: warning:", w)
	}
	if r.AlreadyImported {
		f.logf(cmd, "%s: run %s already imported; nothing changed", src, r.Run)
		return
	}
	f.logf(cmd, "%s: run %s (%s): %d patients, %d samples, %d events, %d results added", src, r.Run, r.Kind, r.Patients, r.Samples, r.Events, r.Results)
	if r.Skipped > 0 {
		f.logf(cmd, "%s: %d rows without a number (not measured) not stored as results", src, r.Skipped)
	}
	if len(r.Conflicts) > 0 {
		runs := map[string]bool{}
		for _, c := range r.Conflicts {
			runs[c.OtherRun] = true
		}
		var ids []string
		for id := range runs {
			ids = append(ids, id)
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "lsc: warning: run %s: %d results differ from run(s) %s for the same sample and metric; both are kept and shown\n",
			r.Run, len(r.Conflicts), strings.Join(ids, ", "))
	}
}

func studyTimelineCmd() *cobra.Command {
	var f studyFlags
	var patient, out string
	var asJSON, force bool
	c := &cobra.Command{
		Use:   "timeline --db DB --patient ID [--json] [--out FILE.json|FILE.html]",
		Short: "one patient's events and series on one time axis (JSON contract of the web API)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out != "" {
				if err := refuseOverwrite(out, force); err != nil {
					return err
				}
			}
			st, err := f.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			t, err := st.Timeline(cmd.Context(), f.study, patient)
			if err != nil {
				return err
			}
			if out == "" && !asJSON {
				return report.TimelineText(cmd.OutOrStdout(), timelineRows(t))
			}
			if strings.HasSuffix(strings.ToLower(out), ".html") {
				return writeAtomic(out, nil, func(w io.Writer) error { return report.TimelineHTML(w, t, version) })
			}
			return writeAtomic(out, cmd.OutOrStdout(), func(w io.Writer) error { return writeJSON(w, t) })
		}}
	f.add(c)
	c.Flags().StringVar(&patient, "patient", "", "patient pseudonym")
	c.Flags().BoolVar(&asJSON, "json", false, "print the timeline as JSON")
	c.Flags().StringVarP(&out, "out", "o", "", "write the JSON to this file, or with .html a self-contained page (figure, events, values)")
	c.Flags().BoolVar(&force, "force", false, "replace --out")
	c.MarkFlagRequired("patient")
	return c
}

// timelineRows flattens a timeline for the text view.
func timelineRows(t *store.Timeline) [][]string {
	d0 := "undated"
	if t.Day0 != nil {
		d0 = *t.Day0
	}
	rows := [][]string{{"patient " + t.Patient + ", day 0 = " + t.Day0Event + " " + d0}}
	for _, e := range t.Events {
		rows = append(rows, []string{"event", str(e.Date), num(e.Day), e.Kind, e.Detail})
	}
	for _, s := range t.Series {
		name := strings.TrimSpace(strings.Join([]string{s.Kind, s.Assay, s.Metric, s.Fraction, s.Target, s.Scenario}, " "))
		for _, p := range s.Points {
			v := num(p.Value)
			if p.Lower != nil || p.Upper != nil {
				v += " [" + num(p.Lower) + ", " + num(p.Upper) + "]"
			}
			rows = append(rows, []string{name, str(p.Date), num(p.Day), v + " " + s.Unit, p.Label, p.Sample, p.Run})
		}
	}
	return rows
}

func str(s *string) string {
	if s == nil {
		return "-"
	}
	return *s
}

func num(v *float64) string {
	if v == nil {
		return "-"
	}
	return report.Num(*v)
}

func studyTableCmd() *cobra.Command {
	var f studyFlags
	var q store.TableQuery
	var out string
	var force bool
	c := &cobra.Command{
		Use:   "table --db DB --metric NAME [--at diagnosis|relapse|first|last|LABEL] [--out FILE.tsv]",
		Short: "one metric across the study's patients, as TSV",
		Args:  cobra.NoArgs,
		Example: `  lsc study table --db study.db --metric stem_like_fraction --at diagnosis --out cohort.tsv
  lsc study table --db study.db --metric is_percent --fraction PB --at last`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out != "" {
				if err := refuseOverwrite(out, force); err != nil {
					return err
				}
			}
			st, err := f.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			t, err := st.Table(cmd.Context(), f.study, q)
			if err != nil {
				return err
			}
			f.logf(cmd, "%d rows", len(t.Rows))
			return writeAtomic(out, cmd.OutOrStdout(), func(w io.Writer) error { return report.TSV(w, t.Header, t.Rows) })
		}}
	f.add(c)
	c.Flags().StringVar(&q.Metric, "metric", "", "metric: stem_like_fraction, is_percent, ratio_percent, clone_fraction, percent_parent, percent_total, score, or a projection series")
	c.Flags().StringVar(&q.Assay, "assay", "", "assay (single_cell, qpcr, fish, flow, bulk, projection)")
	c.Flags().StringVar(&q.Fraction, "fraction", "", "sorted fraction")
	c.Flags().StringVar(&q.Target, "target", "", "target: signature, population path, gene or probe")
	c.Flags().StringVar(&q.At, "at", "", "one point per patient: first, last, a timepoint kind (diagnosis, remission, relapse) or label")
	c.Flags().StringVarP(&out, "out", "o", "", "output TSV (default stdout)")
	c.Flags().BoolVar(&force, "force", false, "replace --out")
	c.MarkFlagRequired("metric")
	return c
}

func studyExportCmd() *cobra.Command {
	var f studyFlags
	var out, secretFile string
	var redact, force bool
	var maxShift int
	c := &cobra.Command{
		Use:   "export --db DB --out DIR [--redact [--secret-file F]]",
		Short: "every table of a study as TSV, its files and SHA256SUMS (importable with lsc study import)",
		Long: `Writes DIR/patients.tsv, events.tsv, samples.tsv, runs.tsv, run_files.tsv, results.tsv (PostgreSQL
COPY text escaping; \N is empty), DIR/files/ (the runs' stored files), manifest.json and SHA256SUMS.
lsc study import --db NEW DIR restores it; the timelines are identical.

--redact is for sharing: every date of a patient moves by the same secret offset (up to
--max-shift days; days from day 0 are unchanged), free text (event details, patient attributes,
source rows, paths) and the stored files are dropped. The offsets come from --secret-file (the
same secret gives the same offsets) or from a random secret that is not kept.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opt := store.ExportOptions{Redact: redact, Force: force, MaxShift: maxShift}
			if secretFile != "" {
				b, err := os.ReadFile(secretFile)
				if err != nil {
					return usageError{fmt.Errorf("--secret-file: %w", err)}
				}
				opt.Secret = b
			}
			st, err := f.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			if err := asUsage(st.Export(cmd.Context(), f.study, out, opt)); err != nil {
				return err
			}
			f.logf(cmd, "study %s exported to %s (redacted: %v)", f.study, out, redact)
			return nil
		}}
	f.add(c)
	c.Flags().StringVarP(&out, "out", "o", "", "archive folder")
	c.Flags().BoolVar(&redact, "redact", false, "shift dates per patient by a secret offset and drop free text")
	c.Flags().StringVar(&secretFile, "secret-file", "", "file holding the redaction secret")
	c.Flags().IntVar(&maxShift, "max-shift", 365, "largest date shift in days (--redact)")
	c.Flags().BoolVar(&force, "force", false, "replace an existing archive")
	c.MarkFlagRequired("out")
	return c
}

// withStudy gives a command that writes an output folder (--out) the flag
// --study DB: the store is checked before the work starts, and the folder is
// imported into it (one transaction) once written. The folder stays
// importable later with lsc study import.
func withStudy(c *cobra.Command) *cobra.Command {
	var db string
	c.Flags().StringVar(&db, "study", "", "also record the run in this study store (SQLite file or postgres:// URL; lsc study init first)")
	run := c.RunE
	c.RunE = func(cmd *cobra.Command, args []string) error {
		if db == "" {
			return run(cmd, args)
		}
		out, _ := cmd.Flags().GetString("out")
		if out == "" {
			return usageError{fmt.Errorf("--study needs --out DIR (the folder recorded in the store)")}
		}
		st, err := store.Open(cmd.Context(), db, store.Options{})
		if err != nil {
			return err
		}
		defer st.Close()
		if err := store.Check(cmd.Context(), st); err != nil {
			return err
		}
		if err := run(cmd, args); err != nil {
			return err
		}
		r, err := st.ImportRun(cmd.Context(), store.DefaultStudy, out, store.ImportOptions{})
		if err != nil {
			return fmt.Errorf("results written to %s, but not recorded in %s: %w", out, db, err)
		}
		importFlags{}.logImport(cmd, out, r)
		return nil
	}
	return c
}

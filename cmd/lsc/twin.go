package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"time"

	"github.com/spf13/cobra"

	"github.com/lsc-bio/lsc/atomicfile"
	"github.com/lsc-bio/lsc/mrd"
	"github.com/lsc-bio/lsc/report"
	"github.com/lsc-bio/lsc/study"
	"github.com/lsc-bio/lsc/twin"
)

func twinCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "twin",
		Short: "patient twin: kinetic models fitted to each patient's course, with projections (research models)",
		Long: `Patient twin: mechanistic kinetic models fitted per patient, with profile-likelihood intervals
and model projections. Every projection is research-model output, not a treatment recommendation.

  lsc twin fit --model biphasic --data MEASUREMENTS.csv [--patients PATIENTS.csv] --out DIR
  lsc twin fit --model michor2005 --data MEASUREMENTS.csv [--patients PATIENTS.csv] [--stop-at DATE | --stop-day N] --out DIR
  lsc twin fit --model cart --data CART.csv [--patients SHEET --time COL --event COL] --out DIR

biphasic: the measurement sheet of 'lsc mrd assess' (same reader, same replicate and detection-limit
rules). Per patient, fraction, target and control: log10 level = log10(A e^-at + B e^-bt), day 0 = the
patient's therapy start (else first measurement), normal error on log10, undetectable samples
left-censored at their own limit; monophasic unless the likelihood-ratio test (2 df) gives p < 0.05.
Half-lives, predicted days of MMR/MR4/MR4.5 (IS series), stem-cell vs blood final slope (LRT, 1 df).

cart: patient, day (from infusion), value (copies/ug DNA or CAR+ cells/uL; BLQ or <LIMIT below the
limit), lloq, optional unit and response. NCA (Cmax, Tmax, AUC0-28, AUC0-90 linear-up log-down,
Clast, Tlast, terminal half-life with adjusted R^2) and the Stein 2019 expansion-contraction-
persistence model; with a response column, Cmax and AUC0-28 of responders (CR, PR, VGPR, ...) vs
non-responders by Mann-Whitney and ROC AUC with DeLong interval. --patients SHEET (columns patient,
optional response, and the columns named by --time and --event, coded as for lsc survival) adds a
log-rank test (R survdiff) of patients above vs at or below the median Cmax and AUC0-28.

michor2005: the four-compartment model of Michor et al. 2005 (stem, progenitor, differentiated,
terminally differentiated; normal and leukemic) on the blood series of the same measurement sheet.
Rate constants are held at the values quoted by radivot/myelo michor05.R and paul-bbt (d0 0.003,
d1 0.008, d2 0.05, d3 1, ax 0.8, bx 5, cx = cy 100, ry 0.008, ay 1.6, by 10, X0 2e6; or --michor-params
FILE with "name value" lines); fitted per patient by maximum likelihood (left-censored at each sample's
limit): y0 (leukemic stem cells at day 0) and ay_reduction, by_reduction (fold reductions of leukemic
progenitor and differentiated production under therapy), sd; profile-likelihood 95% intervals.
Measured % = 100 y3/(y3 + 2 x3). Projections: continued therapy, and with --stop-at YYYY-MM-DD or
--stop-day N (days from each patient's day 0, after the last sample) therapy stopped: leukemic stem cells
left on the stop day and days to molecular relapse (ratio back above 0.1%, loss of MMR), each with a
profile-likelihood interval. The biphasic model is descriptive and has no therapy-off state: a stop
projection is not defined for it (it projects continued therapy only). The Michor model has no
mechanism for lasting treatment-free remission, so it predicts relapse after any stop: a research
model's consequence under its assumptions, never a recommendation about stopping.

Writes DIR/fits.tsv, DIR/projections.tsv, DIR/report.html, DIR/run.json (and DIR/response.tsv for cart
with a response column). A series too short for a model gets one fits.tsv row "status" with an empty
estimate and "not estimable: ..." as its method.`,
	}
	c.AddCommand(withStudy(twinFitCmd()))
	return c
}

type twinFlags struct {
	model, data, patients, out string
	michorParams, stopAt       string
	time, event                string
	horizon, stopDay           float64
	force, quiet               bool
	jobs                       int
}

func twinFitCmd() *cobra.Command {
	var f twinFlags
	c := &cobra.Command{
		Use:   "fit --model biphasic|michor2005|cart --data FILE --out DIR",
		Short: "fit a kinetic model to every patient and project it",
		Args:  cobra.NoArgs,
		Example: `  lsc twin fit --model biphasic --data twin/testdata/measurements.csv --patients twin/testdata/patients.csv --out twin-out/
  lsc twin fit --model michor2005 --data twin/testdata/michor_measurements.csv --patients twin/testdata/michor_patients.csv --stop-day 1500 --out michor-out/
  lsc twin fit --model cart --data twin/testdata/cart.csv --out cart-out/`,
		RunE: func(cmd *cobra.Command, args []string) error { return runTwin(cmd, f) },
	}
	fl := c.Flags()
	fl.StringVar(&f.model, "model", "biphasic", "biphasic, michor2005 or cart")
	fl.StringVar(&f.michorParams, "michor-params", "", "michor2005: rate-constant file (\"name value\" lines) instead of the quoted published values")
	fl.StringVar(&f.stopAt, "stop-at", "", "michor2005: project therapy stopped on this date (YYYY-MM-DD)")
	fl.Float64Var(&f.stopDay, "stop-day", 0, "michor2005: project therapy stopped on this day from each patient's day 0")
	fl.StringVar(&f.data, "data", "", "measurement sheet (CSV/TSV)")
	fl.StringVar(&f.patients, "patients", "", "patient sheet: therapy start (biphasic, michor2005); response and time to event (cart)")
	fl.StringVar(&f.time, "time", "", "cart: column of --patients with the time to event (days from infusion), as lsc survival")
	fl.StringVar(&f.event, "event", "", "cart: column of --patients with the event flag (1/0, 2/1, true/false, yes/no, dead/alive)")
	fl.StringVarP(&f.out, "out", "o", "", "output directory")
	fl.Float64Var(&f.horizon, "horizon-days", 0, "projection beyond the last sample (default 730 biphasic, 365 cart)")
	fl.BoolVar(&f.force, "force", false, "replace existing files in --out")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no summary on stderr")
	fl.IntVar(&f.jobs, "jobs", runtime.NumCPU(), "series fitted in parallel (output order and bytes do not depend on it)")
	c.MarkFlagRequired("data")
	c.MarkFlagRequired("out")
	return c
}

var twinFiles = []string{"fits.tsv", "projections.tsv", "report.html", "run.json", "response.tsv"}

func runTwin(cmd *cobra.Command, f twinFlags) error {
	if f.horizon < 0 {
		return usageError{fmt.Errorf("--horizon-days must be positive")}
	}
	switch f.model {
	case "biphasic", "cart", "michor2005":
	default:
		return usageError{fmt.Errorf("--model %q: use biphasic, michor2005 or cart", f.model)}
	}
	if f.model != "michor2005" && (f.stopAt != "" || f.stopDay != 0 || f.michorParams != "") {
		return usageError{fmt.Errorf("--stop-at, --stop-day and --michor-params need --model michor2005: a stop projection is not defined for the %s model (it describes the course under therapy and has no therapy-off state)", f.model)}
	}
	if (f.time != "" || f.event != "") && (f.model != "cart" || f.patients == "" || f.time == "" || f.event == "") {
		return usageError{fmt.Errorf("--time and --event name the time-to-event columns of the --patients sheet for --model cart: give all three")}
	}
	if f.stopAt != "" && f.stopDay != 0 {
		return usageError{fmt.Errorf("give --stop-at or --stop-day, not both")}
	}
	if f.stopDay < 0 {
		return usageError{fmt.Errorf("--stop-day must be positive (days from the patient's day 0)")}
	}
	if f.jobs < 1 {
		return usageError{fmt.Errorf("--jobs must be at least 1")}
	}
	if err := asUsage(atomicfile.CheckDir(f.out, f.force, twinFiles...)); err != nil {
		return err
	}
	rep, err := twinFit(f)
	if err != nil {
		return err
	}
	run := map[string]any{
		"lsc_version": version,
		"inputs":      map[string]string{"data": f.data, "data_sha256": study.Checksum(f.data), "patients": f.patients, "patients_sha256": study.Checksum(f.patients)},
		"parameters":  map[string]any{"model": f.model, "horizon_days": f.horizon, "stop_at": f.stopAt, "stop_day": f.stopDay, "michor_params": f.michorParams},
		"assumptions": rep.Assumptions,
		"disclaimer":  twin.Disclaimer,
	}
	meta := report.TwinMeta{Version: version, Data: f.data, Patients: f.patients}
	files := []outFile{
		{Name: "fits.tsv", Fill: func(w io.Writer) error { return report.TwinFits(w, rep) }},
		{Name: "projections.tsv", Fill: func(w io.Writer) error { return report.TwinProjections(w, rep) }},
		{Name: "report.html", Fill: func(w io.Writer) error { return report.TwinHTML(w, rep, meta) }},
		{Name: "run.json", Fill: func(w io.Writer) error { return writeJSON(w, run) }},
	}
	if len(rep.Response) > 0 {
		files = append(files, outFile{Name: "response.tsv", Fill: func(w io.Writer) error { return report.TwinResponse(w, rep) }})
	}
	if err := writeDir(f.out, f.force, files); err != nil {
		return err
	}
	if !f.quiet {
		fmt.Fprintf(cmd.ErrOrStderr(), "lsc: %d series fitted (%s); projections are research-model output\n", len(rep.Panels), f.model)
	}
	return nil
}

// twinFit reads the input and runs the chosen model.
func twinFit(f twinFlags) (*twin.Report, error) {
	if f.model == "cart" {
		pts, err := twin.ReadCART(f.data)
		if err != nil {
			return nil, err
		}
		opt := twin.CARTOptions{HorizonDays: f.horizon, Jobs: f.jobs}
		if f.patients != "" {
			sh, err := twin.ReadCARTPatients(f.patients, f.time, f.event)
			if err != nil {
				return nil, err
			}
			if err := twin.MergeResponses(pts, sh, f.data, f.patients); err != nil {
				return nil, err
			}
			opt.Outcomes = sh.Outcomes
		}
		res, err := twin.FitCART(pts, opt)
		if err != nil {
			return nil, err
		}
		return res.Report(), nil
	}
	d, err := mrd.ReadMeasurements(f.data)
	if err != nil {
		return nil, err
	}
	var pts map[string]*mrd.Patient
	if f.patients != "" {
		if pts, err = mrd.ReadPatients(f.patients); err != nil {
			return nil, err
		}
	}
	a, err := mrd.Assess(d, pts, mrd.DefaultParams())
	if err != nil {
		return nil, err
	}
	if f.model == "michor2005" {
		opt := twin.MichorOptions{StopDay: f.stopDay, HorizonDays: f.horizon, Jobs: f.jobs}
		if f.stopAt != "" {
			if opt.StopDate, err = time.Parse("2006-01-02", f.stopAt); err != nil {
				return nil, usageError{fmt.Errorf("--stop-at %q: want a date YYYY-MM-DD", f.stopAt)}
			}
		}
		if f.michorParams != "" {
			fh, err := os.Open(f.michorParams)
			if err != nil {
				return nil, usageError{fmt.Errorf("--michor-params: %w", err)}
			}
			defer fh.Close()
			if opt.Const, err = twin.ReadMichorParams(fh, f.michorParams); err != nil {
				return nil, err
			}
			opt.ConstSource = f.michorParams
		}
		res, err := twin.FitMichorMRD(a, opt)
		if err != nil {
			return nil, err
		}
		return res.Report(), nil
	}
	res, err := twin.FitMRD(a, twin.Options{HorizonDays: f.horizon, Jobs: f.jobs})
	if err != nil {
		return nil, err
	}
	return res.Report(f.model), nil
}

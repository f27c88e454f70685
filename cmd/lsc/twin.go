package main

import (
	"fmt"
	"io"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/lsc-bio/lsc/atomicfile"
	"github.com/lsc-bio/lsc/mrd"
	"github.com/lsc-bio/lsc/report"
	"github.com/lsc-bio/lsc/twin"
)

func twinCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "twin",
		Short: "patient twin: kinetic models fitted to each patient's course, with projections (research models)",
		Long: `Patient twin: mechanistic kinetic models fitted per patient, with profile-likelihood intervals
and model projections. Every projection is research-model output, not a treatment recommendation.

  lsc twin fit --model biphasic --data MEASUREMENTS.csv [--patients PATIENTS.csv] --out DIR
  lsc twin fit --model cart --data CART.csv --out DIR

biphasic: the measurement sheet of 'lsc mrd assess' (same reader, same replicate and detection-limit
rules). Per patient, fraction, target and control: log10 level = log10(A e^-at + B e^-bt), day 0 = the
patient's therapy start (else first measurement), normal error on log10, undetectable samples
left-censored at their own limit; monophasic unless the likelihood-ratio test (2 df) gives p < 0.05.
Half-lives, predicted days of MMR/MR4/MR4.5 (IS series), stem-cell vs blood final slope (LRT, 1 df).

cart: patient, day (from infusion), value (copies/ug DNA or CAR+ cells/uL; BLQ or <LIMIT below the
limit), lloq, optional unit and response. NCA (Cmax, Tmax, AUC0-28, AUC0-90 linear-up log-down,
Clast, Tlast, terminal half-life with adjusted R^2) and the Stein 2019 expansion-contraction-
persistence model; with a response column, Cmax and AUC0-28 of responders (CR, PR, VGPR, ...) vs
non-responders by Mann-Whitney and ROC AUC with DeLong interval.

michor2005: not available from the command line yet. The four-compartment structure is in the library
(twin.SimulateMichor) with rate constants from a parameter file; the published constants could not be
checked against the paper here, so lsc ships none.

Writes DIR/fits.tsv, DIR/projections.tsv, DIR/report.html, DIR/run.json (and DIR/response.tsv for cart
with a response column). A series too short for a model gets one fits.tsv row "status" with an empty
estimate and "not estimable: ..." as its method.`,
	}
	c.AddCommand(withStudy(twinFitCmd()))
	return c
}

type twinFlags struct {
	model, data, patients, out string
	horizon                    float64
	force, quiet               bool
	jobs                       int
}

func twinFitCmd() *cobra.Command {
	var f twinFlags
	c := &cobra.Command{
		Use:   "fit --model biphasic|cart --data FILE --out DIR",
		Short: "fit a kinetic model to every patient and project it",
		Args:  cobra.NoArgs,
		Example: `  lsc twin fit --model biphasic --data twin/testdata/measurements.csv --patients twin/testdata/patients.csv --out twin-out/
  lsc twin fit --model cart --data twin/testdata/cart.csv --out cart-out/`,
		RunE: func(cmd *cobra.Command, args []string) error { return runTwin(cmd, f) },
	}
	fl := c.Flags()
	fl.StringVar(&f.model, "model", "biphasic", "biphasic, cart (michor2005 is not available)")
	fl.StringVar(&f.data, "data", "", "measurement sheet (CSV/TSV)")
	fl.StringVar(&f.patients, "patients", "", "patient sheet with therapy start (biphasic)")
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
	case "biphasic", "cart":
	case "michor2005":
		return fmt.Errorf("--model michor2005: not available from the command line in this version (fitting and projection are not implemented; the Michor et al. 2005 rate constants could not be checked against the paper's own table, so lsc ships none)")
	default:
		return usageError{fmt.Errorf("--model %q: use biphasic or cart", f.model)}
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
		"inputs":      map[string]string{"data": f.data, "data_sha256": sha(f.data), "patients": f.patients, "patients_sha256": sha(f.patients)},
		"parameters":  map[string]any{"model": f.model, "horizon_days": f.horizon},
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
		res, err := twin.FitCART(pts, twin.CARTOptions{HorizonDays: f.horizon, Jobs: f.jobs})
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
	res, err := twin.FitMRD(a, twin.Options{HorizonDays: f.horizon, Jobs: f.jobs})
	if err != nil {
		return nil, err
	}
	return res.Report(f.model), nil
}

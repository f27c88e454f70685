package twin

import (
	"fmt"
	"math"
	"time"
)

// FitRow is one line of fits.tsv.
type FitRow struct {
	Patient, Series, Model, Parameter string
	Estimate, Lower, Upper            float64
	Method                            string
}

// ObsPoint is one measurement as drawn.
type ObsPoint struct {
	Day, Value float64 // Value is the detection limit when Censored
	Censored   bool
}

// Panel is one patient series in the report.
type Panel struct {
	Patient, Series string
	Origin          time.Time // zero for CAR-T (days from infusion)
	YLabel          string
	Observed        []ObsPoint
	Curve           []Point
	Levels          []Level // reference lines
	Lines           []string
}

// Level is a labelled horizontal reference line.
type Level struct {
	Name  string
	Value float64
}

// Report is what the writers of fits.tsv, projections.tsv and report.html
// need, in output order.
type Report struct {
	Model       string
	Fits        []FitRow
	Response    []FitRow // CAR-T kinetics vs response across patients (response.tsv)
	Panels      []Panel
	Assumptions []string
}

// Disclaimer is printed with every projection.
const Disclaimer = "Research model output: projections come from a mechanistic/statistical model fitted to this patient's measurements under the stated assumptions. They are not measurements, are not validated for clinical decisions and are not treatment recommendations."

// Report builds the output view of an MRD fit.
func (r *MRDResult) Report(model string) *Report {
	rep := &Report{Model: model, Assumptions: []string{
		"log10 level(t) = log10(A e^-at + B e^-bt), t in days from the therapy start of the patient sheet (else the patient's first measurement); a > b > 0; A, B in % at day 0.",
		"Normal error on the log10 scale; undetectable samples are left-censored at their own detection limit (one target copy in the sample's control copies, as lsc mrd assess computes it).",
		"Maximum likelihood (Nelder-Mead from fixed start rules); 95% intervals by profile likelihood (chi-square 1 df).",
		"The monophasic model log10(A e^-at) is kept unless the likelihood-ratio test against it (chi-square 2 df) gives p < 0.05.",
		"Projections assume the current therapy continues unchanged and the fitted phases go on as fitted; no resistance, no change of therapy, no adherence effects.",
	}}
	for _, s := range r.Series {
		name := s.Name()
		pn := Panel{Patient: s.Patient, Series: name, Origin: s.Origin, YLabel: "BCR::ABL1 % (" + s.Scale + ")", Curve: s.Curve}
		for _, o := range s.Obs {
			if o.Censored {
				pn.Observed = append(pn.Observed, ObsPoint{o.Day, math.Pow(10, o.Limit), true})
			} else {
				pn.Observed = append(pn.Observed, ObsPoint{o.Day, math.Pow(10, o.Y), false})
			}
		}
		if s.Scale == "IS" {
			for _, m := range Milestones {
				pn.Levels = append(pn.Levels, Level{m.Name, m.Percent})
			}
		}
		if s.Fit == nil {
			rep.Fits = append(rep.Fits, FitRow{Patient: s.Patient, Series: name, Model: "none", Parameter: "status",
				Estimate: math.NaN(), Lower: math.NaN(), Upper: math.NaN(), Method: s.NotEstimable})
			pn.Lines = append(pn.Lines, s.NotEstimable)
			rep.Panels = append(rep.Panels, pn)
			continue
		}
		f := s.Fit
		for _, p := range append(append([]Param{}, f.Params...), s.Derived...) {
			m := p.Method
			if p.Unit != "" {
				m += " [" + p.Unit + "]"
			}
			rep.Fits = append(rep.Fits, FitRow{Patient: s.Patient, Series: name, Model: f.Model, Parameter: p.Name, Estimate: p.Estimate, Lower: p.Lower, Upper: p.Upper, Method: m})
		}
		nan := math.NaN()
		rep.Fits = append(rep.Fits,
			FitRow{s.Patient, name, f.Model, "loglik", f.LogLik, nan, nan, "maximised log-likelihood"},
			FitRow{s.Patient, name, f.Model, "lrt_biphasic_vs_monophasic", f.LRT, nan, nan, "2 (loglik biphasic - loglik monophasic); empty when the biphasic model was not estimable"},
			FitRow{s.Patient, name, f.Model, "lrt_p", f.LRTP, nan, nan, "chi-square 2 df"},
			FitRow{s.Patient, name, f.Model, "n", float64(f.N), nan, nan, "samples fitted"},
			FitRow{s.Patient, name, f.Model, "n_undetectable", float64(f.Censored), nan, nan, "left-censored samples"},
		)
		pn.Lines = append(pn.Lines, f.Note)
		for _, p := range f.Params {
			pn.Lines = append(pn.Lines, fmt.Sprintf("%s = %s [%s, %s] %s", p.Name, g4(p.Estimate), g4(p.Lower), g4(p.Upper), p.Unit))
		}
		for _, p := range s.Derived {
			line := fmt.Sprintf("%s = %s [%s, %s] days", p.Name, g4(p.Estimate), g4(p.Lower), g4(p.Upper))
			if len(p.Name) > 4 && p.Name[:4] == "day_" && !math.IsNaN(p.Estimate) {
				line += " (model projection: " + dateOrNever(s.Origin, p.Estimate) + ", 95% " + dateOrNever(s.Origin, p.Lower) + " to " + dateOrNever(s.Origin, p.Upper) + ")"
			}
			pn.Lines = append(pn.Lines, line)
		}
		rep.Panels = append(rep.Panels, pn)
	}
	for _, c := range r.Comparisons {
		nan := math.NaN()
		name := c.Stem + " vs " + c.Blood
		verdict := "not shown to differ"
		if c.Shallower {
			verdict = "stem-cell slope shallower than blood (the Chu 2011 pattern)"
		} else if c.P < 0.05 {
			verdict = "stem-cell slope steeper than blood"
		}
		rep.Fits = append(rep.Fits,
			FitRow{c.Patient, name, "shared final slope", "stem_final_slope", c.StemSlope, nan, nan, "final-phase rate of the stem-cell fraction, per day"},
			FitRow{c.Patient, name, "shared final slope", "blood_final_slope", c.BloodSlope, nan, nan, "final-phase rate of blood, per day"},
			FitRow{c.Patient, name, "shared final slope", "lrt", c.LRT, nan, nan, "likelihood-ratio test of one shared final slope, chi-square 1 df"},
			FitRow{c.Patient, name, "shared final slope", "p", c.P, nan, nan, verdict},
		)
		for i := range rep.Panels {
			if rep.Panels[i].Patient == c.Patient && rep.Panels[i].Series == c.Stem {
				rep.Panels[i].Lines = append(rep.Panels[i].Lines, fmt.Sprintf("final slope %s/day vs blood %s/day: LRT %s, p = %s: %s", g4(c.StemSlope), g4(c.BloodSlope), g4(c.LRT), fmtP(c.P), verdict))
			}
		}
	}
	return rep
}

// Report builds the output view of a CAR-T fit.
func (r *CARTResult) Report() *Report {
	rep := &Report{Model: "cart", Assumptions: []string{
		"NCA: " + NCARules,
		"Stein 2019 model: exponential expansion at rate rho to Tmax, then (1-FB) contracting at rate alpha and FB persisting at rate beta; normal error on log10, samples below the lloq left-censored at the lloq; maximum likelihood per patient with profile-likelihood 95% intervals.",
		"Projections assume the persistence phase goes on at the fitted rate beta; no re-expansion, no further infusion, no lymphodepletion effects.",
	}}
	nan := math.NaN()
	for _, p := range r.Patients {
		unit := p.Unit
		if unit == "" {
			unit = "level"
		}
		pn := Panel{Patient: p.ID, Series: "CAR-T", YLabel: unit, Curve: p.Curve}
		for _, s := range p.Samples {
			if s.BLQ {
				pn.Observed = append(pn.Observed, ObsPoint{s.Day, s.LLOQ, true})
			} else if s.Value > 0 {
				pn.Observed = append(pn.Observed, ObsPoint{s.Day, s.Value, false})
			}
		}
		n := p.NCA
		for _, x := range []struct {
			name string
			v    float64
			m    string
		}{{"Cmax", n.Cmax, "highest measured level [" + unit + "]"}, {"Tmax", n.Tmax, "day of Cmax"}, {"Clast", n.Clast, "last measurable level"}, {"Tlast", n.Tlast, "day of Clast"},
			{"AUC0-28", n.AUC28, "linear-up log-down, " + unit + " x days; empty when the course ends before day 28"}, {"AUC0-90", n.AUC90, "linear-up log-down; empty when the course ends before day 90"},
			{"half_life", n.HalfLife, "terminal, log-linear on the last points after Tmax, days"}, {"lambda_z", n.LambdaZ, "per day"}, {"adj_r2", n.AdjR2, "adjusted R^2 of the terminal fit"},
			{"half_life_points", float64(n.HalfLifePoints), "samples in the terminal fit"}} {
			rep.Fits = append(rep.Fits, FitRow{p.ID, "CAR-T", "NCA", x.name, x.v, nan, nan, x.m})
		}
		pn.Lines = append(pn.Lines, fmt.Sprintf("NCA: Cmax %s on day %s, AUC0-28 %s, AUC0-90 %s, terminal half-life %s days (adj. R² %s, %d points)",
			g4(n.Cmax), g4(n.Tmax), g4(n.AUC28), g4(n.AUC90), g4(n.HalfLife), g4(n.AdjR2), n.HalfLifePoints))
		if n.Note != "" {
			pn.Lines = append(pn.Lines, "NCA: "+n.Note)
		}
		if p.Fit == nil {
			rep.Fits = append(rep.Fits, FitRow{p.ID, "CAR-T", "stein2019", "status", nan, nan, nan, p.NotEstimable})
			pn.Lines = append(pn.Lines, "Stein 2019 model: "+p.NotEstimable)
			rep.Panels = append(rep.Panels, pn)
			continue
		}
		for _, q := range p.Fit.Params {
			rep.Fits = append(rep.Fits, FitRow{p.ID, "CAR-T", "stein2019", q.Name, q.Estimate, q.Lower, q.Upper, q.Method + " [" + q.Unit + "]"})
			pn.Lines = append(pn.Lines, fmt.Sprintf("%s = %s [%s, %s] %s", q.Name, g4(q.Estimate), g4(q.Lower), g4(q.Upper), q.Unit))
		}
		rep.Fits = append(rep.Fits,
			FitRow{p.ID, "CAR-T", "stein2019", "fold_expansion", p.Fit.FoldExpansion(), nan, nan, "exp(rho Tmax)"},
			FitRow{p.ID, "CAR-T", "stein2019", "loglik", p.Fit.LogLik, nan, nan, "maximised log-likelihood"})
		rep.Panels = append(rep.Panels, pn)
	}
	for _, t := range r.RelateResponse() {
		n := FitRow{Patient: "all", Series: "CAR-T", Model: "response", Lower: nan, Upper: nan}
		n.Parameter, n.Estimate = t.Measure+"_mannwhitney_p", t.MannWhitneyP
		n.Method = fmtInt(t.Responders) + " responders vs " + fmtInt(t.NonResp) + " non-responders, two-sided Wilcoxon rank-sum (R wilcox.test)"
		rep.Response = append(rep.Response, n)
		n.Parameter, n.Estimate, n.Lower, n.Upper = t.Measure+"_roc_auc", t.AUC, t.AUCLower, t.AUCUpper
		n.Method = "ROC AUC for response, DeLong 95% interval (pROC)"
		rep.Response = append(rep.Response, n)
	}
	for _, s := range r.RelateSurvival(r.Options.Outcomes) {
		n := FitRow{Patient: "all", Series: "CAR-T", Model: "survival", Lower: nan, Upper: nan}
		split := fmt.Sprintf("%d above vs %d at or below the median %s (%g vs %g events; expected %.4g vs %.4g)", s.NHigh, s.NLow, g4(s.Median), s.EventsHigh, s.EventsLow, s.ExpectedHigh, s.ExpectedLow)
		n.Parameter, n.Estimate, n.Method = s.Measure+"_median", s.Median, "median of "+s.Measure+" among patients with a time to event (R median)"
		rep.Response = append(rep.Response, n)
		n.Parameter, n.Estimate, n.Method = s.Measure+"_logrank_chisq", s.Chisq, "log-rank, "+split+", R survival survdiff"
		rep.Response = append(rep.Response, n)
		n.Parameter, n.Estimate, n.Method = s.Measure+"_logrank_p", s.P, "chi-square 1 df"
		rep.Response = append(rep.Response, n)
	}
	return rep
}

// NCARules states the NCA conventions (see NCA).
const NCARules = "BLQ before the first measurable sample = 0, between measurable samples dropped, after the last = 0 (PKNCA defaults); C(0) = 0 when there is no day-0 sample; AUC by linear-up log-down trapezoids; terminal half-life by log-linear least squares on the last >= 3 measurable samples after Tmax with the best adjusted R^2 (largest n within 1e-4)."

func g4(v float64) string {
	switch {
	case math.IsNaN(v):
		return "–"
	case math.IsInf(v, 1):
		return "∞"
	case math.IsInf(v, -1):
		return "−∞"
	}
	return fmt.Sprintf("%.4g", v)
}

func dateOrNever(origin time.Time, d float64) string {
	if math.IsInf(d, 1) || d > maxCrossingDays*4 {
		return "never"
	}
	if math.IsNaN(d) {
		return "–"
	}
	return DateAt(origin, d).Format("2006-01-02")
}

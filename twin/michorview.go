package twin

import (
	"fmt"
	"math"
)

// Report builds the output view of a Michor 2005 fit.
func (r *MichorResult) Report() *Report {
	c := r.Options.Const
	src := michorSource
	if r.Options.ConstSource != "" {
		src = "rate constants from " + r.Options.ConstSource
	}
	rep := &Report{Model: "michor2005", Assumptions: []string{
		"Michor et al., Nature 2005;435:1267: stem, progenitor, differentiated and terminally differentiated cells, normal and leukemic, linear kinetics; " + src + ".",
		fmt.Sprintf("Held fixed: d0 = %g, d1 = %g, d2 = %g, d3 = %g, ax = %g, bx = %g, cx = %g, ry = %g, ay = %g, by = %g, cy = %g per day; normal stem cells X0 = %g at homeostasis (so normal terminally differentiated cells are constant).",
			c.D0, c.D1, c.D2, c.D3, c.AX, c.BX, c.CX, c.RY, c.AY, c.BY, c.CY, c.X0),
		"Fitted per patient: y0 (leukemic stem cells at day 0, the therapy start of the patient sheet, else the first measurement), ay_reduction and by_reduction (the fold reductions of the leukemic progenitor and differentiated production rates under therapy; published 100 and 750), sd. Leukemic compartments start in their untreated quasi-steady state; therapy does not act on leukemic stem cells, which grow at ry - d0.",
		"Measured % = 100 y3 / (y3 + 2 x3) (radivot/myelo michor05.R), the ratio of blood; only blood series are fitted. Normal error on log10; undetectable samples left-censored at their own detection limit; maximum likelihood; profile-likelihood 95% intervals (chi-square 1 df), also for the pointwise curves, the stem cells at stop and the time to relapse.",
		"Continued therapy: the fitted rates go on unchanged (no resistance, no dose change, no adherence effects). Stopped therapy: production rates return at once to their untreated values on the stop day; molecular relapse = the modelled ratio first above 0.1% (loss of MMR). The model has no immune control or other mechanism for lasting treatment-free remission, so it predicts relapse after any stop while leukemic stem cells remain.",
	}}
	nan := math.NaN()
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
		pn.Levels = append(pn.Levels, Level{"MMR", MMRPercent})
		if s.Fit == nil {
			rep.Fits = append(rep.Fits, FitRow{Patient: s.Patient, Series: name, Model: "none", Parameter: "status", Estimate: nan, Lower: nan, Upper: nan, Method: s.NotEstimable})
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
			rep.Fits = append(rep.Fits, FitRow{s.Patient, name, "michor2005", p.Name, p.Estimate, p.Lower, p.Upper, m})
		}
		rep.Fits = append(rep.Fits,
			FitRow{s.Patient, name, "michor2005", "loglik", f.LogLik, nan, nan, "maximised log-likelihood"},
			FitRow{s.Patient, name, "michor2005", "n", float64(f.N), nan, nan, "samples fitted"},
			FitRow{s.Patient, name, "michor2005", "n_undetectable", float64(f.Censored), nan, nan, "left-censored samples"})
		if !math.IsNaN(s.StopDay) {
			rep.Fits = append(rep.Fits, FitRow{s.Patient, name, "michor2005", "stop_day", s.StopDay, nan, nan, "therapy stopped in the projection on " + DateAt(s.Origin, s.StopDay).Format("2006-01-02") + " [days from day 0]"})
		}
		for _, p := range f.Params {
			pn.Lines = append(pn.Lines, fmt.Sprintf("%s = %s [%s, %s] %s", p.Name, g4(p.Estimate), g4(p.Lower), g4(p.Upper), p.Unit))
		}
		if s.StopNote != "" {
			pn.Lines = append(pn.Lines, s.StopNote)
		}
		for _, p := range s.Derived {
			switch p.Name {
			case "lsc_at_stop":
				pn.Lines = append(pn.Lines, fmt.Sprintf("model projection: leukemic stem cells left on the stop day %s: %s [%s, %s] (normal stem cells %g)",
					DateAt(s.Origin, s.StopDay).Format("2006-01-02"), g4(p.Estimate), g4(p.Lower), g4(p.Upper), c.X0))
			case "relapse_days_after_stop":
				if math.IsNaN(p.Estimate) {
					pn.Lines = append(pn.Lines, "model projection: time to molecular relapse "+p.Method)
					continue
				}
				pn.Lines = append(pn.Lines, fmt.Sprintf("model projection: ratio back above 0.1%% (loss of MMR) %s days after stopping [95%% %s, %s] (%s)",
					g4(p.Estimate), g4(p.Lower), g4(p.Upper), dateOrNever(s.Origin, s.StopDay+p.Estimate)))
			}
		}
		rep.Panels = append(rep.Panels, pn)
	}
	return rep
}

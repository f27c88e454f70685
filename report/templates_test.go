package report

import "testing"

// TestTemplatesParse: the HTML templates are parsed on first use (not at
// start-up, where they cost every command about 2 ms); each one parses.
// A template that does not panics here, not in a user's run.
func TestTemplatesParse(t *testing.T) {
	for name, get := range map[string]func() any{
		"cart": func() any { return cartPage() }, "cohort": func() any { return cohortTmpl() },
		"compartment summary": func() any { return compSummaryTmpl() }, "compartment sample": func() any { return compSampleTmpl() },
		"mrd cohort": func() any { return mrdCohortTmpl() }, "mrd patient": func() any { return mrdPatientTmpl() },
		"repertoire": func() any { return repertoirePage() }, "stemcells": func() any { return stemTmpl() },
		"timeline": func() any { return timelinePage() }, "twin": func() any { return twinTmpl() },
	} {
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("%s: %v", name, p)
				}
			}()
			if get() == nil {
				t.Errorf("%s: nil template", name)
			}
		}()
	}
}

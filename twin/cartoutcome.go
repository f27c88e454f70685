package twin

import (
	"fmt"

	"github.com/lsc-bio/lsc/clinical"
	"github.com/lsc-bio/lsc/formats"
)

// CARTPatientSheet is a CAR-T patient sheet: one row per patient with the
// columns patient, optional response, and a time and event column named as
// for lsc survival (--time, --event; events 1/0, 2/1, true/false,
// yes/no, dead/alive; time from infusion).
type CARTPatientSheet struct {
	Outcomes  map[string]CARTOutcome
	Responses map[string]string
}

// ReadCARTPatients reads a CAR-T patient sheet. timeCol and eventCol may
// be empty when the sheet only gives responses.
func ReadCARTPatients(path, timeCol, eventCol string) (*CARTPatientSheet, error) {
	t, err := clinical.Read(path)
	if err != nil {
		return nil, err
	}
	ids, ok, err := t.Labels("patient")
	if err != nil {
		return nil, err
	}
	out := &CARTPatientSheet{Outcomes: map[string]CARTOutcome{}, Responses: map[string]string{}}
	seen := map[string]int{}
	for i, r := range t.Rows {
		if !ok[i] {
			return nil, formats.Errorf(path, r.Line, "column patient", "give every row a patient identifier", "empty patient")
		}
		if prev, dup := seen[ids[i]]; dup {
			return nil, formats.Errorf(path, r.Line, "column patient", "one row per patient", "patient %s already on line %d", ids[i], prev)
		}
		seen[ids[i]] = r.Line
	}
	if t.Col("response") >= 0 {
		resp, rok, _ := t.Labels("response")
		for i := range resp {
			if rok[i] {
				out.Responses[ids[i]] = resp[i]
			}
		}
	}
	if timeCol == "" && eventCol == "" {
		return out, nil
	}
	if timeCol == "" || eventCol == "" {
		return nil, fmt.Errorf("%s: give both a time and an event column (--time, --event)", path)
	}
	tm, ev, tok, err := t.Outcome(timeCol, eventCol)
	if err != nil {
		return nil, err
	}
	for i := range tm {
		if tok[i] {
			out.Outcomes[ids[i]] = CARTOutcome{Time: tm[i], Event: ev[i]}
		}
	}
	return out, nil
}

// MergeResponses takes each patient's response from the sheet when the
// kinetics sheet gives none; a patient with two different responses is an
// error naming both files.
func MergeResponses(pts []CARTPatient, sheet *CARTPatientSheet, dataPath, sheetPath string) error {
	for i := range pts {
		r, ok := sheet.Responses[pts[i].ID]
		if !ok {
			continue
		}
		if pts[i].Response != "" && pts[i].Response != r {
			return fmt.Errorf("patient %s: response %q in %s but %q in %s: give one", pts[i].ID, pts[i].Response, dataPath, r, sheetPath)
		}
		pts[i].Response = r
	}
	return nil
}

package store

import (
	"os"
	"path/filepath"
	"testing"
)

// The patient sheet reader never panics: any input is read or refused
// with an error.
func FuzzPatientSheet(f *testing.F) {
	b, _ := os.ReadFile(filepath.Join(fixture, "patients.csv"))
	f.Add(b, "")
	f.Add([]byte("patient,event,date,day,detail\nP1,relapse,,400,\nP1,death,2020-01-01,,\n"), "")
	f.Add([]byte("Patient,os,osi\nA,100,1\nB,NA,NA\n"), "os")
	f.Fuzz(func(t *testing.T, data []byte, timeCol string) {
		p := filepath.Join(t.TempDir(), "p.csv")
		os.WriteFile(p, data, 0o666)
		readPatients(p, PatientOptions{ID: "patient", Time: timeCol})
	})
}

// The run-folder readers never panic on any measurements.tsv or
// compartments.tsv.
func FuzzRunFolder(f *testing.F) {
	for _, n := range []string{"mrd/measurements.tsv", "flow/compartments.tsv", "stem/samples.tsv"} {
		b, _ := os.ReadFile(filepath.Join(fixture, n))
		f.Add(b, filepath.Base(n))
	}
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		switch name {
		case "measurements.tsv", "compartments.tsv", "samples.tsv", "scores.tsv", "projections.tsv", "fits.tsv":
		default:
			name = "measurements.tsv"
		}
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, name), data, 0o666)
		readRun(dir)
	})
}

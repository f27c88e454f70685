package demo

import (
	"embed"
	"io/fs"
	"os"
	"path/filepath"
)

// The demo study (demo/study/README.md): outputs of lsc stemcells, lsc mrd
// assess and lsc flow compartments on real data, and a patient sheet.
//
//go:embed study
var studyFiles embed.FS

// StudyRuns are the run folders of the demo study, in import order.
var StudyRuns = []string{"stem", "mrd", "flow"}

// ExtractStudy writes the demo study into dir and returns the patient
// sheet's path.
func ExtractStudy(dir string) (string, error) {
	err := fs.WalkDir(studyFiles, "study", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(path[len("study"):]))
		if d.IsDir() {
			return os.MkdirAll(dst, 0o777)
		}
		b, err := studyFiles.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o666)
	})
	return filepath.Join(dir, "patients.csv"), err
}

package signature

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func names(s []Signature) string {
	var n []string
	for _, x := range s {
		n = append(n, x.Name)
	}
	return strings.Join(n, ",")
}

// FILE:NAME picks sets, names after it are looked up in the same file and
// then among the built-ins, _Up/_Down pair like _UP/_DOWN, and Separate keeps
// the halves apart (issue 11 item 12). The expectations are the file written
// here.
func TestLoadPicksAndPairs(t *testing.T) {
	dir := t.TempDir()
	gmt := filepath.Join(dir, "sets.gmt")
	os.WriteFile(gmt, []byte("STEM_Up\td\tA\tB\nSTEM_Down\td\tC\nOTHER\td\tD\tE\nX_UP\td\tF\nX_dn\td\tG\n"), 0o644)

	all, err := Load(gmt, LoadOptions{})
	if err != nil || names(all) != "STEM,OTHER,X" {
		t.Fatalf("pairs: %s %v", names(all), err)
	}
	if !reflect.DeepEqual(all[0].Up, []string{"A", "B"}) || !reflect.DeepEqual(all[0].Down, []string{"C"}) || !reflect.DeepEqual(all[2].Down, []string{"G"}) {
		t.Errorf("pair genes: %+v %+v", all[0], all[2])
	}
	sep, err := Load(gmt, LoadOptions{Separate: true})
	if err != nil || names(sep) != "STEM_Up,STEM_Down,OTHER,X_UP,X_dn" {
		t.Errorf("separate: %s %v", names(sep), err)
	}
	mix, err := Load(gmt+":OTHER,stem_up,LSC17", LoadOptions{})
	if err != nil || names(mix) != "OTHER,STEM_Up,LSC17" || mix[2].Weights == nil {
		t.Errorf("mix: %s %v", names(mix), err)
	}
	mix, err = Load("LSC104,"+gmt+":STEM", LoadOptions{})
	if err != nil || names(mix) != "LSC104,STEM" || len(mix[1].Down) != 1 {
		t.Errorf("built-in then file: %s %v", names(mix), err)
	}
	_, err = Load(gmt+":NOPE", LoadOptions{})
	if !errors.Is(err, ErrNoSuchSet) || !strings.Contains(err.Error(), "the file has: STEM, OTHER, X, STEM_Up, STEM_Down, X_UP, X_dn") {
		t.Errorf("unknown set: %v", err)
	}
	_, err = Load(gmt+":OTHER,NOPE", LoadOptions{})
	if !errors.Is(err, ErrNoSuchSet) || !strings.Contains(err.Error(), "not built in") {
		t.Errorf("unknown name after a pick: %v", err)
	}
	if _, err := Load("NOPE", LoadOptions{}); !errors.Is(err, ErrUnknown) {
		t.Errorf("unknown built-in: %v", err)
	}
	if _, err := Load(gmt+","+gmt+":OTHER", LoadOptions{}); err == nil || !strings.Contains(err.Error(), "listed twice") {
		t.Errorf("twice: %v", err)
	}
}

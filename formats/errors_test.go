package formats

import (
	"errors"
	"io/fs"
	"os"
	"testing"
)

// Errorf keeps a %w cause in the chain (issue 12 item 3); Failure marks a
// sentinel without printing it twice.
func TestErrorChains(t *testing.T) {
	_, cause := os.Open("/nonexistent/x")
	err := Errorf("x.tsv", 3, "", "check the path", "cannot read: %w", cause)
	if !errors.Is(err, fs.ErrNotExist) || err.Err != cause {
		t.Errorf("cause lost: %#v", err)
	}
	if got := err.Error(); got != "x.tsv line 3: cannot read: "+cause.Error()+"; check the path" {
		t.Errorf("message: %q", got)
	}
	kind := errors.New("no gene sets")
	e2 := Failure(kind, "s.gmt", 0, "", "add sets", "no gene sets in the file")
	if !errors.Is(e2, kind) || e2.Error() != "s.gmt: no gene sets in the file; add sets" {
		t.Errorf("failure: %v", e2)
	}
}

func TestDelimiter(t *testing.T) {
	for h, want := range map[string]byte{"a\tb\tc": '\t', "a,b,c": ',', "a;b;c": ';', "a": ',', "\"x,y\";b": ';', "a\tb,c": '\t'} {
		if got := Delimiter([]byte(h)); got != want {
			t.Errorf("%q: %q, want %q", h, got, want)
		}
	}
}

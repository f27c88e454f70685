package xmltree

import (
	"strings"
	"testing"
)

// Latin-1 bytes decode to the same code points in UTF-8 (ISO-8859-1 maps
// byte b to U+00b); an encoding lsc cannot read is named in the error.
func TestCharsets(t *testing.T) {
	doc := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a n=\"caf\xe9\">\xb5m</a>"
	root, err := Parse(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	a := root.Child("a")
	if a.Attr["n"] != "café" || a.Text != "µm" {
		t.Errorf("%q %q", a.Attr["n"], a.Text)
	}
	_, err = Parse(strings.NewReader(`<?xml version="1.0" encoding="Shift_JIS"?><a/>`))
	if err == nil || !strings.Contains(err.Error(), "Shift_JIS") {
		t.Errorf("unknown encoding: %v", err)
	}
}

package gatingml

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lsc-bio/lsc/flow"
	"github.com/lsc-bio/lsc/flow/fcs"
)

// xs:ID values are XML NCNames; this is the ASCII part of the production
// (XML Namespaces 1.0, [4] NCName), which is all ncname produces from ASCII ids.
var ncnameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9._-]*$`)

// lsc names compartment gates "CD34+" and "CD34+CD38-", and FlowJo
// populations by their path; Gating-ML 2.0 requires gate ids to be xs:ID
// values, and FlowKit refuses a file whose ids are not (found running
// bench/peers-flowkit.py). Written ids must be NCNames, unique, with every
// reference following them, and reading the file back must give the same
// population paths and counts.
func TestWriteValidIDs(t *testing.T) {
	if _, err := os.Stat(gateRef); err != nil {
		t.Skip("../shared/testdata absent")
	}
	ds, err := fcs.ReadFile(filepath.Join(gateRef, "data1.fcs"))
	if err != nil {
		t.Fatal(err)
	}
	rect := func(id, parent string, lo float64) *flow.Gate {
		return &flow.Gate{ID: id, Parent: parent, Kind: "rectangle",
			Dims: []flow.Dim{{Name: "FSC-H", Min: lo, HasMin: true}}}
	}
	s := &flow.Strategy{Gates: []*flow.Gate{
		rect("CD34+", "", 100),
		rect("CD34+CD38-", "CD34+", 200),
		rect("CD34_posCD38-", "CD34+", 300), // collides with the mapped id above
		rect("Lymphocytes/Singlets", "CD34+", 150),
		{ID: "1st not", Parent: "CD34+", Kind: "boolean", Op: "not", Refs: []flow.Ref{{ID: "CD34+CD38-"}}},
	}}
	var buf strings.Builder
	if err := Write(&buf, s); err != nil {
		t.Fatal(err)
	}
	xml := buf.String()
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(`gating:id="([^"]*)"`).FindAllStringSubmatch(xml, -1) {
		if !ncnameRE.MatchString(m[1]) {
			t.Errorf("id %q is not an NCName", m[1])
		}
		if seen[m[1]] {
			t.Errorf("id %q written twice", m[1])
		}
		seen[m[1]] = true
	}
	for _, m := range regexp.MustCompile(`gating:(?:parent_id|ref)="([^"]*)"`).FindAllStringSubmatch(xml, -1) {
		if !seen[m[1]] {
			t.Errorf("reference %q to no written id", m[1])
		}
	}
	if len(seen) != len(s.Gates) {
		t.Errorf("%d ids for %d gates:\n%s", len(seen), len(s.Gates), xml)
	}
	s2, err := Read(strings.NewReader(xml), "ids.xml")
	if err != nil {
		t.Fatalf("%v\n%s", err, xml)
	}
	a, err := flow.NewEvaluator(s, ds[0]).Apply()
	if err != nil {
		t.Fatal(err)
	}
	b, err := flow.NewEvaluator(s2, ds[0]).Apply()
	if err != nil || len(a) != len(b) {
		t.Fatalf("%v: %d vs %d populations", err, len(a), len(b))
	}
	for i := range a {
		if a[i].Path != b[i].Path || a[i].Count != b[i].Count {
			t.Errorf("%s: %d, read back %s: %d", a[i].Path, a[i].Count, b[i].Path, b[i].Count)
		}
	}
	// Where xmllint is installed (Debian libxml2-utils), the file must also
	// validate against the Gating-ML 2.0 schema shipped with FlowKit.
	xsd := filepath.Join(filepath.Dir(gateRef), "gatingml-2.0-xsd", "Gating-ML.v2.0.xsd")
	if lint, err := exec.LookPath("xmllint"); err == nil {
		f := filepath.Join(t.TempDir(), "ids.xml")
		os.WriteFile(f, []byte(xml), 0o644)
		if out, err := exec.Command(lint, "--noout", "--schema", xsd, f).CombinedOutput(); err != nil {
			t.Errorf("xmllint: %v\n%s", err, out)
		}
	}
}

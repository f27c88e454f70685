package fcs

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const flowData = "../../../shared/testdata/flow"

func need(t *testing.T, rel string) string {
	p := filepath.Join(flowData, rel)
	if _, err := os.Stat(p); err != nil {
		t.Skip("../shared/testdata absent")
	}
	return p
}

func read1(t *testing.T, rel string) *Dataset {
	ds, err := ReadFile(need(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	return ds[0]
}

// readNpy reads a little-endian float64 C-order NumPy array.
func readNpy(t *testing.T, path string) ([]float64, []int) {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	hl := int(binary.LittleEndian.Uint16(b[8:10]))
	head := string(b[10 : 10+hl])
	if !strings.Contains(head, "'<f8'") || strings.Contains(head, "True") {
		t.Fatalf("unexpected npy header %s", head)
	}
	m := regexp.MustCompile(`\((\d+), (\d+)\)`).FindStringSubmatch(head)
	r, _ := strconv.Atoi(m[1])
	c, _ := strconv.Atoi(m[2])
	data := b[10+hl:]
	out := make([]float64, r*c)
	for i := range out {
		out[i] = math.Float64frombits(binary.LittleEndian.Uint64(data[8*i:]))
	}
	return out, []int{r, c}
}

// FlowIO's truth arrays (whitews/FlowIO data/truth): raw and preprocessed
// events of data1.fcs, preprocessed events of the Accuri B01 file.
func TestMatchesFlowIOTruth(t *testing.T) {
	d := read1(t, "flowkit/gate_ref/data1.fcs")
	raw, shape := readNpy(t, need(t, "flowio/truth/data1_original_events.npy"))
	if shape[0] != d.Events || shape[1] != len(d.Params) {
		t.Fatalf("shape %v, lsc %d x %d", shape, d.Events, len(d.Params))
	}
	for i := range raw {
		if raw[i] != d.Data[i] {
			t.Fatalf("raw value %d: %v, FlowIO %v", i, d.Data[i], raw[i])
		}
	}
	pre, _ := readNpy(t, need(t, "flowio/truth/data1_preprocessed.npy"))
	sc := d.Scaled()
	for i := range pre {
		if math.Abs(sc[i]-pre[i]) > 1e-9*math.Max(1, math.Abs(pre[i])) {
			t.Fatalf("scaled value %d: %v, FlowIO %v", i, sc[i], pre[i])
		}
	}
	b01 := read1(t, "flowio/fcs_files/B01 KC-A-W---91-US.fcs")
	pre, shape = readNpy(t, need(t, "flowio/truth/B01 KC-A-W---91-US_preprocessed_events.npy"))
	sc = b01.Scaled()
	if shape[0] != b01.Events {
		t.Fatalf("B01 events %d, FlowIO %d", b01.Events, shape[0])
	}
	for i := range pre {
		if math.Abs(sc[i]-pre[i]) > 1e-9*math.Max(1, math.Abs(pre[i])) {
			t.Fatalf("B01 scaled value %d: %v, FlowIO %v", i, sc[i], pre[i])
		}
	}
}

// Expected values from FlowIO's tests (variable-width integers masked by
// $PnR) and fcsparser's tests/test_fcs_reader.py (first rows of DATA).
func TestMatchesPublishedRows(t *testing.T) {
	v := read1(t, "flowio/fcs_files/variable_int_example.fcs")
	if v.At(0, 25) != 8265081 || v.At(1, 25) != 15691602 {
		t.Errorf("variable_int channel 26: %v %v, FlowIO 8265081 15691602", v.At(0, 25), v.At(1, 25))
	}
	rows := []struct {
		file string
		rows [][]float64
		tol  float64
	}{
		{"fcsparser/Cytek_xP5/Cytek_xP5.fcs", [][]float64{{0, 286, 164, 154, 54, 470, 1023, 770}, {0, 171, 128, 153, 199, 91, 211, 12}}, 0},
		{"fcsparser/cyflow_cube_8/cyflow_cube_8.fcs", [][]float64{{8, 7, 15, 15, 5, 8, 7, 6, 23, 0}, {6, 7, 13, 14, 6, 9, 10, 4, 23, 0}}, 0},
		{"fcsparser/fake_bitmask_error/fcs1_cleaned.lmd", [][]float64{{528, 528, 528, 528, 528, 528, 528}, {528, 528, 528, 528, 528, 528, 528}}, 0},
		{"fcsparser/HTS_BD_LSR-II/HTS_BD_LSR_II_Mixed_Specimen_001_D6_D06.fcs", [][]float64{{-2.85312500000000000000e+04, 1.00000000000000000000e+01,
			0, 7.00149963378906250000e+02, 1.65600000000000000000e+03, 2.77083515625000000000e+04, 9.87999954223632812500e+01,
			5.41499977111816406250e+01, 1.64220001220703125000e+02, 1.20360000610351562500e+02, 2.00000002980232238770e-01}}, 1e-4},
		{"fcsparser/MiltenyiBiotec/FCS3.1/EY_2013-07-19_PBS_FCS_3.1_Well_A1.001.fcs", [][]float64{{1.2572854e-05, 3.3333333e-04, 3.3333333e-04,
			8.3999999e-02, 6.2567286e-02, 2.0574589e+00, 1.5204989e+01, 2.6814053e+00, 3.0260124e+00, 4.4305920e+02, 2.6206520e-01,
			1.0939966e+00, 1.1977422e+02, 2.3151575e-01, 5.0724781e-01, 2.2820773e+02, -4.5996591e-01, 3.7070319e-01, -5.7914429e+02}}, 1e-4},
	}
	for _, r := range rows {
		d := read1(t, r.file)
		for e, want := range r.rows {
			for i, w := range want {
				if math.Abs(d.At(e, i)-w) > r.tol {
					t.Errorf("%s event %d param %d: %v, fcsparser %v", r.file, e+1, i+1, d.At(e, i), w)
				}
			}
		}
	}
}

func TestEventCountsAndDatasets(t *testing.T) {
	for file, want := range map[string][]int{
		"flowkit/multi_dataset_fcs/coulter.lmd":                                   {18110, 18110},
		"cytoflow-instruments/Beckman Coulter - Cytomics FC500.LMD":               {27072, 27072},
		"cytoflow-instruments/Beckman Coulter - MoFlo Astrios - log settings.fcs": {5826},
		"flowkit/100715.fcs":  {65016},
		"catalyst/raw_01.fcs": {679},
		"cytoflow-instruments/Applied Biosystems - Attune.fcs": {22188},
	} {
		ds, err := ReadFile(need(t, file))
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != len(want) {
			t.Errorf("%s: %d data sets, want %d", file, len(ds), len(want))
			continue
		}
		for i, d := range ds {
			if d.Events != want[i] || len(d.Data) != d.Events*len(d.Params) {
				t.Errorf("%s[%d]: %d events", file, i, d.Events)
			}
		}
	}
	// Attune writes empty values as doubled delimiters: read as empty, with a warning.
	at := read1(t, "cytoflow-instruments/Applied Biosystems - Attune.fcs")
	if v, ok := at.Keyword("$COM"); !ok || v != "" || len(at.Warnings) == 0 {
		t.Errorf("Attune $COM %q %v, warnings %v", v, ok, at.Warnings)
	}
	if c, _ := at.Keyword("$CYT"); c != "Attune Cytometric Software v1.0" {
		t.Errorf("$CYT %q", c)
	}
}

func TestBrokenFilesFailClearly(t *testing.T) {
	for file, want := range map[string]string{
		"fcsparser/corrupted/corrupted.fcs":         "HEADER",
		"fcsparser/cytek-nl-2000/sample_header.fcs": "HEADER and TEXT but not the events",
	} {
		_, err := ReadFile(need(t, file))
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), filepath.Base(file)) {
			t.Errorf("%s: %v", file, err)
		}
	}
	// Header-only file: the keywords are still readable (fcsparser's annotation
	// has 200 entries: these 199 keywords and its own "__header__").
	meta, err := ReadMeta(need(t, "fcsparser/cytek-nl-2000/sample_header.fcs"))
	if err != nil || len(meta.Keywords) != 199 {
		t.Errorf("meta-only: %v, %d keywords", err, len(meta.Keywords))
	}
}

// Hand-made files: TEXT escaping, 3-byte big-endian integers, masks, ASCII.
func TestHandMadeFiles(t *testing.T) {
	text := "/$BEGINANALYSIS/0/$ENDANALYSIS/0/$BEGINSTEXT/0/$ENDSTEXT/0/$BYTEORD/4,3,2,1/$DATATYPE/I/$MODE/L/$NEXTDATA/0/$PAR/2/$TOT/2/" +
		"$P1N/FL1//x/$P1B/24/$P1E/0,0/$P1R/1024/$P2N/FL2/$P2B/16/$P2E/0,0/$P2R/65536/$P2S/CD34/"
	data := []byte{0x00, 0x04, 0x01, 0x00, 0x07, 0x00, 0x03, 0xff, 0xff, 0xff}
	b := buildFCS("FCS3.1", text, data)
	ds, err := Read(bytes.NewReader(b), "hand.fcs")
	if err != nil {
		t.Fatal(err)
	}
	d := ds[0]
	if d.Params[0].N != "FL1/x" || d.Params[1].S != "CD34" {
		t.Errorf("names %q %q", d.Params[0].N, d.Params[1].S)
	}
	// 0x000401 masked to 10 bits = 1; 0x0007 = 7; 0x0003ff = 1023; 0xffff = 65535.
	want := []float64{1, 7, 1023, 65535}
	for i, w := range want {
		if d.Data[i] != w {
			t.Errorf("value %d = %v, want %v", i, d.Data[i], w)
		}
	}
	if i, err := d.Channel("CD34"); err != nil || i != 1 {
		t.Errorf("Channel(CD34) = %d, %v", i, err)
	}
	// Truncated DATA: an error naming the file.
	if _, err := Read(bytes.NewReader(b[:len(b)-3]), "short.fcs"); err == nil || !strings.Contains(err.Error(), "short.fcs") {
		t.Errorf("truncated: %v", err)
	}
}

func buildFCS(version, text string, data []byte) []byte {
	ts := 58
	te := ts + len(text) - 1
	ds := te + 1
	de := ds + len(data) - 1
	h := []byte(version + "    ")
	for _, v := range []int{ts, te, ds, de, 0, 0} {
		h = append(h, []byte(pad8(v))...)
	}
	out := append(h, []byte(text)...)
	return append(out, data...)
}

func pad8(v int) string {
	s := strconv.Itoa(v)
	return strings.Repeat(" ", 8-len(s)) + s
}

func FuzzParse(f *testing.F) {
	text := "/$BYTEORD/1,2,3,4/$DATATYPE/F/$MODE/L/$PAR/1/$TOT/1/$P1N/A/$P1B/32/$P1E/0,0/$P1R/1024/"
	f.Add(buildFCS("FCS3.1", text, []byte{0, 0, 128, 63}))
	f.Add(buildFCS("FCS2.0", strings.Replace(strings.Replace(text, "/F/", "/I/", 1), "$P1B/32", "$P1B/16", 1), []byte{1, 2}))
	f.Add([]byte("FCS3.0    "))
	f.Fuzz(func(t *testing.T, b []byte) {
		ds, err := Read(bytes.NewReader(b), "fuzz.fcs")
		if err != nil {
			return
		}
		for _, d := range ds {
			if len(d.Data) != d.Events*len(d.Params) {
				t.Fatalf("%d values for %d x %d", len(d.Data), d.Events, len(d.Params))
			}
			d.Scaled()
		}
	})
}

// Written files read back with the same values (as float32) and keywords.
func TestWriteReadBack(t *testing.T) {
	var buf strings.Builder
	ch := []Channel{{N: "FSC-A", Range: 262144}, {N: "B515-A", S: "CD34/FITC"}}
	ev := []float64{1.5, -2.25, 1e5, 3}
	if err := Write(&buf, ch, ev, map[string]string{"$CYT": "lsc test", "$PAR": "99"}); err != nil {
		t.Fatal(err)
	}
	ds, err := Read(strings.NewReader(buf.String()), "w.fcs")
	if err != nil {
		t.Fatal(err)
	}
	d := ds[0]
	if d.Version != "3.1" || d.Events != 2 || len(d.Params) != 2 || len(d.Warnings) != 0 {
		t.Fatalf("%+v", d)
	}
	for i, v := range ev {
		if d.Data[i] != v {
			t.Errorf("value %d = %v, want %v", i, d.Data[i], v)
		}
	}
	if c, _ := d.Keyword("$CYT"); c != "lsc test" || d.Params[1].S != "CD34/FITC" {
		t.Errorf("keywords: %q %q", c, d.Params[1].S)
	}
}

// go test -bench ReadFCS ./flow/fcs: parse a 65,016-event, 16-channel float
// file (4.2 MB) held in memory; the peer comparison is bench/fcs.sh.
func BenchmarkReadFCS(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join(flowData, "flowkit/100715.fcs"))
	if err != nil {
		b.Skip("../shared/testdata absent")
	}
	b.SetBytes(int64(len(raw)))
	for i := 0; i < b.N; i++ {
		if _, err := Read(bytes.NewReader(raw), "bench.fcs"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadFCSInt16(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join(flowData, "flowio/fcs_files/3FITC_4PE_004.fcs"))
	if err != nil {
		b.Skip("../shared/testdata absent")
	}
	b.SetBytes(int64(len(raw)))
	for i := 0; i < b.N; i++ {
		if _, err := Read(bytes.NewReader(raw), "bench.fcs"); err != nil {
			b.Fatal(err)
		}
	}
}

// Every FCS/LMD file in ../shared/testdata/flow reads, except the two
// documented broken ones, which fail with an error (never a panic).
func TestAllSharedFilesRead(t *testing.T) {
	if _, err := os.Stat(flowData); err != nil {
		t.Skip("../shared/testdata absent")
	}
	broken := map[string]bool{"corrupted.fcs": true, "sample_header.fcs": true}
	n := 0
	filepath.Walk(flowData, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return nil
		}
		l := strings.ToLower(p)
		if !(strings.HasSuffix(l, ".fcs") || strings.HasSuffix(l, ".lmd") || strings.Contains(l, "flowcore/0877") || strings.Contains(l, "compdata/data/")) {
			return nil
		}
		ds, err := ReadFile(p)
		if broken[filepath.Base(p)] {
			if err == nil {
				t.Errorf("%s read without error", p)
			}
			return nil
		}
		if err != nil {
			t.Errorf("%s: %v", p, err)
			return nil
		}
		for _, d := range ds {
			if len(d.Data) != d.Events*len(d.Params) || d.Events == 0 {
				t.Errorf("%s: %d values for %d x %d", p, len(d.Data), d.Events, len(d.Params))
			}
		}
		n++
		return nil
	})
	if n < 50 {
		t.Errorf("only %d files read", n)
	}
}

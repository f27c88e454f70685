package fcs

import (
	"errors"
	"strings"
	"testing"
)

// The simple-line file holds what its name says: channel_A =
// float32(65536 + i*65536/99), channel_B = 131072 (testdata/README.md).
func TestSimpleLineFixture(t *testing.T) {
	ds, err := ReadFile("testdata/data_set_simple_line_100.fcs")
	if err != nil {
		t.Fatal(err)
	}
	d := ds[0]
	if d.Version != "3.1" || d.Events != 100 || len(d.Params) != 2 || d.DataType != "F" || d.Params[0].N != "channel_A" {
		t.Fatalf("%s: FCS%s %d events %d params %s", d.Path, d.Version, d.Events, len(d.Params), d.DataType)
	}
	for i := 0; i < 100; i++ {
		a := float64(float32(65536 + float64(i)*65536/99))
		if d.At(i, 0) != a || d.At(i, 1) != 131072 {
			t.Fatalf("event %d: %v %v, want %v 131072", i, d.At(i, 0), d.At(i, 1), a)
		}
	}
	if _, err := d.Channel("channel_C"); !errors.Is(err, ErrNoChannel) {
		t.Errorf("unknown channel: %v", err)
	}
}

// Broken files: an error naming the file with a sentinel callers can test.
func TestFixtureErrors(t *testing.T) {
	_, err := ReadFile("testdata/corrupted.fcs")
	if !errors.Is(err, ErrNotFCS) || !strings.Contains(err.Error(), "corrupted.fcs") {
		t.Errorf("corrupted: %v", err)
	}
	_, err = ReadFile("testdata/cytek_nl2000_header_only.fcs")
	if !errors.Is(err, ErrNoData) {
		t.Errorf("header only: %v", err)
	}
	if m, err := ReadMeta("testdata/cytek_nl2000_header_only.fcs"); err != nil || len(m.Params) == 0 {
		t.Errorf("header only, keywords: %v", err)
	}
	ds, err := ReadFile("testdata/data_start_offset_discrepancy_example.fcs")
	if err != nil || len(ds[0].Warnings) == 0 {
		t.Errorf("offset discrepancy: %v, warnings %v", err, ds)
	}
}

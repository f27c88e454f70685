package plot

import "testing"

func TestTicks(t *testing.T) {
	got := NiceTicks(0, 1, 5)
	want := []string{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}
	if len(got) != len(want) {
		t.Fatalf("%v", got)
	}
	for i := range want {
		if got[i].Label != want[i] {
			t.Errorf("tick %d = %q, want %q", i, got[i].Label, want[i])
		}
	}
	if g := NiceTicks(0, 6400, 6); g[0].Label != "0" || g[len(g)-1].V != 6000 {
		t.Errorf("%v", g)
	}
	if g := LogTicks(0.001, 100); len(g) != 6 || g[0].Label != "0.001" || g[5].Label != "100" {
		t.Errorf("%v", g)
	}
}

func TestCoverTicks(t *testing.T) {
	g := CoverTicks(0, 97.7, 5)
	if g[len(g)-1].V < 97.7 || g[len(g)-1].Label != "100" {
		t.Errorf("%v", g)
	}
	g = CoverTicks(0, 0.93, 5)
	if g[len(g)-1].V < 0.93 || g[len(g)-1].Label != "1.0" {
		t.Errorf("%v", g)
	}
}

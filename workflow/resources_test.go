package workflow

import "testing"

// Expected values worked by hand from the formulas in SampleResources'
// and GatherResources' documentation.
func TestResources(t *testing.T) {
	for _, c := range []struct {
		bytes int64
		dense bool
		want  Resources
	}{
		{688128, true, Resources{2, 1024, 11}},     // 0.66 MiB: 512+2*(40+36.3)=665 -> 768, raised to 1 GB
		{100 << 20, true, Resources{2, 11776, 20}}, // 512+2*(40+5500)=11592 -> 46*256
		{1 << 30, true, Resources{2, 16384, 113}},
		{1 << 30, false, Resources{2, 2048, 113}}, // capped; 10+ceil(102.4)
	} {
		if got := SampleResources(c.bytes, c.dense); got != c.want {
			t.Errorf("SampleResources(%d) = %+v, want %+v", c.bytes, got, c.want)
		}
	}
	// 20 GiB of input: 1024+20480/10=3072 MB (a multiple of 256), 30+ceil(204.8)=235 min.
	if got, want := GatherResources(20<<30), (Resources{2, 3072, 235}); got != want {
		t.Errorf("GatherResources(20 GiB) = %+v, want %+v", got, want)
	}
}

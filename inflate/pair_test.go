package inflate

import (
	"math/rand/v2"
	"testing"
)

// pairEntryByEntry is the earlier form of pairLiterals: every primary entry
// that decodes a literal is paired with the entry for the bits after it,
// when that is a literal whose code fits in the bits left. Entries are
// visited from the top, so the entry read (index i>>len) is not yet
// rewritten.
func pairEntryByEntry(t *[litSize]uint32) {
	for i := 1<<litBits - 1; i >= 0; i-- {
		e := t[i]
		if e&(fLit|fSub|fEOB) != fLit {
			continue
		}
		l1 := e & 0xff
		e2 := t[i>>l1]
		if e2&(fLit|fSub|fEOB) != fLit || e2&fTwo != 0 {
			continue
		}
		if l2 := e2 & 0xff; l1+l2 <= litBits {
			t[i] = e&^0xff | fTwo | (e2>>16&0xff)<<24 | (l1 + l2)
		}
	}
}

// randomLengths returns the code lengths of a random complete prefix code
// over n of the 286 literal/length symbols: leaves split at random (depth
// at most 15) until there are n, then given to random symbols.
func randomLengths(rng *rand.Rand, n int, shallow bool) []uint8 {
	depths := []uint8{0}
	for len(depths) < n {
		i := rng.IntN(len(depths))
		if shallow {
			i = 0 // a short leaf: many short codes
			for j, d := range depths {
				if d < depths[i] {
					i = j
				}
			}
		}
		if depths[i] == maxLen {
			continue
		}
		depths[i]++
		depths = append(depths, depths[i])
	}
	lens := make([]uint8, 286)
	for k, s := range rng.Perm(286)[:n] {
		lens[s] = depths[k]
	}
	return lens
}

// TestPairLiteralsAsEntryByEntry: pairLiterals, which writes each pair of
// literal codes' entries, gives the same table as the entry-by-entry pass
// (the expectation), on random complete codes, the fixed code and a single
// code of length one.
func TestPairLiteralsAsEntryByEntry(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var cases [][]uint8
	for k := range 400 {
		cases = append(cases, randomLengths(rng, 2+rng.IntN(285), k%2 == 0))
	}
	fixed := make([]uint8, 288)
	for i := range fixed {
		fixed[i] = map[bool]uint8{true: 8, false: 9}[i < 144 || i >= 280]
		if i >= 256 && i < 280 {
			fixed[i] = 7
		}
	}
	one := make([]uint8, 286)
	one['7'] = 1
	cases = append(cases, fixed, one)
	pairs := 0
	for k, lens := range cases {
		var want, got [litSize]uint32
		if !build(want[:], lens, litBits, litTemplates[:]) {
			t.Fatalf("case %d: not a valid code", k)
		}
		got = want
		pairEntryByEntry(&want)
		pairLiterals(&got, lens)
		if got != want {
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("case %d: entry %d is %#x, want %#x", k, i, got[i], want[i])
				}
			}
		}
		for _, e := range got[:1<<litBits] {
			if e&fTwo != 0 {
				pairs++
			}
		}
	}
	if pairs == 0 {
		t.Fatal("no case had a pair of literals")
	}
}

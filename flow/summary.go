package flow

import "math"

// PopulationCount is one population's count with its frequencies, and the
// count another tool (FlowJo) stored for it when there is one.
type PopulationCount struct {
	Path, ID      string
	Count         int
	ParentCount   int     // the parent's count, or all events at the root
	PercentParent float64 // NaN when the parent is empty
	PercentTotal  float64 // NaN when there are no events
	// Reference is the count stored with the gating (FlowJo's), -1 when
	// none; Difference is Count - Reference.
	Reference  int
	Difference int
}

// Counts summarises gated populations of a data set of total events:
// counts, parent counts and percentages; reference holds counts stored
// with the gating by population id (nil or missing ids: none).
func Counts(pops []Population, total int, reference map[string]int) []PopulationCount {
	byID := make(map[string]int, len(pops))
	for _, p := range pops {
		byID[p.ID] = p.Count
	}
	out := make([]PopulationCount, 0, len(pops))
	for _, p := range pops {
		c := PopulationCount{Path: p.Path, ID: p.ID, Count: p.Count, ParentCount: total,
			PercentParent: math.NaN(), PercentTotal: math.NaN(), Reference: -1}
		if p.Parent != "" {
			c.ParentCount = byID[p.Parent]
		}
		if c.ParentCount > 0 {
			c.PercentParent = 100 * float64(p.Count) / float64(c.ParentCount)
		}
		if total > 0 {
			c.PercentTotal = 100 * float64(p.Count) / float64(total)
		}
		if r, ok := reference[p.ID]; ok && r >= 0 {
			c.Reference, c.Difference = r, p.Count-r
		}
		out = append(out, c)
	}
	return out
}

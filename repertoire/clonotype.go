package repertoire

import (
	"errors"
	"fmt"
	"strings"

	"github.com/lsc-bio/lsc/airr"
)

// Options define clonotypes (scirpy tl.define_clonotypes, identity metric).
type Options struct {
	Sequence     string // "nt" (junction, default), "aa" (junction_aa) or "strict" (V(D)JC genes + junction nt, scRepertoire's CTstrict)
	ReceptorArms string // "all" (default), "any", "VJ", "VDJ"
	DualIR       string // "any" (default), "primary_only", "all"
	// WithinGroup keeps clonotypes inside one receptor_type (scirpy's
	// default); NoGroup lifts that.
	NoGroup bool
}

// ErrOption is wrapped by errors about an unknown option value.
var ErrOption = errors.New("unknown option value")

func (o *Options) fill() error {
	def := func(s *string, d string, ok ...string) error {
		if *s == "" {
			*s = d
		}
		for _, v := range ok {
			if *s == v {
				return nil
			}
		}
		return fmt.Errorf("%w %q (use one of %s)", ErrOption, *s, strings.Join(ok, ", "))
	}
	if err := def(&o.Sequence, "nt", "nt", "aa", "strict"); err != nil {
		return fmt.Errorf("sequence: %w", err)
	}
	if err := def(&o.ReceptorArms, "all", "all", "any", "VJ", "VDJ"); err != nil {
		return fmt.Errorf("receptor arms: %w", err)
	}
	if err := def(&o.DualIR, "any", "any", "primary_only", "all"); err != nil {
		return fmt.Errorf("dual IR: %w", err)
	}
	return nil
}

// Clonotypes holds one clone id per cell (-1: no receptor sequences in the
// arms used) and each clonotype's size in cells.
type Clonotypes struct {
	ID   []int
	Size []int // by clone id
}

// view is the receptor of one cell as the options see it: sequences and
// the group as small integers (0 = absent), so nodes are map keys without
// string building.
type view struct {
	arms  [2][2]int32 // [VJ,VDJ][1,2]
	group int32
}

// Define assigns clonotypes to cells. Cells with the same receptor
// configuration are one node; nodes are joined when they match under the
// options; clonotypes are the connected components, numbered in order of
// their first cell.
func Define(cells []Cell, opt Options) (*Clonotypes, error) {
	if err := opt.fill(); err != nil {
		return nil, err
	}
	ids := map[string]int32{}
	intern := func(s string) int32 {
		if s == "" {
			return 0
		}
		id, ok := ids[s]
		if !ok {
			id = int32(len(ids) + 1)
			ids[s] = id
		}
		return id
	}
	groups := map[string]int32{}
	seq := func(ch *airr.Chain) int32 {
		if ch == nil {
			return 0
		}
		if opt.Sequence == "strict" {
			if ch.Junction == "" {
				return 0
			}
			return intern(ch.VCall + "." + ch.DCall + "." + ch.JCall + "." + ch.CCall + "_" + ch.Junction)
		}
		return intern(ch.Seq(opt.Sequence))
	}
	use := [2]bool{opt.ReceptorArms != "VDJ", opt.ReceptorArms != "VJ"}
	nodeOf := make([]int32, len(cells))
	var nodes []view
	index := map[view]int32{}
	for i := range cells {
		c := &cells[i]
		nodeOf[i] = -1
		if !c.HasIR() {
			continue
		}
		var v view
		if !opt.NoGroup {
			g, ok := groups[c.ReceptorType]
			if !ok {
				g = int32(len(groups) + 1)
				groups[c.ReceptorType] = g
			}
			v.group = g
		}
		any := false
		for a, arm := range [2][2]*airr.Chain{c.VJ, c.VDJ} {
			if !use[a] {
				continue
			}
			p := &v.arms[a]
			p[0] = seq(arm[0])
			if opt.DualIR != "primary_only" {
				p[1] = seq(arm[1])
			}
			if p[0] == 0 {
				p[0], p[1] = p[1], 0
			}
			if opt.DualIR == "all" && p[1] != 0 && p[1] < p[0] {
				p[0], p[1] = p[1], p[0] // both chains as a set
			}
			any = any || p[0] != 0
		}
		if !any {
			continue
		}
		n, ok := index[v]
		if !ok {
			n = int32(len(nodes))
			index[v] = n
			nodes = append(nodes, v)
		}
		nodeOf[i] = n
	}
	uf := newUnionFind(len(nodes))
	joinNodes(nodes, opt, uf)
	compID := make([]int32, len(nodes))
	for i := range compID {
		compID[i] = -1
	}
	res := &Clonotypes{ID: make([]int, len(cells))}
	for i, n := range nodeOf {
		if n < 0 {
			res.ID[i] = -1
			continue
		}
		r := uf.find(int(n))
		if compID[r] < 0 {
			compID[r] = int32(len(res.Size))
			res.Size = append(res.Size, 0)
		}
		id := int(compID[r])
		res.ID[i] = id
		res.Size[id]++
	}
	return res, nil
}

// token is what two nodes must share on an arm to match there: the
// primary chain (primary_only), the set of both chains (all), or any one
// chain (any: one token per chain).
type token [2]int32

func tokens(v *view, a int, dual string, buf []token) []token {
	buf = buf[:0]
	p := v.arms[a]
	if p[0] == 0 {
		return buf
	}
	switch dual {
	case "primary_only":
		return append(buf, token{p[0], 0})
	case "all":
		return append(buf, token{p[0], p[1]})
	}
	buf = append(buf, token{p[0], 0})
	if p[1] != 0 && p[1] != p[0] {
		buf = append(buf, token{p[1], 0})
	}
	return buf
}

func armCount(v *view) int {
	n := 0
	for a := 0; a < 2; a++ {
		if v.arms[a][0] != 0 {
			n++
		}
	}
	return n
}

// joinNodes unions nodes that match, through indexes of shared tokens, so
// the work grows with the number of chains, not with pairs of cells.
//   - receptor_arms VJ, VDJ, any: a shared token in a used arm is a match.
//   - all: the number of arms present must agree; with one arm, that arm's
//     token must be shared; with two, a VJ token and a VDJ token must both
//     be shared (found per VJ token through a map of VDJ tokens).
//
// The partition does not depend on the order of the unions, so map order
// does not change the result.
func joinNodes(nodes []view, opt Options, uf *unionFind) {
	type skey struct {
		group, arms, arm int32
		tok              token
	}
	first := map[skey]int32{}
	pairs := map[skey][]int32{}
	var buf []token
	for n := range nodes {
		v := &nodes[n]
		cnt := int32(0)
		if opt.ReceptorArms == "all" {
			cnt = int32(armCount(v))
		}
		if cnt == 2 {
			buf = tokens(v, 0, opt.DualIR, buf)
			for _, t := range buf {
				k := skey{v.group, 2, 0, t}
				pairs[k] = append(pairs[k], int32(n))
			}
			continue
		}
		for a := 0; a < 2; a++ {
			buf = tokens(v, a, opt.DualIR, buf)
			for _, t := range buf {
				k := skey{v.group, cnt, int32(a), t}
				if m, ok := first[k]; ok {
					uf.union(int(m), n)
				} else {
					first[k] = int32(n)
				}
			}
		}
	}
	vdj := map[token]int32{}
	for _, list := range pairs {
		if len(list) < 2 {
			continue
		}
		clear(vdj)
		for _, n := range list {
			buf = tokens(&nodes[n], 1, opt.DualIR, buf)
			for _, t := range buf {
				if m, ok := vdj[t]; ok {
					uf.union(int(m), int(n))
				} else {
					vdj[t] = n
				}
			}
		}
	}
}

type unionFind struct{ parent []int32 }

func newUnionFind(n int) *unionFind {
	p := make([]int32, n)
	for i := range p {
		p[i] = int32(i)
	}
	return &unionFind{p}
}

func (u *unionFind) find(x int) int {
	for int(u.parent[x]) != x {
		u.parent[x] = u.parent[u.parent[x]]
		x = int(u.parent[x])
	}
	return x
}

func (u *unionFind) union(a, b int) {
	ra, rb := u.find(a), u.find(b)
	if ra == rb {
		return
	}
	if ra < rb {
		u.parent[rb] = int32(ra)
	} else {
		u.parent[ra] = int32(rb)
	}
}

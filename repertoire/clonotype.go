package repertoire

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/lsc-bio/lsc/airr"
)

// Options define clonotypes (scirpy tl.define_clonotypes, identity metric).
type Options struct {
	Sequence     string // "nt" (junction, default) or "aa" (junction_aa)
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
	if err := def(&o.Sequence, "nt", "nt", "aa"); err != nil {
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

// view is the receptor of one cell as the options see it.
type view struct {
	arms  [2][2]string // [VJ,VDJ][1,2] sequences, "" when absent
	use   [2]bool      // arms considered
	group string
}

func (v *view) key() string {
	return v.group + "\x00" + v.arms[0][0] + "\x01" + v.arms[0][1] + "\x00" + v.arms[1][0] + "\x01" + v.arms[1][1]
}

// Define assigns clonotypes to cells. Cells with the same receptor
// configuration are one node; nodes are joined when they match under the
// options; clonotypes are the connected components, numbered in order of
// their first cell.
func Define(cells []Cell, opt Options) (*Clonotypes, error) {
	if err := opt.fill(); err != nil {
		return nil, err
	}
	seq := func(ch *airr.Chain) string {
		if ch == nil {
			return ""
		}
		if opt.Sequence == "aa" {
			return ch.JunctionAA
		}
		return ch.Junction
	}
	use := [2]bool{opt.ReceptorArms != "VDJ", opt.ReceptorArms != "VJ"}
	nodeOf := make([]int, len(cells))
	var nodes []view
	index := map[string]int{}
	for i := range cells {
		c := &cells[i]
		nodeOf[i] = -1
		if !c.HasIR() {
			continue
		}
		v := view{use: use}
		if !opt.NoGroup {
			v.group = c.ReceptorType
		}
		any := false
		for a, arm := range [2][2]*airr.Chain{c.VJ, c.VDJ} {
			if !use[a] {
				continue
			}
			for k := 0; k < 2; k++ {
				if k == 1 && opt.DualIR == "primary_only" {
					break
				}
				v.arms[a][k] = seq(arm[k])
				any = any || v.arms[a][k] != ""
			}
			if opt.DualIR == "all" && v.arms[a][1] != "" && v.arms[a][1] < v.arms[a][0] {
				v.arms[a][0], v.arms[a][1] = v.arms[a][1], v.arms[a][0] // both chains as a set
			}
			if v.arms[a][0] == "" && v.arms[a][1] != "" {
				v.arms[a][0], v.arms[a][1] = v.arms[a][1], ""
			}
		}
		if !any {
			continue
		}
		k := v.key()
		n, ok := index[k]
		if !ok {
			n = len(nodes)
			index[k] = n
			nodes = append(nodes, v)
		}
		nodeOf[i] = n
	}
	uf := newUnionFind(len(nodes))
	joinNodes(nodes, opt, uf)
	// number components by first cell
	compID := map[int]int{}
	res := &Clonotypes{ID: make([]int, len(cells))}
	for i, n := range nodeOf {
		if n < 0 {
			res.ID[i] = -1
			continue
		}
		r := uf.find(n)
		id, ok := compID[r]
		if !ok {
			id = len(res.Size)
			compID[r] = id
			res.Size = append(res.Size, 0)
		}
		res.ID[i] = id
		res.Size[id]++
	}
	return res, nil
}

// tokens are what two nodes must share on arm a to match there: the
// primary sequence (primary_only), the set of both chains (all), or any one
// chain (any).
func tokens(v *view, a int, dual string) []string {
	p := v.arms[a]
	if p[0] == "" {
		return nil
	}
	switch dual {
	case "primary_only":
		return []string{p[0]}
	case "all":
		return []string{p[0] + "\x01" + p[1]}
	}
	if p[1] == "" || p[1] == p[0] {
		return []string{p[0]}
	}
	return []string{p[0], p[1]}
}

func armCount(v *view) int {
	n := 0
	for a := 0; a < 2; a++ {
		if v.use[a] && v.arms[a][0] != "" {
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
func joinNodes(nodes []view, opt Options, uf *unionFind) {
	type skey struct {
		group string
		arms  int
		arm   int
		tok   string
	}
	first := map[skey]int{}
	link := func(k skey, n int) {
		if m, ok := first[k]; ok {
			uf.union(m, n)
		} else {
			first[k] = n
		}
	}
	pairs := map[skey][]int{}
	for n := range nodes {
		v := &nodes[n]
		cnt := 0
		if opt.ReceptorArms == "all" {
			cnt = armCount(v)
		}
		if cnt == 2 {
			for _, t := range tokens(v, 0, opt.DualIR) {
				k := skey{v.group, 2, 0, t}
				pairs[k] = append(pairs[k], n)
			}
			continue
		}
		for a := 0; a < 2; a++ {
			for _, t := range tokens(v, a, opt.DualIR) {
				link(skey{v.group, cnt, a, t}, n)
			}
		}
	}
	keys := make([]skey, 0, len(pairs))
	for k := range pairs {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].group != keys[j].group {
			return keys[i].group < keys[j].group
		}
		return keys[i].tok < keys[j].tok
	})
	for _, k := range keys {
		vdj := map[string]int{}
		for _, n := range pairs[k] {
			for _, t := range tokens(&nodes[n], 1, opt.DualIR) {
				if m, ok := vdj[t]; ok {
					uf.union(m, n)
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

// Package signature holds gene signatures: unsigned gene sets, up/down pairs
// and weighted linear scores, with their provenance, the embedded built-in
// library of leukemia stem-cell signatures, and the resolution of signature
// genes against a matrix's features by symbol, Ensembl ID or known alias.
//
// Built-in signatures and their sources:
//   - LSC17: Ng SWK et al. A 17-gene stemness score for rapid determination of
//     risk in acute myeloid leukaemia. Nature 2016;540:433-437,
//     doi:10.1038/nature20598. Weighted sum of log2 normalised expression.
//   - LSC104_UP / LSC104_DOWN (scored together as LSC104): the 104 genes
//     differentially expressed between LSC+ and LSC- AML fractions, same paper;
//     symbols as updated by Zeng et al. 2022 (their HSC_CyclePrimed_LSC_genesets.gmt).
//   - LSPC-Quiescent, LSPC-Primed, LSPC-Cycle, GMP-like, ProMono-like,
//     Mono-like, cDC-like (Top100 and Top250): Zeng AGX et al. Nat Med
//     2022;28:1212-1223, doi:10.1038/s41591-022-01819-x, AMLCellType_Genesets.gmt
//     of github.com/andygxzeng/AMLHierarchies, with Excel-mangled symbols
//     repaired (01-Mar -> MARCHF1, 06-Mar -> MARCHF6, 06-Sep -> SEPTIN6,
//     09-Sep -> SEPTIN9, 11-Sep -> SEPTIN11).
//
// T-cell state signatures (for lsc cart; file data/tcell_states.gmt, the
// GMT description names the source row):
//   - CD8_EXHAUSTED, CD8_TEX, CD8_TPEX, TCELL_NAIVE_LIKE (naive / stem-like
//     memory), CD8_EFFECTOR_MEMORY, CD8_TEMRA, CD4_CYTOTOXIC: the scGate
//     marker models of Andreatta M, Berenstein AJ, Carmona SJ. scGate:
//     marker-based purification of cell types from heterogeneous single-cell
//     RNA-seq datasets. Bioinformatics 2022;38(9):2642-2644,
//     doi:10.1093/bioinformatics/btac141; gene lists from the "signature"
//     column of scGate_models human/CD8_TIL/master_table.tsv and
//     human/CD4_TIL/master_table.tsv, as the seed CAR-T study (Rade et al.,
//     Nature Cancer 2024) used them: the copy in
//     github.com/fraunhofer-izi/Rade_Grieb_et_al_2023, commit a46d1be,
//     data/metadata/scGateDB/scGate_models-master.
//   - TCELL_EXHAUSTION_IR: the inhibitory receptors listed in lsc issue 15
//     (PDCD1, CTLA4, LAG3, HAVCR2, CD244, CD160, TIGIT). This is the
//     project's list, not one published table: the receptors are those
//     co-expressed by exhausted CD8 T cells in Blackburn SD et al. Nat
//     Immunol 2009;10:29-37, doi:10.1038/ni.1679 (PD-1, LAG-3, 2B4/CD244,
//     CD160, CTLA-4) with TIM-3/HAVCR2 and TIGIT added; Source says so.
//
// pLSC6 (Elsayed 2020) is not built in: its coefficients could not be checked
// against a primary source here, and lsc does not ship numbers it cannot cite.
// Give it as a weighted list (gene<TAB>weight) instead.
package signature

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/lsc-bio/lsc/formats/gmt"
	"github.com/lsc-bio/lsc/matrix"
)

// Signature is one score to compute.
type Signature struct {
	Name     string
	Up       []string  // genes expected high (all genes of an unsigned set)
	Down     []string  // genes expected low (optional)
	Weights  []float64 // per gene of Up, for weighted scores (nil otherwise)
	Citation string
	DOI      string
	Scale    string // intended input scale, e.g. "log2 normalised expression (bulk)"
	Source   string // where the list came from
	File     string // the file it was read from ("" for built-ins)
}

// Weighted reports whether the signature is a linear score.
func (s Signature) Weighted() bool { return s.Weights != nil }

//go:embed data/builtin.gmt
var builtinGMT []byte

//go:embed data/LSC17.tsv
var lsc17TSV []byte

//go:embed data/tcell_states.gmt
var tcellGMT []byte

const (
	ngCite   = "Ng SWK et al. A 17-gene stemness score for rapid determination of risk in acute myeloid leukaemia. Nature 2016;540:433-437"
	ngDOI    = "10.1038/nature20598"
	zengCite = "Zeng AGX et al. A cellular hierarchy framework for understanding heterogeneity and predicting drug response in acute myeloid leukemia. Nat Med 2022;28:1212-1223"
	zengDOI  = "10.1038/s41591-022-01819-x"
	scgCite  = "Andreatta M, Berenstein AJ, Carmona SJ. scGate: marker-based purification of cell types from heterogeneous single-cell RNA-seq datasets. Bioinformatics 2022;38(9):2642-2644"
	scgDOI   = "10.1093/bioinformatics/btac141"
	scgSrc   = "scGate_models %s, as copied in github.com/fraunhofer-izi/Rade_Grieb_et_al_2023 (commit a46d1be) data/metadata/scGateDB/scGate_models-master"
	irCite   = "lsc issue 15 list of inhibitory receptors; PD-1, LAG-3, 2B4/CD244, CD160, CTLA-4 as co-expressed by exhausted CD8 T cells after Blackburn SD et al. Nat Immunol 2009;10:29-37"
	irDOI    = "10.1038/ni.1679"
)

// TCellStates names the built-in T-cell state signatures lsc cart scores
// by default: exhaustion, effector memory, naive/stem-like memory,
// cytotoxic CD4 (issue 15).
var TCellStates = []string{"TCELL_EXHAUSTION_IR", "CD8_EFFECTOR_MEMORY", "TCELL_NAIVE_LIKE", "CD4_CYTOTOXIC"}

// Builtin returns the built-in library, in a fixed order.
func Builtin() []Signature {
	var out []Signature
	w, err := gmt.ReadWeighted(bytes.NewReader(lsc17TSV), "builtin LSC17")
	if err != nil {
		panic(err) // embedded data is checked by tests
	}
	out = append(out, Signature{Name: "LSC17", Up: w.Genes, Weights: w.Weights, Citation: ngCite, DOI: ngDOI,
		Scale: "log2 normalised expression (bulk RNA-seq or microarray)", Source: "Ng 2016 Methods (published coefficients)"})
	sets, err := gmt.Read(bytes.NewReader(builtinGMT), "builtin.gmt")
	if err != nil {
		panic(err)
	}
	var up, down []string
	for _, s := range sets {
		switch s.Name {
		case "LSC104_UP":
			up = s.Genes
			continue
		case "LSC104_DOWN":
			down = s.Genes
			continue
		}
		out = append(out, Signature{Name: s.Name, Up: s.Genes, Citation: zengCite, DOI: zengDOI,
			Scale: "any (rank-based methods); single-cell or bulk", Source: "AMLHierarchies AMLCellType_Genesets.gmt"})
	}
	out = append(out,
		Signature{Name: "LSC104", Up: up, Down: down, Citation: ngCite, DOI: ngDOI,
			Scale: "any (rank-based methods)", Source: "AMLHierarchies HSC_CyclePrimed_LSC_genesets.gmt (LSC104_UP/DOWN)"},
		Signature{Name: "LSC104_UP", Up: up, Citation: ngCite, DOI: ngDOI, Scale: "any (rank-based methods)", Source: "AMLHierarchies HSC_CyclePrimed_LSC_genesets.gmt"},
		Signature{Name: "LSC104_DOWN", Up: down, Citation: ngCite, DOI: ngDOI, Scale: "any (rank-based methods)", Source: "AMLHierarchies HSC_CyclePrimed_LSC_genesets.gmt"},
	)
	tsets, err := gmt.Read(bytes.NewReader(tcellGMT), "tcell_states.gmt")
	if err != nil {
		panic(err)
	}
	for _, s := range tsets {
		sig := Signature{Name: s.Name, Up: s.Genes, Citation: scgCite, DOI: scgDOI,
			Scale: "single-cell counts or normalised expression (rank-based methods, e.g. UCell)"}
		if src, ok := strings.CutPrefix(s.Description, "scgate:"); ok {
			sig.Source = fmt.Sprintf(scgSrc, src)
		} else {
			sig.Citation, sig.DOI = irCite, irDOI
			sig.Source = "lsc issue 15; not a single published table (see the signature package doc)"
		}
		out = append(out, sig)
	}
	return out
}

// Lookup finds a built-in signature by name (case-insensitive); the Zeng sets
// also answer to their short names (LSPC-Primed = LSPC-Primed-Top100).
func Lookup(name string) (Signature, bool) {
	for _, s := range Builtin() {
		if strings.EqualFold(s.Name, name) || strings.EqualFold(s.Name, name+"-Top100") {
			return s, true
		}
	}
	return Signature{}, false
}

// Names lists the built-in names.
func Names() []string {
	var n []string
	for _, s := range Builtin() {
		n = append(n, s.Name)
	}
	return n
}

// Errors callers can branch on (wrapped, with the names involved).
var (
	ErrUnknown     = errors.New("unknown signature")
	ErrNoSuchSet   = errors.New("no such set in the file")
	ErrTooFewGenes = errors.New("too few signature genes in the data")
)

// LoadOptions change how files are read into signatures.
type LoadOptions struct {
	// Separate keeps a GMT's NAME_UP and NAME_DOWN as two signatures
	// instead of one up/down signature NAME.
	Separate bool
}

// Load turns a --signatures argument into signatures, in the order given:
// comma-separated items, each a built-in name, a file (a GMT or a weighted
// gene<TAB>weight list: every set in it), or FILE:NAME picking one set of a
// file. Names following FILE:NAME (FILE:A,B) are looked up in the same file
// first, then among the built-ins, so "sets.gmt:A,B,LSC17" mixes both. In a
// GMT, NAME_UP with NAME_DN or NAME_DOWN (any case) become one up/down
// signature NAME, unless o.Separate; the halves can still be picked alone
// by their own names.
func Load(arg string, o LoadOptions) ([]Signature, error) {
	var out []Signature
	seen := map[string]bool{}
	add := func(ss ...Signature) error {
		for _, s := range ss {
			if seen[s.Name] {
				return fmt.Errorf("signature %s listed twice", s.Name)
			}
			seen[s.Name] = true
			out = append(out, s)
		}
		return nil
	}
	files := map[string]*fileSets{}
	open := func(path string) (*fileSets, error) {
		if fs, ok := files[path]; ok {
			return fs, nil
		}
		fs, err := readFileSets(path, o)
		files[path] = fs
		return fs, err
	}
	var cur *fileSets // the file of the last FILE:NAME item
	items := strings.Split(arg, ",")
	if isFile(arg) {
		items = []string{arg} // a file name with a comma in it
	}
	for _, item := range items {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if isFile(item) {
			fs, err := open(item)
			if err != nil {
				return nil, err
			}
			if err := add(fs.sigs...); err != nil {
				return nil, err
			}
			cur = nil
			continue
		}
		if i := strings.LastIndexByte(item, ':'); i > 0 && isFile(item[:i]) {
			fs, err := open(item[:i])
			if err != nil {
				return nil, err
			}
			s, err := fs.pick(item[i+1:])
			if err != nil {
				return nil, err
			}
			if err := add(s); err != nil {
				return nil, err
			}
			cur = fs
			continue
		}
		if cur != nil {
			if s, err := cur.pick(item); err == nil {
				if err := add(s); err != nil {
					return nil, err
				}
				continue
			}
		}
		s, ok := Lookup(item)
		if !ok {
			if cur != nil {
				_, err := cur.pick(item)
				return nil, fmt.Errorf("%w (and %q is not built in)", err, item)
			}
			return nil, fmt.Errorf("%w %q: not a file and not built in (built in: %s); 'lsc signatures' lists them", ErrUnknown, item, strings.Join(Names(), ", "))
		}
		if err := add(s); err != nil {
			return nil, err
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no signature given: name built-in ones (e.g. LSPC-Quiescent,LSC104) or give a GMT file")
	}
	return out, nil
}

// kindError is a message of a kind callers test with errors.Is.
type kindError struct {
	kind error
	msg  string
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }

func kindErrorf(kind error, format string, a ...any) error {
	return &kindError{kind, fmt.Sprintf(format, a...)}
}

func cutSuffix(s, suf string) (string, bool) {
	if len(s) > len(suf) && strings.EqualFold(s[len(s)-len(suf):], suf) {
		return s[:len(s)-len(suf)], true
	}
	return s, false
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// fileSets are the signatures of one file, and its sets as written (the
// halves of up/down pairs can be picked alone).
type fileSets struct {
	path string
	sigs []Signature
	sets []Signature
}

// pick returns the signature or set called name (case-insensitive).
func (f *fileSets) pick(name string) (Signature, error) {
	for _, l := range [][]Signature{f.sigs, f.sets} {
		for _, s := range l {
			if strings.EqualFold(s.Name, name) {
				return s, nil
			}
		}
	}
	var names []string
	for _, s := range f.sigs {
		names = append(names, s.Name)
	}
	for _, s := range f.sets {
		if !slices.Contains(names, s.Name) {
			names = append(names, s.Name)
		}
	}
	return Signature{}, fmt.Errorf("%s: %w %q; the file has: %s", f.path, ErrNoSuchSet, name, strings.Join(names, ", "))
}

// LoadFile reads every signature of a GMT or weighted-list file.
func LoadFile(path string, o LoadOptions) ([]Signature, error) {
	fs, err := readFileSets(path, o)
	if err != nil {
		return nil, err
	}
	return fs.sigs, nil
}

func readFileSets(path string, o LoadOptions) (*fileSets, error) {
	sets, err := gmt.ReadFile(path)
	if err != nil {
		return nil, err
	}
	fs := &fileSets{path: path}
	for _, s := range sets {
		fs.sets = append(fs.sets, Signature{Name: s.Name, Up: s.Genes, Weights: s.Weights, Source: path, File: path})
	}
	if o.Separate {
		fs.sigs = fs.sets
		return fs, nil
	}
	fs.sigs = pairUpDown(fs.sets)
	return fs, nil
}

// pairUpDown joins NAME_UP with NAME_DN or NAME_DOWN (suffixes in any case)
// into one up/down signature NAME at the place of NAME_UP; sets without a
// partner stay as they are.
func pairUpDown(sets []Signature) []Signature {
	byName := map[string]int{}
	for i, s := range sets {
		byName[strings.ToUpper(s.Name)] = i
	}
	partner := func(base string, sufs ...string) (int, bool) {
		for _, suf := range sufs {
			if j, ok := byName[strings.ToUpper(base)+suf]; ok {
				return j, true
			}
		}
		return -1, false
	}
	used := map[int]bool{}
	var out []Signature
	for i, s := range sets {
		if used[i] {
			continue
		}
		if base, ok := cutSuffix(s.Name, "_UP"); ok {
			if j, ok := partner(base, "_DN", "_DOWN"); ok {
				used[j] = true
				out = append(out, Signature{Name: base, Up: s.Up, Down: sets[j].Up, Source: s.Source, File: s.File})
				continue
			}
		}
		if base, ok := cutSuffix(s.Name, "_DN"); ok {
			if _, ok := partner(base, "_UP"); ok {
				continue
			}
		}
		if base, ok := cutSuffix(s.Name, "_DOWN"); ok {
			if _, ok := partner(base, "_UP"); ok {
				continue
			}
		}
		out = append(out, s)
	}
	return out
}

// Aliases maps previous and current HGNC symbols both ways, for the genes of
// the built-in signatures whose symbols changed since publication.
var Aliases = map[string][]string{}

func init() {
	for _, p := range [][2]string{
		{"GPR56", "ADGRG1"}, {"KIAA0125", "FAM30A"}, {"NGFRAP1", "BEX3"}, {"C19orf77", "SMIM24"},
		{"GUCY1A3", "GUCY1A1"}, {"H1F0", "H1-0"}, {"H2AFY2", "MACROH2A2"}, {"H2AFZ", "H2AZ1"},
		{"HIST1H4C", "H4C3"}, {"MARCH1", "MARCHF1"}, {"MARCH6", "MARCHF6"}, {"SEPT6", "SEPTIN6"},
		{"SEPT9", "SEPTIN9"}, {"SEPT11", "SEPTIN11"}, {"FAM69B", "DIPK1B"}, {"FAM212A", "INKA1"},
		{"CCDC109B", "MCUB"}, {"CECR1", "ADA2"},
	} {
		Aliases[p[0]] = append(Aliases[p[0]], p[1])
		Aliases[p[1]] = append(Aliases[p[1]], p[0])
	}
}

// Index finds features by symbol, ID (with or without an Ensembl version
// suffix) or alias.
type Index struct {
	byName, byID map[string]int32
}

// NewIndex indexes features; a symbol or ID shared by several features maps
// to the first.
func NewIndex(fs []matrix.Feature) *Index {
	return newIndex(fs, len(fs), func(string) bool { return true })
}

// NewIndexFor indexes only the keys that Find looks up for genes: each
// gene, its Ensembl ID without the version, and its aliases. Find gives the
// same answer for those genes as with NewIndex; the maps are sized by the
// genes, not the features (50 gene sets in a 30,000-gene matrix: 2,500
// keys instead of 60,000, built before the first cell is read).
func NewIndexFor(fs []matrix.Feature, genes []string) *Index {
	want := make(map[string]bool, 2*len(genes))
	for _, g := range genes {
		want[g] = true
		if d := strings.IndexByte(g, '.'); d > 0 && strings.HasPrefix(g, "ENS") {
			want[g[:d]] = true
		}
		for _, a := range Aliases[g] {
			want[a] = true
		}
	}
	return newIndex(fs, len(want), func(k string) bool { return want[k] })
}

// newIndex indexes the keys of fs that want keeps (the first feature of
// each), in maps sized for n keys.
func newIndex(fs []matrix.Feature, n int, want func(string) bool) *Index {
	ix := &Index{byName: make(map[string]int32, n), byID: make(map[string]int32, n)}
	first := func(m map[string]int32, k string, i int) {
		if _, ok := m[k]; !ok && want(k) {
			m[k] = int32(i)
		}
	}
	for i, f := range fs {
		first(ix.byName, f.Name, i)
		first(ix.byID, f.ID, i)
		if strings.HasPrefix(f.ID, "ENS") {
			if d := strings.IndexByte(f.ID, '.'); d > 0 {
				first(ix.byID, f.ID[:d], i)
			}
		}
	}
	return ix
}

// Find returns the feature position of gene and how it matched.
func (ix *Index) Find(gene string) (int32, string, bool) {
	if i, ok := ix.byName[gene]; ok {
		return i, "symbol", true
	}
	if i, ok := ix.byID[gene]; ok {
		return i, "id", true
	}
	if d := strings.IndexByte(gene, '.'); d > 0 && strings.HasPrefix(gene, "ENS") {
		if i, ok := ix.byID[gene[:d]]; ok {
			return i, "id", true
		}
	}
	for _, a := range Aliases[gene] {
		if i, ok := ix.byName[a]; ok {
			return i, "alias " + a, true
		}
	}
	return -1, "", false
}

// Resolved is a signature matched against a matrix.
type Resolved struct {
	Sig       Signature
	Up, Down  []int32   // feature positions found, unique
	Weights   []float64 // weights of Up (weighted signatures)
	Missing   []string  // signature genes not found
	Aliased   []string  // "OLD->NEW" where an alias was used
	UpTotal   int       // genes listed in Up (found or not)
	DownTotal int
}

// Limits reject signatures with too few genes found.
type Limits struct {
	MinGenes   int     // at least this many genes found (per direction)
	MaxMissing float64 // at most this fraction of the listed genes missing
}

// Resolve matches signatures against features.
func Resolve(sigs []Signature, fs []matrix.Feature, lim Limits) ([]Resolved, error) {
	var genes []string
	for _, s := range sigs {
		genes = append(append(genes, s.Up...), s.Down...)
	}
	ix := NewIndexFor(fs, genes)
	var out []Resolved
	for _, s := range sigs {
		r := Resolved{Sig: s, UpTotal: len(s.Up), DownTotal: len(s.Down)}
		add := func(genes []string, w []float64) ([]int32, []float64) {
			var idx []int32
			var ws []float64
			seen := map[int32]bool{}
			for k, g := range genes {
				i, how, ok := ix.Find(g)
				if !ok {
					r.Missing = append(r.Missing, g)
					continue
				}
				if seen[i] {
					continue
				}
				seen[i] = true
				if strings.HasPrefix(how, "alias") {
					r.Aliased = append(r.Aliased, g+"->"+strings.TrimPrefix(how, "alias "))
				}
				idx = append(idx, i)
				if w != nil {
					ws = append(ws, w[k])
				}
			}
			return idx, ws
		}
		r.Up, r.Weights = add(s.Up, s.Weights)
		r.Down, _ = add(s.Down, nil)
		canonical(r.Up, r.Weights)
		canonical(r.Down, nil)
		if s.Weights != nil && r.Weights == nil {
			r.Weights = []float64{}
		}
		total := len(s.Up) + len(s.Down)
		if len(r.Up) < max(lim.MinGenes, 1) || (len(s.Down) > 0 && len(r.Down) < max(lim.MinGenes, 1)) {
			return nil, kindErrorf(ErrTooFewGenes, "signature %s: only %d of %d genes found in the data (missing: %s); check the gene identifiers (symbols vs Ensembl IDs) or lower --min-genes", s.Name, len(r.Up)+len(r.Down), total, short(r.Missing))
		}
		if frac := float64(len(r.Missing)) / float64(total); frac > lim.MaxMissing {
			return nil, kindErrorf(ErrTooFewGenes, "signature %s: %d of %d genes (%.0f%%) missing from the data, more than --max-missing %.2f allows (missing: %s); a partial score would not be the published signature", s.Name, len(r.Missing), total, 100*frac, lim.MaxMissing, short(r.Missing))
		}
		out = append(out, r)
	}
	names := map[string]bool{}
	for _, r := range out {
		if names[r.Sig.Name] {
			return nil, fmt.Errorf("two signatures are named %s", r.Sig.Name)
		}
		names[r.Sig.Name] = true
	}
	return out, nil
}

// canonical sorts genes by feature position (and their weights with them) so
// that sums over a signature run in one order whatever order it was listed in.
func canonical(idx []int32, w []float64) {
	perm := make([]int, len(idx))
	for i := range perm {
		perm[i] = i
	}
	sort.SliceStable(perm, func(a, b int) bool { return idx[perm[a]] < idx[perm[b]] })
	ci := slices.Clone(idx)
	var cw []float64
	if w != nil {
		cw = slices.Clone(w)
	}
	for i, p := range perm {
		idx[i] = ci[p]
		if w != nil {
			w[i] = cw[p]
		}
	}
}

func short(g []string) string {
	g = slices.Clone(g)
	sort.Strings(g)
	if len(g) > 12 {
		return strings.Join(g[:12], ", ") + fmt.Sprintf(" and %d more", len(g)-12)
	}
	if len(g) == 0 {
		return "none"
	}
	return strings.Join(g, ", ")
}

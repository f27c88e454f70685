// Package fcs reads and writes Flow Cytometry Standard files: FCS 2.0, 3.0,
// 3.1 and 3.2 keywords (Spidlen et al., Cytometry A 2010;77:97, "Data File
// Standard for Flow Cytometry, version FCS 3.1"; FCS 3.2, ISAC 2020).
//
// Reading follows the standard and, where files break it, what FlowIO 1.3
// (whitews/FlowIO) and flowCore do, with a warning instead of silence:
//   - DATA offsets: FCS 2.0 uses the HEADER; FCS 3.x uses $BEGINDATA/$ENDDATA
//     (the HEADER holds zeros beyond 99,999,999 bytes) and warns when the
//     HEADER disagrees (flowCore's choice; FlowIO stops with an error).
//   - A DATA end offset one byte too far (a common writer bug) is corrected
//     with a warning; any other size mismatch is an error unless $TOT events
//     fit in the segment, which is then read with a warning.
//   - Integer data ($DATATYPE I): each value occupies ceil($PnB/8) bytes in
//     $BYTEORD order (so 10-bit values in 16-bit words, 24-bit values in 3
//     bytes) and is masked to $PnB bits and to the next power of two of $PnR
//     (FlowIO), which drops flag bits some instruments store above the
//     value (e.g. Coulter System II bits D10-D15).
//   - TEXT: the first byte is the delimiter; a doubled delimiter is a literal
//     one; keywords are matched without regard to case; supplemental TEXT
//     ($BEGINSTEXT/$ENDSTEXT) is merged, primary TEXT winning; values that
//     are not valid UTF-8 are read as Latin-1.
//   - Several data sets are followed through $NEXTDATA.
//
// Channel values ("scaled"): $PnE f1,f2 with f1 > 0 gives 10^(f1 x / $PnR) x f2
// (f2 = 0 read as 1); then division by $PnG when it is not 0 or 1; the time
// channel (PnN "Time") is multiplied by $TIMESTEP and never by a gain. This
// is FlowIO's as_array(preprocess=True), checked against its truth arrays.
package fcs

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lsc-bio/lsc/formats"
)

// Keyword is one TEXT key/value pair, as written.
type Keyword struct {
	Key, Value string
}

// Param describes one parameter (channel).
type Param struct {
	Index   int    // 1-based
	N       string // $PnN short name
	S       string // $PnS label (marker), "" when absent
	Bits    int    // $PnB; 0 for "*" (ASCII free format)
	Range   float64
	Decades float64 // $PnE f1
	Log0    float64 // $PnE f2
	Gain    float64 // $PnG, 1 when absent
	IsTime  bool
}

// Dataset is one data set of an FCS file.
type Dataset struct {
	Path      string
	Index     int   // 0-based data set number
	Offset    int64 // byte offset of its HEADER
	Version   string
	Keywords  []Keyword
	Params    []Param
	Events    int
	DataType  string // I, F, D or A
	ByteOrder string // $BYTEORD as written
	Data      []float64
	Warnings  []string
	kw        map[string]int
}

// Keyword returns a keyword's value (case-insensitive; "$" is part of the name).
func (d *Dataset) Keyword(k string) (string, bool) {
	i, ok := d.kw[strings.ToUpper(k)]
	if !ok {
		return "", false
	}
	return d.Keywords[i].Value, true
}

// At returns the raw value of event e, parameter p (0-based).
func (d *Dataset) At(e, p int) float64 { return d.Data[e*len(d.Params)+p] }

// ReadFile reads every data set of an FCS file.
func ReadFile(path string) ([]*Dataset, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parse(path, b)
}

// ReadMeta reads the HEADER and TEXT of the first data set only (no
// events), e.g. for a file whose DATA is missing.
func ReadMeta(path string) (*Dataset, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	d, _, err := parseDataset(path, b, 0, 0, true)
	return d, err
}

// Read reads every data set of an FCS file from r; name is the file named
// in errors and in Dataset.Path.
func Read(r io.Reader, name string) ([]*Dataset, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return parse(name, b)
}

// parse reads every data set from the bytes of an FCS file.
func parse(path string, b []byte) ([]*Dataset, error) {
	var out []*Dataset
	off := int64(0)
	seen := map[int64]bool{}
	for {
		d, next, err := parseDataset(path, b, off, len(out), false)
		if err != nil {
			if len(out) > 0 {
				out[len(out)-1].Warnings = append(out[len(out)-1].Warnings, fmt.Sprintf("data set %d at byte %d could not be read and is skipped: %v", len(out)+1, off, err))
				return out, nil
			}
			return nil, err
		}
		out = append(out, d)
		seen[off] = true
		if next <= 0 {
			return out, nil
		}
		off += next
		if off >= int64(len(b)) || seen[off] || len(out) > 1000 {
			d.Warnings = append(d.Warnings, fmt.Sprintf("$NEXTDATA points to byte %d, outside the file or back to a data set already read: ignored", off))
			return out, nil
		}
	}
}

// Errors callers branch on with errors.Is; every one comes wrapped with a
// *formats.ParseError that names the file, the segment or keyword, and the
// fix.
var (
	ErrNotFCS      = errors.New("not a readable FCS file")   // HEADER or TEXT unreadable, keywords missing or invalid
	ErrTruncated   = errors.New("FCS file truncated")        // DATA lies beyond the end of the file or is too short
	ErrNoData      = errors.New("FCS file without events")   // HEADER and TEXT only (read its keywords with ReadMeta)
	ErrUnsupported = errors.New("FCS feature not supported") // histogram mode, unknown $DATATYPE or $BYTEORD
	ErrValue       = errors.New("FCS value unreadable")      // an ASCII value that is not a number
	// Channel lookups (Dataset.Channel).
	ErrNoChannel        = errors.New("no parameter")   // no $PnN, $PnS or P<n> of that name
	ErrAmbiguousChannel = errors.New("two parameters") // the name fits two parameters
)

// parseError is a formats.ParseError that also matches its kind (one of
// the Err values) with errors.Is, without changing the message.
type parseError struct {
	*formats.ParseError
	kind error
}

func (e *parseError) Unwrap() []error { return []error{e.ParseError, e.kind} }

func perr(kind error, path, where, hint, format string, a ...any) error {
	return &parseError{&formats.ParseError{File: path, Where: where, Hint: hint, Reason: fmt.Sprintf(format, a...)}, kind}
}

const notFCS = "the file is not a readable FCS file: check that it was exported as FCS (not .wsp/.jo/.csv) and copied completely"

func parseDataset(path string, all []byte, off int64, index int, metaOnly bool) (*Dataset, int64, error) {
	b := all[off:]
	if len(b) < 58 {
		return nil, 0, perr(ErrNotFCS, path, "HEADER", notFCS, "only %d bytes: an FCS HEADER alone is 58", len(b))
	}
	ver := string(b[0:6])
	if !strings.HasPrefix(ver, "FCS") {
		return nil, 0, perr(ErrNotFCS, path, "HEADER", notFCS, "does not start with FCS (found %q)", sanitize(b[:6]))
	}
	d := &Dataset{Path: path, Index: index, Offset: off, Version: strings.TrimPrefix(ver, "FCS"), kw: map[string]int{}}
	field := func(i int) (int64, error) {
		s := strings.TrimSpace(string(b[10+8*i : 18+8*i]))
		if s == "" {
			return 0, nil
		}
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil || v < 0 {
			return 0, perr(ErrNotFCS, path, "HEADER", notFCS, "offset field %d is %q, not a number", i+1, s)
		}
		return v, nil
	}
	var offs [6]int64
	for i := 0; i < 6; i++ {
		v, err := field(i)
		if err != nil {
			if i >= 4 { // ANALYSIS offsets are optional
				continue
			}
			return nil, 0, err
		}
		offs[i] = v
	}
	ts, te := offs[0], offs[1]
	if ts < 58 || te < ts || te >= int64(len(b)) {
		return nil, 0, perr(ErrTruncated, path, "HEADER", "the file is truncated or its HEADER is damaged", "TEXT segment %d-%d lies outside the %d-byte file", ts, te, len(b))
	}
	if err := d.parseText(b[ts : te+1]); err != nil {
		return nil, 0, err
	}
	// Supplemental TEXT.
	if s, ok := d.Keyword("$BEGINSTEXT"); ok {
		e, _ := d.Keyword("$ENDSTEXT")
		ss, err1 := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		se, err2 := strconv.ParseInt(strings.TrimSpace(e), 10, 64)
		if err1 == nil && err2 == nil && ss > 0 && se >= ss && se < int64(len(b)) && (ss > te || se < ts) {
			extra := &Dataset{kw: map[string]int{}}
			if err := extra.parseText(b[ss : se+1]); err != nil {
				d.Warnings = append(d.Warnings, "supplemental TEXT could not be read: "+err.Error())
			} else {
				for _, k := range extra.Keywords {
					if _, dup := d.kw[strings.ToUpper(k.Key)]; !dup {
						d.add(k.Key, k.Value)
					}
				}
			}
		}
	}
	if err := d.parseParams(); err != nil {
		return nil, 0, err
	}
	ds, de := offs[2], offs[3]
	if d.Version != "2.0" {
		bs, ok1 := d.Keyword("$BEGINDATA")
		be, ok2 := d.Keyword("$ENDDATA")
		if ok1 && ok2 {
			tbs, err1 := strconv.ParseInt(strings.TrimSpace(bs), 10, 64)
			tbe, err2 := strconv.ParseInt(strings.TrimSpace(be), 10, 64)
			if err1 == nil && err2 == nil {
				if (ds != 0 || de != 0) && (tbs != ds || tbe != de) {
					d.Warnings = append(d.Warnings, fmt.Sprintf("HEADER and TEXT disagree on the DATA segment (%d-%d vs %d-%d): the TEXT offsets are used, as flowCore does", ds, de, tbs, tbe))
				}
				ds, de = tbs, tbe
			}
		}
	}
	if mode, _ := d.Keyword("$MODE"); mode != "" && !strings.EqualFold(strings.TrimSpace(mode), "L") {
		return nil, 0, perr(ErrUnsupported, path, "TEXT keyword $MODE", "only list-mode data can be read; re-export the file as list mode", "$MODE is %q (histogram data)", mode)
	}
	if metaOnly {
		return d, 0, nil
	}
	if err := d.parseData(b, ds, de); err != nil {
		return nil, 0, err
	}
	next := int64(0)
	if s, ok := d.Keyword("$NEXTDATA"); ok {
		if v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil && v > 0 {
			next = v
		}
	}
	return d, next, nil
}

func (d *Dataset) add(k, v string) {
	d.kw[strings.ToUpper(k)] = len(d.Keywords)
	d.Keywords = append(d.Keywords, Keyword{k, v})
}

func (d *Dataset) parseText(t []byte) error {
	if len(t) < 2 {
		return perr(ErrNotFCS, d.Path, "TEXT", notFCS, "TEXT segment of %d bytes", len(t))
	}
	toks := splitText(t, false)
	if len(toks)%2 == 1 {
		// Some writers put empty values as a doubled delimiter, which the
		// standard reserves for a literal delimiter; if reading doubled
		// delimiters as empty values pairs every keyword, do that.
		if alt := splitText(t, true); len(alt)%2 == 0 {
			toks = alt
			d.Warnings = append(d.Warnings, "TEXT writes empty values as doubled delimiters (FCS forbids empty values): read as empty")
		}
	}
	if len(toks)%2 == 1 {
		last := toks[len(toks)-1]
		toks = toks[:len(toks)-1]
		if strings.TrimSpace(last) != "" {
			d.Warnings = append(d.Warnings, fmt.Sprintf("TEXT ends with a keyword without a value (%q): ignored", last))
		}
	}
	for j := 0; j+1 < len(toks); j += 2 {
		k := strings.TrimSpace(toks[j])
		if k == "" {
			continue
		}
		if _, dup := d.kw[strings.ToUpper(k)]; dup {
			d.Warnings = append(d.Warnings, fmt.Sprintf("keyword %s appears twice in TEXT: the first value is kept", k))
			continue
		}
		d.add(k, toks[j+1])
	}
	return nil
}

// splitText splits a TEXT segment at its delimiter (the first byte). A
// doubled delimiter is a literal delimiter, or with emptyValues an empty
// value between two delimiters.
func splitText(t []byte, emptyValues bool) []string {
	delim := t[0]
	var toks []string
	var cur []byte
	for i := 1; i < len(t); {
		c := t[i]
		if c != delim {
			cur = append(cur, c)
			i++
			continue
		}
		if !emptyValues && i+1 < len(t) && t[i+1] == delim {
			cur = append(cur, delim)
			i += 2
			continue
		}
		toks = append(toks, decode(cur))
		cur = cur[:0]
		i++
	}
	if s := strings.TrimRight(decode(cur), "\x00 \r\n"); s != "" {
		toks = append(toks, s) // TEXT without a final delimiter
	}
	return toks
}

// decode returns UTF-8 text, reading invalid UTF-8 as Latin-1.
func decode(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

func sanitize(b []byte) string { return strings.ToValidUTF8(string(b), "?") }

func (d *Dataset) num(k string) (float64, bool) {
	s, ok := d.Keyword(k)
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, false
	}
	return v, true
}

func (d *Dataset) parseParams() error {
	npar, ok := d.num("$PAR")
	if !ok || npar < 1 || npar > 10000 || npar != math.Trunc(npar) {
		s, _ := d.Keyword("$PAR")
		return perr(ErrNotFCS, d.Path, "TEXT keyword $PAR", notFCS, "$PAR is %q: the number of parameters is missing or invalid", s)
	}
	tot, ok := d.num("$TOT")
	if !ok || tot < 0 || tot != math.Trunc(tot) || tot > 1e12 {
		s, _ := d.Keyword("$TOT")
		return perr(ErrNotFCS, d.Path, "TEXT keyword $TOT", notFCS, "$TOT is %q: the number of events is missing or invalid", s)
	}
	d.Events = int(tot)
	dt, _ := d.Keyword("$DATATYPE")
	d.DataType = strings.ToUpper(strings.TrimSpace(dt))
	switch d.DataType {
	case "I", "F", "D", "A":
	default:
		return perr(ErrUnsupported, d.Path, "TEXT keyword $DATATYPE", "only I, F, D and A data can be read", "$DATATYPE is %q", dt)
	}
	d.ByteOrder, _ = d.Keyword("$BYTEORD")
	seen := map[string]int{}
	for i := 1; i <= int(npar); i++ {
		p := Param{Index: i, Gain: 1}
		p.N, _ = d.Keyword(fmt.Sprintf("$P%dN", i))
		p.N = strings.TrimSpace(p.N)
		if p.N == "" {
			p.N = fmt.Sprintf("P%d", i)
			d.Warnings = append(d.Warnings, fmt.Sprintf("parameter %d has no $P%dN name: called %s", i, i, p.N))
		}
		p.S, _ = d.Keyword(fmt.Sprintf("$P%dS", i))
		p.S = strings.TrimSpace(p.S)
		bs, _ := d.Keyword(fmt.Sprintf("$P%dB", i))
		bs = strings.TrimSpace(bs)
		if bs == "*" {
			if d.DataType != "A" {
				return perr(ErrNotFCS, d.Path, fmt.Sprintf("TEXT keyword $P%dB", i), notFCS, "$P%dB is * but $DATATYPE is %s", i, d.DataType)
			}
		} else {
			v, err := strconv.Atoi(bs)
			if err != nil || v < 1 || v > 64 {
				return perr(ErrNotFCS, d.Path, fmt.Sprintf("TEXT keyword $P%dB", i), notFCS, "$P%dB is %q: not a bit width", i, bs)
			}
			p.Bits = v
			switch d.DataType {
			case "F":
				if v != 32 {
					return perr(ErrNotFCS, d.Path, fmt.Sprintf("TEXT keyword $P%dB", i), notFCS, "$DATATYPE F needs $P%dB 32, found %d", i, v)
				}
			case "D":
				if v != 64 {
					return perr(ErrNotFCS, d.Path, fmt.Sprintf("TEXT keyword $P%dB", i), notFCS, "$DATATYPE D needs $P%dB 64, found %d", i, v)
				}
			}
		}
		if r, ok := d.num(fmt.Sprintf("$P%dR", i)); ok {
			p.Range = r
		} else {
			d.Warnings = append(d.Warnings, fmt.Sprintf("parameter %d has no valid $P%dR", i, i))
		}
		if e, ok := d.Keyword(fmt.Sprintf("$P%dE", i)); ok {
			parts := strings.Split(e, ",")
			if len(parts) == 2 {
				f1, err1 := strconv.ParseFloat(strings.TrimSpace(parts[0]), 64)
				f2, err2 := strconv.ParseFloat(strings.TrimSpace(parts[1]), 64)
				if err1 == nil && err2 == nil && f1 >= 0 {
					if f1 > 0 && f2 == 0 {
						f2 = 1
					}
					p.Decades, p.Log0 = f1, f2
				} else {
					d.Warnings = append(d.Warnings, fmt.Sprintf("$P%dE %q is not f1,f2: read as linear", i, e))
				}
			}
		}
		if g, ok := d.num(fmt.Sprintf("$P%dG", i)); ok && g != 0 {
			p.Gain = g
		}
		p.IsTime = strings.EqualFold(p.N, "time")
		if p.IsTime {
			p.Gain = 1
		}
		if j, dup := seen[p.N]; dup {
			d.Warnings = append(d.Warnings, fmt.Sprintf("parameters %d and %d are both named %q: refer to them by number (P%d, P%d)", j, i, p.N, j, i))
		}
		seen[p.N] = i
		d.Params = append(d.Params, p)
	}
	return nil
}

func (d *Dataset) order() (binary.ByteOrder, error) {
	s := strings.ReplaceAll(strings.TrimSpace(d.ByteOrder), " ", "")
	switch {
	case s == "1,2,3,4" || s == "1,2" || s == "1,2,3,4,5,6,7,8" || s == "1":
		return binary.LittleEndian, nil
	case s == "4,3,2,1" || s == "2,1" || s == "8,7,6,5,4,3,2,1":
		return binary.BigEndian, nil
	case s == "" && d.DataType == "A":
		return binary.BigEndian, nil
	}
	return nil, perr(ErrUnsupported, d.Path, "TEXT keyword $BYTEORD", "only little- and big-endian files can be read", "$BYTEORD %q is not supported", d.ByteOrder)
}

func (d *Dataset) parseData(b []byte, ds, de int64) error {
	if d.Events == 0 {
		d.Data = []float64{}
		return nil
	}
	seg, err := d.segment(b, ds, de)
	if err != nil || d.DataType == "A" {
		if err == nil {
			err = d.parseASCII(seg)
		}
		return err
	}
	ord, err := d.order()
	if err != nil {
		return err
	}
	widths := make([]int, len(d.Params))
	per := 0
	for i, p := range d.Params {
		widths[i] = (p.Bits + 7) / 8
		per += widths[i]
	}
	if seg, err = d.fit(seg, per); err != nil {
		return err
	}
	d.Data = make([]float64, d.Events*len(d.Params))
	switch d.DataType {
	case "F", "D":
		d.decodeFloats(seg, ord)
	case "I":
		d.decodeInts(seg, ord, widths)
	}
	return nil
}

// segment returns the DATA bytes: a start beyond the file is a file
// without events, an end beyond it is read up to the file's end.
func (d *Dataset) segment(b []byte, ds, de int64) ([]byte, error) {
	if ds <= 0 || de < ds || ds >= int64(len(b)) {
		if ds >= int64(len(b)) {
			return nil, perr(ErrNoData, d.Path, "DATA", "the file holds the HEADER and TEXT but not the events: export it again with its data (lsc flow info still reads its keywords)",
				"DATA segment starts at byte %d of a %d-byte file ($TOT %d events)", ds, len(b), d.Events)
		}
		return nil, perr(ErrTruncated, d.Path, "DATA", "the file is truncated or its offsets are damaged", "DATA segment %d-%d does not lie in the %d-byte file ($TOT %d events)", ds, de, len(b), d.Events)
	}
	if de >= int64(len(b)) {
		if de > int64(len(b)) {
			d.Warnings = append(d.Warnings, fmt.Sprintf("DATA end %d is past the end of the file (%d bytes): reading what is there", de, len(b)))
		}
		de = int64(len(b)) - 1
	}
	return b[ds : de+1], nil
}

// fit checks that seg holds $TOT events of per bytes and trims what is
// beyond them, with a warning.
func (d *Dataset) fit(seg []byte, per int) ([]byte, error) {
	if per == 0 || int64(d.Events) > int64(len(seg))/int64(per)+1 {
		return nil, perr(ErrTruncated, d.Path, "DATA", "the file is truncated: copy it again from the cytometer", "DATA segment holds %d bytes, too few for $TOT %d events of %d bytes", len(seg), d.Events, per)
	}
	need := int64(per) * int64(d.Events)
	switch have := int64(len(seg)); {
	case have == need:
	case have == need+1:
		d.Warnings = append(d.Warnings, "DATA end offset is one byte past the last event (a common writer error): corrected")
		seg = seg[:need]
	case have > need:
		d.Warnings = append(d.Warnings, fmt.Sprintf("DATA segment holds %d bytes, $TOT x event size is %d: the first %d events are read", have, need, d.Events))
		seg = seg[:need]
	default:
		return nil, perr(ErrTruncated, d.Path, "DATA", "the file is truncated: copy it again from the cytometer", "DATA segment holds %d bytes, but $TOT %d events of %d bytes need %d", have, d.Events, per, need)
	}
	return seg, nil
}

// decodeFloats reads $DATATYPE F (32-bit) or D (64-bit) values.
func (d *Dataset) decodeFloats(seg []byte, ord binary.ByteOrder) {
	// Concrete byte orders, not the interface, keep these loops at memory speed.
	big := ord == binary.BigEndian
	switch {
	case d.DataType == "F" && big:
		for i := range d.Data {
			d.Data[i] = float64(math.Float32frombits(binary.BigEndian.Uint32(seg[4*i:])))
		}
	case d.DataType == "F":
		for i := range d.Data {
			d.Data[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(seg[4*i:])))
		}
	case big:
		for i := range d.Data {
			d.Data[i] = math.Float64frombits(binary.BigEndian.Uint64(seg[8*i:]))
		}
	default:
		for i := range d.Data {
			d.Data[i] = math.Float64frombits(binary.LittleEndian.Uint64(seg[8*i:]))
		}
	}
}

// intMasks returns each parameter's mask: $PnB bits, and below the next
// power of two of $PnR (FlowIO).
func (d *Dataset) intMasks() []uint64 {
	masks := make([]uint64, len(d.Params))
	for i, p := range d.Params {
		m := uint64(math.MaxUint64)
		if p.Bits < 64 {
			m = 1<<uint(p.Bits) - 1
		}
		if p.Range > 0 && p.Range < float64(uint64(1)<<62) {
			r := nextPow2(uint64(math.Ceil(p.Range)))
			if r-1 < m {
				m = r - 1
			}
		}
		masks[i] = m
	}
	return masks
}

// decodeInts reads $DATATYPE I values of the given byte widths, masked.
func (d *Dataset) decodeInts(seg []byte, ord binary.ByteOrder, widths []int) {
	np := len(d.Params)
	masks := d.intMasks()
	little := ord == binary.LittleEndian
	masked := 0
	if w, ok := uniform(widths); ok && (w == 2 || w == 4) {
		// Fast path for the common layouts: one width for every parameter.
		for k := range d.Data {
			var v uint64
			switch {
			case w == 2 && little:
				v = uint64(binary.LittleEndian.Uint16(seg[2*k:]))
			case w == 2:
				v = uint64(binary.BigEndian.Uint16(seg[2*k:]))
			case little:
				v = uint64(binary.LittleEndian.Uint32(seg[4*k:]))
			default:
				v = uint64(binary.BigEndian.Uint32(seg[4*k:]))
			}
			m := masks[k%np]
			if v&^m != 0 {
				masked++
			}
			d.Data[k] = float64(v & m)
		}
	} else {
		pos := 0
		for e := 0; e < d.Events; e++ {
			for i := 0; i < np; i++ {
				w := widths[i]
				var v uint64
				if little {
					for k := w - 1; k >= 0; k-- {
						v = v<<8 | uint64(seg[pos+k])
					}
				} else {
					for k := 0; k < w; k++ {
						v = v<<8 | uint64(seg[pos+k])
					}
				}
				pos += w
				if v&^masks[i] != 0 {
					masked++
				}
				d.Data[e*np+i] = float64(v & masks[i])
			}
		}
	}
	if masked > 0 {
		d.Warnings = append(d.Warnings, fmt.Sprintf("%d integer values had bits set above $PnB or $PnR; they were masked off (as FlowIO does)", masked))
	}
}

func nextPow2(x uint64) uint64 {
	p := uint64(1)
	for p < x {
		p <<= 1
	}
	return p
}

func (d *Dataset) parseASCII(seg []byte) error {
	np := len(d.Params)
	d.Data = make([]float64, 0, d.Events*np)
	free := d.Params[0].Bits == 0
	if free {
		fields := bytes.FieldsFunc(seg, func(r rune) bool { return r == ' ' || r == '\t' || r == ',' || r == '\r' || r == '\n' })
		for _, f := range fields {
			if len(d.Data) == d.Events*np {
				break
			}
			v, err := strconv.ParseFloat(string(f), 64)
			if err != nil {
				return perr(ErrValue, d.Path, "DATA", "", "ASCII value %q is not a number", sanitize(f))
			}
			d.Data = append(d.Data, v)
		}
	} else {
		pos := 0
		for e := 0; e < d.Events; e++ {
			for _, p := range d.Params {
				w := p.Bits // for A data, $PnB counts characters
				if pos+w > len(seg) {
					return perr(ErrTruncated, d.Path, "DATA", "the file is truncated", "ASCII DATA ends at event %d", e+1)
				}
				v, err := strconv.ParseFloat(strings.TrimSpace(string(seg[pos:pos+w])), 64)
				if err != nil {
					return perr(ErrValue, d.Path, "DATA", "", "ASCII value %q at event %d is not a number", sanitize(seg[pos:pos+w]), e+1)
				}
				d.Data = append(d.Data, v)
				pos += w
			}
		}
	}
	if len(d.Data) != d.Events*np {
		return perr(ErrTruncated, d.Path, "DATA", "the file is truncated", "ASCII DATA holds %d values, $TOT x $PAR is %d", len(d.Data), d.Events*np)
	}
	return nil
}

// Scaled returns channel values: $PnE log amplification undone, $PnG gain
// divided out, and time multiplied by $TIMESTEP, as FlowIO's preprocessing.
func (d *Dataset) Scaled() []float64 {
	np := len(d.Params)
	out := make([]float64, len(d.Data))
	step := 1.0
	if s, ok := d.Keyword("$TIMESTEP"); ok {
		if v, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil && v != 0 {
			step = v
		}
	}
	for e := 0; e < d.Events; e++ {
		for i, p := range d.Params {
			v := d.Data[e*np+i]
			if p.IsTime {
				v *= step
			}
			if p.Decades > 0 && p.Range > 0 {
				v = math.Pow(10, p.Decades*v/p.Range) * p.Log0
			}
			if p.Gain != 1 && p.Gain != 0 {
				v /= p.Gain
			}
			out[e*np+i] = v
		}
	}
	return out
}

// Channel returns the 0-based index of a parameter named by $PnN, by $PnS,
// or as "P<n>"; ambiguous names are an error.
func (d *Dataset) Channel(name string) (int, error) {
	if strings.HasPrefix(name, "P") {
		if n, err := strconv.Atoi(name[1:]); err == nil && n >= 1 && n <= len(d.Params) {
			if d.countN(name) == 0 {
				return n - 1, nil
			}
		}
	}
	found := -1
	for i, p := range d.Params {
		if p.N == name {
			if found >= 0 {
				return 0, fmt.Errorf("%s: %w are named %q (P%d, P%d): name them by number", d.Path, ErrAmbiguousChannel, name, found+1, i+1)
			}
			found = i
		}
	}
	if found >= 0 {
		return found, nil
	}
	for i, p := range d.Params {
		if p.S != "" && strings.EqualFold(p.S, name) {
			if found >= 0 {
				return 0, fmt.Errorf("%s: %w are labelled %q: name them by $PnN", d.Path, ErrAmbiguousChannel, name)
			}
			found = i
		}
	}
	if found >= 0 {
		return found, nil
	}
	var names []string
	for _, p := range d.Params {
		names = append(names, p.N)
	}
	return 0, fmt.Errorf("%s: %w %q; the file has %s", d.Path, ErrNoChannel, name, strings.Join(names, ", "))
}

func (d *Dataset) countN(n string) int {
	c := 0
	for _, p := range d.Params {
		if p.N == n {
			c++
		}
	}
	return c
}

func uniform(w []int) (int, bool) {
	for _, x := range w[1:] {
		if x != w[0] {
			return 0, false
		}
	}
	return w[0], true
}

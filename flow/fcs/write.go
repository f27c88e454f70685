package fcs

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Channel is one parameter of a file to write.
type Channel struct {
	N, S  string
	Range float64
}

// rewrittenParam reports whether an upper-case keyword is a parameter
// keyword Write sets itself ($PnN, $PnS, $PnB, $PnE, $PnR) or that no
// longer holds for the written values ($PnG: gain is divided out when
// scaling), or one of a parameter the file does not have. Others ($PnV
// voltage, $PnL wavelength, $PnD display, ...) are kept.
func rewrittenParam(u string, np int) bool {
	if !strings.HasPrefix(u, "$P") {
		return false
	}
	i := 2
	for i < len(u) && u[i] >= '0' && u[i] <= '9' {
		i++
	}
	if i == 2 {
		return false
	}
	n, err := strconv.Atoi(u[2:i])
	if err != nil || n < 1 || n > np {
		return true
	}
	switch u[i:] {
	case "N", "S", "B", "E", "R", "G":
		return true
	}
	return false
}

// Write writes events (row-major, len(channels) columns) as an FCS 3.1
// file with 32-bit float little-endian data. extra keywords (e.g. $CYT,
// $SPILLOVER, $P1V, provenance) are added to TEXT; reserved layout keywords
// and the parameter keywords Write sets are ignored (rewrittenParam). The delimiter is '/', escaped by doubling in values.
func Write(w io.Writer, channels []Channel, events []float64, extra map[string]string) error {
	np := len(channels)
	if np == 0 || len(events)%np != 0 {
		return fmt.Errorf("fcs: %d values do not fill %d channels", len(events), np)
	}
	n := len(events) / np
	kw := [][2]string{
		{"$BYTEORD", "1,2,3,4"}, {"$DATATYPE", "F"}, {"$MODE", "L"}, {"$NEXTDATA", "0"},
		{"$PAR", strconv.Itoa(np)}, {"$TOT", strconv.Itoa(n)},
	}
	for i, c := range channels {
		p := strconv.Itoa(i + 1)
		r := c.Range
		if r <= 0 {
			r = 262144
		}
		kw = append(kw, [2]string{"$P" + p + "N", c.N}, [2]string{"$P" + p + "B", "32"}, [2]string{"$P" + p + "E", "0,0"},
			[2]string{"$P" + p + "R", strconv.FormatFloat(r, 'f', -1, 64)})
		if c.S != "" {
			kw = append(kw, [2]string{"$P" + p + "S", c.S})
		}
	}
	reserved := map[string]bool{"$BEGINDATA": true, "$ENDDATA": true, "$BEGINANALYSIS": true, "$ENDANALYSIS": true,
		"$BEGINSTEXT": true, "$ENDSTEXT": true, "$BYTEORD": true, "$DATATYPE": true, "$MODE": true, "$NEXTDATA": true, "$PAR": true, "$TOT": true}
	keys := make([]string, 0, len(extra))
	for k := range extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		u := strings.ToUpper(k)
		if reserved[u] || rewrittenParam(u, np) || extra[k] == "" {
			continue
		}
		kw = append(kw, [2]string{k, extra[k]})
	}
	esc := func(s string) string { return strings.ReplaceAll(s, "/", "//") }
	var body strings.Builder
	for _, p := range kw {
		body.WriteString("/" + esc(p[0]) + "/" + esc(p[1]))
	}
	dataLen := int64(n) * int64(np) * 4
	// The offsets are written with a fixed width so that the TEXT length does
	// not depend on them.
	textStart := int64(58)
	offsets := func(ds, de int64) string {
		return fmt.Sprintf("/$BEGINANALYSIS/0/$ENDANALYSIS/0/$BEGINSTEXT/0/$ENDSTEXT/0/$BEGINDATA/%020d/$ENDDATA/%020d/", ds, de)
	}
	textLen := int64(len(body.String()) + len(offsets(0, 0)))
	dataStart := textStart + textLen
	dataEnd := dataStart + dataLen - 1
	if dataLen == 0 {
		dataEnd = dataStart
	}
	text := body.String() + offsets(dataStart, dataEnd)
	hdr := func(v int64) string {
		if v > 99999999 {
			return fmt.Sprintf("%8d", 0)
		}
		return fmt.Sprintf("%8d", v)
	}
	var head bytes.Buffer
	head.WriteString("FCS3.1    ")
	head.WriteString(hdr(textStart) + hdr(textStart+textLen-1))
	if dataEnd > 99999999 {
		head.WriteString(hdr(0) + hdr(0))
	} else {
		head.WriteString(hdr(dataStart) + hdr(dataEnd))
	}
	head.WriteString(hdr(0) + hdr(0))
	if _, err := w.Write(head.Bytes()); err != nil {
		return err
	}
	if _, err := io.WriteString(w, text); err != nil {
		return err
	}
	buf := make([]byte, 4*np)
	for e := 0; e < n; e++ {
		for i := 0; i < np; i++ {
			binary.LittleEndian.PutUint32(buf[4*i:], math.Float32bits(float32(events[e*np+i])))
		}
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return nil
}

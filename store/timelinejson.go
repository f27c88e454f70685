package store

import (
	"errors"
	"math"
	"strconv"
	"unicode/utf8"
)

// AppendJSON appends the timeline as report.JSON writes it (encoding/json,
// two-space indent, HTML-safe strings, a final newline), byte for byte,
// without reflection or the compact-and-indent pass over each point's
// MarshalJSON: the web API sends one per request, and encoding it through
// encoding/json was a seventh of the server's CPU under load.
// TestTimelineAppendJSON checks it against report.JSON.
func (t *Timeline) AppendJSON(b []byte) ([]byte, error) {
	b = append(b, "{\n  \"patient\": "...)
	b = appendJSONString(b, t.Patient)
	b = append(b, ",\n  \"day0\": "...)
	b = appendJSONOptString(b, t.Day0)
	b = append(b, ",\n  \"day0_event\": "...)
	b = appendJSONString(b, t.Day0Event)
	b = append(b, ",\n  \"events\": "...)
	if t.Events == nil {
		b = append(b, "null"...)
	} else if len(t.Events) == 0 {
		b = append(b, "[]"...)
	} else {
		b = append(b, "[\n"...)
		for i, e := range t.Events {
			b = append(b, "    {\n      \"date\": "...)
			b = appendJSONOptString(b, e.Date)
			b = append(b, ",\n      \"day\": "...)
			if e.Day == nil {
				b = append(b, "null"...)
			} else {
				var err error
				if b, err = appendJSONFloat(b, *e.Day); err != nil {
					return nil, err
				}
			}
			b = append(b, ",\n      \"kind\": "...)
			b = appendJSONString(b, e.Kind)
			b = append(b, ",\n      \"detail\": "...)
			b = appendJSONString(b, e.Detail)
			b = append(b, "\n    }"...)
			if i < len(t.Events)-1 {
				b = append(b, ',')
			}
			b = append(b, '\n')
		}
		b = append(b, "  ]"...)
	}
	b = append(b, ",\n  \"series\": "...)
	if t.Series == nil {
		b = append(b, "null"...)
	} else if len(t.Series) == 0 {
		b = append(b, "[]"...)
	} else {
		b = append(b, "[\n"...)
		for i := range t.Series {
			b = t.Series[i].appendJSON(b)
			if i < len(t.Series)-1 {
				b = append(b, ',')
			}
			b = append(b, '\n')
		}
		b = append(b, "  ]"...)
	}
	if len(t.Undated) > 0 {
		b = append(b, ",\n  \"undated\": [\n"...)
		for i, s := range t.Undated {
			b = append(b, "    "...)
			b = appendJSONString(b, s)
			if i < len(t.Undated)-1 {
				b = append(b, ',')
			}
			b = append(b, '\n')
		}
		b = append(b, "  ]"...)
	}
	return append(b, "\n}\n"...), nil
}

func (s *Series) appendJSON(b []byte) []byte {
	b = append(b, "    {\n"...)
	if s.Kind != "" {
		b = append(b, "      \"kind\": "...)
		b = appendJSONString(b, s.Kind)
		b = append(b, ",\n"...)
	}
	for _, kv := range [...]struct{ k, v string }{{"assay", s.Assay}, {"metric", s.Metric}, {"fraction", s.Fraction}, {"target", s.Target}, {"unit", s.Unit}} {
		b = append(b, "      \""...)
		b = append(b, kv.k...)
		b = append(b, "\": "...)
		b = appendJSONString(b, kv.v)
		b = append(b, ",\n"...)
	}
	if s.Scenario != "" {
		b = append(b, "      \"scenario\": "...)
		b = appendJSONString(b, s.Scenario)
		b = append(b, ",\n"...)
	}
	b = append(b, "      \"points\": "...)
	switch {
	case s.Points == nil:
		b = append(b, "null"...)
	case len(s.Points) == 0:
		b = append(b, "[]"...)
	default:
		b = append(b, "[\n"...)
		for i := range s.Points {
			b = s.Points[i].appendJSON(b)
			if i < len(s.Points)-1 {
				b = append(b, ',')
			}
			b = append(b, '\n')
		}
		b = append(b, "      ]"...)
	}
	return append(b, "\n    }"...)
}

// appendJSON is MarshalJSON's object as encoding/json indents it at the
// depth of a series' points.
func (p *Point) appendJSON(b []byte) []byte {
	const in = "\n          \""
	b = append(b, "        {"...)
	b = append(b, in+`date": `...)
	b = appendJSONOptString(b, p.Date)
	for _, kv := range [...]struct {
		k string
		v *float64
	}{{"day", p.Day}, {"value", p.Value}, {"lower", p.Lower}, {"upper", p.Upper}} {
		b = append(b, ',')
		b = append(b, in...)
		b = append(b, kv.k...)
		b = append(b, `": `...)
		b = appendNum(b, kv.v)
	}
	for _, kv := range [...]struct{ k, v string }{{"label", p.Label}, {"sample", p.Sample}, {"run", p.Run}} {
		b = append(b, ',')
		b = append(b, in...)
		b = append(b, kv.k...)
		b = append(b, `": `...)
		b = appendJSONString(b, kv.v)
	}
	if p.Timepoint != "" {
		b = append(b, ","+in+`timepoint": `...)
		b = appendJSONString(b, p.Timepoint)
	}
	if p.File != "" {
		b = append(b, ","+in+`file": `...)
		b = appendJSONString(b, p.File)
		b = append(b, ","+in+`line": `...)
		b = strconv.AppendInt(b, int64(p.Line), 10)
	}
	if p.DetectionLimit != nil {
		b = append(b, ","+in+`detection_limit": `...)
		b = appendNum(b, p.DetectionLimit)
	}
	return append(b, "\n        }"...)
}

// appendNum is writeNum: shortest round-trip form, null for a missing,
// NaN or infinite number.
func appendNum(b []byte, v *float64) []byte {
	if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
		return append(b, "null"...)
	}
	return strconv.AppendFloat(b, *v, 'g', -1, 64)
}

func appendJSONOptString(b []byte, s *string) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	return appendJSONString(b, *s)
}

var errJSONNumber = errors.New("json: unsupported value: NaN or infinite number")

// appendJSONFloat formats f as encoding/json formats a float64.
func appendJSONFloat(b []byte, f float64) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, errJSONNumber
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

// appendJSONString quotes s as encoding/json does with HTML escaping on:
// <, > and & as \u003c, \u003e, \u0026; invalid UTF-8 as \ufffd; U+2028
// and U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

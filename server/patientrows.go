package server

import (
	"html/template"
	"net/url"

	"github.com/lsc-bio/lsc/report"
	"github.com/lsc-bio/lsc/store"
)

// The patient page's per-row parts (events and values tables) are written
// here rather than by html/template: a 10,000-patient study's page has
// hundreds of rows, and one template function call per cell was a third of
// the server's CPU under load (bench/README.md). The escaping replicates
// html/template's for each context byte for byte (its text and attribute
// escaper, its URL normaliser and URL query escaper); TestPatientRowsGolden
// compares the output with the template this replaced, and
// TestEscapersMatchTemplate each escaper with html/template's.

// appendHTML appends s escaped as html/template escapes text and quoted
// attribute values: NUL, '"', '&', '\”, '+', '<', '>' are replaced; every
// other byte (invalid UTF-8 included) is kept.
func appendHTML(b []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); i++ {
		var r string
		switch s[i] {
		case 0:
			r = "\uFFFD"
		case '"':
			r = "&#34;"
		case '&':
			r = "&amp;"
		case '\'':
			r = "&#39;"
		case '+':
			r = "&#43;"
		case '<':
			r = "&lt;"
		case '>':
			r = "&gt;"
		default:
			continue
		}
		b = append(b, s[last:i]...)
		b = append(b, r...)
		last = i + 1
	}
	return append(b, s[last:]...)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// appendURLPart appends s as html/template writes a value inside a quoted
// URL attribute: percent-encoded (norm: html/template's URL normaliser,
// for the path; else its query escaper), then attribute-escaped.
func appendURLPart(b []byte, s string, norm bool) []byte {
	const hex = "0123456789abcdef"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '!', '#', '$', '&', '*', '+', ',', '/', ':', ';', '=', '?', '@', '[', ']':
			if norm {
				b = appendHTML(b, s[i:i+1])
				continue
			}
		case '-', '.', '_', '~':
			b = append(b, c)
			continue
		case '%':
			if norm && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
				b = append(b, c)
				continue
			}
		default:
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
				b = append(b, c)
				continue
			}
		}
		b = append(b, '%', hex[c>>4], hex[c&15])
	}
	return b
}

func numOf(v *float64) string {
	if v == nil {
		return ""
	}
	return report.Num(*v)
}

func derefS(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// eventRows is the events table body as patient.html wrote it:
// {{range .Patient.Events}}<tr><td>{{deref .Date}}</td>...{{end}}.
func eventRows(t *store.Timeline) template.HTML {
	b := make([]byte, 0, 64*len(t.Events))
	for _, e := range t.Events {
		b = append(b, "<tr><td>"...)
		b = appendHTML(b, derefS(e.Date))
		b = append(b, "</td><td>"...)
		b = appendHTML(b, numOf(e.Day))
		b = append(b, "</td><td>"...)
		b = appendHTML(b, e.Kind)
		b = append(b, "</td><td>"...)
		b = appendHTML(b, e.Detail)
		b = append(b, "</td></tr>"...)
	}
	return template.HTML(b)
}

// valueRows is the values table body: one row per point of every series,
// with links to the sample and run pages.
func valueRows(study string, t *store.Timeline) template.HTML {
	n := 0
	for _, s := range t.Series {
		n += len(s.Points)
	}
	b := make([]byte, 0, 420*n)
	studyPath := appendURLPart(nil, study, true)
	patientQuery := appendURLPart(nil, t.Patient, false)
	for _, s := range t.Series {
		var head []byte
		head = append(head, "<tr><td>"...)
		if s.Kind == "projection" {
			head = append(head, "model projection: "...)
		}
		head = appendHTML(head, s.Assay)
		head = append(head, ' ')
		head = appendHTML(head, s.Metric)
		head = append(head, ' ')
		head = appendHTML(head, s.Fraction)
		head = append(head, ' ')
		head = appendHTML(head, s.Target)
		head = append(head, "</td>\n<td>"...)
		unit := appendHTML(nil, s.Unit)
		for _, p := range s.Points {
			b = append(b, head...)
			b = appendHTML(b, derefS(p.Date))
			b = append(b, "</td><td>"...)
			b = appendHTML(b, numOf(p.Day))
			b = append(b, "</td><td>"...)
			if p.DetectionLimit != nil && p.Value != nil && report.Num(*p.Value) == "0" {
				b = append(b, "undetectable (&lt; "...)
				b = appendHTML(b, report.Num(*p.DetectionLimit))
				b = append(b, ' ')
				b = append(b, unit...)
				b = append(b, ')')
			} else {
				b = appendHTML(b, numOf(p.Value))
				b = append(b, ' ')
				b = append(b, unit...)
			}
			b = append(b, "</td><td>"...)
			if p.Lower != nil {
				b = appendHTML(b, report.Num(*p.Lower))
				b = append(b, "–"...)
				b = appendHTML(b, numOf(p.Upper))
			}
			b = append(b, "</td><td>"...)
			b = appendHTML(b, p.Label)
			b = append(b, "</td><td>"...)
			if p.Sample != "" {
				b = append(b, `<a href="/studies/`...)
				b = append(b, studyPath...)
				b = append(b, "/samples/"...)
				b = appendURLPart(b, url.PathEscape(p.Sample), true)
				b = append(b, "?patient="...)
				b = append(b, patientQuery...)
				b = append(b, `">`...)
				b = appendHTML(b, p.Sample)
				b = append(b, "</a>"...)
			}
			b = append(b, "</td>\n<td><a href=\"/studies/"...)
			b = append(b, studyPath...)
			b = append(b, "/runs/"...)
			b = appendURLPart(b, p.Run, true)
			b = append(b, `">`...)
			b = appendHTML(b, p.Run)
			b = append(b, "</a></td></tr>"...)
		}
	}
	return template.HTML(b)
}

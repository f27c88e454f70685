package plot

import (
	"html"
	"strings"
	"unicode/utf8"
)

// Esc returns s as SVG text or attribute content: html.EscapeString's
// escapes, after bytes that are not UTF-8 and characters XML 1.0 does not
// allow (controls other than tab, newline and carriage return; U+FFFE and
// U+FFFF) become U+FFFD. Names come from users' files; a downloaded SVG
// holding a NUL or a Latin-1 byte would not open as XML.
func Esc(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '<' || c == '>' || c == '&' || c == '\'' || c == '"' {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return html.EscapeString(xmlChars(s))
}

// xmlChars replaces what XML 1.0 cannot hold with U+FFFD (strings.Map
// writes U+FFFD for a byte that is not UTF-8 and returns s itself when
// nothing changes).
func xmlChars(s string) string {
	return strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0xFFFE || r == 0xFFFF {
			return utf8.RuneError
		}
		return r
	}, s)
}

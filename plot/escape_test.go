package plot

import (
	"encoding/xml"
	"testing"
)

// esc escapes markup as html.EscapeString does and turns what XML 1.0 cannot
// hold into U+FFFD; the result is always XML text. Expected
// values written by hand from the XML 1.0 Char production.
func TestEsc(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain CD34+CD38- 7.5 %", "plain CD34+CD38- 7.5 %"},
		{`<b>"x" & 'y'</b>`, "&lt;b&gt;&#34;x&#34; &amp; &#39;y&#39;&lt;/b&gt;"},
		{"a\x00b\x1fc", "a\uFFFDb\uFFFDc"},
		{"tab\tnl\ncr\r", "tab\tnl\ncr\r"},
		{"\xff\xfe bad", "\uFFFD\uFFFD bad"},
		{"é ü 中文 \u2028", "é ü 中文 \u2028"},
		{"M\xfcller", "M\uFFFDller"},
		{"\uFFFE\uFFFF", "\uFFFD\uFFFD"},
		{"", ""},
	} {
		got := Esc(c.in)
		if got != c.want {
			t.Errorf("Esc(%q) = %q, want %q", c.in, got, c.want)
		}
		if err := xml.Unmarshal([]byte(`<t a="`+got+`">`+got+`</t>`), new(struct{})); err != nil {
			t.Errorf("Esc(%q) = %q is not XML text: %v", c.in, got, err)
		}
	}
}

// Package xmltree reads XML into a small namespace-free tree: elements are
// matched by local name, which is how Gating-ML and FlowJo files are best
// read (their namespace prefixes vary between writers). Documents declared
// ISO-8859-1 (Latin-1; FlowJo 9 writes it) are decoded to UTF-8.
package xmltree

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Node is one element.
type Node struct {
	Name string
	Attr map[string]string // by local name
	Text string
	Kids []*Node
	Line int
}

// Children returns the child elements with a local name.
func (n *Node) Children(name string) []*Node {
	var out []*Node
	for _, k := range n.Kids {
		if k.Name == name {
			out = append(out, k)
		}
	}
	return out
}

// Child returns the first child element with a local name, or nil.
func (n *Node) Child(name string) *Node {
	for _, k := range n.Kids {
		if k.Name == name {
			return k
		}
	}
	return nil
}

// Parse reads a whole document; the returned node is a synthetic root
// whose children are the top-level elements.
func Parse(r io.Reader) (*Node, error) {
	dec := xml.NewDecoder(r)
	dec.Strict = true
	dec.CharsetReader = charsetReader
	root := &Node{Name: "#root"}
	stack := []*Node{root}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		line, _ := dec.InputPos()
		switch t := tok.(type) {
		case xml.StartElement:
			n := &Node{Name: t.Name.Local, Attr: map[string]string{}, Line: line}
			for _, a := range t.Attr {
				n.Attr[a.Name.Local] = a.Value
			}
			top := stack[len(stack)-1]
			top.Kids = append(top.Kids, n)
			stack = append(stack, n)
			if len(stack) > 256 {
				return nil, fmt.Errorf("elements nested more than 256 deep")
			}
		case xml.EndElement:
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			top := stack[len(stack)-1]
			if len(top.Text) < 1<<20 {
				top.Text += string(t)
			}
		}
	}
	return root, nil
}

// charsetReader decodes Latin-1 (ISO-8859-1, and its superset
// windows-1252 read as Latin-1) to UTF-8; other declared encodings are
// refused with their name.
func charsetReader(label string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "iso_8859-1", "windows-1252", "cp1252":
		return &latin1{r: bufio.NewReader(r)}, nil
	case "utf-8", "utf8", "us-ascii", "ascii":
		return r, nil
	}
	return nil, fmt.Errorf("XML encoding %q is not supported (save the file as UTF-8 or ISO-8859-1)", label)
}

// latin1 turns each byte into the rune of the same number, as UTF-8.
type latin1 struct {
	r   *bufio.Reader
	buf []byte
}

func (l *latin1) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(l.buf) > 0 {
			c := copy(p[n:], l.buf)
			l.buf = l.buf[c:]
			n += c
			continue
		}
		b, err := l.r.ReadByte()
		if err != nil {
			if n > 0 {
				return n, nil
			}
			return 0, err
		}
		if b < utf8.RuneSelf {
			p[n] = b
			n++
			continue
		}
		l.buf = utf8.AppendRune(l.buf[:0], rune(b))
	}
	return n, nil
}

// Float reads a number written in an attribute or element text (surrounding
// space allowed), as Gating-ML and FlowJo write them.
func Float(s string) (float64, error) { return strconv.ParseFloat(strings.TrimSpace(s), 64) }

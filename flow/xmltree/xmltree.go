// Package xmltree reads XML into a small namespace-free tree: elements are
// matched by local name, which is how Gating-ML and FlowJo files are best
// read (their namespace prefixes vary between writers).
package xmltree

import (
	"encoding/xml"
	"fmt"
	"io"
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

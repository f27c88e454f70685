// Package report writes the files lsc produces for people and programs:
// TSV tables, JSON documents and self-contained HTML pages. It is the one
// home of every output format; it computes no new statistics and only lays
// out results the libraries computed. Figures inside the pages are drawn
// with package plot. Numbers in tables go through Num (shortest form that
// round-trips), so the same result always prints the same bytes.
package report

package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/lsc-bio/lsc/signature"
)

func signaturesCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "signatures",
		Short: "list the built-in signatures",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "name\tgenes\tkind\tsource")
			for _, s := range signature.Builtin() {
				kind := "set"
				switch {
				case s.Weighted():
					kind = "weighted"
				case len(s.Down) > 0:
					kind = "up/down"
				}
				n := fmt.Sprint(len(s.Up))
				if len(s.Down) > 0 {
					n = fmt.Sprintf("%d/%d", len(s.Up), len(s.Down))
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s (doi:%s)\n", s.Name, n, kind, firstAuthor(s.Citation), s.DOI)
			}
			return tw.Flush()
		},
	}
	var quiet bool
	addQuiet(c.PersistentFlags(), &quiet) // nothing to silence; accepted as on every command
	c.AddCommand(&cobra.Command{
		Use:   "show NAME",
		Short: "print a built-in signature's genes and provenance",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, ok := signature.Lookup(args[0])
			if !ok {
				return fmt.Errorf("no built-in signature %q (have: %s)", args[0], strings.Join(signature.Names(), ", "))
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "# %s\n# citation: %s\n# doi: %s\n# input scale: %s\n# source: %s\n", s.Name, s.Citation, s.DOI, s.Scale, s.Source)
			for i, g := range s.Up {
				alias := ""
				if a := signature.Aliases[g]; len(a) > 0 {
					alias = "\talias " + strings.Join(a, ",")
				}
				switch {
				case s.Weighted():
					fmt.Fprintf(w, "%s\t%g%s\n", g, s.Weights[i], alias)
				case len(s.Down) > 0:
					fmt.Fprintf(w, "%s\tup%s\n", g, alias)
				default:
					fmt.Fprintf(w, "%s%s\n", g, alias)
				}
			}
			for _, g := range s.Down {
				fmt.Fprintf(w, "%s\tdown\n", g)
			}
			return nil
		},
	})
	return c
}

func firstAuthor(cite string) string {
	if i := strings.Index(cite, ". "); i > 0 {
		y := ""
		if j := strings.LastIndex(cite, " 20"); j > 0 && j+5 <= len(cite) {
			y = " " + cite[j+1:j+5]
		}
		return cite[:i] + y
	}
	return cite
}

package main

import (
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/lsc-bio/lsc/auth"
	"github.com/lsc-bio/lsc/report"
	"github.com/lsc-bio/lsc/store"
)

func studyAuditCmd() *cobra.Command {
	c := &cobra.Command{Use: "audit", Short: "the web app's audit log: list rows, verify the hash chain"}
	c.AddCommand(auditVerifyCmd(), auditListCmd())
	return c
}

func auditVerifyCmd() *cobra.Command {
	var f studyFlags
	c := &cobra.Command{Use: "verify --db DB", Short: "check that no audit row was edited or removed (exit 1 when the chain is broken)", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return f.withStore(cmd.Context(), func(st store.Store) error {
				recs, err := st.AuditLog(cmd.Context(), store.AuditFilter{})
				if err != nil {
					return err
				}
				if err := auth.VerifyChain(recs); err != nil {
					return err
				}
				head := auth.GenesisHash
				if len(recs) > 0 {
					head = recs[len(recs)-1].Hash
				}
				fmt.Fprintf(cmd.OutOrStdout(), "audit chain intact: %d rows, head %s\n", len(recs), head)
				return nil
			})
		}}
	f.add(c)
	return c
}

func auditListCmd() *cobra.Command {
	var f studyFlags
	var af store.AuditFilter
	var from, to string
	c := &cobra.Command{Use: "list --db DB [--actor U] [--action A] [--outcome O] [--from DATE] [--to DATE] [--limit N]", Short: "list audit rows (TSV)", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, d := range []struct {
				s   string
				dst *time.Time
			}{{from, &af.From}, {to, &af.To}} {
				if d.s == "" {
					continue
				}
				t, err := time.Parse("2006-01-02", d.s)
				if err != nil {
					return usageError{fmt.Errorf("dates are YYYY-MM-DD: %q", d.s)}
				}
				*d.dst = t
			}
			return f.withStore(cmd.Context(), func(st store.Store) error {
				recs, err := st.AuditLog(cmd.Context(), af)
				if err != nil {
					return err
				}
				rows := make([][]string, len(recs))
				for i, r := range recs {
					rows[i] = []string{strconv.FormatInt(r.Seq, 10), r.Time.UTC().Format(time.RFC3339), r.Actor, r.Action, r.Study, r.Object, r.Outcome, r.Client}
				}
				return report.TSV(cmd.OutOrStdout(), []string{"seq", "time", "actor", "action", "study", "object", "outcome", "client"}, rows)
			})
		}}
	f.add(c)
	c.Flags().StringVar(&af.Actor, "actor", "", "only this user")
	c.Flags().StringVar(&af.Action, "action", "", "only this action (sign-in, view-timeline, import ...)")
	c.Flags().StringVar(&af.Outcome, "outcome", "", "only ok, failed, denied or locked")
	c.Flags().StringVar(&from, "from", "", "from this date (YYYY-MM-DD)")
	c.Flags().StringVar(&to, "to", "", "before this date (YYYY-MM-DD)")
	c.Flags().IntVar(&af.Limit, "limit", 0, "at most N rows")
	return c
}

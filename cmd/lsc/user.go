package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/lsc-bio/lsc/auth"
	"github.com/lsc-bio/lsc/report"
	"github.com/lsc-bio/lsc/store"
)

func userCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "user",
		Short: "accounts of the web app: add users, roles, passwords, personal access tokens",
		Long: `Users sign in to lsc serve; each has a role per study: viewer (read), analyst (also import and
annotate), admin (also users, memberships and the audit log).

  lsc user add --db study.db alice --role admin          # asks for the password on the terminal
  lsc user add --db study.db bot --role viewer --password-stdin < pw.txt
  lsc user role --db study.db alice --study trial2 --role analyst
  lsc user token create --db study.db bot --expires 30d  # prints a personal access token once
  lsc user token revoke --db study.db bot [--name NAME]
  lsc user list --db study.db [--json]`,
	}
	c.AddCommand(userAddCmd(), userRoleCmd(), userPasswdCmd(), userDisableCmd(), userListCmd(), tokenCmd())
	return c
}

// openChecked opens the store and checks its schema is current.
func (f *studyFlags) openChecked(ctx context.Context) (store.Store, error) {
	st, err := f.open(ctx)
	if err != nil {
		return nil, err
	}
	if err := store.Check(ctx, st); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// withStore runs fn on the study store (schema checked) and closes it.
func (f *studyFlags) withStore(ctx context.Context, fn func(st store.Store) error) error {
	st, err := f.openChecked(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	return fn(st)
}

// readPassword reads a password from stdin (one line) or, on a terminal,
// asks twice without echo.
func readPassword(cmd *cobra.Command, fromStdin bool) (string, error) {
	in := cmd.InOrStdin()
	if fromStdin {
		line, err := bufio.NewReader(in).ReadString('\n')
		if err != nil && err != io.EOF {
			return "", err
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	f, ok := in.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", usageError{errors.New("no terminal to ask for the password: use --password-stdin")}
	}
	ask := func(p string) (string, error) {
		fmt.Fprint(cmd.ErrOrStderr(), p)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(cmd.ErrOrStderr())
		return string(b), err
	}
	a, err := ask("password: ")
	if err != nil {
		return "", err
	}
	b, err := ask("again: ")
	if err != nil {
		return "", err
	}
	if a != b {
		return "", errors.New("the two passwords differ")
	}
	return a, nil
}

func hashNew(cmd *cobra.Command, fromStdin bool) (string, error) {
	pw, err := readPassword(cmd, fromStdin)
	if err != nil {
		return "", err
	}
	h, err := auth.HashPassword(pw, auth.DefaultParams, nil)
	if errors.Is(err, auth.ErrWeakPassword) {
		return "", usageError{err}
	}
	return h, err
}

func parseRoleFlag(s string) (auth.Role, error) {
	r, err := auth.ParseRole(s)
	if err != nil {
		return r, usageError{fmt.Errorf("--role: %w", err)}
	}
	return r, nil
}

func userAddCmd() *cobra.Command {
	var f studyFlags
	var role string
	var stdin bool
	c := &cobra.Command{Use: "add --db DB NAME --role viewer|analyst|admin [--study S] [--password-stdin]", Short: "add a user with a role in a study",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := parseRoleFlag(role)
			if err != nil {
				return err
			}
			return f.withStore(cmd.Context(), func(st store.Store) error {
				h, err := hashNew(cmd, stdin)
				if err != nil {
					return err
				}
				if _, err := st.AddUser(cmd.Context(), args[0], h, f.study, r); err != nil {
					return err
				}
				f.logf(cmd, "added user %s as %s of study %s", args[0], r, f.study)
				return nil
			})
		}}
	f.add(c)
	c.Flags().StringVar(&role, "role", "viewer", "viewer, analyst or admin")
	c.Flags().BoolVar(&stdin, "password-stdin", false, "read the password from standard input")
	return c
}

func userRoleCmd() *cobra.Command {
	var f studyFlags
	var role string
	c := &cobra.Command{Use: "role --db DB NAME --role viewer|analyst|admin|none [--study S]", Short: "set (or with none, remove) a user's role in a study",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r := auth.NoRole
			if role != "none" {
				var err error
				if r, err = parseRoleFlag(role); err != nil {
					return err
				}
			}
			return f.withStore(cmd.Context(), func(st store.Store) error {
				return st.SetRole(cmd.Context(), args[0], f.study, r)
			})
		}}
	f.add(c)
	c.Flags().StringVar(&role, "role", "", "viewer, analyst, admin or none")
	c.MarkFlagRequired("role")
	return c
}

func userPasswdCmd() *cobra.Command {
	var f studyFlags
	var stdin bool
	c := &cobra.Command{Use: "passwd --db DB NAME [--password-stdin]", Short: "set a user's password (ends their sessions)",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return f.withStore(cmd.Context(), func(st store.Store) error {
				h, err := hashNew(cmd, stdin)
				if err != nil {
					return err
				}
				return st.SetPassword(cmd.Context(), args[0], h)
			})
		}}
	f.add(c)
	c.Flags().BoolVar(&stdin, "password-stdin", false, "read the password from standard input")
	return c
}

func userDisableCmd() *cobra.Command {
	var f studyFlags
	var enable bool
	c := &cobra.Command{Use: "disable --db DB NAME [--enable]", Short: "disable a user (ends their sessions; tokens stop working) or enable again",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return f.withStore(cmd.Context(), func(st store.Store) error {
				return st.DisableUser(cmd.Context(), args[0], !enable)
			})
		}}
	f.add(c)
	c.Flags().BoolVar(&enable, "enable", false, "enable the user again")
	return c
}

func userListCmd() *cobra.Command {
	var f studyFlags
	var asJSON bool
	c := &cobra.Command{Use: "list --db DB [--json]", Short: "list users and their roles", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return f.withStore(cmd.Context(), func(st store.Store) error {
				us, err := st.Users(cmd.Context())
				if err != nil {
					return err
				}
				if asJSON {
					return report.JSON(cmd.OutOrStdout(), us)
				}
				rows := [][]string{}
				for _, u := range us {
					var roles []string
					for _, m := range u.Memberships {
						roles = append(roles, m.Study+"="+m.Role.String())
					}
					rows = append(rows, []string{u.Name, fmt.Sprint(u.Disabled), u.CreatedAt, strings.Join(roles, ",")})
				}
				return report.TSV(cmd.OutOrStdout(), []string{"user", "disabled", "created", "roles"}, rows)
			})
		}}
	f.add(c)
	c.Flags().BoolVar(&asJSON, "json", false, "JSON output")
	return c
}

func tokenCmd() *cobra.Command {
	c := &cobra.Command{Use: "token", Short: "personal access tokens for scripts (Authorization: Bearer TOKEN)"}
	c.AddCommand(tokenCreateCmd(), tokenRevokeCmd())
	return c
}

// parseExpiry reads 30d, 12h, 90m or a date (YYYY-MM-DD).
func parseExpiry(s string, now time.Time) (time.Time, error) {
	if strings.HasSuffix(s, "d") {
		var n int
		if _, err := fmt.Sscanf(s, "%dd", &n); err == nil && n > 0 && n <= 3650 {
			return now.AddDate(0, 0, n), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return now.Add(d), nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil && t.After(now) {
		return t, nil
	}
	return time.Time{}, usageError{fmt.Errorf("--expires %q: give days (30d), hours (12h) or a future date (2027-06-30)", s)}
}

func tokenCreateCmd() *cobra.Command {
	var f studyFlags
	var expires, name string
	c := &cobra.Command{Use: "create --db DB USER [--expires 30d] [--name NAME]", Short: "create a token and print it once (stored hashed)",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			exp, err := parseExpiry(expires, time.Now())
			if err != nil {
				return err
			}
			return f.withStore(cmd.Context(), func(st store.Store) error {
				u, err := st.UserByName(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				tok, h, err := auth.NewToken(nil)
				if err != nil {
					return err
				}
				if err := st.AddToken(cmd.Context(), auth.Token{Hash: h, UserID: u.ID, Name: name, Expires: exp}); err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), tok)
				f.logf(cmd, "token %q for %s expires %s; it is shown only now", name, u.Name, exp.UTC().Format(time.RFC3339))
				return nil
			})
		}}
	f.add(c)
	c.Flags().StringVar(&expires, "expires", "30d", "lifetime: 30d, 12h or a date")
	c.Flags().StringVar(&name, "name", "", "a label to revoke it by")
	return c
}

func tokenRevokeCmd() *cobra.Command {
	var f studyFlags
	var name string
	c := &cobra.Command{Use: "revoke --db DB USER [--name NAME]", Short: "revoke a user's tokens (all, or those called --name)",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return f.withStore(cmd.Context(), func(st store.Store) error {
				n, err := st.RevokeTokens(cmd.Context(), args[0], name)
				if err != nil {
					return err
				}
				f.logf(cmd, "revoked %d token(s)", n)
				return nil
			})
		}}
	f.add(c)
	c.Flags().StringVar(&name, "name", "", "only tokens with this label")
	return c
}

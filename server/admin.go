package server

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/lsc-bio/lsc/auth"
	"github.com/lsc-bio/lsc/store"
)

// member is one row of the admin users page.
type member struct {
	Name, Role string
	Disabled   bool
}

// auditView is the audit page's filter form and rows (newest first).
type auditView struct {
	Actor, Action, Outcome, From, To string
	Rows                             []auth.AuditRecord
	Total                            int
}

// auditShown bounds the rows the audit page lists (newest first); the CLI
// `lsc study audit list` gives everything.
const auditShown = 500

// registerAdmin adds the study admin pages: members and roles (auth.Manage)
// and the audit log (auth.Audit). Every change is audited.
func (s *Server) registerAdmin() {
	manage := access{scoped: true, action: auth.Manage}
	s.handle(route{method: "GET", pattern: "/studies/{study}/admin/users", summary: "study members and their roles", access: manage}, s.adminUsers)
	s.handle(route{method: "POST", pattern: "/studies/{study}/admin/members", summary: "add an existing user, set a role or remove a membership", access: manage}, s.adminSetRole)
	s.handle(route{method: "GET", pattern: "/studies/{study}/admin/audit", summary: "the study's audit log with filters", access: access{scoped: true, action: auth.Audit}}, s.adminAudit)
}

func (s *Server) members(r *http.Request, study string) ([]member, error) {
	us, err := s.cfg.Accounts.Users(r.Context())
	if err != nil {
		return nil, err
	}
	var out []member
	for _, u := range us {
		if role, ok := u.Roles[study]; ok {
			out = append(out, member{Name: u.Name, Role: role, Disabled: u.Disabled})
		}
	}
	return out, nil
}

func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request, idn *identity) {
	s.renderUsers(w, r, idn, http.StatusOK, "")
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, idn *identity, status int, msg string) {
	study := r.PathValue("study")
	ms, err := s.members(r, study)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.pageFor(idn, "Members of "+study)
	p.Study, p.Members, p.Error = study, ms, msg
	s.render(w, status, "admin_users.html", p)
}

// adminSetRole gives user the role in the study ("none" removes the
// membership). The user must exist (lsc user add creates users). A study
// keeps at least one admin: the last admin cannot be demoted or removed.
func (s *Server) adminSetRole(w http.ResponseWriter, r *http.Request, idn *identity) {
	study := r.PathValue("study")
	name, rs := strings.TrimSpace(r.PostFormValue("user")), r.PostFormValue("role")
	role := auth.NoRole
	if rs != "none" {
		var err error
		if role, err = auth.ParseRole(rs); err != nil {
			s.audit(r, idn.User.Name, "set-role", study, name+"="+rs, "failed")
			s.renderUsers(w, r, idn, http.StatusBadRequest, "role "+rs+": choose viewer, analyst, admin or none")
			return
		}
	}
	if name == "" {
		s.renderUsers(w, r, idn, http.StatusBadRequest, "give the user name")
		return
	}
	ms, err := s.members(r, study)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	admins, wasAdmin := 0, false
	for _, m := range ms {
		if m.Role == "admin" {
			admins++
			wasAdmin = wasAdmin || m.Name == name
		}
	}
	if wasAdmin && admins == 1 && role != auth.Admin {
		s.audit(r, idn.User.Name, "set-role", study, name+"="+role.String(), "failed")
		s.renderUsers(w, r, idn, http.StatusConflict, "the study needs at least one admin: make another member admin first")
		return
	}
	if err := s.cfg.Accounts.SetRole(r.Context(), name, study, role); err != nil {
		s.audit(r, idn.User.Name, "set-role", study, name+"="+role.String(), "failed")
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, ErrNotFound) {
			s.renderUsers(w, r, idn, http.StatusNotFound, "no user "+name+": create the account first with lsc user add")
			return
		}
		s.fail(w, r, err)
		return
	}
	if err := s.audit(r, idn.User.Name, "set-role", study, name+"="+role.String(), "ok"); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/studies/"+url.PathEscape(study)+"/admin/users", http.StatusSeeOther)
}

// adminAudit lists the study's audit rows, newest first, filtered by actor,
// action, outcome and a date range (YYYY-MM-DD, both days included).
func (s *Server) adminAudit(w http.ResponseWriter, r *http.Request, idn *identity) {
	study := r.PathValue("study")
	q := r.URL.Query()
	v := auditView{Actor: q.Get("actor"), Action: q.Get("action"), Outcome: q.Get("outcome"), From: q.Get("from"), To: q.Get("to")}
	f := store.AuditFilter{Study: study, Actor: v.Actor, Action: v.Action, Outcome: v.Outcome}
	p := s.pageFor(idn, "Audit log of "+study)
	p.Study, p.Audit = study, &v
	for _, d := range []struct {
		name, s string
		dst     *time.Time
		add     int
	}{{"from", v.From, &f.From, 0}, {"to", v.To, &f.To, 1}} {
		if d.s == "" {
			continue
		}
		t, err := time.Parse("2006-01-02", d.s)
		if err != nil {
			p.Error = d.name + " " + d.s + ": write a date as YYYY-MM-DD"
			s.render(w, http.StatusBadRequest, "admin_audit.html", p)
			return
		}
		*d.dst = t.AddDate(0, 0, d.add)
	}
	rows, err := s.cfg.Accounts.AuditLog(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Total = len(rows)
	for i := len(rows) - 1; i >= 0 && len(v.Rows) < auditShown; i-- {
		v.Rows = append(v.Rows, rows[i])
	}
	s.audit(r, idn.User.Name, "view-audit", study, "", "ok")
	s.render(w, http.StatusOK, "admin_audit.html", p)
}
